import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { api, ApiError } from '../api/client';
import type { Reservation } from '../api/models';
import { ConfirmDialog, ErrorNotice, Loading, StatusBadge } from '../components/common';
import { itemLabel, ReservationSummary } from '../components/ReservationSummary';
import { useAuth } from '../auth/Auth';
import { EmailLanguage } from '../components/EmailLanguage';
import { PdfTicketsButton, TicketList } from '../gate/Tickets';
import { useI18n } from '../i18n/I18n';
import { methodName, paymentStatusName } from '../i18n/errors';
import type { StringKey } from '../i18n/strings';
import { formatKrw } from '../lib/format';
import { formatEventTime } from '../lib/time';

export function MyReservations() {
  const { t, lang } = useI18n();
  const { user, setEmailLocale } = useAuth();
  const [list, setList] = useState<Reservation[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api.myReservations().then((r) => setList(r.reservations), setError);
  }, []);
  if (error) return <ErrorNotice error={error} />;
  if (!list) return <Loading />;
  return (
    <section>
      <h1>{t('my.title')}</h1>
      {user && <EmailLanguage locale={user.locale} save={setEmailLocale} />}
      {list.length === 0 ? (
        <p className="muted">
          {t('my.empty')} <Link to="/">{t('common.backToEvents')}</Link>
        </p>
      ) : (
        <table className="data" data-testid="my-reservations">
          <thead>
            <tr>
              <th>{t('my.code')}</th>
              <th>{t('my.event')}</th>
              <th>{t('my.seats')}</th>
              <th>{t('common.total')}</th>
              <th>{t('my.status')}</th>
              <th>{t('tickets.title')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} data-reservation-id={r.id}>
                <td>
                  <Link to={`/my/${r.id}`}>{r.code}</Link>
                </td>
                <td>
                  {r.event.title}
                  <div className="muted">{formatEventTime(r.event.startsAt, r.event.timezone, lang)}</div>
                </td>
                <td>{r.items.map((i) => itemLabel(i, t)).join(', ')}</td>
                <td>{formatKrw(r.totalAmount, lang)}</td>
                <td>
                  <StatusBadge status={r.status} label={t(`reservation.status.${r.status}` as StringKey)} />
                </td>
                <td>{r.status === 'confirmed' && <PdfTicketsButton reservation={r} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ReservationDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [r, setR] = useState<Reservation | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  useEffect(() => {
    api.reservation(id).then((x) => setR(x.reservation), setError);
  }, [id]);
  if (error) return <ErrorNotice error={error.status === 404 ? t('reservation.notFound') : error} />;
  if (!r) return <Loading />;
  const cancellable = r.status === 'pending' || (r.status === 'confirmed' && Date.parse(r.event.startsAt) > Date.now());
  const cancel = async () => {
    setBusy(true);
    setCancelError(null);
    try {
      const x = await api.cancelReservation(r.id);
      setR(x.reservation);
      setAsking(false);
    } catch (e) {
      const err = e as ApiError;
      setCancelError(err.code === 'NOT_CANCELLABLE' ? t('my.notCancellable') : err.message);
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" style={{ maxWidth: 720, margin: '0 auto' }} data-testid="reservation-detail">
      <div className="row">
        <h1 className="grow" style={{ margin: 0 }}>
          {r.code}
        </h1>
        <StatusBadge status={r.status} label={t(`reservation.status.${r.status}` as StringKey)} />
      </div>
      <ReservationSummary reservation={r} />
      {r.payment && (
        <p className="muted">
          {t('my.payment', { method: methodName(lang, r.payment.method), status: paymentStatusName(lang, r.payment.status) })}
        </p>
      )}
      {r.status !== 'pending' && r.status !== 'expired' && <TicketList reservationId={r.id} />}
      {r.status === 'confirmed' && <PdfTicketsButton reservation={r} />}
      {cancelError && (
        <div className="notice bad" role="alert">
          {cancelError}
        </div>
      )}
      <div className="row" style={{ marginTop: '1rem' }}>
        {r.status === 'pending' && (
          <button className="btn" onClick={() => navigate(`/checkout/${r.id}`)}>
            {t('checkout.pay')}
          </button>
        )}
        {cancellable && (
          <button className="btn danger" onClick={() => setAsking(true)} data-testid="cancel-reservation">
            {t('my.cancel')}
          </button>
        )}
        <Link to="/my">{t('common.back')}</Link>
      </div>
      {asking && (
        <ConfirmDialog
          title={t('my.cancelTitle')}
          body={r.status === 'confirmed' ? t('my.cancelRefund') : t('my.cancelHold')}
          confirmLabel={t('my.cancelConfirm')}
          cancelLabel={t('common.keep')}
          danger
          busy={busy}
          onConfirm={cancel}
          onCancel={() => setAsking(false)}
        />
      )}
    </section>
  );
}
