// Shared helpers for the k6 scenarios. BASE_URL points at the stack (make up);
// TOKENS_FILE is the JSON that `tiketi-api tokens` printed for seeded load-test fans
// (loadtest/run-k6.sh mints it).
import http from 'k6/http';
import { SharedArray } from 'k6/data';

export const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3001';

// Event ids fixed by the development seed.
export const SMALL_THEATER = '5eed0000-0000-4000-8000-000000000001'; // 265 seats, the contention event
export const LARGE_THEATER = '5eed0000-0000-4000-8000-000000000002'; // 1,250 seats
export const STADIUM = '5eed0000-0000-4000-8000-000000000003'; // 4,900 seats

// Trend statistics every scenario reports (report.py reads them from the summary).
export const TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'];

// One copy of the fans for every VU, not one per VU (thousands of VUs in the spike).
let fansCache = null;
export function loadFans() {
  if (fansCache) return fansCache;
  const file = __ENV.TOKENS_FILE;
  if (!file) throw new Error('TOKENS_FILE is required (see loadtest/run-k6.sh)');
  fansCache = new SharedArray('fans', () => JSON.parse(open(file)));
  return fansCache;
}

export function authHeaders(token, extra) {
  return Object.assign({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, extra || {});
}

export function seatMap(eventId) {
  const res = http.get(`${BASE_URL}/api/seats/events/${eventId}`, {
    headers: { 'Accept-Encoding': 'gzip' },
    tags: { name: 'seat_map' },
  });
  if (res.status !== 200) throw new Error(`seat map of ${eventId}: ${res.status}`);
  return res.json();
}

export function onSaleSeatedEvents() {
  const res = http.get(`${BASE_URL}/api/events?status=on_sale&limit=100`, { tags: { name: 'event_list' } });
  return res.json().events.filter((e) => e.seating === 'reserved' && !e.queue.enabled);
}

// Free seats of every on-sale seated event without the waiting room, as [eventId, seatId,
// n] where n numbers the free seats of each event from 0 (give seat n to fan n and no fan
// asks twice for one event: one hold per fan per event), leaving out the events in `skip`:
// event after event (one hot on-sale at a time), or with `interleave` one seat of each
// event in turn (load on every event, so on every command partition and worker at once).
export function freeSeats(skip, interleave) {
  const perEvent = [];
  for (const e of onSaleSeatedEvents().filter((e) => !(skip || []).includes(e.id))) {
    perEvent.push(seatMap(e.id).seats.filter((s) => s.status === 'available').map((s, n) => [e.id, s.id, n]));
  }
  if (!interleave) return [].concat(...perEvent);
  const seats = [];
  for (let i = 0; perEvent.some((list) => i < list.length); i++) {
    for (const list of perEvent) if (i < list.length) seats.push(list[i]);
  }
  return seats;
}

export function reserve(token, eventId, seatIds, tags, headers) {
  return http.post(`${BASE_URL}/api/seats/reserve`, JSON.stringify({ eventId, seatIds }), {
    headers: authHeaders(token, headers),
    tags: Object.assign({ name: 'reserve' }, tags || {}),
  });
}

export function cancel(token, reservationId) {
  return http.post(`${BASE_URL}/api/reservations/${reservationId}/cancel`, null, {
    headers: authHeaders(token),
    tags: { name: 'cancel' },
  });
}

// A read that only needs its status: the body is not kept (the load generator shares the
// machine's two cores with the stack; parsing 4,900-seat maps would measure k6, not us).
export function getStatusOnly(path, name, extraHeaders) {
  return http.get(`${BASE_URL}${path}`, {
    headers: Object.assign({ Accept: 'application/json' }, extraHeaders || {}),
    responseType: 'none',
    tags: { name },
  });
}

// True when the api has no such endpoint at all (as opposed to a 404 about the resource):
// lets a scenario tell "this build has no waiting room" from a real failure.
export function routeMissing(res) {
  if (res.status === 405) return true;
  if (res.status !== 404) return false;
  try {
    return res.json().error.code === 'ROUTE_NOT_FOUND';
  } catch (e) {
    return true; // not our error envelope: nothing of ours answered
  }
}
