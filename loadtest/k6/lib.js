// Shared helpers for the k6 scenarios. BASE_URL points at the stack (make up);
// TOKENS_FILE is the JSON that `tiketi-api tokens` printed for seeded load-test fans.
import http from 'k6/http';

export const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3001';

export function loadFans() {
  const file = __ENV.TOKENS_FILE;
  if (!file) throw new Error('TOKENS_FILE is required (see loadtest/run-k6.sh)');
  return JSON.parse(open(file));
}

export function authHeaders(token, extra) {
  return Object.assign({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, extra || {});
}

export function seatMap(eventId) {
  const res = http.get(`${BASE_URL}/api/seats/events/${eventId}`, { headers: { 'Accept-Encoding': 'gzip' } });
  if (res.status !== 200) throw new Error(`seat map of ${eventId}: ${res.status}`);
  return res.json();
}

export function onSaleSeatedEvents() {
  const res = http.get(`${BASE_URL}/api/events?status=on_sale&limit=100`);
  return res.json().events.filter((e) => e.seating === 'reserved' && !e.queue.enabled);
}

export function reserve(token, eventId, seatIds, tags) {
  return http.post(`${BASE_URL}/api/seats/reserve`, JSON.stringify({ eventId, seatIds }), {
    headers: authHeaders(token),
    tags: Object.assign({ name: 'reserve' }, tags || {}),
  });
}

export function cancel(token, reservationId) {
  return http.post(`${BASE_URL}/api/reservations/${reservationId}/cancel`, null, {
    headers: authHeaders(token),
    tags: { name: 'cancel' },
  });
}
