import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { api, ApiError, newIdempotencyKey } from '../api/client';
import type { BlockMap, EventDetail, SeatMap as SeatMapData, SeatStatus } from '../api/models';
import { BlockOverview, type OverviewBlock } from '../components/BlockOverview';
import { ErrorNotice, Loading } from '../components/common';
import { SeatCanvas, type StatusMap } from '../components/SeatCanvas';
import { useI18n } from '../i18n/I18n';
import type { StringKey } from '../i18n/strings';
import { admissions } from '../lib/admission';
import { formatKrw, formatNumber } from '../lib/format';
import { placeSeats } from '../lib/seatLayout';
import { pruneSelection, selectionTotal, toggleSeat } from '../lib/selection';
import { useTopic } from '../live/Live';
import { SeqTracker } from '../live/seq';
import BlockSeatMap from './BlockSeatMap';
import { SeatPageHeading } from './SeatPageHeading';
import { awaitDecision, seatRefusal, type SeatMessage } from './reserve';
import s from './SeatMap.module.css';

export const MAX_SEATS = 4;
/** Venues up to this size show every seat at once; bigger ones start from their blocks. */
export const FULL_MAP_MAX = 2000;

/** The seat-map route: the block summary decides between the two ways of picking seats. */
export default function SeatMapPage() {
  const { id = '' } = useParams();
  const [summary, setSummary] = useState<BlockMap | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setSummary(null);
    api.blockMap(id).then(setSummary, setError);
  }, [id]);
  if (error && !summary) return <ErrorNotice error={error} />;
  if (!summary) return <Loading />;
  const total = summary.blocks.reduce((a, b) => a + b.counts.total, 0);
  return total > FULL_MAP_MAX ? <BlockSeatMap id={id} initial={summary} maxSeats={MAX_SEATS} /> : <FullSeatMap overview={summary} />;
}

interface Delta {
  seq: number;
  seatIds: string[];
  status: SeatStatus;
}

function statusesOf(map: SeatMapData): StatusMap {
  const out: StatusMap = {};
  for (const seat of map.seats) (out[seat.section] ??= {})[seat.id] = seat.status;
  return out;
}

function FullSeatMap({ overview }: { overview: BlockMap }) {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [snapshot, setSnapshot] = useState<SeatMapData | null>(null);
  const [statuses, setStatuses] = useState<StatusMap>({});
  const [selected, setSelected] = useState<string[]>([]);
  const [message, setMessage] = useState<SeatMessage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const tracker = useRef(new SeqTracker<Delta>());
  const gapTimer = useRef<ReturnType<typeof setTimeout>>();
  const busyRef = useRef(false);
  const admission = admissions.get(id);

  const geometry = useMemo(() => (snapshot ? placeSeats(snapshot.layout ?? null, snapshot.seats) : null), [snapshot]);
  const statusesRef = useRef(statuses);
  statusesRef.current = statuses;
  const statusOf = useCallback(
    (seatId: string): SeatStatus | undefined => {
      const seat = geometry?.byId.get(seatId);
      return seat ? statusesRef.current[seat.section]?.[seatId] : undefined;
    },
    [geometry],
  );

  const applyDeltas = useCallback(
    (deltas: Delta[]) => {
      if (deltas.length === 0 || !geometry) return;
      setStatuses((prev) => {
        const next = { ...prev };
        const copied = new Set<string>();
        for (const d of deltas)
          for (const seatId of d.seatIds) {
            const seat = geometry.byId.get(seatId);
            if (!seat) continue;
            if (!copied.has(seat.section)) {
              next[seat.section] = { ...next[seat.section] };
              copied.add(seat.section);
            }
            next[seat.section][seatId] = d.status;
          }
        return next;
      });
    },
    [geometry],
  );

  // A missing seq may just be late; refetch if the hole is still there shortly after.
  const refetchRef = useRef<() => void>(() => {});
  const watchGap = useCallback(() => {
    clearTimeout(gapTimer.current);
    if (tracker.current.hasGap) {
      gapTimer.current = setTimeout(() => tracker.current.hasGap && refetchRef.current(), 400);
    }
  }, []);

  const refetch = useCallback(() => {
    tracker.current.invalidate();
    api
      .seatMap(id)
      .then((map) => {
        setSnapshot((old) => (old && old.seats.length === map.seats.length ? old : map));
        setStatuses(statusesOf(map));
        const pending = tracker.current.reset(map.seq);
        // Applied after the snapshot's statuses (same batch of state updates).
        if (pending.length) {
          setStatuses((prev) => {
            const next = { ...prev };
            for (const d of pending)
              for (const seatId of d.seatIds) {
                const sec = map.seats.find((x) => x.id === seatId)?.section;
                if (sec) next[sec] = { ...next[sec], [seatId]: d.status };
              }
            return next;
          });
        }
        setError(null);
        watchGap();
      })
      .catch((e) => {
        setError(e);
        // Deltas wait in the tracker meanwhile; try again shortly.
        gapTimer.current = setTimeout(() => refetchRef.current(), 2000);
      });
  }, [id, watchGap]);
  refetchRef.current = refetch;

  useEffect(() => {
    api.event(id).then((d) => {
      setDetail(d);
      if (d.event.queue.enabled && !admissions.get(id)) navigate(`/events/${id}/queue`, { replace: true });
    }, setError);
    refetch();
  }, [id, refetch, navigate]);

  useTopic(
    id ? `seats:${id}` : null,
    (m) => {
      if (m.seq == null || !Array.isArray(m.data.seatIds)) return;
      const status = m.data.status as SeatStatus;
      const ready = tracker.current.push({ seq: m.seq, seatIds: m.data.seatIds as string[], status });
      applyDeltas(ready);
      watchGap();
    },
    { sinceSeq: () => tracker.current.current, onReconnect: refetch },
  );
  useEffect(() => () => clearTimeout(gapTimer.current), []);

  // A picked seat that someone else just took leaves the pick, with a message.
  useEffect(() => {
    if (busyRef.current || selected.length === 0) return;
    const { kept, lost } = pruneSelection(selected, statusOf);
    if (lost.length) {
      setSelected(kept);
      setMessage({ kind: 'warn', text: t('seats.lost', { n: lost.length }) });
    }
  }, [statuses, selected, statusOf, t]);

  const onToggle = useCallback(
    (seatId: string) => {
      setSelected((sel) => {
        const r = toggleSeat(sel, seatId, statusOf(seatId), MAX_SEATS);
        if (!r.ok) setMessage({ kind: 'warn', text: r.reason === 'limit' ? t('seats.limit', { n: MAX_SEATS }) : t('seats.unavailable') });
        else setMessage(null);
        return r.selected;
      });
    },
    [statusOf, t],
  );

  const labelOf = useCallback(
    (seatId: string, status: SeatStatus, isSelected: boolean) => {
      const seat = geometry?.byId.get(seatId);
      if (!seat) return seatId;
      return t('seats.seatLabel', {
        section: seat.section,
        row: seat.row,
        number: seat.number,
        price: formatKrw(seat.price, lang),
        status: isSelected ? t('seats.status.selected') : t(`seats.status.${status}` as StringKey),
      });
    },
    [geometry, t, lang],
  );

  const reserve = async () => {
    if (selected.length === 0) return;
    setBusy(true);
    busyRef.current = true;
    setMessage(null);
    try {
      const answer = await api.reserveSeats(id, selected, newIdempotencyKey(), admission?.token);
      const reservation = await awaitDecision(answer);
      navigate(`/checkout/${reservation.id}`);
    } catch (e) {
      busyRef.current = false;
      const refusal = seatRefusal(e, selected.length, t);
      if (refusal.lost) {
        const lost = refusal.lost;
        setSelected((sel) => sel.filter((x) => !lost.includes(x)));
        applyDeltas([{ seq: 0, seatIds: lost, status: 'held' }]);
      }
      if (refusal.backToQueue) {
        admissions.clear(id);
        navigate(`/events/${id}/queue`);
      }
      if (refusal.message) setMessage(refusal.message);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  if (error && !snapshot) return <ErrorNotice error={error} />;
  if (!snapshot || !geometry) return <Loading />;
  const event = detail?.event;
  const priceOf = (seatId: string) => geometry.byId.get(seatId)?.price ?? 0;
  const availableIn = (section: string) => Object.values(statuses[section] ?? {}).filter((x) => x === 'available').length;
  // The overview's counts follow the live statuses.
  const blocks = overview.blocks.map((b) => ({ ...b, counts: { ...b.counts, available: availableIn(b.name) } })) as OverviewBlock[];

  return (
    <section>
      <SeatPageHeading eventId={id} event={event} admission={admission} />
      <div className={s.overview}>
        <BlockOverview
          blocks={blocks}
          focus={overview.focus}
          focusLabel={overview.focus.kind === 'field' ? t('blocks.field') : t('seats.stage')}
          activeId={null}
          titleOf={(b) =>
            t('blocks.title', {
              name: b.label === b.name ? b.name : t('blocks.named', { block: b.label, grade: b.name }),
              price: formatKrw(b.price, lang),
              left: formatNumber(b.counts.available, lang),
            })
          }
          label={t('blocks.overview')}
        />
      </div>
      <ul className={s.legend} aria-label={t('seats.legend')}>
        {geometry.sections.map((sec) => (
          <li key={sec.name}>
            <span className={s.swatch} style={{ background: sec.color }} aria-hidden="true" />
            {sec.name} · {formatKrw(sec.price, lang)}{' '}
            <span className="muted" data-testid={`section-left-${sec.index}`}>
              ({t('seats.leftShort', { n: formatNumber(availableIn(sec.name), lang) })})
            </span>
          </li>
        ))}
        <li>
          <span className={s.swatch} style={{ background: '#1c1a29' }} aria-hidden="true" />
          {t('seats.status.selected')}
        </li>
        <li>
          <span className={s.swatch} style={{ background: '#cbd5e1' }} aria-hidden="true" />
          {t('seats.status.held')}
        </li>
        <li>
          <span className={s.swatch} style={{ background: '#64748b' }} aria-hidden="true" />
          {t('seats.status.sold')}
        </li>
      </ul>
      <div className={s.layout}>
        <div>
          <SeatCanvas
            geometry={geometry}
            statuses={statuses}
            selected={selected}
            onToggle={onToggle}
            labelOf={labelOf}
            stageLabel={t('seats.stage')}
            mapLabel={t('seats.mapLabel')}
            zoomLabels={{ in: t('seats.zoomIn'), out: t('seats.zoomOut'), fit: t('seats.zoomFit') }}
          />
          <p className="muted" style={{ fontSize: '0.85rem' }}>
            {t('seats.help')}
          </p>
        </div>
        <aside className="card" aria-labelledby="picked-title">
          <h2 id="picked-title">{t('seats.picked', { n: selected.length, max: MAX_SEATS })}</h2>
          {message && (
            <div className={`notice ${message.kind === 'bad' ? 'bad' : ''}`} role="alert" data-testid="seat-message">
              {message.text} {message.link && <Link to="/my">{t('nav.my')}</Link>}
            </div>
          )}
          {selected.length === 0 ? (
            <p className="muted">{t('seats.pickHint')}</p>
          ) : (
            <ul className={s.picked} data-testid="picked">
              {selected.map((seatId) => {
                const seat = geometry.byId.get(seatId)!;
                return (
                  <li key={seatId}>
                    <span>
                      {t('seats.short', { section: seat.section, row: seat.row, number: seat.number })}
                      <br />
                      <span className="muted">{formatKrw(seat.price, lang)}</span>
                    </span>
                    <button className="btn secondary small" onClick={() => onToggle(seatId)} aria-label={t('seats.remove', { seat: t('seats.short', { section: seat.section, row: seat.row, number: seat.number }) })}>
                      ✕
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <div className={s.total}>
            <span>{t('common.total')}</span>
            <span>{formatKrw(selectionTotal(selected, priceOf), lang)}</span>
          </div>
          <button className="btn" style={{ width: '100%' }} disabled={busy || selected.length === 0} onClick={reserve} data-testid="reserve">
            {busy ? t('seats.reserving') : t('seats.reserve')}
          </button>
        </aside>
      </div>
    </section>
  );
}
