// A reservation's signed tickets as QR codes (confirmation page and "My bookings"), and
// the button that downloads them as one PDF.
import { useEffect, useState } from 'react';

import { tokenStore } from '../api/client';
import { QrCode } from '../components/common';
import { useI18n } from '../i18n/I18n';
import { checkinApi, type IssuedTicket } from './api';
import { downloadTicketsPdf, saveInBrowser } from './pdf';

/** "PDF tickets" for a confirmed reservation. */
export function PdfTicketsButton({ reservation }: { reservation: { id: string; code: string } }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await downloadTicketsPdf(reservation, { fetch: window.fetch.bind(window), token: tokenStore.get(), save: saveInBrowser });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row" style={{ gap: 8, display: 'inline-flex' }}>
      <button type="button" className="btn secondary" disabled={busy} onClick={() => void download()} data-testid="pdf-tickets">
        {t('tickets.pdf')}
      </button>
      {failed && (
        <span role="alert" className="notice bad">
          {t('tickets.pdfFailed')}
        </span>
      )}
    </span>
  );
}

export function TicketList({ reservationId }: { reservationId: string }) {
  const { t } = useI18n();
  const [tickets, setTickets] = useState<IssuedTicket[] | null>(null);
  useEffect(() => {
    checkinApi.tickets(reservationId).then(({ tickets: list }) => setTickets(list), () => setTickets([]));
  }, [reservationId]);
  if (!tickets) return null;
  if (tickets.length === 0) return <p className="muted">{t('tickets.none')}</p>;
  return (
    <div data-testid="tickets">
      <h2>{t('tickets.title')}</h2>
      <div className="row" style={{ flexWrap: 'wrap', gap: '1rem' }}>
        {tickets.map((ticket, n) => {
          const label = ticket.seat
            ? t('gate.seat', { section: ticket.seat.section, row: ticket.seat.row, number: ticket.seat.number })
            : t('tickets.general', { type: ticket.ticketType ?? '', n: n + 1 });
          return (
            <div key={ticket.id} className="card" style={{ textAlign: 'center' }} data-testid="ticket">
              <QrCode text={ticket.code} label={t('tickets.qr', { seat: label })} />
              <div>{label}</div>
              {ticket.revoked && <span className="badge cancelled">{t('tickets.revoked')}</span>}
              {ticket.admittedAt && <span className="badge">{t('tickets.admitted')}</span>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
