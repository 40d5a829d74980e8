import { useEffect, useState } from 'react';

import { api, ApiError } from '../../api/client';
import type { AdminReservation, Event, Pagination } from '../../api/models';
import { ErrorNotice, Loading, StatusBadge } from '../../components/common';
import { itemLabel } from '../../components/ReservationSummary';
import { useI18n } from '../../i18n/I18n';
import type { StringKey } from '../../i18n/strings';
import { formatKrw } from '../../lib/format';
import { formatEventTime } from '../../lib/time';

const STATUSES = ['pending', 'confirmed', 'cancelled', 'expired'];

export default function AdminReservations() {
  const { t, lang } = useI18n();
  const [events, setEvents] = useState<Event[]>([]);
  const [filters, setFilters] = useState({ eventId: '', status: '', email: '', from: '', to: '', sort: '-createdAt' });
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<AdminReservation[] | null>(null);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    api.admin.events({ limit: 100 }).then((r) => setEvents(r.events), () => undefined);
  }, []);
  useEffect(() => {
    const id = setTimeout(() => {
      api.admin
        .reservations({
          eventId: filters.eventId || undefined,
          status: filters.status || undefined,
          email: filters.email || undefined,
          // Plain dates: the server reads them as whole days in Asia/Seoul, the business's day.
          from: filters.from || undefined,
          to: filters.to || undefined,
          sort: filters.sort,
          page,
          limit: 25,
        })
        .then((r) => {
          setRows(r.reservations);
          setPagination(r.pagination);
          setError(null);
        }, setError);
    }, 250);
    return () => clearTimeout(id);
  }, [filters, page]);

  const set = (k: keyof typeof filters, v: string) => {
    setFilters({ ...filters, [k]: v });
    setPage(1);
  };

  return (
    <section>
      <h1>{t('admin.reservations')}</h1>
      <div className="row" style={{ marginBottom: '1rem' }}>
        <select aria-label={t('my.event')} value={filters.eventId} onChange={(e) => set('eventId', e.target.value)}>
          <option value="">{t('admin.allEvents')}</option>
          {events.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
            </option>
          ))}
        </select>
        <select aria-label={t('my.status')} value={filters.status} onChange={(e) => set('status', e.target.value)}>
          <option value="">{t('home.allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`reservation.status.${s}` as StringKey)}
            </option>
          ))}
        </select>
        <input type="search" placeholder={t('auth.email')} aria-label={t('auth.email')} value={filters.email} onChange={(e) => set('email', e.target.value)} />
        <label>
          {t('admin.from')} (KST) <input type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label>
          {t('admin.to')} (KST) <input type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} />
        </label>
        <select aria-label={t('admin.sort')} value={filters.sort} onChange={(e) => set('sort', e.target.value)}>
          <option value="-createdAt">{t('admin.newest')}</option>
          <option value="createdAt">{t('admin.oldest')}</option>
        </select>
      </div>
      <ErrorNotice error={error} />
      {!rows ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="muted">{t('admin.noneFound')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>{t('my.code')}</th>
              <th>{t('admin.fan')}</th>
              <th>{t('my.event')}</th>
              <th>{t('my.seats')}</th>
              <th>{t('common.total')}</th>
              <th>{t('my.status')}</th>
              <th>{t('admin.createdAt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.code}</td>
                <td>
                  {r.user.name}
                  <div className="muted">{r.user.email}</div>
                </td>
                <td>{r.eventTitle || r.event.title}</td>
                <td>{r.items.map((i) => itemLabel(i, t)).join(', ')}</td>
                <td>{formatKrw(r.totalAmount, lang)}</td>
                <td>
                  <StatusBadge status={r.status} label={t(`reservation.status.${r.status}` as StringKey)} />
                </td>
                <td>{formatEventTime(r.createdAt, r.event.timezone, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pagination && pagination.totalPages > 1 && (
        <div className="row" style={{ justifyContent: 'center', marginTop: '1rem' }}>
          <button className="btn secondary small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('common.prev')}
          </button>
          {page} / {pagination.totalPages}
          <button className="btn secondary small" disabled={page >= pagination.totalPages} onClick={() => setPage(page + 1)}>
            {t('common.next')}
          </button>
        </div>
      )}
    </section>
  );
}
