// The plan's scenario 2: fans entering seat selection. GET /api/seats/events/:id of the
// 4,900-seat stadium, compressed as a browser asks for it. Target (ARCHITECTURE.md):
// >= 3,000 requests/s; the plan asked for 300 TPS under 200 ms.
import { check } from 'k6';
import { STADIUM, TREND_STATS, getStatusOnly } from './lib.js';

const EVENT_ID = __ENV.EVENT_ID || STADIUM;

export const options = {
  scenarios: {
    seat_map: {
      executor: 'constant-vus',
      vus: parseInt(__ENV.VUS || '64', 10),
      duration: __ENV.DURATION || '20s',
    },
  },
  thresholds: { checks: ['rate==1'], 'http_req_duration{name:seat_map}': ['max>=0'] },
  summaryTrendStats: TREND_STATS,
};

export default function () {
  const res = getStatusOnly(`/api/seats/events/${EVENT_ID}`, 'seat_map', { 'Accept-Encoding': 'gzip, br' });
  check(res, { 'seat map 200': (r) => r.status === 200 });
}
