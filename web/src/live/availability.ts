// Remaining-seat counts kept live from seat deltas: a lock takes seats from "available",
// a release gives them back, a sale turns held into sold (no change to available).
import type { LiveMessage } from './socket';

export function availabilityDelta(m: LiveMessage): number {
  const ids = Array.isArray(m.data?.seatIds) ? (m.data.seatIds as unknown[]).length : 0;
  switch (m.event) {
    case 'seat-locked':
      return -ids;
    case 'seat-released':
      return ids;
    default:
      return 0;
  }
}

/** Sum of `remaining` in a `ticket-updated` message, or null if it has none. */
export function ticketsRemaining(m: LiveMessage): number | null {
  const types = m.data?.ticketTypes;
  if (!Array.isArray(types)) return null;
  return types.reduce((sum: number, t: { remaining?: number }) => sum + (Number(t.remaining) || 0), 0);
}
