// The on-sale spike through the waiting room: FANS fans arrive within ARRIVAL seconds at
// the seeded stadium on-sale that uses the queue, join, poll their status (the heartbeat)
// until admitted, reserve one seat with the admission token and pay for it. The runner
// audits the database afterwards (no seat sold twice, every confirmed reservation paid
// exactly once); the report shows how long fans waited and whether admission followed
// the ticket order (queue_admitted_ticket samples: ticket number, observed at admission).
// Contract: /work/notes/contracts.md "Waiting room".
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { BASE_URL, TREND_STATS, authHeaders, loadFans, routeMissing, seatMap, reserve } from './lib.js';

const FANS = parseInt(__ENV.FANS || '1000', 10);
const ARRIVAL = parseFloat(__ENV.ARRIVAL || '10'); // seconds over which fans arrive
const POLL = parseFloat(__ENV.POLL || '0'); // seconds between status polls; 0: as the server says (pollAfterSeconds)
const MAX_WAIT = parseFloat(__ENV.MAX_WAIT || '240'); // a fan gives up after this
// With MAX_ACTIVE set, the event's queue switches to max_active; otherwise it keeps its own
// settings (the seeded stadium admits 100 fans a second).
const MAX_ACTIVE = parseInt(__ENV.MAX_ACTIVE || '0', 10);
const fans = loadFans();

const admitted = new Counter('queue_admitted');
const gaveUp = new Counter('queue_gave_up');
const queueErrors = new Counter('queue_errors');
const reserved = new Counter('reservations_ok');
const lost = new Counter('reservations_lost');
const unexpected = new Counter('reservations_unexpected');
const paid = new Counter('payments_ok');
const payFailed = new Counter('payments_failed');
const rateLimited = new Counter('queue_rate_limited');
const wait = new Trend('queue_wait', true);
const admittedTicket = new Trend('queue_admitted_ticket');

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409, 429));

export const options = {
  scenarios: {
    spike: {
      executor: 'per-vu-iterations',
      vus: Math.min(FANS, fans.length),
      iterations: 1,
      maxDuration: `${Math.ceil(ARRIVAL + MAX_WAIT + 60)}s`,
    },
  },
  thresholds: {
    reservations_unexpected: ['count==0'],
    queue_errors: ['count==0'],
    'http_req_duration{name:queue_join}': ['max>=0'],
    'http_req_duration{name:queue_status}': ['max>=0'],
    'http_req_duration{name:reserve}': ['max>=0'],
  },
  summaryTrendStats: TREND_STATS,
  setupTimeout: '120s',
};

function queueEvent() {
  const res = http.get(`${BASE_URL}/api/events?status=on_sale&limit=100`, { tags: { name: 'event_list' } });
  const e = res.json().events.find((e) => e.seating === 'reserved' && e.queue && e.queue.enabled);
  if (!e) throw new Error('no on-sale seated event with the waiting room enabled (is the seed loaded?)');
  return e;
}

// Admission fast enough for a load test: at most MAX_ACTIVE shoppers inside at once, a slot
// freed by every payment. Needs the admin API; without it the event keeps its own settings.
function tuneQueue(event) {
  const login = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ email: 'admin@tiketi.gg', password: 'admin123' }), {
    headers: { 'Content-Type': 'application/json' },
    tags: { name: 'login' },
  });
  if (login.status !== 200) {
    console.warn(`admin login answered ${login.status}; keeping the event's queue settings`);
    return;
  }
  const queue = Object.assign({}, event.queue, { enabled: true, strategy: 'max_active', maxActive: MAX_ACTIVE, windowSeconds: 300 });
  const res = http.put(`${BASE_URL}/api/admin/events/${event.id}`, JSON.stringify({ queue }), {
    headers: authHeaders(login.json().token),
    tags: { name: 'admin' },
  });
  if (res.status !== 200) {
    console.warn(`PUT /api/admin/events/${event.id} answered ${res.status}; keeping the event's queue settings`);
  }
}

export function setup() {
  const event = queueEvent();
  // Is the waiting room there at all? The event exists, so a 404/405 means the route does not.
  const probe = http.post(`${BASE_URL}/api/queue/${event.id}/join`, null, {
    headers: authHeaders(fans[0].token),
    tags: { name: 'queue_join' },
  });
  if (routeMissing(probe)) {
    exec.test.abort(`WAITING ROOM MISSING: POST /api/queue/${event.id}/join answered ${probe.status}; this build has no /api/queue endpoints`);
  }
  if (MAX_ACTIVE > 0) tuneQueue(event);
  const seats = seatMap(event.id)
    .seats.filter((s) => s.status === 'available')
    .map((s) => s.id);
  if (seats.length === 0) throw new Error(`no free seat left on ${event.id}`);
  return { eventId: event.id, seats };
}

// One waiting-room call; a 429 (rate limited) is obeyed: wait Retry-After, ask again.
function queueCall(method, url, token, name) {
  for (;;) {
    const res = http.request(method, url, null, { headers: authHeaders(token), tags: { name } });
    if (res.status !== 429) return res;
    rateLimited.add(1);
    sleep(parseFloat(res.headers['Retry-After'] || '1'));
  }
}

function status(token, eventId) {
  return queueCall('GET', `${BASE_URL}/api/queue/${eventId}/status`, token, 'queue_status');
}

export default function (data) {
  const fan = fans[exec.vu.idInTest - 1];
  sleep(Math.random() * ARRIVAL);
  const joined = queueCall('POST', `${BASE_URL}/api/queue/${data.eventId}/join`, fan.token, 'queue_join');
  if (!check(joined, { 'joined (200)': (r) => r.status === 200 })) {
    queueErrors.add(1);
    return;
  }
  const start = Date.now();
  let place = joined.json();
  while (place.status !== 'admitted') {
    if (place.status === 'expired' || (Date.now() - start) / 1000 > MAX_WAIT) {
      gaveUp.add(1);
      return;
    }
    sleep(POLL > 0 ? POLL : place.pollAfterSeconds || 2);
    const res = status(fan.token, data.eventId);
    if (res.status !== 200) {
      queueErrors.add(1);
      return;
    }
    place = res.json();
  }
  admitted.add(1);
  wait.add(Date.now() - start);
  admittedTicket.add(place.ticket);

  const token = { 'X-Admission-Token': place.admissionToken };
  // Like a fan: try the seat picked for this ticket; when someone was faster, pick another.
  let seatId = data.seats[(place.ticket - 1) % data.seats.length];
  let res;
  for (let attempt = 0; ; attempt++) {
    res = reserve(fan.token, data.eventId, [seatId], {}, token);
    check(res, { 'reserve answered 201 or 409': (r) => r.status === 201 || r.status === 409 });
    if (res.status !== 409) break;
    lost.add(1);
    // Another seat from the map fetched at the start (20,000 VUs each parsing the live
    // 4,900-seat map would measure k6's memory, not Tiketi); after a few misses, give the
    // slot back so the next fan can shop.
    if (attempt >= 3) {
      http.del(`${BASE_URL}/api/queue/${data.eventId}`, null, { headers: authHeaders(fan.token), tags: { name: 'queue_leave' } });
      return;
    }
    seatId = data.seats[Math.floor(Math.random() * data.seats.length)];
  }
  if (res.status !== 201) {
    unexpected.add(1);
    return;
  }
  reserved.add(1);
  const pay = http.post(
    `${BASE_URL}/api/payments/process`,
    JSON.stringify({ reservationId: res.json().reservation.id, paymentMethod: 'kakao_pay' }),
    { headers: authHeaders(fan.token, Object.assign({ 'Idempotency-Key': `spike-${fan.id}-${place.ticket}` }, token)), tags: { name: 'pay' } },
  );
  if (check(pay, { 'paid (2xx)': (r) => r.status >= 200 && r.status < 300 })) paid.add(1);
  else payFailed.add(1);
}
