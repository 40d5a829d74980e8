# shellcheck shell=bash
# Shared helpers for Tiketi's local-stack scripts. Source it; it defines
# functions and path variables only and never changes the caller's options.
#
# Everything here must work on a fresh Debian machine, as root or not, with
# CI=true and no stdin: no prompts, no colours, messages on stderr.

# Guard against double sourcing (services.sh and stack.sh both source us).
if [[ -n "${TIKETI_LIB_LOADED:-}" ]]; then
  return 0
fi
TIKETI_LIB_LOADED=1

TIKETI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Everything the scripts create lives under .tiketi/ (git-ignored).
TIKETI_DIR="$TIKETI_ROOT/.tiketi"
# TIKETI_INSTANCE names a second app stack in the same checkout (the test suites that run
# a stack do so beside a developer's `make up`): its pids, logs and stack.env then live
# under .tiketi/instances/<name>/. Private service instances are shared by all stacks.
TIKETI_STATE_DIR="$TIKETI_DIR${TIKETI_INSTANCE:+/instances/$TIKETI_INSTANCE}"
# shellcheck disable=SC2034 # used by the scripts that source this file
{
  TIKETI_SERVICES_DIR="$TIKETI_DIR/services"     # <service>.env per private instance
  TIKETI_RUN_DIR="$TIKETI_STATE_DIR/run"         # <name>.pid of what `make up` started
  TIKETI_LOG_DIR="$TIKETI_STATE_DIR/logs"        # <name>.log of what `make up` started
  TIKETI_STACK_ENV="$TIKETI_STATE_DIR/stack.env" # resolved URLs, as export lines
}

# ---------------------------------------------------------------- messages --

log() { printf 'tiketi: %s\n' "$*" >&2; }
warn() { printf 'tiketi: warning: %s\n' "$*" >&2; }
die() {
  printf 'tiketi: error: %s\n' "$*" >&2
  exit 1
}

# ------------------------------------------------------------- environment --

have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ "$(id -u)" == 0 ]]; }
is_debian() { [[ -f /etc/debian_version ]]; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# Debian installs the PostgreSQL server binaries outside PATH, and a non-root
# PATH often lacks /usr/sbin (rabbitmq-server). Add them so `have` finds them.
extend_path() {
  local dir
  if ! have initdb; then
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
    if [[ -n "$dir" ]]; then PATH="$PATH:$dir"; fi
  fi
  for dir in /usr/sbin /sbin /usr/local/sbin; do
    if [[ -d "$dir" && ":$PATH:" != *":$dir:"* ]]; then PATH="$PATH:$dir"; fi
  done
  export PATH
}
extend_path

# apt-get update runs at most once per script run.
TIKETI_APT_UPDATED=""

# apt_install PKG... : install Debian packages (root on Debian only).
apt_install() {
  if [[ -z "$TIKETI_APT_UPDATED" ]]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    TIKETI_APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null
  extend_path
}

# install_hint PKG... : the command a user should run to get PKG.
install_hint() {
  if is_debian; then
    printf 'sudo apt-get install -y %s' "$*"
  else
    printf 'install %s with your package manager' "$*"
  fi
}

# ensure_packages "CMD:PKG"... : make sure every CMD exists. Missing ones are
# installed (one apt-get run) when we are root on Debian; otherwise we stop
# with the exact command to run.
ensure_packages() {
  local spec cmd pkg missing=()
  for spec in "$@"; do
    cmd="${spec%%:*}" pkg="${spec#*:}"
    if ! have "$cmd" && [[ " ${missing[*]-} " != *" $pkg "* ]]; then
      missing+=("$pkg")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if is_root && is_debian; then
    apt_install "${missing[@]}"
  else
    die "missing ${missing[*]}; run: $(install_hint "${missing[@]}")"
  fi
  for spec in "$@"; do
    have "${spec%%:*}" || die "${spec%%:*} still not found after installing ${spec#*:}"
  done
}

# load_dotenv FILE : export the NAME=VALUE lines of a .env file, for names
# not set already: the environment wins, so `HOLD_SECONDS=5 make up` still
# beats .env. Empty values mean "not set", as in .env.example.
load_dotenv() {
  local file="$1" line name value
  [[ -f "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%$'\r'}"
    line="${line#"${line%%[![:space:]]*}"}"
    [[ -z "$line" || "$line" == \#* ]] && continue
    line="${line#export }"
    if [[ ! "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
      warn "$file: ignoring line: $line"
      continue
    fi
    name="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
    [[ -z "$value" || -n "${!name+set}" ]] && continue
    export "$name=$value"
  done <"$file"
}

# ------------------------------------------------------------- networking --

# tcp_open HOST PORT : true when something accepts TCP connections there.
tcp_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# free_ports N : print N distinct free TCP ports on 127.0.0.1, one a line.
# python3 binds them all at once (so they differ) and lets the kernel choose;
# without python3 we probe random ports below the ephemeral range.
free_ports() {
  local n="$1" port ports=()
  if have python3; then
    python3 - "$n" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print("\n".join(str(s.getsockname()[1]) for s in socks))
PY
    return
  fi
  while [[ ${#ports[@]} -lt $n ]]; do
    port=$((20000 + RANDOM % 12000))
    if [[ " ${ports[*]-} " != *" $port "* ]] && ! tcp_open 127.0.0.1 "$port"; then
      ports+=("$port")
    fi
  done
  printf '%s\n' "${ports[@]}"
}

# addr_host ADDR / addr_port ADDR : split "host:port" (IPv6 as "[::1]:port").
addr_host() {
  local host="${1%:*}"
  host="${host#[}"
  printf '%s' "${host%]}"
}
addr_port() { printf '%s' "${1##*:}"; }

# url_host ADDR : the host to put in a URL for a listen address (0.0.0.0 is
# not something to open in a browser).
url_host() {
  case "$1" in
    0.0.0.0:*) printf '127.0.0.1:%s' "$(addr_port "$1")" ;;
    "[::]:"*) printf '[::1]:%s' "$(addr_port "$1")" ;;
    *) printf '%s' "$1" ;;
  esac
}

# http_status URL : print the HTTP status code (000 when nothing answers).
http_status() {
  local code
  if have curl; then
    code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null)" || true
    printf '%s' "${code:-000}"
    return 0
  fi
  # Fallback without curl: a bare HTTP/1.0 request over bash's /dev/tcp.
  local rest="${1#http://}" hostport path
  hostport="${rest%%/*}" path="/${rest#*/}"
  # shellcheck disable=SC2016 # expanded by the inner bash
  code="$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$3" "$1" >&3
    IFS=" " read -r _ status _ <&3 && printf "%s" "$status"
  ' _ "$(addr_host "$hostport")" "$(addr_port "$hostport")" "$path" 2>/dev/null)" || true
  printf '%s' "${code:-000}"
}

# ----------------------------------------------------------------- processes --

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# pid_is PID NAME : PID is alive and runs the program NAME. Guards against
# killing an unrelated process that reused a pid from a stale pid file.
pid_is() {
  local comm
  pid_alive "$1" || return 1
  comm="$(ps -o comm= -p "$1" 2>/dev/null)" || return 1
  # comm is truncated to 15 characters by the kernel.
  [[ "$comm" == "${2:0:15}" ]]
}

# stop_pids TIMEOUT PID... : SIGTERM, wait up to TIMEOUT seconds for all of
# them, then SIGKILL whatever is left.
stop_pids() {
  local timeout="$1" pid waited=0 alive
  shift
  [[ $# -eq 0 ]] && return 0
  kill -TERM "$@" 2>/dev/null || true
  while :; do
    alive=()
    for pid in "$@"; do
      if pid_alive "$pid"; then alive+=("$pid"); fi
    done
    [[ ${#alive[@]} -eq 0 ]] && return 0
    if [[ $waited -ge $((timeout * 10)) ]]; then
      warn "still running after ${timeout}s, killing: ${alive[*]}"
      kill -KILL "${alive[@]}" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# wait_until TIMEOUT_SECONDS CMD... : poll CMD every half second.
wait_until() {
  local timeout="$1" i
  shift
  for ((i = 0; i < timeout * 2; i++)); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  "$@"
}

# ------------------------------------------------------------------- files --

# write_env_file FILE NAME=VALUE... : shell-quoted assignments, sourceable.
write_env_file() {
  local file="$1" kv
  shift
  mkdir -p "$(dirname "$file")"
  : >"$file.tmp"
  for kv in "$@"; do
    printf '%s=%q\n' "${kv%%=*}" "${kv#*=}" >>"$file.tmp"
  done
  mv "$file.tmp" "$file"
}
