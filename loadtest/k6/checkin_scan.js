// Gate scans per second at POST /api/checkin/scan against a running stack. Every VU is a
// gate scanning the event's ticket codes in turn: the first scan of each ticket admits it,
// every later one is a duplicate (the heavier path: the insert loses, then the winner is
// read), which is what a busy entrance sees once the queue of fans repeats tickets.
//
//   EVENT_ID=<event> GATE_TOKENS_FILE=gates.json CODES_FILE=codes.json \
//     k6 run loadtest/k6/checkin_scan.js
//
// gates.json: ["<bearer token of a gate account of the event>", ...] (or admin tokens with
// GATE set); codes.json: ["T1....", ...], e.g. from GET /api/reservations/{id}/tickets.
// The in-process equivalent without a stack: `cargo nextest run -p tiketi-api --test
// checkin --run-ignored only scan_throughput` (prints scans/s).
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { Counter } from 'k6/metrics';
import { BASE_URL, TREND_STATS, authHeaders } from './lib.js';

const EVENT_ID = __ENV.EVENT_ID;
const GATE = __ENV.GATE || undefined;
const gates = new SharedArray('gates', () => JSON.parse(open(__ENV.GATE_TOKENS_FILE)));
const codes = new SharedArray('codes', () => JSON.parse(open(__ENV.CODES_FILE)));
const results = {
  admitted: new Counter('scans_admitted'),
  duplicate: new Counter('scans_duplicate'),
  invalid: new Counter('scans_invalid'),
  revoked: new Counter('scans_revoked'),
};

export const options = {
  scenarios: {
    gates: {
      executor: 'constant-vus',
      vus: parseInt(__ENV.VUS || '16', 10),
      duration: __ENV.DURATION || '30s',
    },
  },
  thresholds: { scans_invalid: ['count==0'], http_req_failed: ['rate==0'] },
  summaryTrendStats: TREND_STATS,
};

export default function () {
  const token = gates[(exec.vu.idInTest - 1) % gates.length];
  const code = codes[exec.scenario.iterationInTest % codes.length];
  const res = http.post(`${BASE_URL}/api/checkin/scan`, JSON.stringify({ eventId: EVENT_ID, code, gate: GATE }), {
    headers: authHeaders(token),
    tags: { name: 'checkin_scan' },
  });
  check(res, { 'answered 200': (r) => r.status === 200 });
  if (res.status === 200) results[res.json().result]?.add(1);
}
