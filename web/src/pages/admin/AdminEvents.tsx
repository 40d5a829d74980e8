import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import { api, ApiError } from '../../api/client';
import { EVENT_STATUSES, type AdminEvent, type CancelImpact, type Pagination } from '../../api/models';
import { ConfirmDialog, ErrorNotice, Loading, StatusBadge } from '../../components/common';
import { useI18n } from '../../i18n/I18n';
import { eventTitle } from '../../lib/eventNames';
import type { StringKey } from '../../i18n/strings';
import { formatKrw, formatNumber } from '../../lib/format';
import { formatEventTime } from '../../lib/time';

/** Cancelling refunds everyone: the dialog says how many bookings, how much money and how
 *  many fans before the organizer can confirm. */
export function CancelEventDialog({ event, onDone, onClose }: { event: { id: string; title: string }; onDone: (msg: string) => void; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [impact, setImpact] = useState<CancelImpact | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api.admin.cancelImpact(event.id).then((r) => setImpact(r.impact), setError);
  }, [event.id]);
  return (
    <ConfirmDialog
      title={t('admin.cancelEventTitle')}
      body={t('admin.cancelEventBody', { title: event.title })}
      confirmLabel={t('admin.cancelEventConfirm')}
      cancelLabel={t('common.keep')}
      danger
      busy={busy || !impact}
      onCancel={onClose}
      onConfirm={async () => {
        setBusy(true);
        try {
          const r = await api.admin.cancelEvent(event.id, reason || undefined);
          onDone(t('admin.cancelledResult', { n: r.cancelledReservations, refunds: r.refundedPayments }));
        } catch (e) {
          setError(e as ApiError);
        } finally {
          setBusy(false);
        }
      }}
    >
      {impact ? (
        <ul data-testid="cancel-impact">
          <li>{t('admin.impactBookings', { confirmed: formatNumber(impact.confirmedReservations, lang), pending: formatNumber(impact.pendingReservations, lang) })}</li>
          <li>{t('admin.impactRefund', { amount: formatKrw(impact.refundAmount, lang), n: formatNumber(impact.refundPayments, lang) })}</li>
          <li>{t('admin.impactFans', { n: formatNumber(impact.fansToNotify, lang) })}</li>
        </ul>
      ) : (
        !error && <Loading />
      )}
      <div className="field">
        <label htmlFor="cancel-reason">{t('admin.cancelReason')}</label>
        <textarea id="cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
      </div>
      <ErrorNotice error={error} />
    </ConfirmDialog>
  );
}

/** Saves the event's reservations or sales as a CSV file. */
function ExportButton({ id, kind }: { id: string; kind: 'reservations' | 'sales' }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await api.admin.exportCsv(id, kind);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${kind}-${id}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button className="btn secondary small" disabled={busy} onClick={save} data-testid={`export-${kind}`}>
        {t(kind === 'sales' ? 'admin.exportSales' : 'admin.exportReservations')}
      </button>
      <ErrorNotice error={error} />
    </>
  );
}

export default function AdminEvents() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [events, setEvents] = useState<AdminEvent[] | null>(null);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState<AdminEvent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    api.admin.events({ status: status || undefined, q: q || undefined, page, limit: 20 }).then((r) => {
      setEvents(r.events);
      setPagination(r.pagination);
      setError(null);
    }, setError);
  }, [status, q, page]);
  useEffect(() => {
    const id = setTimeout(load, 200);
    return () => clearTimeout(id);
  }, [load]);

  return (
    <section>
      <div className="row">
        <h1 className="grow">{t('admin.events')}</h1>
        <Link to="/admin/layouts/new" className="btn secondary" data-testid="new-layout">
          {t('admin.newLayout')}
        </Link>
        <Link to="/admin/events/new" className="btn" data-testid="new-event">
          {t('admin.newEvent')}
        </Link>
      </div>
      <div className="row" style={{ marginBottom: '1rem' }}>
        <input type="search" placeholder={t('home.search')} aria-label={t('home.search')} value={q} onChange={(e) => (setQ(e.target.value), setPage(1))} />
        <select value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))} aria-label={t('home.statusFilter')}>
          <option value="">{t('home.allStatuses')}</option>
          {EVENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as StringKey)}
            </option>
          ))}
        </select>
      </div>
      {notice && (
        <div className="notice good" role="status">
          {notice}
        </div>
      )}
      <ErrorNotice error={error} />
      {!events ? (
        <Loading />
      ) : (
        <table className="data" data-testid="admin-events">
          <thead>
            <tr>
              <th>{t('admin.title')}</th>
              <th>{t('event.startsAt')}</th>
              <th>{t('my.status')}</th>
              <th>{t('admin.sales')}</th>
              <th>{t('admin.revenue')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/events/${e.id}`}>{eventTitle(e, lang)}</Link>
                  <div className="muted">{e.venue}</div>
                </td>
                <td>{formatEventTime(e.startsAt, e.timezone, lang)}</td>
                <td>
                  <StatusBadge status={e.status} label={t(`status.${e.status}` as StringKey)} />
                </td>
                <td>
                  {formatNumber(e.sales.sold, lang)} / {formatNumber(e.sales.total, lang)}
                  <div className="muted">{t('admin.heldN', { n: e.sales.held })}</div>
                </td>
                <td>{formatKrw(e.sales.revenue, lang)}</td>
                <td>
                  <div className="row">
                    <Link to={`/admin/events/${e.id}/edit`} className="btn secondary small">
                      {t('admin.edit')}
                    </Link>
                    <Link to={`/admin/events/${e.id}/checkin`} className="btn secondary small">
                      {t('checkin.open')}
                    </Link>
                    <ExportButton id={e.id} kind="reservations" />
                    <ExportButton id={e.id} kind="sales" />
                    {e.status !== 'cancelled' && (
                      <button className="btn danger small" onClick={() => setCancelling(e)}>
                        {t('admin.cancelEvent')}
                      </button>
                    )}
                  </div>
                </td>
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
      {cancelling && (
        <CancelEventDialog
          event={cancelling}
          onClose={() => setCancelling(null)}
          onDone={(msg) => {
            setCancelling(null);
            setNotice(msg);
            load();
          }}
        />
      )}
    </section>
  );
}
