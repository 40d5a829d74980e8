// The gate page: scan a ticket's QR code with the phone camera (or type it), see a large
// green or red answer with the seat. Online, the server decides; when the network drops
// the page verifies signatures itself with the event's downloaded key and revocation list,
// remembers what it admitted (in IndexedDB, see gate/store.ts) and uploads it when the
// network is back.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

import { ApiError } from '../api/client';
import { ErrorNotice, Loading } from '../components/common';
import { checkinApi, SYNC_BATCH, type ScanOutcome, type SyncResult } from '../gate/api';
import { decideOffline, type Decision, type GateState } from '../gate/offline';
import { Scanner } from '../gate/Scanner';
import { GateStore, GateStoreFull } from '../gate/store';
import { useI18n } from '../i18n/I18n';

interface Post {
  eventId: string;
  gate: string;
  /** Admins scan at a gate they name; gate accounts at their own. */
  admin: boolean;
}

const unreachable = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status >= 500);

function fromOutcome(o: ScanOutcome): Decision {
  return {
    result: o.result,
    claims: o.ticket
      ? { e: '', t: o.ticket.id, s: o.ticket.seat ? [o.ticket.seat.section, o.ticket.seat.row, o.ticket.seat.number] : undefined, y: o.ticket.ticketType ?? undefined, h: o.ticket.holderInitials, i: 0 }
      : null,
    firstAdmittedAt: o.firstAdmittedAt ?? undefined,
    firstGate: o.firstGate ?? undefined,
  };
}

export default function Gate() {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  const [post, setPost] = useState<Post | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [workOffline, setWorkOffline] = useState(false);
  const [online, setOnline] = useState(navigator.onLine);
  const [decision, setDecision] = useState<{ d: Decision; offline: boolean } | null>(null);
  const [manual, setManual] = useState('');
  const [conflicts, setConflicts] = useState(0);
  const [storeProblem, setStoreProblem] = useState<'full' | 'failed' | null>(null);
  const [, rerender] = useState(0);
  /** The stored state is loaded (IndexedDB answers asynchronously). */
  const [loaded, setLoaded] = useState(false);
  const state = useRef<GateState | null>(null);
  const store = useRef<GateStore | null>(null);

  useEffect(() => {
    checkinApi.me().then(
      ({ gate }) => setPost({ eventId: gate.eventId, gate: gate.gate, admin: false }),
      (e: ApiError) => {
        const eventId = params.get('event');
        const gate = params.get('gate');
        if (e.code === 'NOT_A_GATE' && eventId && gate) setPost({ eventId, gate, admin: true });
        else setError(e);
      },
    );
  }, [params]);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  const connected = online && !workOffline;
  const refresh = useCallback(() => rerender((n) => n + 1), []);

  const refreshBundle = useCallback(async () => {
    if (!post || !state.current) return;
    try {
      const bundle = await checkinApi.bundle(post.eventId);
      state.current.bundle = bundle;
      await store.current?.saveBundle(bundle);
      refresh();
    } catch (e) {
      if (e instanceof ApiError) {
        if (!unreachable(e)) setError(e);
      } else setStoreProblem('failed');
    }
  }, [post, refresh]);

  const sync = useCallback(async () => {
    const s = state.current;
    if (!post || !s) return;
    while (s.pending.length > 0) {
      const batch = s.pending.slice(0, SYNC_BATCH);
      let results: SyncResult[];
      try {
        results = (await checkinApi.sync(post.eventId, batch.map(({ code, admittedAt }) => ({ code, admittedAt })), post.admin ? post.gate : undefined)).results;
      } catch (e) {
        if (!unreachable(e)) setError(e as ApiError);
        return;
      }
      setConflicts((n) => n + results.filter((r) => r.outcome === 'conflict').length);
      s.pending = s.pending.slice(batch.length);
      setStoreProblem((p) => (p === 'full' ? null : p));
      try {
        await store.current?.removePending(batch.flatMap((a) => (a.id === undefined ? [] : [a.id])));
      } catch {
        setStoreProblem('failed');
      }
      refresh();
    }
    await refreshBundle();
  }, [post, refresh, refreshBundle]);

  useEffect(() => {
    if (!post) return;
    let gone = false;
    let opened: GateStore | null = null;
    (async () => {
      opened = await GateStore.open();
      if (gone) return opened.close();
      const stored = await opened.load(post.eventId, localStorage);
      if (gone) return;
      store.current = opened;
      state.current = stored;
      setLoaded(true);
    })().catch(() => {
      // No IndexedDB (a locked-down browser): the gate still works online, remembering nothing.
      if (gone) return;
      state.current = { bundle: null, pending: [], seen: {} };
      setStoreProblem('failed');
      setLoaded(true);
    });
    return () => {
      gone = true;
      opened?.close();
      store.current = null;
      setLoaded(false);
    };
  }, [post]);

  // Loaded and online (again): upload what was admitted offline, then fetch a fresh list.
  useEffect(() => {
    if (!loaded || !connected) return;
    void sync();
    const timer = window.setInterval(() => void refreshBundle(), 60_000);
    return () => window.clearInterval(timer);
  }, [loaded, connected, sync, refreshBundle]);

  const handle = useCallback(
    async (code: string) => {
      const s = state.current;
      if (!post || !s) return;
      if (connected) {
        try {
          const d = fromOutcome(await checkinApi.scan(post.eventId, code, post.admin ? post.gate : undefined));
          if (d.claims && d.firstAdmittedAt && d.firstGate) {
            const seen = { at: d.firstAdmittedAt, gate: d.firstGate };
            s.seen[d.claims.t] = seen;
            store.current?.recordSeen(post.eventId, d.claims.t, seen).catch(() => setStoreProblem('failed'));
          }
          setDecision({ d, offline: false });
          return;
        } catch (e) {
          if (!unreachable(e)) {
            setError(e as ApiError);
            return;
          }
        }
      }
      const d = await decideOffline(s, post.eventId, post.gate, code, new Date());
      if (d.result === 'admitted' && d.claims) {
        const admission = s.pending[s.pending.length - 1];
        try {
          if (!store.current) throw new Error('no store');
          admission.id = await store.current.recordAdmission(post.eventId, admission);
        } catch (e) {
          // Not written down, not admitted: an admission the gate could forget is a free entry.
          s.pending.pop();
          delete s.seen[d.claims.t];
          setStoreProblem(e instanceof GateStoreFull ? 'full' : 'failed');
          setDecision(null);
          return;
        }
      }
      refresh();
      setDecision({ d, offline: true });
    },
    [post, connected, refresh],
  );

  if (error) return <ErrorNotice error={error} />;
  if (!post || !loaded || !state.current) return <Loading />;
  const s = state.current;
  const d = decision?.d;
  const good = d?.result === 'admitted';
  const seat = d?.claims?.s;
  const time = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString(lang === 'ko' ? 'ko-KR' : 'en-GB') : '');

  return (
    <section className="card" style={{ maxWidth: 560, margin: '0 auto' }} data-testid="gate">
      <h1>{t('gate.title', { gate: post.gate })}</h1>
      <p className={`notice ${connected ? 'good' : 'bad'}`} data-testid="gate-connection">
        {connected ? t('gate.online') : t('gate.offline')} · {t('gate.pending', { n: s.pending.length })}
        {s.bundle && <> · {t('gate.listAge', { time: time(s.bundle.revocations.generatedAt) })}</>}
        {conflicts > 0 && <> · {t('gate.conflicts', { n: conflicts })}</>}
      </p>
      {storeProblem && (
        <p className="notice bad" role="alert" data-testid="gate-store-problem">
          {t(storeProblem === 'full' ? 'gate.storeFull' : 'gate.storeFailed')}
        </p>
      )}
      <label className="row" style={{ gap: 8 }}>
        <input type="checkbox" checked={workOffline} onChange={(e) => setWorkOffline(e.target.checked)} data-testid="gate-work-offline" />
        {t('gate.workOffline')}
      </label>
      <Scanner onCode={(c) => void handle(c)} label={t('gate.camera')} />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (manual.trim()) void handle(manual.trim());
          setManual('');
        }}
      >
        <input className="grow" value={manual} onChange={(e) => setManual(e.target.value)} aria-label={t('gate.manual')} placeholder={t('gate.manual')} data-testid="gate-manual" />
        <button className="btn" type="submit">
          {t('gate.check')}
        </button>
      </form>
      {d && (
        <div
          role="status"
          data-testid="gate-result"
          data-result={d.result}
          style={{ marginTop: 16, padding: 24, borderRadius: 12, color: '#fff', background: good ? '#059669' : '#dc2626', textAlign: 'center' }}
        >
          <div style={{ fontSize: '2.4rem', fontWeight: 800 }}>{t(`gate.result.${d.result}`)}</div>
          {seat && <div style={{ fontSize: '1.8rem' }} data-testid="gate-seat">{t('gate.seat', { section: seat[0], row: seat[1], number: seat[2] })}</div>}
          {d.claims?.y && <div style={{ fontSize: '1.6rem' }}>{d.claims.y}</div>}
          {d.claims?.h && <div>{t('gate.holder', { initials: d.claims.h })}</div>}
          {d.result === 'duplicate' && d.firstGate && <div data-testid="gate-first">{t('gate.firstAt', { gate: d.firstGate, time: time(d.firstAdmittedAt) })}</div>}
          {decision?.offline && <div>{t('gate.decidedOffline')}</div>}
        </div>
      )}
    </section>
  );
}
