// Reservation throughput: many fans reserving distinct seats through the queue pipeline.
// Each VU is one fan with its own slice of seats across every on-sale seated event; it
// reserves one seat, then cancels the hold (a fan abandoning checkout) so it may hold
// again and the data set stays reusable. Successful reservations/s is the headline.
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { loadFans, onSaleSeatedEvents, seatMap, reserve, cancel } from './lib.js';

const VUS = parseInt(__ENV.VUS || '64', 10);
const DURATION = __ENV.DURATION || '20s';
const fans = loadFans();
const reserved = new Counter('reservations_ok');
const rejected = new Counter('reservations_rejected');
const reserveTime = new Trend('reserve_duration', true);

export const options = {
  scenarios: {
    throughput: { executor: 'constant-vus', vus: VUS, duration: DURATION },
  },
  thresholds: {
    reservations_rejected: ['count==0'],
    checks: ['rate>0.999'],
  },
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

export function setup() {
  const seats = [];
  for (const e of onSaleSeatedEvents()) {
    for (const s of seatMap(e.id).seats) {
      if (s.status === 'available') seats.push([e.id, s.id]);
    }
  }
  if (seats.length < VUS * 10) throw new Error(`only ${seats.length} free seats`);
  return { seats };
}

export default function (data) {
  const vu = exec.vu.idInTest - 1;
  const fan = fans[vu % fans.length];
  // Seats vu, vu + VUS, vu + 2·VUS, …: no two VUs ever want the same seat.
  const slot = vu + VUS * (exec.vu.iterationInScenario % Math.floor(data.seats.length / VUS));
  const [eventId, seatId] = data.seats[slot];
  const res = reserve(fan.token, eventId, [seatId]);
  reserveTime.add(res.timings.duration);
  const ok = check(res, { 'reserved (201)': (r) => r.status === 201 });
  if (ok) {
    reserved.add(1);
    check(cancel(fan.token, res.json().reservation.id), { 'cancelled (200)': (r) => r.status === 200 });
  } else {
    rejected.add(1);
  }
}
