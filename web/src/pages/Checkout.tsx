import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { api, ApiError, newIdempotencyKey } from '../api/client';
import type { MethodView, Reservation } from '../api/models';
import { Countdown, ErrorNotice, Loading } from '../components/common';
import { ReservationSummary } from '../components/ReservationSummary';
import { useI18n } from '../i18n/I18n';
import { admissions } from '../lib/admission';
import { useTopic } from '../live/Live';

export default function Checkout() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [reservation, setReservation] = useState<Reservation | null>(null);
  const [methods, setMethods] = useState<MethodView[]>([]);
  const [method, setMethod] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [busy, setBusy] = useState(false);
  // One key per attempt and method: a retry after a lost answer reuses it, so the
  // payment happens once; a declined attempt starts a new one.
  const keys = useRef(new Map<string, string>());

  useEffect(() => {
    api.reservation(id).then(({ reservation: r }) => {
      setReservation(r);
      if (r.status === 'confirmed') navigate(`/reservations/${r.id}/confirmation`, { replace: true });
      if (r.status === 'expired') setExpired(true);
    }, setError);
    api.paymentMethods().then(({ methods: m }) => {
      setMethods(m);
      setMethod((cur) => cur || m[0]?.id || '');
    }, setError);
  }, [id, navigate]);

  const onExpire = useCallback(() => setExpired(true), []);

  useTopic('user', (m) => {
    if (m.data.reservationId !== id) return;
    if (m.event === 'hold-expired') setExpired(true);
  });

  const pay = async () => {
    if (!reservation || !method) return;
    let key = keys.current.get(method);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(method, key);
    }
    setBusy(true);
    setProblem(null);
    try {
      const { reservation: r } = await api.pay(reservation.id, method, key, admissions.get(reservation.event.id)?.token);
      admissions.clear(r.event.id);
      navigate(`/reservations/${r.id}/confirmation`, { replace: true });
    } catch (e) {
      const err = e as ApiError;
      if (
        ['RESERVATION_NOT_PAYABLE', 'RESERVATION_ALREADY_PAID', 'RESERVATION_CANCELLED', 'RESERVATION_EXPIRED'].includes(
          err.code,
        )
      ) {
        const st = err.details.status;
        if (st === 'confirmed') navigate(`/reservations/${reservation.id}/confirmation`, { replace: true });
        else if (st === 'expired') setExpired(true);
        else setProblem(t('checkout.notPayable'));
      } else if (err.code === 'PAYMENT_DECLINED') {
        keys.current.delete(method);
        setProblem(t('checkout.declined'));
      } else if (err.code === 'NETWORK' || err.status >= 500) {
        setProblem(t('checkout.retry'));
      } else {
        keys.current.delete(method);
        setProblem(err.message);
      }
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorNotice error={error.status === 404 ? t('reservation.notFound') : error} />;
  if (!reservation) return <Loading />;
  const cancelled = reservation.status === 'cancelled';

  return (
    <section className="card" style={{ maxWidth: 640, margin: '0 auto' }}>
      <h1>{t('checkout.title')}</h1>
      {expired || cancelled ? (
        <div className="notice bad" role="alert" data-testid="hold-expired">
          {cancelled ? t('checkout.cancelled') : t('checkout.expired')}{' '}
          <Link to={`/events/${reservation.event.id}`}>{t('checkout.pickAgain')}</Link>
        </div>
      ) : (
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <span>{t('checkout.holdLeft')}</span>
          <Countdown expiresAt={reservation.expiresAt} onExpire={onExpire} label={t('checkout.holdLeft')} />
        </div>
      )}
      <ReservationSummary reservation={reservation} />
      <fieldset style={{ border: '1px solid var(--line)', borderRadius: 8, marginBottom: '1rem' }} disabled={expired || cancelled}>
        <legend>{t('checkout.method')}</legend>
        {methods.map((m) => (
          <label key={m.id} style={{ display: 'flex', gap: '0.5rem', padding: '0.3rem 0' }}>
            <input type="radio" name="method" value={m.id} checked={method === m.id} onChange={() => setMethod(m.id)} />
            {lang === 'ko' ? m.name : m.nameEn}
          </label>
        ))}
      </fieldset>
      {problem && (
        <div className="notice bad" role="alert" data-testid="pay-problem">
          {problem}
        </div>
      )}
      <div className="row">
        <button className="btn" onClick={pay} disabled={busy || expired || cancelled || !method} data-testid="pay">
          {busy ? t('checkout.paying') : t('checkout.pay')}
        </button>
        <Link to={`/my/${reservation.id}`}>{t('checkout.later')}</Link>
      </div>
    </section>
  );
}
