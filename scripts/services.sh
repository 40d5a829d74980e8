#!/usr/bin/env bash
# Resolve the three backing services (PostgreSQL, Redis, RabbitMQ) for
# `make run`, `make up` and `make test`.
#
# For each service, in order:
#   1. the URL variable (DATABASE_URL / REDIS_URL / AMQP_URL) if it is set;
#   2. a server already answering on its default local port (shared; we only
#      ever create the tiketi role/database in it, never stop it);
#   3. a private instance started from the binaries on PATH under .tiketi/,
#      on a free port, recorded in .tiketi/services/<name>.env so that later
#      runs reuse it while it is alive;
#   4. if the binaries are missing: apt-get install them (root on Debian), or
#      stop with the command to run.
#
# Knobs (mostly for testing the private path):
#   TIKETI_SERVICES=private   skip step 2 for all services
#   TIKETI_PG_PORT / TIKETI_REDIS_PORT / TIKETI_AMQP_PORT
#                             the "default port" probed in step 2
#                             (5432 / 6379 / 5672)
#
# Ownership: every private instance records who started it (up, run, test or
# cli) and that process's pid. `make run` / `make test` stop what they started
# when they finish; `make down` stops instances whose starter is gone (which
# includes everything `make up` started). Shared servers are never stopped.
#
# Sourced by stack.sh; also a small CLI: services.sh resolve|stop|status.

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TIKETI_OWNER="${TIKETI_OWNER:-cli}"
TIKETI_OWNER_PID="$$"
# Private instances this process started (or adopted); see stop_started_services.
TIKETI_STARTED_SERVICES=()
TIKETI_SERVICE_NAMES=(postgres redis rabbitmq)

# ------------------------------------------------------------ service records --

svc_file() { printf '%s/%s.env' "$TIKETI_SERVICES_DIR" "$1"; }

# svc_load NAME : read NAME's record into SVC_* variables; false if none.
svc_load() {
  SVC_PID="" SVC_PORT="" SVC_URL="" SVC_OWNER="" SVC_OWNER_PID="" SVC_DIR=""
  SVC_OS_USER="" SVC_NODE="" SVC_EPMD_PORT="" SVC_DIST_PORT="" SVC_PROMETHEUS_PORT=""
  [[ -f "$(svc_file "$1")" ]] || return 1
  # shellcheck source=/dev/null
  source "$(svc_file "$1")"
}

# svc_record NAME KEY=VALUE... : write NAME's record, owned by this process.
svc_record() {
  local name="$1"
  shift
  write_env_file "$(svc_file "$name")" "$@" \
    "SVC_OWNER=$TIKETI_OWNER" "SVC_OWNER_PID=$TIKETI_OWNER_PID"
}

# svc_adopt NAME : take over a reused instance whose starter is gone (a
# crashed `make test`, a finished `services.sh resolve`), so that it is
# stopped when we finish instead of lingering. `make up`'s instances are
# never adopted by others: they belong to the background stack.
svc_adopt() {
  local name="$1" file
  if [[ "$SVC_OWNER" == up ]] && [[ "$TIKETI_OWNER" != up ]]; then return 0; fi
  if [[ "$SVC_OWNER" == "$TIKETI_OWNER" && "$SVC_OWNER_PID" == "$TIKETI_OWNER_PID" ]]; then return 0; fi
  if pid_alive "$SVC_OWNER_PID"; then return 0; fi
  file="$(svc_file "$name")"
  sed -i -e "s/^SVC_OWNER=.*/SVC_OWNER=$TIKETI_OWNER/" \
    -e "s/^SVC_OWNER_PID=.*/SVC_OWNER_PID=$TIKETI_OWNER_PID/" "$file"
  TIKETI_STARTED_SERVICES+=("$name")
}

# svc_reuse NAME : if a recorded private instance is alive, export its URL and
# succeed; otherwise forget the dead record and fail.
svc_reuse() {
  local name="$1"
  svc_load "$name" || return 1
  if "svc_alive_$name"; then
    log "$name: reusing private instance on 127.0.0.1:$SVC_PORT (pid $SVC_PID, started by $SVC_OWNER)"
    svc_adopt "$name"
    return 0
  fi
  log "$name: recorded private instance is gone; starting a new one"
  "svc_stop_$name" >/dev/null 2>&1 || true
  rm -f "$(svc_file "$name")"
  return 1
}

probe_default() { [[ "${TIKETI_SERVICES:-}" != private ]]; }

# ----------------------------------------------------------------- PostgreSQL --

pg_ready() {
  if have pg_isready; then
    pg_isready -q -h 127.0.0.1 -p "$1" -t 3 >/dev/null 2>&1
  else
    tcp_open 127.0.0.1 "$1"
  fi
}

# The SQL that makes a server usable by Tiketi. Idempotent. CREATEDB because
# tests create a database each.
PG_BOOTSTRAP_SQL="$(
  cat <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tiketi') THEN
    CREATE ROLE tiketi LOGIN PASSWORD 'tiketi' CREATEDB;
  ELSE
    ALTER ROLE tiketi LOGIN CREATEDB;
  END IF;
END
$$;
SELECT 'CREATE DATABASE tiketi OWNER tiketi'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'tiketi')\gexec
SQL
)"

# pg_bootstrap PORT : create role and database tiketi if missing, connecting
# as superuser postgres: over TCP (trust), or, as root, over the Unix socket
# as the postgres OS user (Debian's default peer authentication).
pg_bootstrap() {
  local port="$1" psql_bin
  ensure_packages psql:postgresql-client
  psql_bin="$(command -v psql)"
  if PGCONNECT_TIMEOUT=5 "$psql_bin" -X -w -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 <<<"$PG_BOOTSTRAP_SQL" >/dev/null 2>&1; then
    return 0
  fi
  if is_root && id postgres >/dev/null 2>&1 &&
    (cd / && PGCONNECT_TIMEOUT=5 runuser -u postgres -- "$psql_bin" -X -w -q -p "$port" -d postgres \
      -v ON_ERROR_STOP=1 <<<"$PG_BOOTSTRAP_SQL" >/dev/null 2>&1); then
    return 0
  fi
  # No superuser access, but maybe someone already set things up.
  if PGCONNECT_TIMEOUT=5 "$psql_bin" -X -w -q "postgres://tiketi:tiketi@127.0.0.1:$port/tiketi" \
    -c 'SELECT 1' >/dev/null 2>&1; then
    warn "postgres: no superuser access on port $port; using the existing tiketi role and database"
    return 0
  fi
  die "postgres on 127.0.0.1:$port: cannot connect as superuser postgres to create role/database tiketi.
  Run as a superuser:  CREATE ROLE tiketi LOGIN PASSWORD 'tiketi' CREATEDB; CREATE DATABASE tiketi OWNER tiketi;
  or set DATABASE_URL, or TIKETI_SERVICES=private to start a private instance."
}

# The OS user a private postgres runs as: postgres refuses to run as root.
pg_os_user() {
  if ! is_root; then
    return 0 # run as ourselves
  fi
  if id postgres >/dev/null 2>&1; then
    printf postgres
    return 0
  fi
  if ! id tiketi-pg >/dev/null 2>&1; then
    log "postgres: creating system user tiketi-pg to run the private instance"
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin tiketi-pg
  fi
  printf tiketi-pg
}

# as_user USER CMD... : run CMD as USER (empty: as ourselves), from / so that
# an unreadable working directory does not bother it.
as_user() {
  local user="$1"
  shift
  if [[ -z "$user" ]]; then
    "$@"
  else
    (cd / && runuser -u "$user" -- "$@")
  fi
}

# pg_data_base USER : folder for the private cluster, normally .tiketi/pg; if
# USER cannot reach it (repository under a private home), a per-checkout
# folder under /var/tmp.
pg_data_base() {
  local user="$1" base="$TIKETI_DIR/pg"
  mkdir -p "$base"
  if [[ -n "$user" ]]; then chown "$user:" "$base"; fi
  if as_user "$user" test -w "$base" 2>/dev/null; then
    printf '%s' "$base"
    return 0
  fi
  base="/var/tmp/tiketi-pg-$(printf '%s' "$TIKETI_ROOT" | cksum | cut -d' ' -f1)"
  warn "postgres: $user cannot write under $TIKETI_DIR; using $base"
  mkdir -p "$base"
  chown "$user:" "$base"
  printf '%s' "$base"
}

svc_alive_postgres() { pid_alive "$SVC_PID" && pg_ready "$SVC_PORT"; }

svc_stop_postgres() {
  if [[ -n "$SVC_DIR" && -f "$SVC_DIR/data/postmaster.pid" ]]; then
    as_user "$SVC_OS_USER" "$(command -v pg_ctl)" -D "$SVC_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if pid_is "$SVC_PID" postgres; then stop_pids 10 "$SVC_PID"; fi
}

start_private_postgres() {
  local user base data port pid
  ensure_packages initdb:postgresql pg_ctl:postgresql postgres:postgresql psql:postgresql-client
  user="$(pg_os_user)"
  base="$(pg_data_base "$user")"
  data="$base/data"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    log "postgres: initdb $data"
    as_user "$user" "$(command -v initdb)" -D "$data" --auth=trust -U postgres \
      --encoding=UTF8 --no-locale >"$base/initdb.log" 2>&1 ||
      die "initdb failed; see $base/initdb.log"
    # TCP on loopback only (no Unix socket: the path may be too long and the
    # system socket folder may not exist). Durability is traded for speed:
    # this cluster holds development and test data only.
    cat >>"$data/postgresql.conf" <<'CONF'

# --- tiketi private development instance ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  port="$(free_ports 1)"
  log "postgres: starting private instance on 127.0.0.1:$port"
  # pg_ctl puts the postmaster in its own session, so Ctrl-C in `make run`
  # reaches it only through our own shutdown.
  if ! as_user "$user" "$(command -v pg_ctl)" -D "$data" -l "$base/postgres.log" \
    -o "-p $port" -w -t 60 start >/dev/null; then
    tail -n 20 "$base/postgres.log" >&2 || true
    die "private postgres did not start; see $base/postgres.log"
  fi
  pid="$(head -n 1 "$data/postmaster.pid")"
  svc_record postgres "SVC_PID=$pid" "SVC_PORT=$port" "SVC_DIR=$base" "SVC_OS_USER=$user" \
    "SVC_URL=postgres://tiketi:tiketi@127.0.0.1:$port/tiketi"
  TIKETI_STARTED_SERVICES+=(postgres)
  pg_bootstrap "$port"
}

resolve_postgres() {
  local port="${TIKETI_PG_PORT:-5432}"
  if [[ -n "${DATABASE_URL:-}" ]]; then
    log "postgres: using DATABASE_URL from the environment"
  elif probe_default && pg_ready "$port"; then
    log "postgres: using the server on 127.0.0.1:$port"
    pg_bootstrap "$port"
    DATABASE_URL="postgres://tiketi:tiketi@127.0.0.1:$port/tiketi"
  elif svc_reuse postgres; then
    # Cheap, and repairs an instance whose first bootstrap was interrupted.
    pg_bootstrap "$SVC_PORT"
    DATABASE_URL="$SVC_URL"
  else
    start_private_postgres
    svc_load postgres
    DATABASE_URL="$SVC_URL"
  fi
  export DATABASE_URL
}

# ---------------------------------------------------------------------- Redis --

redis_ping() {
  local reply=""
  if have redis-cli; then
    reply="$(timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" || return 1
  else
    # shellcheck disable=SC2016 # expanded by the inner bash
    reply="$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      printf "PING\r\n" >&3
      read -r line <&3 && printf "%s" "$line"
    ' _ "$1" 2>/dev/null)" || return 1
  fi
  [[ "${reply%$'\r'}" == *PONG ]]
}

svc_alive_redis() { pid_alive "$SVC_PID" && redis_ping "$SVC_PORT"; }

svc_stop_redis() {
  if [[ -n "$SVC_PORT" ]] && have redis-cli; then
    timeout 10 redis-cli -h 127.0.0.1 -p "$SVC_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  if pid_is "$SVC_PID" redis-server; then stop_pids 10 "$SVC_PID"; fi
}

start_private_redis() {
  local base="$TIKETI_DIR/redis" port pid
  ensure_packages redis-server:redis-server redis-cli:redis-tools
  mkdir -p "$base"
  rm -f "$base/redis.pid"
  port="$(free_ports 1)"
  log "redis: starting private instance on 127.0.0.1:$port"
  # No persistence: the cache and locks are rebuilt from PostgreSQL.
  redis-server --port "$port" --bind 127.0.0.1 --dir "$base" --daemonize yes \
    --pidfile "$base/redis.pid" --logfile "$base/redis.log" \
    --save "" --appendonly no </dev/null >/dev/null ||
    die "redis-server did not start; see $base/redis.log"
  if ! wait_until 20 redis_ping "$port"; then
    tail -n 20 "$base/redis.log" >&2 || true
    die "private redis does not answer on port $port; see $base/redis.log"
  fi
  wait_until 5 test -s "$base/redis.pid" || true
  pid="$(cat "$base/redis.pid" 2>/dev/null || true)"
  svc_record redis "SVC_PID=$pid" "SVC_PORT=$port" "SVC_DIR=$base" \
    "SVC_URL=redis://127.0.0.1:$port"
  TIKETI_STARTED_SERVICES+=(redis)
}

resolve_redis() {
  local port="${TIKETI_REDIS_PORT:-6379}"
  if [[ -n "${REDIS_URL:-}" ]]; then
    log "redis: using REDIS_URL from the environment"
  elif probe_default && redis_ping "$port"; then
    log "redis: using the server on 127.0.0.1:$port"
    REDIS_URL="redis://127.0.0.1:$port"
  else
    svc_reuse redis || start_private_redis
    svc_load redis
    REDIS_URL="$SVC_URL"
  fi
  export REDIS_URL
}

# ------------------------------------------------------------------- RabbitMQ --

# rabbit_tool NAME : path of a RabbitMQ script. Debian's /usr/sbin entries are
# a wrapper that switches to the rabbitmq user and its fixed folders; the real
# scripts beside the wrapper honour our RABBITMQ_* variables as any user.
rabbit_tool() {
  local path real
  path="$(command -v "$1")" || return 1
  real="$(readlink -f "$path")"
  if [[ "$(basename "$real")" == rabbitmq-script-wrapper && -x "$(dirname "$real")/$1" ]]; then
    printf '%s' "$(dirname "$real")/$1"
  else
    printf '%s' "$path"
  fi
}

epmd_bin() {
  if have epmd; then
    command -v epmd
  else
    find /usr/lib/erlang /usr/local/lib/erlang -path '*/bin/epmd' -type f 2>/dev/null | sort -V | tail -n 1
  fi
}

# rabbit_env : fill RABBIT_ENV with the private node's environment (from the
# SVC_* record), for `env`. The node has its own epmd port, so nothing about
# it can collide with the machine's RabbitMQ.
rabbit_env() {
  local base="$SVC_DIR"
  RABBIT_ENV=(
    HOME="$base/home"
    ERL_EPMD_PORT="$SVC_EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1
    RABBITMQ_CONF_ENV_FILE="$base/rabbitmq-env.conf"
    RABBITMQ_NODENAME="$SVC_NODE"
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$SVC_PORT"
    RABBITMQ_DIST_PORT="$SVC_DIST_PORT"
    RABBITMQ_MNESIA_BASE="$base/mnesia"
    RABBITMQ_LOG_BASE="$base/log"
    RABBITMQ_PID_FILE="$base/rabbitmq.pid"
    RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins"
    RABBITMQ_CONFIG_FILE="$base/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$base/advanced.config"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  )
}

rabbitmqctl_private() {
  local ctl
  ctl="$(rabbit_tool rabbitmqctl)"
  rabbit_env
  env "${RABBIT_ENV[@]}" "$ctl" -n "$SVC_NODE" "$@"
}

svc_alive_rabbitmq() { pid_alive "$SVC_PID" && tcp_open 127.0.0.1 "$SVC_PORT"; }

svc_stop_rabbitmq() {
  local epmd
  if pid_alive "$SVC_PID"; then
    rabbit_env
    timeout 60 env "${RABBIT_ENV[@]}" "$(rabbit_tool rabbitmqctl)" -n "$SVC_NODE" stop >/dev/null 2>&1 || true
    stop_pids 30 "$SVC_PID"
  fi
  # The node started its own epmd on a private port; it outlives the node.
  epmd="$(epmd_bin)"
  if [[ -n "$SVC_EPMD_PORT" && -n "$epmd" ]]; then
    ERL_EPMD_PORT="$SVC_EPMD_PORT" "$epmd" -kill >/dev/null 2>&1 || true
  fi
}

start_private_rabbitmq() {
  local base="$TIKETI_DIR/rabbitmq" server pid ports
  ensure_packages rabbitmq-server:rabbitmq-server rabbitmqctl:rabbitmq-server
  server="$(rabbit_tool rabbitmq-server)"
  mapfile -t ports < <(free_ports 4)
  SVC_DIR="$base" SVC_PORT="${ports[0]}" SVC_DIST_PORT="${ports[1]}"
  SVC_PROMETHEUS_PORT="${ports[2]}" SVC_EPMD_PORT="${ports[3]}"
  SVC_NODE="tiketi-$SVC_PORT@localhost"
  # A new node name each start: the previous node's data is of no use.
  rm -rf "$base/mnesia"
  mkdir -p "$base/home" "$base/mnesia" "$base/log"
  : >"$base/rabbitmq-env.conf" # instead of /etc/rabbitmq/rabbitmq-env.conf
  # Prometheus metrics without the management UI (enabled offline, by file).
  printf '[rabbitmq_prometheus].\n' >"$base/enabled_plugins"
  cat >"$base/rabbitmq.conf" <<CONF
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $SVC_PROMETHEUS_PORT
log.console = false
log.file.level = info
CONF
  log "rabbitmq: starting private node $SVC_NODE on 127.0.0.1:$SVC_PORT (prometheus :$SVC_PROMETHEUS_PORT)"
  # setsid: own session, so Ctrl-C in `make run` does not reach the broker.
  # No shell function in between, so that $! is the broker's own pid.
  rabbit_env
  env "${RABBIT_ENV[@]}" setsid "$server" >>"$base/log/startup.log" 2>&1 </dev/null &
  pid=$!
  if ! wait_until 90 tcp_open 127.0.0.1 "$SVC_PORT" || ! pid_alive "$pid"; then
    tail -n 30 "$base/log/startup.log" >&2 || true
    SVC_PID="$pid" svc_stop_rabbitmq
    die "private rabbitmq did not start; see $base/log/"
  fi
  svc_record rabbitmq "SVC_PID=$pid" "SVC_PORT=$SVC_PORT" "SVC_DIR=$base" "SVC_NODE=$SVC_NODE" \
    "SVC_DIST_PORT=$SVC_DIST_PORT" "SVC_EPMD_PORT=$SVC_EPMD_PORT" \
    "SVC_PROMETHEUS_PORT=$SVC_PROMETHEUS_PORT" \
    "SVC_URL=amqp://guest:guest@127.0.0.1:$SVC_PORT/%2f"
  TIKETI_STARTED_SERVICES+=(rabbitmq)
  # The AMQP port opens before every boot step has finished.
  rabbitmqctl_private await_startup --timeout 60 >/dev/null ||
    die "private rabbitmq did not finish booting; see $base/log/"
}

resolve_rabbitmq() {
  local port="${TIKETI_AMQP_PORT:-5672}"
  if [[ -n "${AMQP_URL:-}" ]]; then
    log "rabbitmq: using AMQP_URL from the environment"
  elif probe_default && tcp_open 127.0.0.1 "$port"; then
    log "rabbitmq: using the server on 127.0.0.1:$port"
    AMQP_URL="amqp://guest:guest@127.0.0.1:$port/%2f"
  else
    svc_reuse rabbitmq || start_private_rabbitmq
    svc_load rabbitmq
    AMQP_URL="$SVC_URL"
  fi
  export AMQP_URL
}

# ------------------------------------------------------------------ together --

write_stack_env() {
  mkdir -p "$(dirname "$TIKETI_STACK_ENV")"
  {
    printf '# Written by scripts/services.sh; source it to reach the resolved services.\n'
    printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
    printf 'export REDIS_URL=%q\n' "$REDIS_URL"
    printf 'export AMQP_URL=%q\n' "$AMQP_URL"
  } >"$TIKETI_STACK_ENV"
}

# resolve_services : export DATABASE_URL, REDIS_URL, AMQP_URL.
resolve_services() {
  mkdir -p "$TIKETI_SERVICES_DIR"
  resolve_postgres
  resolve_redis
  resolve_rabbitmq
  write_stack_env
}

# stop_private NAME : stop a recorded private instance and forget it.
stop_private() {
  svc_load "$1" || return 0
  log "$1: stopping private instance on 127.0.0.1:$SVC_PORT (pid $SVC_PID)"
  "svc_stop_$1"
  rm -f "$(svc_file "$1")"
}

# stop_started_services : stop the private instances this process started
# (or adopted), newest first. Safe to call more than once.
stop_started_services() {
  local i name stopped=""
  for ((i = ${#TIKETI_STARTED_SERVICES[@]} - 1; i >= 0; i--)); do
    name="${TIKETI_STARTED_SERVICES[i]}"
    if svc_load "$name" && [[ "$SVC_OWNER_PID" == "$TIKETI_OWNER_PID" ]]; then
      stop_private "$name"
      stopped=1
    fi
  done
  TIKETI_STARTED_SERVICES=()
  # The URLs stay valid (and a running `make up` relies on them) unless we just stopped
  # the instances they point at.
  if [[ -n "$stopped" ]]; then rm -f "$TIKETI_STACK_ENV"; fi
}

# stop_orphaned_services : stop every private instance whose starter is no
# longer running (all of `make up`'s, leftovers of crashed runs); leave the
# ones a live `make run` / `make test` is using. Prints how many it stopped.
stop_orphaned_services() {
  local name count=0
  for name in "${TIKETI_SERVICE_NAMES[@]}"; do
    svc_load "$name" || continue
    if pid_alive "$SVC_OWNER_PID" && [[ "$SVC_OWNER_PID" != "$TIKETI_OWNER_PID" ]]; then
      log "$name: private instance belongs to a running '$SVC_OWNER' (pid $SVC_OWNER_PID); leaving it"
      continue
    fi
    stop_private "$name"
    count=$((count + 1))
  done
  printf '%s' "$count"
}

services_status() {
  local name
  for name in "${TIKETI_SERVICE_NAMES[@]}"; do
    if svc_load "$name"; then
      if "svc_alive_$name"; then
        printf '%-9s private  127.0.0.1:%s pid %s (started by %s)\n' "$name" "$SVC_PORT" "$SVC_PID" "$SVC_OWNER"
      else
        printf '%-9s private  127.0.0.1:%s DEAD (stale record)\n' "$name" "$SVC_PORT"
      fi
    else
      printf '%-9s no private instance\n' "$name"
    fi
  done
}

services_main() {
  case "${1:-}" in
    resolve)
      resolve_services
      cat "$TIKETI_STACK_ENV"
      ;;
    stop)
      # stop        : private instances whose starter is gone
      # stop all    : every recorded private instance
      if [[ "${2:-}" == all ]]; then
        local name
        for name in "${TIKETI_SERVICE_NAMES[@]}"; do stop_private "$name"; done
      else
        stop_orphaned_services >/dev/null
      fi
      ;;
    status) services_status ;;
    *)
      printf 'usage: %s resolve | stop [all] | status\n' "$0" >&2
      return 2
      ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  services_main "$@"
fi
