// A short run of every path at once, for `make test` (suites k6smoke, observability,
// scaleout): reads, distinct-seat reservations, a race for one seat and WebSocket
// subscribers watching the seats change. Correctness only: every answer is one the API
// promises, exactly one fan wins the contested seat; the runner audits the database
// afterwards. No timing is asserted (the machine is shared; see loadtest/README.md).
import http from 'k6/http';
import ws from 'k6/ws';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { BASE_URL, SMALL_THEATER, STADIUM, TREND_STATS, loadFans, freeSeats, seatMap, reserve, getStatusOnly } from './lib.js';

const DURATION = __ENV.DURATION || '10s';
const seconds = parseInt(DURATION, 10);
const READERS = parseInt(__ENV.READERS || '8', 10);
const RESERVERS = parseInt(__ENV.RESERVERS || '16', 10);
const RACERS = parseInt(__ENV.RACERS || '20', 10);
const fans = loadFans();

const reserved = new Counter('reservations_ok');
const lost = new Counter('reservations_lost');
const unexpected = new Counter('reservations_unexpected');
const raceWon = new Counter('race_won');
const wsMessages = new Counter('ws_messages');

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

export const options = {
  scenarios: {
    reads: { executor: 'constant-vus', exec: 'reads', vus: READERS, duration: DURATION },
    reserves: { executor: 'constant-vus', exec: 'reserves', vus: RESERVERS, duration: DURATION },
    race: { executor: 'per-vu-iterations', exec: 'race', vus: RACERS, iterations: 1, startTime: '1s', maxDuration: '30s' },
    watchers: { executor: 'per-vu-iterations', exec: 'watch', vus: 4, iterations: 1, maxDuration: `${seconds + 20}s` },
  },
  thresholds: {
    checks: ['rate==1'],
    race_won: ['count==1'],
    reservations_unexpected: ['count==0'],
    'http_req_duration{name:reserve}': ['max>=0'],
  },
  summaryTrendStats: TREND_STATS,
  setupTimeout: '120s',
};

export function setup() {
  const seats = freeSeats([SMALL_THEATER], true);
  const race = seatMap(SMALL_THEATER).seats.find((s) => s.status === 'available');
  if (!race) throw new Error('no free seat on the contention event');
  // Fans of the race come from the end of the list, the reservers' from the start.
  return { seats, raceSeat: race.id, eventId: seats.length ? seats[0][0] : STADIUM };
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
  const [eventId, seatId] = data.seats[i];
  const res = reserve(fans[i % (fans.length - RACERS)].token, eventId, [seatId]);
  // Distinct seats, distinct fans: only a seat someone else took since setup may lose.
  if (res.status === 201) reserved.add(1);
  else if (res.status === 409) lost.add(1);
  else unexpected.add(1);
  check(res, { 'reserve answered 201 or 409': (r) => r.status === 201 || r.status === 409 });
  sleep(0.05);
}

export function race(data) {
  const fan = fans[fans.length - exec.vu.idInTest];
  const res = reserve(fan.token, SMALL_THEATER, [data.raceSeat], { race: 'yes' });
  if (res.status === 201) raceWon.add(1);
  else if (res.status !== 409) unexpected.add(1);
  check(res, { 'race answered 201 or 409': (r) => r.status === 201 || r.status === 409 });
}

export function watch(data) {
  const url = `${BASE_URL.replace(/^http/, 'ws')}/ws`;
  const res = ws.connect(url, { tags: { name: 'ws' } }, (socket) => {
    socket.on('open', () => socket.send(JSON.stringify({ op: 'subscribe', topic: `seats:${data.eventId}` })));
    socket.on('message', () => wsMessages.add(1));
    socket.setTimeout(() => socket.close(), (seconds + 2) * 1000);
  });
  check(res, { 'websocket upgraded (101)': (r) => r && r.status === 101 });
}
