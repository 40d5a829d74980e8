// The seat-picking rules, apart from rendering: only available seats, at most `max`, and a
// live change that takes a picked seat drops it from the pick (and says so).
import type { SeatStatus } from '../api/models';

export type ToggleResult =
  | { ok: true; selected: string[] }
  | { ok: false; reason: 'unavailable' | 'limit'; selected: string[] };

export function toggleSeat(selected: string[], seatId: string, status: SeatStatus | undefined, max: number): ToggleResult {
  if (selected.includes(seatId)) return { ok: true, selected: selected.filter((id) => id !== seatId) };
  if (status !== 'available') return { ok: false, reason: 'unavailable', selected };
  if (selected.length >= max) return { ok: false, reason: 'limit', selected };
  return { ok: true, selected: [...selected, seatId] };
}

/** Drops picked seats that are no longer available; returns the kept and the lost. */
export function pruneSelection(selected: string[], statusOf: (id: string) => SeatStatus | undefined): { kept: string[]; lost: string[] } {
  const kept: string[] = [];
  const lost: string[] = [];
  for (const id of selected) (statusOf(id) === 'available' ? kept : lost).push(id);
  return { kept, lost };
}

export function selectionTotal(selected: string[], priceOf: (id: string) => number): number {
  return selected.reduce((sum, id) => sum + priceOf(id), 0);
}
