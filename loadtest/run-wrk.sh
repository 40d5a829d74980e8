#!/usr/bin/env bash
# Read-path benchmark with wrk against a running stack (`make bench-read`
# starts one first if needed): event detail and the seat maps of the three
# seeded venues. Writes loadtest/reports/read-<timestamp>.md and prints it.
#
#   WRK_THREADS (2)  WRK_CONNECTIONS (64)  WRK_DURATION (15s)
#   API_ADDR (127.0.0.1:3001) or BENCH_BASE_URL (http://host:port), loopback only
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$TIKETI_ROOT"

THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
DURATION="${WRK_DURATION:-15s}"
API_ADDR="${API_ADDR:-127.0.0.1:3001}"
BASE_URL="${BENCH_BASE_URL:-http://$(url_host "$API_ADDR")}"
BASE_URL="${BASE_URL%/}"

# Event ids fixed by the development seed.
SMALL_THEATER=5eed0000-0000-4000-8000-000000000001 # 265 seats, on sale
LARGE_THEATER=5eed0000-0000-4000-8000-000000000002 # 1,250 seats
STADIUM=5eed0000-0000-4000-8000-000000000003       # 4,900 seats

# name|wrk script|path
SCENARIOS=(
  "event-detail|event_detail.lua|/api/events/$STADIUM"
  "seat-map-265|seat_map.lua|/api/seats/events/$SMALL_THEATER"
  "seat-map-1250|seat_map.lua|/api/seats/events/$LARGE_THEATER"
  "seat-map-4900|seat_map.lua|/api/seats/events/$STADIUM"
)

# A load test only ever targets this machine.
require_loopback() {
  local hostport="${BASE_URL#*://}" host
  hostport="${hostport%%/*}"
  host="$(addr_host "$hostport")"
  case "$host" in
    127.* | localhost | ::1) ;;
    *) die "BENCH_BASE_URL must point at this machine (127.0.0.0/8, localhost, [::1]); got $BASE_URL" ;;
  esac
}

# summary_field LINE KEY : the value of KEY=value in a SUMMARY line.
summary_field() {
  local kv
  for kv in $1; do
    if [[ "$kv" == "$2="* ]]; then
      printf '%s' "${kv#*=}"
      return 0
    fi
  done
  printf -- '-'
}

main() {
  local stamp report entry name script path status line rows=() failed=0
  require_loopback
  if ! is_uint "$THREADS" || ! is_uint "$CONNECTIONS"; then
    die "WRK_THREADS and WRK_CONNECTIONS must be numbers"
  fi
  ensure_packages wrk:wrk curl:curl

  stamp="$(date +%Y%m%d-%H%M%S)"
  mkdir -p loadtest/reports
  report="loadtest/reports/read-$stamp.md"
  # Global: the EXIT trap runs after main's locals are gone.
  raw_dir="$(mktemp -d)"
  trap 'rm -rf "$raw_dir"' EXIT

  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name script path <<<"$entry"
    # One request first: a wrong id or a missing seed should read as such,
    # not as 15 seconds of errors. It also warms the cache.
    status="$(http_status "$BASE_URL$path")"
    if [[ "$status" != 200 ]]; then
      warn "$name: GET $path answered HTTP $status; skipping"
      rows+=("| $name | \`$path\` | HTTP $status | - | - | - | - | - | - |")
      failed=1
      continue
    fi
    log "$name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION $BASE_URL$path"
    if ! WRK_SCENARIO="$name" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s \
      -s "loadtest/wrk/$script" "$BASE_URL$path" >"$raw_dir/$name.txt" 2>&1; then
      warn "$name: wrk failed"
      cat "$raw_dir/$name.txt" >&2
      failed=1
      continue
    fi
    line="$(sed -n 's/^SUMMARY //p' "$raw_dir/$name.txt")"
    printf '%s\n' "$line" >&2
    rows+=("| $name | \`$path\` | $(summary_field "$line" rps) | $(summary_field "$line" p50_ms) | $(summary_field "$line" p90_ms) | $(summary_field "$line" p99_ms) | $(summary_field "$line" non2xx) | $(summary_field "$line" errors) | $(summary_field "$line" bytes_per_req) |")
  done

  {
    printf '# Read benchmark %s\n\n' "$(date '+%Y-%m-%d %H:%M:%S %z')"
    printf -- '- target: %s\n' "$BASE_URL"
    printf -- '- commit: %s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo none)"
    printf -- '- machine: %s cores, %s\n' "$(nproc)" "$(uname -sr)"
    printf -- '- wrk: %s threads, %s connections, %s per scenario; seat maps sent %s\n' \
      "$THREADS" "$CONNECTIONS" "$DURATION" "\`Accept-Encoding: gzip, br\`"
    printf -- '- goals (ARCHITECTURE.md): event detail >= 30,000 req/s with p99 < 10 ms; 4,900-seat map >= 3,000 req/s\n\n'
    printf '| scenario | path | req/s | p50 ms | p90 ms | p99 ms | non-2xx | errors | bytes/req |\n'
    printf '|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
    printf '%s\n' "${rows[@]}"
    printf '\nnon-2xx: responses with status >= 400; errors: connect, read, write and timeout errors.\n'
    printf '\n## wrk output\n'
    for entry in "${SCENARIOS[@]}"; do
      name="${entry%%|*}"
      [[ -f "$raw_dir/$name.txt" ]] || continue
      printf '\n### %s\n\n%s\n%s\n%s\n' "$name" '```' "$(cat "$raw_dir/$name.txt")" '```'
    done
  } >"$report"

  cat "$report"
  log "report written to $report"
  return "$failed"
}

main "$@"
