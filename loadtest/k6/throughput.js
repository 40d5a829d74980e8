// Reservation throughput: many fans reserving distinct seats through the queue pipeline.
// Seat i (over every free seat of every on-sale seated event, in order) goes to fan
// i mod FANS; VU k takes seats k, k+VUS, k+2·VUS, … so no two requests ever want the same
// seat and no fan asks twice for one event (that would need VUS·Δ ≡ 0 mod FANS within one
// event's seats). Every request should succeed; the rate of 201s is the headline.
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
  return { seats: freeSeats([CONTENTION_EVENT]) };
}

export default function (data) {
  const i = exec.vu.idInTest - 1 + VUS * exec.vu.iterationInScenario;
  if (i >= data.seats.length) {
    exec.test.abort('every free seat is reserved; raise the seed, lower DURATION or wait HOLD_SECONDS');
  }
  const [eventId, seatId] = data.seats[i];
  const fan = fans[i % fans.length];
  const res = reserve(fan.token, eventId, [seatId]);
  reserveTime.add(res.timings.duration);
  if (check(res, { 'reserved (201)': (r) => r.status === 201 })) {
    reserved.add(1);
  } else {
    rejected.add(1);
  }
}
