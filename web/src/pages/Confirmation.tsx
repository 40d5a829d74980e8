import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';

import { api, ApiError } from '../api/client';
import type { Reservation } from '../api/models';
import { ErrorNotice, Loading } from '../components/common';
import { PdfTicketsButton, TicketList } from '../gate/Tickets';
import { ReservationSummary } from '../components/ReservationSummary';
import { useI18n } from '../i18n/I18n';

export default function Confirmation() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [reservation, setReservation] = useState<Reservation | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api.reservation(id).then(({ reservation: r }) => setReservation(r), setError);
  }, [id]);
  if (error) return <ErrorNotice error={error} />;
  if (!reservation) return <Loading />;
  return (
    <section className="card" style={{ maxWidth: 640, margin: '0 auto' }} data-testid="confirmation">
      <div className="notice good" role="status">
        {t('confirm.done')}
      </div>
      <h1>{t('confirm.title')}</h1>
      <p>
        {t('confirm.code')}: <strong data-testid="reservation-code">{reservation.code}</strong>
      </p>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="grow">
          <ReservationSummary reservation={reservation} />
        </div>
      </div>
      <TicketList reservationId={reservation.id} />
      <div className="row">
        {reservation.status === 'confirmed' && <PdfTicketsButton reservation={reservation} />}
        <Link to="/my" className="btn secondary">
          {t('nav.my')}
        </Link>
      </div>
    </section>
  );
}
