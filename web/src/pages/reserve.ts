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
