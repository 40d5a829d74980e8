// Reservation throughput: many fans reserving distinct seats through the queue pipeline.
// Seat i (over every free seat of every on-sale seated event, in order) goes to fan
// i mod FANS; VU k takes seats k, k+VUS, k+2·VUS, … so no two requests ever want the same
// seat and no fan asks twice for one event (that would need VUS·Δ ≡ 0 mod FANS within one
// event's seats). Every request should succeed; the rate of 201s is the headline.
// The holds stay until HOLD_SECONDS (run `HOLD_SECONDS=30 make up` to repeat runs quickly).
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { loadFans, onSaleSeatedEvents, seatMap, reserve } from './lib.js';

const VUS = parseInt(__ENV.VUS || '64', 10);
const DURATION = __ENV.DURATION || '10s';
const fans = loadFans();
// Left alone so the contention scenario always finds a free seat there.
const CONTENTION_EVENT = __ENV.CONTENTION_EVENT_ID || '5eed0000-0000-4000-8000-000000000001';
const reserved = new Counter('reservations_ok');
const rejected = new Counter('reservations_rejected');
const reserveTime = new Trend('reserve_duration', true);

export const options = {
  scenarios: {
    throughput: { executor: 'constant-vus', vus: VUS, duration: DURATION },
  },
  thresholds: {
    reservations_rejected: ['count==0'],
  },
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

export function setup() {
  const seats = [];
  for (const e of onSaleSeatedEvents().filter((e) => e.id !== CONTENTION_EVENT)) {
    for (const s of seatMap(e.id).seats) {
      if (s.status === 'available') seats.push([e.id, s.id]);
    }
  }
  return { seats };
}

export default function (data) {
  const i = exec.vu.idInTest - 1 + VUS * exec.vu.iterationInScenario;
  if (i >= data.seats.length) {
    exec.test.abort('every free seat is reserved; raise the seed or lower DURATION');
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
