// The plan's scenario 3: 100 fans press "reserve" on the same seat at the same moment.
// Exactly one must win; the other 99 get 409 quickly. The winner cancels afterwards so the
// scenario can be repeated on the same data.
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { SMALL_THEATER, TREND_STATS, loadFans, seatMap, reserve, cancel } from './lib.js';

const FANS = parseInt(__ENV.FANS || '100', 10);
const EVENT_ID = __ENV.EVENT_ID || SMALL_THEATER;
const fans = loadFans();
const won = new Counter('reservations_won');
const lost = new Counter('reservations_lost');
const unexpected = new Counter('reservations_unexpected');

// A lost race is an answer, not an error.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

export const options = {
  scenarios: {
    same_seat: { executor: 'per-vu-iterations', vus: FANS, iterations: 1, maxDuration: '60s' },
  },
  thresholds: {
    reservations_won: ['count==1'],
    reservations_unexpected: ['count==0'],
    'http_req_duration{name:reserve}': ['max>=0'],
  },
  summaryTrendStats: TREND_STATS,
};

export function setup() {
  const map = seatMap(EVENT_ID);
  const seat = map.seats.find((s) => s.status === 'available');
  if (!seat) throw new Error('no available seat left on the contention event');
  // A random block of fans, so reruns do not trip over one-hold-per-fan.
  const start = Math.floor(Math.random() * Math.max(1, fans.length - FANS));
  return { seatId: seat.id, start };
}

export default function (data) {
  const fan = fans[(data.start + exec.vu.idInTest - 1) % fans.length];
  const res = reserve(fan.token, EVENT_ID, [data.seatId]);
  if (res.status === 201) {
    won.add(1);
    // Hold until every other fan has been answered, then free the seat for the next run.
    sleep(5);
    cancel(fan.token, res.json().reservation.id);
  } else if (res.status === 409) {
    lost.add(1);
  } else {
    unexpected.add(1);
  }
  check(res, { 'answered 201 or 409': (r) => r.status === 201 || r.status === 409 });
}
