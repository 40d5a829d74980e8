// The seat map of a big venue in two steps, like Interpark, Melon and Ticketmaster: the venue
// overview with every block's grade, price and seats left, then the seats of one block.
// Only the open block's seats are loaded. Live seat deltas (per-event `seq`) update the open
// block exactly: the block snapshot has its own `seq`, deltas newer than it apply in order
// and a gap refetches the block. The overview's counts are refetched (a small cached body)
// shortly after deltas arrive.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';

import { api, ApiError, newIdempotencyKey } from '../api/client';
import type { Block, BlockMap, BlockSeats as BlockSeatsData, EventDetail, SeatStatus } from '../api/models';
import { BlockOverview, type OverviewBlock } from '../components/BlockOverview';
import { BlockSeats, type BlockSeatInfo } from '../components/BlockSeats';
import { ErrorNotice } from '../components/common';
import { useI18n } from '../i18n/I18n';
import { admissions } from '../lib/admission';
import { bestAvailable } from '../lib/bestAvailable';
import { formatKrw, formatNumber } from '../lib/format';
import { useTopic } from '../live/Live';
import { SeqTracker } from '../live/seq';
import { SeatPageHeading } from './SeatPageHeading';
import { awaitDecision, seatRefusal, type SeatMessage } from './reserve';
import s from './SeatMap.module.css';

interface Delta {
  seq: number;
  seatIds: string[];
  status: SeatStatus;
}

/** A picked seat, remembered with what the summary needs when its block is closed. */
interface Pick {
  id: string;
  block: number;
  section: string;
  row: string;
  number: number;
  price: number;
}

const RECENT_DELTAS = 5000;

export default function BlockSeatMap({ id, initial, maxSeats }: { id: string; initial: BlockMap; maxSeats: number }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [summary, setSummary] = useState<BlockMap>(initial);
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [open, setOpen] = useState<BlockSeatsData | null>(null);
  const [statuses, setStatuses] = useState<ReadonlyMap<string, SeatStatus>>(new Map());
  const [picks, setPicks] = useState<Pick[]>([]);
  const [together, setTogether] = useState(2);
  const [message, setMessage] = useState<SeatMessage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const admission = admissions.get(id);
  const tracker = useRef(new SeqTracker<Delta>());
  const recent = useRef<Delta[]>([]);
  const openRef = useRef<BlockSeatsData | null>(null);
  openRef.current = open;
  const statusesRef = useRef(statuses);
  statusesRef.current = statuses;
  const gapTimer = useRef<ReturnType<typeof setTimeout>>();
  const summaryTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    api.event(id).then((d) => {
      setDetail(d);
      if (d.event.queue.enabled && !admissions.get(id)) navigate(`/events/${id}/queue`, { replace: true });
    }, setError);
  }, [id, navigate]);

  const applyToOpen = useCallback((deltas: Delta[]) => {
    const block = openRef.current;
    if (!block || deltas.length === 0) return;
    const inBlock = new Set(block.seats.map((x) => x.id));
    setStatuses((prev) => {
      let next: Map<string, SeatStatus> | null = null;
      for (const d of deltas)
        for (const seatId of d.seatIds)
          if (inBlock.has(seatId) && prev.get(seatId) !== d.status) {
            next ??= new Map(prev);
            next.set(seatId, d.status);
          }
      return next ?? prev;
    });
  }, []);

  const loadBlock = useCallback(
    (blockId: number) => {
      tracker.current.invalidate();
      api.blockSeats(id, blockId).then(
        (block) => {
          setOpen(block);
          openRef.current = block;
          setStatuses(new Map(block.seats.map((x) => [x.id, x.status as SeatStatus])));
          // Deltas already seen that are newer than this snapshot apply on top of it.
          for (const d of recent.current) if (d.seq > block.seq) tracker.current.push(d);
          applyToOpen(tracker.current.reset(block.seq));
          setError(null);
          clearTimeout(gapTimer.current);
          if (tracker.current.hasGap) gapTimer.current = setTimeout(() => tracker.current.hasGap && loadBlock(blockId), 400);
        },
        (e) => setError(e),
      );
    },
    [id, applyToOpen],
  );

  // Throttled, not debounced: under a steady stream of deltas the counts still move. A
  // summary older than the newest delta seen (the server refreshes its cache on a beat) is
  // asked for again a few times.
  const latestSeq = useRef(0);
  const refreshSummary = useCallback(
    (attempt = 0) => {
      if (summaryTimer.current) return;
      summaryTimer.current = setTimeout(() => {
        summaryTimer.current = undefined;
        api.blockMap(id).then(
          (next) => {
            setSummary((old) => (next.seq >= old.seq ? next : old));
            if (next.seq < latestSeq.current && attempt < 5) refreshSummary(attempt + 1);
          },
          () => {},
        );
      }, 1000);
    },
    [id],
  );

  useTopic(
    `seats:${id}`,
    (m) => {
      if (m.seq == null || !Array.isArray(m.data.seatIds)) return;
      const d: Delta = { seq: m.seq, seatIds: m.data.seatIds as string[], status: m.data.status as SeatStatus };
      latestSeq.current = Math.max(latestSeq.current, d.seq);
      recent.current.push(d);
      if (recent.current.length > RECENT_DELTAS) recent.current.splice(0, recent.current.length - RECENT_DELTAS);
      if (openRef.current) {
        applyToOpen(tracker.current.push(d));
        clearTimeout(gapTimer.current);
        const blockId = openRef.current.block.id;
        if (tracker.current.hasGap) gapTimer.current = setTimeout(() => tracker.current.hasGap && loadBlock(blockId), 400);
      }
      refreshSummary(0);
    },
    {
      sinceSeq: () => tracker.current.current ?? summary.seq,
      onReconnect: () => {
        refreshSummary(0);
        if (openRef.current) loadBlock(openRef.current.block.id);
      },
    },
  );
  useEffect(
    () => () => {
      clearTimeout(gapTimer.current);
      clearTimeout(summaryTimer.current);
    },
    [],
  );

  // A picked seat of the open block that someone else just took leaves the pick.
  useEffect(() => {
    if (busy) return;
    const lost = picks.filter((p) => open && p.block === open.block.id && statuses.get(p.id) && statuses.get(p.id) !== 'available');
    if (lost.length) {
      setPicks((ps) => ps.filter((p) => !lost.some((l) => l.id === p.id)));
      setMessage({ kind: 'warn', text: t('seats.lost', { n: lost.length }) });
    }
  }, [statuses, picks, open, busy, t]);

  const selected = useMemo(() => new Set(picks.map((p) => p.id)), [picks]);

  const onToggle = useCallback(
    (seatId: string) => {
      const block = openRef.current;
      const seat = block?.seats.find((x) => x.id === seatId);
      if (!block || !seat) return;
      setPicks((ps) => {
        if (ps.some((p) => p.id === seatId)) {
          setMessage(null);
          return ps.filter((p) => p.id !== seatId);
        }
        if (statusesRef.current.get(seatId) !== 'available') {
          setMessage({ kind: 'warn', text: t('seats.unavailable') });
          return ps;
        }
        if (ps.length >= maxSeats) {
          setMessage({ kind: 'warn', text: t('seats.limit', { n: maxSeats }) });
          return ps;
        }
        setMessage(null);
        const b = block.block;
        return [...ps, { id: seatId, block: b.id, section: b.name, row: seat.row, number: seat.number, price: b.price }];
      });
    },
    [maxSeats, t],
  );

  const pickBest = () => {
    const block = openRef.current;
    if (!block) return;
    const n = Math.min(together, maxSeats);
    const ids = bestAvailable(block.seats, block.block.aislesAfter, n, (x) => statusesRef.current.get(x) === 'available' && !selected.has(x));
    if (!ids) {
      setMessage({ kind: 'warn', text: t('blocks.noneTogether', { n }) });
      return;
    }
    const b = block.block;
    const byId = new Map(block.seats.map((x) => [x.id, x]));
    setPicks(ids.map((x) => ({ id: x, block: b.id, section: b.name, row: byId.get(x)!.row, number: byId.get(x)!.number, price: b.price })));
    setMessage(null);
  };

  const nameOf = useCallback(
    (b: { label: string; name: string }) => (b.label === b.name ? b.name : t('blocks.named', { block: b.label, grade: b.name })),
    [t],
  );
  const labelOf = useCallback(
    (seat: BlockSeatInfo, status: SeatStatus, isSelected: boolean) =>
      t('seats.seatLabel', {
        section: openRef.current?.block.name ?? '',
        row: seat.row,
        number: seat.number,
        price: formatKrw(openRef.current?.block.price ?? 0, lang),
        status: isSelected ? t('seats.status.selected') : t(`seats.status.${status}`),
      }),
    [t, lang],
  );
  const cardOf = useCallback(
    (seat: BlockSeatInfo, status: SeatStatus) => {
      const b = openRef.current?.block;
      return t('blocks.card', {
        name: b ? nameOf(b) : '',
        row: seat.row,
        number: seat.number,
        price: formatKrw(b?.price ?? 0, lang),
        status: t(`seats.status.${status}`),
      });
    },
    [t, lang, nameOf],
  );
  const titleOf = useCallback(
    (b: OverviewBlock) =>
      t('blocks.title', {
        name: nameOf(b),
        price: formatKrw(b.price, lang),
        left: formatNumber(b.counts.available, lang),
      }),
    [t, lang, nameOf],
  );

  const reserve = async () => {
    if (picks.length === 0) return;
    setBusy(true);
    setMessage(null);
    try {
      const answer = await api.reserveSeats(id, picks.map((p) => p.id), newIdempotencyKey(), admission?.token);
      const reservation = await awaitDecision(answer);
      navigate(`/checkout/${reservation.id}`);
    } catch (e) {
      const refusal = seatRefusal(e, picks.length, t);
      if (refusal.lost) {
        const lost = refusal.lost;
        setPicks((ps) => ps.filter((p) => !lost.includes(p.id)));
        applyToOpen([{ seq: 0, seatIds: lost, status: 'held' }]);
      }
      if (refusal.backToQueue) {
        admissions.clear(id);
        navigate(`/events/${id}/queue`);
      }
      if (refusal.message) setMessage(refusal.message);
    } finally {
      setBusy(false);
    }
  };

  const event = detail?.event;
  const blocks = summary.blocks as OverviewBlock[];
  const openBlock: Block | undefined = open?.block;
  const left = blocks.reduce((a, b) => a + b.counts.available, 0);
  return (
    <section>
      <SeatPageHeading eventId={id} event={event} admission={admission} />
      {error && <ErrorNotice error={error} />}
      <div className={s.layout}>
        <div>
          {!open ? (
            <>
              <p className="muted" data-testid="blocks-left">
                {t('blocks.pick', { n: formatNumber(left, lang) })}
              </p>
              <BlockOverview
                blocks={blocks}
                focus={summary.focus}
                focusLabel={summary.focus.kind === 'field' ? t('blocks.field') : t('seats.stage')}
                activeId={null}
                onOpen={loadBlock}
                titleOf={titleOf}
                label={t('blocks.overview')}
              />
            </>
          ) : (
            <>
              <div className="row" style={{ flexWrap: 'wrap', gap: '0.5rem', marginBottom: '0.6rem' }}>
                <button className="btn secondary small" onClick={() => setOpen(null)} data-testid="back-to-blocks">
                  ← {t('blocks.back')}
                </button>
                <strong data-testid="open-block">{t('blocks.heading', { name: nameOf(openBlock!), price: formatKrw(openBlock!.price, lang) })}</strong>
                <span className="muted">{t('seats.leftShort', { n: formatNumber([...statuses.values()].filter((x) => x === 'available').length, lang) })}</span>
                <span className="grow" />
                <label>
                  {t('blocks.together')}{' '}
                  <select value={together} onChange={(e) => setTogether(Number(e.target.value))} data-testid="together">
                    {Array.from({ length: maxSeats }, (_, i) => i + 1).map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </label>
                <button className="btn small" onClick={pickBest} data-testid="best-available">
                  {t('blocks.best')}
                </button>
              </div>
              <BlockSeats
                seats={open.seats as BlockSeatInfo[]}
                statuses={statuses}
                aislesAfter={open.block.aislesAfter}
                color={open.block.color ?? '#8b5cf6'}
                selected={selected}
                onToggle={onToggle}
                labelOf={labelOf}
                cardOf={cardOf}
                label={t('blocks.seatsOf', { name: nameOf(open.block) })}
              />
              <p className="muted" style={{ fontSize: '0.85rem' }}>
                {t('blocks.help')}
              </p>
            </>
          )}
        </div>
        <aside className="card" aria-labelledby="picked-title">
          <h2 id="picked-title">{t('seats.picked', { n: picks.length, max: maxSeats })}</h2>
          {message && (
            <div className={`notice ${message.kind === 'bad' ? 'bad' : ''}`} role="alert" data-testid="seat-message">
              {message.text} {message.link && <Link to="/my">{t('nav.my')}</Link>}
            </div>
          )}
          {picks.length === 0 ? (
            <p className="muted">{t('blocks.pickHint')}</p>
          ) : (
            <ul className={s.picked} data-testid="picked">
              {picks.map((p) => {
                const short = t('seats.short', { section: p.section, row: p.row, number: p.number });
                return (
                  <li key={p.id}>
                    <span>
                      {short}
                      <br />
                      <span className="muted">{formatKrw(p.price, lang)}</span>
                    </span>
                    <button
                      className="btn secondary small"
                      onClick={() => setPicks((ps) => ps.filter((x) => x.id !== p.id))}
                      aria-label={t('seats.remove', { seat: short })}
                    >
                      ✕
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <div className={s.total}>
            <span>{t('common.total')}</span>
            <span>{formatKrw(picks.reduce((a, p) => a + p.price, 0), lang)}</span>
          </div>
          <button className="btn" style={{ width: '100%' }} disabled={busy || picks.length === 0} onClick={reserve} data-testid="reserve">
            {busy ? t('seats.reserving') : t('seats.reserve')}
          </button>
        </aside>
      </div>
    </section>
  );
}
