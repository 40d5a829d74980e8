import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';

import { api, ApiError } from '../api/client';
import { EVENT_STATUSES, type Event, type Pagination } from '../api/types';
import { ErrorNotice, Loading, StatusBadge } from '../components/common';
import { Poster } from '../components/Poster';
import { useI18n } from '../i18n/I18n';
import { eventTitle } from '../lib/eventNames';
import type { StringKey } from '../i18n/strings';
import { formatNumber } from '../lib/format';
import { formatEventDate } from '../lib/time';
import { availabilityDelta, ticketsRemaining } from '../live/availability';
import { useLive } from '../live/Live';
import s from './Home.module.css';

const LIVE_STATUSES = new Set(['on_sale', 'sold_out', 'upcoming']);

export default function Home() {
  const { t, lang } = useI18n();
  const { socket } = useLive();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [query, setQuery] = useState(q);
  const [events, setEvents] = useState<Event[] | null>(null);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const lastSeq = useRef(new Map<string, number>());

  const load = useCallback(() => {
    api
      .events({ q: q || undefined, status: status || undefined, page, limit: 12 })
      .then((r) => {
        setEvents(r.events);
        setPagination(r.pagination);
        setError(null);
      })
      .catch(setError);
  }, [q, status, page]);

  useEffect(load, [load]);
  // The list is cached for 30 s on the server; live deltas keep counts moving in between.
  useEffect(() => {
    const id = setInterval(load, 30_000);
    return () => clearInterval(id);
  }, [load]);

  // Debounced search box → URL.
  useEffect(() => {
    if (query === q) return;
    const id = setTimeout(() => {
      const next = new URLSearchParams(params);
      if (query) next.set('q', query);
      else next.delete('q');
      next.delete('page');
      setParams(next, { replace: true });
    }, 300);
    return () => clearTimeout(id);
  }, [query, q, params, setParams]);

  const liveIds = (events ?? []).filter((e) => LIVE_STATUSES.has(e.status)).map((e) => e.id).join(',');
  useEffect(() => {
    if (!liveIds) return;
    const offs = liveIds.split(',').flatMap((id) => [
      socket.subscribe(`seats:${id}`, (m) => {
        const last = lastSeq.current.get(id) ?? -1;
        if (m.seq != null) {
          if (m.seq <= last) return;
          lastSeq.current.set(id, m.seq);
        }
        const d = availabilityDelta(m);
        if (d) setEvents((evs) => evs?.map((e) => (e.id === id ? { ...e, availability: { ...e.availability, available: Math.max(0, e.availability.available + d) } } : e)) ?? evs);
      }),
      socket.subscribe(`event:${id}`, (m) => {
        if (m.event === 'ticket-updated') {
          const left = ticketsRemaining(m);
          if (left != null) setEvents((evs) => evs?.map((e) => (e.id === id ? { ...e, availability: { ...e.availability, available: left } } : e)) ?? evs);
        } else if (m.event === 'event-status' && typeof m.data.status === 'string') {
          const st = m.data.status as Event['status'];
          setEvents((evs) => evs?.map((e) => (e.id === id ? { ...e, status: st } : e)) ?? evs);
        }
      }),
    ]);
    return () => offs.forEach((off) => off());
  }, [liveIds, socket]);

  const setStatus = (v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set('status', v);
    else next.delete('status');
    next.delete('page');
    setParams(next);
  };
  const setPage = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    setParams(next);
  };

  return (
    <section>
      <h1>{t('home.title')}</h1>
      <div className={s.filters} role="search">
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('home.search')}
          aria-label={t('home.search')}
        />
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('home.statusFilter')}>
          <option value="">{t('home.allStatuses')}</option>
          {EVENT_STATUSES.map((st) => (
            <option key={st} value={st}>
              {t(`status.${st}` as StringKey)}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={error} />
      {!events ? (
        <Loading />
      ) : events.length === 0 ? (
        <p className="muted">{t('home.empty')}</p>
      ) : (
        <ul className={s.grid} data-testid="event-list">
          {events.map((e) => (
            <li key={e.id} className={s.item} data-testid="event-card" data-event-id={e.id}>
              <Link to={`/events/${e.id}`}>
                <Poster event={e} className={s.poster} />
                <div className={s.body}>
                  <div className="row">
                    <StatusBadge status={e.status} label={t(`status.${e.status}` as StringKey)} />
                    {e.queue.enabled && <span className="badge">{t('event.queueBadge')}</span>}
                  </div>
                  <span className={s.title}>{eventTitle(e, lang)}</span>
                  <span className={s.meta}>{e.venue}</span>
                  <span className={s.meta}>{formatEventDate(e.startsAt, e.timezone, lang)}</span>
                  {e.availability.total > 0 && (
                    <span className={s.remaining} data-testid="remaining" aria-live="polite">
                      {t('home.remaining', { n: formatNumber(e.availability.available, lang), total: formatNumber(e.availability.total, lang) })}
                    </span>
                  )}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {pagination && pagination.totalPages > 1 && (
        <nav className={s.pager} aria-label={t('common.pagination')}>
          <button className="btn secondary small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('common.prev')}
          </button>
          <span>
            {page} / {pagination.totalPages}
          </span>
          <button className="btn secondary small" disabled={page >= pagination.totalPages} onClick={() => setPage(page + 1)}>
            {t('common.next')}
          </button>
        </nav>
      )}
    </section>
  );
}
