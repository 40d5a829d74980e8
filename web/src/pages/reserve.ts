// Turns a reserve answer into the reservation: 201 is immediate; 202 is polled until the
// worker has decided (the `reservation-result` message only shortens the wait).
import { api, ApiError, type ReserveAnswer } from '../api/client';
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
      throw new ApiError(409, outcome.error.code, outcome.error.message, {}, (outcome.error.details ?? {}) as Record<string, unknown>);
    }
  }
  throw new ApiError(0, 'TIMEOUT', 'no decision yet');
}
