import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { api, ApiError } from '../api/client';
import type { Event, QueueStatus } from '../api/types';
import { ErrorNotice, Loading } from '../components/common';
import { useI18n } from '../i18n/I18n';
import { eventTitle } from '../lib/eventNames';
import { admissions } from '../lib/admission';
import { etaMinutes } from '../lib/countdown';
import { formatNumber } from '../lib/format';
import { solveInWorker } from '../lib/pow';
import { queueProgress } from '../lib/queue';
import { formatEventTime } from '../lib/time';
import { useTopic } from '../live/Live';
import s from './WaitingRoom.module.css';

const POLL_MS = 3000;

/** The ahead count at join, per event, so the progress bar survives a refresh. */
const startKey = (id: string) => `tiketi.queue.start.${id}`;

export default function WaitingRoom() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [event, setEvent] = useState<Event | null>(null);
  const [status, setStatus] = useState<QueueStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const left = useRef(false);
  // Status polls are the heartbeat; the server says how soon to ask again.
  const nextPollMs = useRef(POLL_MS);

  const admit = useCallback(
    (token: string, expiresAt: string) => {
      admissions.set(id, { token, expiresAt });
      sessionStorage.removeItem(startKey(id));
      navigate(`/events/${id}/seats`, { replace: true });
    },
    [id, navigate],
  );

  const seen = useCallback(
    (st: QueueStatus) => {
      if (left.current) return;
      if (sessionStorage.getItem(startKey(id)) == null || Number(sessionStorage.getItem(startKey(id))) < st.ahead)
        sessionStorage.setItem(startKey(id), String(st.ahead));
      setStatus(st);
      setError(null);
      nextPollMs.current = Math.min(10, Math.max(1, st.pollAfterSeconds ?? POLL_MS / 1000)) * 1000;
      if (st.status === 'admitted' && st.admissionToken && st.expiresAt) admit(st.admissionToken, st.expiresAt);
    },
    [id, admit],
  );

  // Progress of the proof-of-work search while the room asks for one (null otherwise).
  const [pow, setPow] = useState<number | null>(null);
  // The status poll keeps running meanwhile; one search at a time.
  const solving = useRef(false);
  const join = useCallback(async () => {
    if (solving.current) return;
    try {
      seen(await api.queueJoin(id));
    } catch (e) {
      const err = e as ApiError;
      if (!['POW_REQUIRED', 'POW_INVALID', 'POW_ALREADY_USED'].includes(err.code)) throw err;
      // The room asks for proof-of-work: solve a fresh challenge in a Web Worker.
      setPow(0);
      solving.current = true;
      try {
        const solution = await solveInWorker(await api.queueChallenge(id), setPow);
        seen(await api.queueJoin(id, solution));
      } finally {
        solving.current = false;
        setPow(null);
      }
    }
  }, [id, seen]);

  // Status is also the heartbeat: a tab that stops polling loses its place.
  const poll = useCallback(async () => {
    try {
      seen(await api.queueStatus(id));
    } catch (e) {
      const err = e as ApiError;
      if (err.code === 'QUEUE_NOT_JOINED') await join().catch(setError);
      else setError(err);
    }
  }, [id, seen, join]);

  useEffect(() => {
    api.event(id).then((d) => setEvent(d.event), setError);
    const existing = admissions.get(id);
    if (existing) {
      navigate(`/events/${id}/seats`, { replace: true });
      return;
    }
    let timer: ReturnType<typeof setTimeout>;
    let live = true;
    const loop = async () => {
      await poll();
      if (live) timer = setTimeout(loop, nextPollMs.current);
    };
    loop();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, poll, navigate]);

  useTopic('user', (m) => {
    if (m.data.eventId !== id) return;
    if (m.event === 'queue-position') {
      setStatus((st) => st && { ...st, ahead: Number(m.data.ahead), etaSeconds: (m.data.etaSeconds as number | null) ?? null });
    } else if (m.event === 'admitted' && typeof m.data.admissionToken === 'string') {
      admit(m.data.admissionToken, String(m.data.expiresAt));
    }
  });

  const leave = async () => {
    left.current = true;
    await api.queueLeave(id).catch(() => undefined);
    sessionStorage.removeItem(startKey(id));
    navigate(`/events/${id}`);
  };

  if (error && !status) {
    const text =
      error.code === 'QUEUE_NOT_ENABLED'
        ? t('queue.notEnabled')
        : error.code === 'QUEUE_NOT_OPEN' && typeof error.details.opensAt === 'string'
          ? t('queue.notOpen', { at: formatEventTime(error.details.opensAt, event?.timezone ?? 'Asia/Seoul', lang) })
          : error.code === 'EVENT_NOT_ON_SALE' || error.code === 'QUEUE_NOT_OPEN'
            ? t('queue.notJoinable')
            : error;
    return (
      <div className={s.room}>
        <ErrorNotice error={text} />
        <Link to={`/events/${id}`}>{t('common.back')}</Link>
      </div>
    );
  }
  if (!status && pow != null)
    return (
      <div className={s.room}>
        <p>{t('queue.pow')}</p>
        <div
          className={s.bar}
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(pow * 100)}
          aria-label={t('queue.pow')}
        >
          <div className={s.fill} style={{ width: `${Math.round(pow * 100)}%` }} />
        </div>
      </div>
    );
  if (!status) return <Loading />;
  const start = Number(sessionStorage.getItem(startKey(id)) ?? status.ahead);
  const progress = queueProgress(status, start);
  const eta = etaMinutes(status.etaSeconds);
  const saleOpens = formatEventTime(status.saleStart, event?.timezone ?? 'Asia/Seoul', lang);
  // A shuffled pre-queue places fans at random when the sale opens: until then neither the
  // arrival number nor the fans "ahead" say anything about the fan's turn.
  const shuffled = event?.queue.shuffle === true;
  const drawing = shuffled && status.status === 'prequeue';

  return (
    <section className={`card ${s.room}`} aria-labelledby="wr-title" data-testid="waiting-room">
      <h1 id="wr-title">{t('queue.title')}</h1>
      {event && <p className="muted">{eventTitle(event, lang)}</p>}
      <p className="muted">{t(drawing ? 'queue.arrivalNumber' : 'queue.yourTicket')}</p>
      <div className={s.ticket} data-testid="queue-ticket">
        #{formatNumber(status.ticket, lang)}
      </div>
      {status.status === 'expired' ? (
        <>
          <div className="notice bad" role="alert">
            {t('queue.expired')}
          </div>
          <button className="btn" onClick={() => join().catch(setError)}>
            {t('queue.rejoin')}
          </button>
        </>
      ) : (
        <>
          {drawing ? (
            <p className="notice" data-testid="queue-draw">
              {t('queue.draw', { at: saleOpens })}
            </p>
          ) : (
          <div className={s.stats} aria-live="polite">
            <div className={s.stat}>
              {t('queue.ahead')}
              <strong data-testid="queue-ahead">{formatNumber(status.ahead, lang)}</strong>
            </div>
            <div className={s.stat}>
              {t('queue.eta')}
              <strong data-testid="queue-eta">{status.ahead === 0 ? t('queue.soon') : eta == null ? '—' : t('queue.minutes', { n: eta })}</strong>
            </div>
          </div>
          )}
          {shuffled && status.status === 'waiting' && <p className="muted">{t('queue.drawn')}</p>}
          <div
            className={s.bar}
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
            aria-label={t('queue.progress')}
          >
            <div className={s.fill} style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
          {status.status === 'prequeue' && !drawing && <p>{t('queue.prequeue', { at: saleOpens })}</p>}
          <p className="muted">{t('queue.keepOpen')}</p>
          <button className="btn secondary" onClick={leave}>
            {t('queue.leave')}
          </button>
        </>
      )}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
