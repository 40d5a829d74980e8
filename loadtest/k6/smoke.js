// A short run of every path at once, for `make test` (suites k6smoke, observability,
// scaleout): reads, distinct-seat reservations, a race for one seat, WebSocket
// subscribers watching the seats change and, where the build has it, fans passing through
// the waiting room. Correctness only: every answer is one the API
// promises, exactly one fan wins the contested seat; the runner audits the database
// afterwards. No timing is asserted (the machine is shared; see loadtest/README.md).
import http from 'k6/http';
import ws from 'k6/ws';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { BASE_URL, SMALL_THEATER, STADIUM, TREND_STATS, authHeaders, loadFans, routeMissing, freeSeats, seatMap, reserve, getStatusOnly } from './lib.js';

const DURATION = __ENV.DURATION || '10s';
const seconds = parseInt(DURATION, 10);
const READERS = parseInt(__ENV.READERS || '8', 10);
const RESERVERS = parseInt(__ENV.RESERVERS || '16', 10);
const RACERS = parseInt(__ENV.RACERS || '20', 10);
const QUEUERS = parseInt(__ENV.QUEUERS || '8', 10);
const fans = loadFans();

const reserved = new Counter('reservations_ok');
const lost = new Counter('reservations_lost');
const unexpected = new Counter('reservations_unexpected');
const raceWon = new Counter('race_won');
const wsMessages = new Counter('ws_seat_events');
const queueAdmitted = new Counter('queue_admitted');

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

export const options = {
  scenarios: {
    reads: { executor: 'constant-vus', exec: 'reads', vus: READERS, duration: DURATION },
    reserves: { executor: 'constant-vus', exec: 'reserves', vus: RESERVERS, duration: DURATION },
    race: { executor: 'per-vu-iterations', exec: 'race', vus: RACERS, iterations: 1, startTime: '1s', maxDuration: '30s' },
    watchers: { executor: 'per-vu-iterations', exec: 'watch', vus: 4, iterations: 1, maxDuration: `${seconds + 20}s` },
    queue: { executor: 'per-vu-iterations', exec: 'queue', vus: QUEUERS, iterations: 1, maxDuration: `${seconds + 20}s` },
  },
  thresholds: {
    checks: ['rate==1'],
    race_won: ['count==1'],
    reservations_unexpected: ['count==0'],
    // Seat changes reach WebSocket subscribers (through the load balancer in `scaleout`).
    ws_seat_events: ['count>0'],
    'http_req_duration{name:reserve}': ['max>=0'],
  },
  summaryTrendStats: TREND_STATS,
  setupTimeout: '120s',
};

export function setup() {
  const seats = freeSeats([SMALL_THEATER], true);
  const race = seatMap(SMALL_THEATER).seats.find((s) => s.status === 'available');
  if (!race) throw new Error('no free seat on the contention event');
  // Fans of the race and the queue come from the end of the list, the reservers' from the start.
  return { seats, raceSeat: race.id, eventId: seats.length ? seats[0][0] : STADIUM, queueEvent: queueEvent() };
}

// The on-sale with the waiting room, if this build has one (/api/queue/...): null, with a
// warning, when the routes are missing, so that the rest still runs.
function queueEvent() {
  const res = http.get(`${BASE_URL}/api/events?status=on_sale&limit=100`, { tags: { name: 'event_list' } });
  const event = res.json().events.find((e) => e.queue && e.queue.enabled);
  if (!event) {
    console.warn('no on-sale event uses the waiting room; the queue scenario does nothing');
    return null;
  }
  const probe = http.get(`${BASE_URL}/api/queue/${event.id}/status`, {
    headers: authHeaders(fans[fans.length - 1 - RACERS].token),
    tags: { name: 'queue_status' },
    responseCallback: http.expectedStatuses(200, 404, 405),
  });
  if (routeMissing(probe)) {
    console.warn('no waiting room in this build (/api/queue routes missing); the queue scenario does nothing');
    return null;
  }
  return event.id;
}

export function reads() {
  const a = getStatusOnly(`/api/events/${STADIUM}`, 'event_detail');
  const b = getStatusOnly(`/api/seats/events/${STADIUM}`, 'seat_map', { 'Accept-Encoding': 'gzip' });
  const c = getStatusOnly('/api/events?status=on_sale', 'event_list');
  check([a, b, c], { 'reads 200': (rs) => rs.every((r) => r.status === 200) });
}

export function reserves(data) {
  // Unique across the scenario's VUs (VU ids are shared by every scenario of the test).
  const i = exec.scenario.iterationInTest;
  if (i >= data.seats.length) {
    sleep(1);
    return;
  }
  const [eventId, seatId, n] = data.seats[i];
  // The last RACERS + QUEUERS fans are the race's and the waiting room's.
  const res = reserve(fans[n % (fans.length - RACERS - QUEUERS)].token, eventId, [seatId]);
  // Distinct seats, distinct fans: only a seat someone else took since setup may lose.
  if (res.status === 201) reserved.add(1);
  else if (res.status === 409) lost.add(1);
  else unexpected.add(1);
  check(res, { 'reserve answered 201 or 409': (r) => r.status === 201 || r.status === 409 });
  sleep(0.05);
}

export function race(data) {
  const fan = fans[fans.length - 1 - exec.scenario.iterationInTest];
  const res = reserve(fan.token, SMALL_THEATER, [data.raceSeat], { race: 'yes' });
  if (res.status === 201) raceWon.add(1);
  else if (res.status !== 409) unexpected.add(1);
  check(res, { 'race answered 201 or 409': (r) => r.status === 201 || r.status === 409 });
}

// A few fans join the waiting room, wait until admitted, then leave (freeing their slot).
export function queue(data) {
  if (!data.queueEvent) return;
  const fan = fans[fans.length - 1 - RACERS - exec.scenario.iterationInTest];
  const url = `${BASE_URL}/api/queue/${data.queueEvent}`;
  let res = http.post(`${url}/join`, null, { headers: authHeaders(fan.token), tags: { name: 'queue_join' } });
  check(res, { 'queue join 200': (r) => r.status === 200 });
  const until = Date.now() + (seconds + 10) * 1000;
  while (res.status === 200 && res.json().status !== 'admitted' && Date.now() < until) {
    sleep(1);
    res = http.get(`${url}/status`, { headers: authHeaders(fan.token), tags: { name: 'queue_status' } });
    check(res, { 'queue status 200': (r) => r.status === 200 });
  }
  if (res.status === 200 && res.json().status === 'admitted') queueAdmitted.add(1);
  const left = http.del(url, null, { headers: authHeaders(fan.token), tags: { name: 'queue_leave' } });
  check(left, { 'queue leave 204': (r) => r.status === 204 });
}

export function watch(data) {
  const url = `${BASE_URL.replace(/^http/, 'ws')}/ws`;
  const res = ws.connect(url, { tags: { name: 'ws' } }, (socket) => {
    socket.on('open', () => socket.send(JSON.stringify({ op: 'subscribe', topic: `seats:${data.eventId}` })));
    socket.on('message', (text) => {
      // Seat deltas only, not acknowledgements or pongs.
      const msg = JSON.parse(text);
      if (typeof msg.event === 'string' && msg.event.startsWith('seat-')) wsMessages.add(1);
    });
    socket.setTimeout(() => socket.close(), (seconds + 2) * 1000);
  });
  check(res, { 'websocket upgraded (101)': (r) => r && r.status === 101 });
}
