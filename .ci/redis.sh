#!/usr/bin/env bash
# Start a throwaway Redis of our own (installing the Debian package if needed): loopback only,
# its own port and directory, no persistence. Prints the REDIS_URL to use (database $1, default
# 0); everything else goes to stderr. `bash .ci/redis.sh stop` stops it. Used by .ci/run.
# 128 databases, not Redis's 16: each pytest-xdist worker keeps its cache in a database of its
# own (the URL's + 1 + the worker's number, maturity/settings/test.py), one per core.
set -euo pipefail
trap 'echo ".ci/redis.sh: \"$BASH_COMMAND\" failed (line $LINENO)" >&2' ERR

PORT=${GROEIPAD_REDIS_PORT:-63790}
DIR=${GROEIPAD_REDIS_DIR:-/tmp/groeipad-redis-$PORT}

if [ "${1:-}" = stop ]; then
  [ -f "$DIR/redis.pid" ] && kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
  exit 0
fi
DB=${1:-0}

if ! command -v redis-server >/dev/null; then
  echo "Installing Redis (apt-get) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends redis-server >&2
fi

if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo ".ci/redis.sh: port $PORT is taken by something else; set GROEIPAD_REDIS_PORT." >&2
    exit 1
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  redis-server --port "$PORT" --bind 127.0.0.1 --daemonize yes --dir "$DIR" --save '' \
    --appendonly no --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" \
    --maxmemory 256mb --maxmemory-policy allkeys-lru --databases 128
  for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
    echo ".ci/redis.sh: Redis did not start; its log:" >&2
    cat "$DIR/redis.log" >&2
    exit 1
  fi
fi
echo "redis://127.0.0.1:$PORT/$DB"
