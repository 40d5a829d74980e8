import type { Reservation } from '../api/models';
import { useI18n } from '../i18n/I18n';
import { formatKrw } from '../lib/format';
import { formatEventTime } from '../lib/time';

export function itemLabel(item: Reservation['items'][number], t: ReturnType<typeof useI18n>['t']): string {
  if (item.section != null && item.row != null && item.number != null) {
    return t('seats.short', { section: item.section, row: item.row, number: item.number });
  }
  return `${item.ticketTypeName ?? ''} × ${item.quantity}`;
}

export function ReservationSummary({ reservation }: { reservation: Reservation }) {
  const { t, lang } = useI18n();
  return (
    <div>
      <h2 style={{ marginBottom: '0.2rem' }}>{reservation.event.title}</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        {reservation.event.venue} · {formatEventTime(reservation.event.startsAt, reservation.event.timezone, lang)}
      </p>
      <ul data-testid="reservation-items">
        {reservation.items.map((it, i) => (
          <li key={it.seatId ?? it.ticketTypeId ?? i}>
            {itemLabel(it, t)} · {formatKrw(it.unitPrice * it.quantity, lang)}
          </li>
        ))}
      </ul>
      <p>
        <strong>
          {t('common.total')}: {formatKrw(reservation.totalAmount, lang)}
        </strong>
      </p>
    </div>
  );
}
