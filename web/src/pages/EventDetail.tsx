import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { api, ApiError, newIdempotencyKey } from '../api/client';
import type { EventDetail as Detail } from '../api/types';
import { useAuth } from '../auth/Auth';
import { ErrorNotice, Loading, StatusBadge } from '../components/common';
import { Poster } from '../components/Poster';
import { useI18n } from '../i18n/I18n';
import { eventArtist, eventTitle } from '../lib/eventNames';
import type { StringKey } from '../i18n/strings';
import { admissions } from '../lib/admission';
import { formatKrw, formatNumber } from '../lib/format';
import { formatEventTime } from '../lib/time';
import { availabilityDelta, ticketsRemaining } from '../live/availability';
import { useTopic } from '../live/Live';
import { awaitDecision } from './reserve';
import s from './EventDetail.module.css';

export default function EventDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const [orderError, setOrderError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.event(id).then(setDetail, setError);
  }, [id]);
  useEffect(load, [load]);

  useTopic(id ? `seats:${id}` : null, (m) => {
    const d = availabilityDelta(m);
    if (d) setDetail((x) => x && { ...x, availability: { ...x.availability, available: Math.max(0, x.availability.available + d) } });
  });
  useTopic(id ? `event:${id}` : null, (m) => {
    if (m.event === 'ticket-updated' && Array.isArray(m.data.ticketTypes)) {
      const byId = new Map((m.data.ticketTypes as { id: string; remaining: number }[]).map((x) => [x.id, x.remaining]));
      const left = ticketsRemaining(m) ?? 0;
      setDetail(
        (x) =>
          x && {
            ...x,
            ticketTypes: x.ticketTypes.map((tt) => (tt.id && byId.has(tt.id) ? { ...tt, remaining: byId.get(tt.id)! } : tt)),
            availability: { ...x.availability, available: left },
          },
      );
    } else if (m.event === 'event-status' || m.event === 'event-cancelled') {
      load();
    }
  });

  if (error) return <ErrorNotice error={error.status === 404 ? t('event.notFound') : error} />;
  if (!detail) return <Loading />;
  const { event, ticketTypes, availability } = detail;
  const tz = event.timezone;
  const onSale = event.status === 'on_sale';
  const prequeueOpen =
    event.queue.enabled &&
    event.status === 'upcoming' &&
    Date.now() >= Date.parse(event.saleStart) - event.queue.prequeueMinutes * 60_000;
  const needsLogin = (path: string) => {
    if (!user) {
      navigate(`/login?next=${encodeURIComponent(path)}`);
      return true;
    }
    return false;
  };

  const orderGeneral = async () => {
    if (needsLogin(`/events/${id}`)) return;
    const items = Object.entries(qty)
      .filter(([, n]) => n > 0)
      .map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity }));
    if (items.length === 0) return;
    setBusy(true);
    setOrderError(null);
    try {
      const answer = await api.orderTickets(id, items, newIdempotencyKey(), admissions.get(id)?.token);
      const reservation = await awaitDecision(answer);
      navigate(`/checkout/${reservation.id}`);
    } catch (e) {
      const err = e as ApiError;
      setOrderError(err.code === 'SOLD_OUT' ? t('event.soldOutNow') : err.code === 'ALREADY_HOLDING' ? t('seats.alreadyHolding') : err.message);
    } finally {
      setBusy(false);
    }
  };

  const totalQty = Object.values(qty).reduce((a, b) => a + b, 0);

  return (
    <article>
      <div className={s.top}>
        <Poster event={event} className={s.poster} />
        <div>
          <div className="row">
            <StatusBadge status={event.status} label={t(`status.${event.status}` as StringKey)} />
            {event.queue.enabled && <span className="badge">{t('event.queueBadge')}</span>}
          </div>
          <h1 style={{ marginTop: '0.5rem' }}>{eventTitle(event, lang)}</h1>
          <p className="muted">{eventArtist(event, lang)}</p>
          <dl className={s.facts}>
            <dt>{t('event.venue')}</dt>
            <dd>
              {event.venue}
              {event.address && <div className="muted">{event.address}</div>}
            </dd>
            <dt>{t('event.startsAt')}</dt>
            <dd data-testid="starts-at">{formatEventTime(event.startsAt, tz, lang)}</dd>
            <dt>{t('event.sale')}</dt>
            <dd data-testid="sale-window">
              {formatEventTime(event.saleStart, tz, lang)} – {formatEventTime(event.saleEnd, tz, lang)}
            </dd>
            <dt>{t('event.timezone')}</dt>
            <dd>{tz}</dd>
            <dt>{t('event.availability')}</dt>
            <dd data-testid="availability" aria-live="polite">
              {t('home.remaining', { n: formatNumber(availability.available, lang), total: formatNumber(availability.total, lang) })}
            </dd>
          </dl>
          {event.description && <p>{event.description}</p>}

          <h2>{t('event.prices')}</h2>
          <ul className={s.tiers}>
            {ticketTypes.map((tt, i) => (
              <li key={tt.id ?? `${tt.name}-${i}`}>
                <span className="grow">
                  <strong>{tt.name}</strong> · {formatKrw(tt.price, lang)}
                </span>
                <span className="muted">{t('event.tierLeft', { n: formatNumber(tt.remaining, lang) })}</span>
                {event.seating === 'general' && onSale && tt.id && (
                  <select
                    aria-label={t('event.quantityFor', { name: tt.name })}
                    value={qty[tt.id] ?? 0}
                    onChange={(e) => setQty({ ...qty, [tt.id!]: Number(e.target.value) })}
                  >
                    {[0, 1, 2, 3, 4].map((n) => (
                      <option key={n} value={n} disabled={n > tt.remaining}>
                        {n}
                      </option>
                    ))}
                  </select>
                )}
              </li>
            ))}
          </ul>

          {orderError && (
            <div className="notice bad" role="alert">
              {orderError}
            </div>
          )}
          {(onSale || prequeueOpen) && event.queue.enabled ? (
            <button
              className={`btn ${s.cta}`}
              onClick={() => !needsLogin(`/events/${id}/queue`) && navigate(`/events/${id}/queue`)}
              data-testid="join-queue"
            >
              {t('event.joinQueue')}
            </button>
          ) : onSale && event.seating === 'reserved' ? (
            <button className={`btn ${s.cta}`} onClick={() => !needsLogin(`/events/${id}/seats`) && navigate(`/events/${id}/seats`)} data-testid="book">
              {t('event.book')}
            </button>
          ) : onSale ? (
            <button className={`btn ${s.cta}`} onClick={orderGeneral} disabled={busy || totalQty === 0} data-testid="book">
              {t('event.book')}
            </button>
          ) : (
            <p className="muted">{t(`event.closed.${event.status}` as StringKey)}</p>
          )}
          <p>
            <Link to="/">{t('common.backToEvents')}</Link>
          </p>
        </div>
      </div>
    </article>
  );
}
