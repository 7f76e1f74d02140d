#!/usr/bin/env bash
# Start a throwaway S3-compatible server (moto, from the dev dependencies in .venv) on loopback
# for the evidence storage tests. Prints its URL (GROEIPAD_MOTO_URL); everything else goes to
# stderr. `bash .ci/moto.sh stop` stops it. Used by .ci/run for the PostgreSQL pass.
set -euo pipefail
trap 'echo ".ci/moto.sh: \"$BASH_COMMAND\" failed (line $LINENO)" >&2' ERR
cd "$(dirname "$0")/.."

PORT=${GROEIPAD_MOTO_PORT:-50550}
DIR=${GROEIPAD_MOTO_DIR:-/tmp/groeipad-moto-$PORT}

if [ "${1:-}" = stop ]; then
  [ -f "$DIR/moto.pid" ] && kill "$(cat "$DIR/moto.pid")" 2>/dev/null || true
  exit 0
fi

if [ ! -x .venv/bin/moto_server ]; then
  echo ".ci/moto.sh: .venv/bin/moto_server is missing; run make lint (the dev dependencies) first." >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo ".ci/moto.sh: port $PORT is taken; set GROEIPAD_MOTO_PORT." >&2
  exit 1
fi
rm -rf "$DIR"
mkdir -p "$DIR"
nohup .venv/bin/moto_server -H 127.0.0.1 -p "$PORT" >"$DIR/moto.log" 2>&1 &
echo $! >"$DIR/moto.pid"
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo ".ci/moto.sh: moto did not start; its log:" >&2
  cat "$DIR/moto.log" >&2
  exit 1
fi
echo "http://127.0.0.1:$PORT"
