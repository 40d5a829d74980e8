// Reservation throughput: many fans reserving distinct seats through the queue pipeline.
// Iteration i takes free seat i (of every on-sale seated event: event after event, a hot
// on-sale at a time, or with SPREAD=1 one event after the other in turn, which spreads
// the load over every command partition and so over every worker), and the n-th free seat
// of an event goes to fan n: no two requests want the same seat and no fan asks twice
// for one event. Every request should succeed; the rate of 201s is the headline.
// Target (ARCHITECTURE.md): >= 2,000 successful reservations/s with p99 under 250 ms.
// The holds stay until HOLD_SECONDS (`make loadtest` runs the stack with HOLD_SECONDS=30
// so that runs can follow each other).
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { SMALL_THEATER, TREND_STATS, loadFans, freeSeats, reserve } from './lib.js';

const VUS = parseInt(__ENV.VUS || '64', 10);
const DURATION = __ENV.DURATION || '10s';
const fans = loadFans();
// Left alone so the contention scenario always finds a free seat there.
const CONTENTION_EVENT = __ENV.CONTENTION_EVENT_ID || SMALL_THEATER;
const reserved = new Counter('reservations_ok');
const rejected = new Counter('reservations_rejected');
const reserveTime = new Trend('reserve_duration', true);

export const options = {
  scenarios: {
    throughput: { executor: 'constant-vus', vus: VUS, duration: DURATION },
  },
  thresholds: {
    reservations_rejected: ['count==0'],
    'http_req_duration{name:reserve}': ['max>=0'],
  },
  summaryTrendStats: TREND_STATS,
  setupTimeout: '120s',
};

export function setup() {
  return { seats: freeSeats([CONTENTION_EVENT], __ENV.SPREAD === '1') };
}

export default function (data) {
  const i = exec.scenario.iterationInTest;
  if (i >= data.seats.length) {
    exec.test.abort('every free seat is reserved; raise the seed, lower DURATION or wait HOLD_SECONDS');
  }
  const [eventId, seatId, n] = data.seats[i];
  const fan = fans[n % fans.length];
  const res = reserve(fan.token, eventId, [seatId]);
  reserveTime.add(res.timings.duration);
  if (check(res, { 'reserved (201)': (r) => r.status === 201 })) {
    reserved.add(1);
  } else {
    rejected.add(1);
  }
}
