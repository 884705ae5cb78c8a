#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL and Redis answer on 127.0.0.1, starting
# whichever is down with the machine's own commands, then waits (bounded) for
# both. Exits 0 when both answer; otherwise non-zero, naming what is down.
#
# Environment (optional):
#   WAIT_SECONDS   how long to wait for both to answer (default 30)
set -euo pipefail

WAIT_SECONDS="${WAIT_SECONDS:-30}"
HOST=127.0.0.1

log() { printf '[ensure-services] %s\n' "$*"; }
err() { printf '[ensure-services] ERROR: %s\n' "$*" >&2; }

for tool in pg_isready redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || { err "$tool not found on PATH"; exit 2; }
done

postgres_up() { pg_isready -h "$HOST" -t 2 -q >/dev/null 2>&1; }
redis_up() { [[ "$(redis-cli -h "$HOST" ping 2>/dev/null)" == PONG ]]; }

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ ! -d /etc/postgresql ]]; then
    err "PostgreSQL is down and pg_ctlcluster or /etc/postgresql is missing: cannot start it"
    return 0
  fi
  log "PostgreSQL is not answering on $HOST; starting it"
  # shellcheck disable=SC2046 # the machine's command, as documented
  if ! pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; then
    err "pg_ctlcluster start failed (see /var/log/postgresql/); still waiting in case it is coming up"
  fi
}

start_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    err "Redis is down and redis-server is missing: cannot start it"
    return 0
  fi
  log "Redis is not answering on $HOST; starting it"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  if ! redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log; then
    err "redis-server failed to start (see /var/log/redis/ci.log)"
  fi
}

postgres_up || start_postgres
redis_up || start_redis

deadline=$((SECONDS + WAIT_SECONDS))
while :; do
  down=()
  postgres_up || down+=("PostgreSQL (pg_isready -h $HOST)")
  redis_up || down+=("Redis (redis-cli -h $HOST ping)")
  if [[ ${#down[@]} -eq 0 ]]; then
    log "PostgreSQL and Redis are up on $HOST"
    exit 0
  fi
  if ((SECONDS >= deadline)); then
    for service in "${down[@]}"; do err "$service is down after ${WAIT_SECONDS} s"; done
    exit 1
  fi
  sleep 1
done
