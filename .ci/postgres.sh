#!/usr/bin/env bash
# Start a PostgreSQL server of our own (installing the Debian package if needed) and create the
# groeipad role and the database named by $1. Prints the DATABASE_URL to use; everything else
# goes to stderr. Used by .ci/run, bench/run and bench/soak.
#
# The server runs from a data directory of its own on its own port, never the machine's "main"
# cluster: a cluster left behind by an earlier boot or session (stale pid file, stale socket,
# other settings) cannot make this script fail or connect to the wrong server.
set -euo pipefail
trap 'echo ".ci/postgres.sh: \"$BASH_COMMAND\" failed (line $LINENO)" >&2' ERR

DB=${1:-groeipad}
PORT=${GROEIPAD_PG_PORT:-54329}
PGDATA=${GROEIPAD_PGDATA:-/tmp/groeipad-postgres-$PORT}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing PostgreSQL (apt-get) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi
PGVER=$(ls /usr/lib/postgresql | sort -n | tail -1)
BIN=/usr/lib/postgresql/$PGVER/bin

# PostgreSQL refuses to run as root.
if [ "$(id -u)" = 0 ]; then
  as_owner() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_owner() { "$@"; }
  OWNER=$(id -un)
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo ".ci/postgres.sh: port $PORT is taken by something else; set GROEIPAD_PG_PORT." >&2
    exit 1
  fi
  # Nothing answers on our port, so whatever the directory holds is left over: start afresh.
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  chown "$OWNER" "$PGDATA"
  chmod 700 "$PGDATA"
  as_owner "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  if ! as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 \
      -o "-p $PORT -k $PGDATA -c listen_addresses=127.0.0.1" start >/dev/null; then
    echo ".ci/postgres.sh: PostgreSQL did not start; its log:" >&2
    cat "$PGDATA/server.log" >&2
    exit 1
  fi
fi

"$BIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres >&2 <<SQL
SELECT 'CREATE ROLE groeipad LOGIN CREATEDB PASSWORD ''groeipad''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname='groeipad')\gexec
SELECT 'CREATE DATABASE $DB OWNER groeipad' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname='$DB')\gexec
SQL
echo "postgres://groeipad:groeipad@127.0.0.1:$PORT/$DB"
