// Turns a reserve answer into the reservation: 201 is immediate; 202 is polled until the
// worker has decided (the `reservation-result` message only shortens the wait).
import { api, ApiError, storedLang, type ReserveAnswer } from '../api/client';
import { codeText } from '../i18n/errors';
import type { Reservation } from '../api/models';

export async function awaitDecision(answer: ReserveAnswer, timeoutMs = 30_000): Promise<Reservation> {
  if (answer.kind === 'reserved') return answer.reservation;
  const deadline = Date.now() + timeoutMs;
  let delay = 300;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 2000);
    const outcome = await api.requestOutcome(answer.requestId);
    if (outcome.status === 'reserved') return outcome.reservation;
    if (outcome.status === 'rejected') {
      const { code, message, details } = outcome.error;
      const text = codeText(storedLang(), code, 409);
      throw new ApiError(409, code, text, {}, (details ?? {}) as Record<string, unknown>, undefined, {}, message);
    }
  }
  throw new ApiError(0, 'TIMEOUT', codeText(storedLang(), 'TIMEOUT'), {}, {}, undefined, {}, 'no decision yet');
}

/** A line under the seat map's reserve button. */
export type SeatMessage = { kind: 'bad' | 'warn'; text: string; link?: boolean };

/** What a refused seat reservation means for the seat page: seats another fan took first,
 * a message to show, or a trip back to the waiting room. */
export interface SeatRefusal {
  lost?: string[];
  message?: SeatMessage;
  backToQueue?: boolean;
}

type Translate = (key: 'seats.taken' | 'seats.alreadyHolding' | 'seats.notOnSale', vars?: Record<string, string | number>) => string;

/** One reading of a reserve error for every seat page; `picked` is how many seats were asked for. */
export function seatRefusal(e: unknown, picked: number, t: Translate): SeatRefusal {
  const err = e as ApiError;
  switch (err.code) {
    case 'SEAT_UNAVAILABLE': {
      const lost = (err.details.seatIds as string[] | undefined) ?? [];
      return { lost, message: { kind: 'bad', text: t('seats.taken', { n: lost.length || picked }) } };
    }
    case 'ALREADY_HOLDING':
      return { message: { kind: 'bad', text: t('seats.alreadyHolding'), link: true } };
    case 'QUEUE_TOKEN_REQUIRED':
    case 'QUEUE_TOKEN_INVALID':
      return { backToQueue: true };
    default:
      return { message: { kind: 'bad', text: err.code === 'EVENT_NOT_ON_SALE' ? t('seats.notOnSale') : err.message } };
  }
}
