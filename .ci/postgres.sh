#!/usr/bin/env bash
# Install (if needed) and start PostgreSQL, and create the groeipad role and database.
# Used by .ci/run and bench/run. Prints the DATABASE_URL to use.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGVER=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$PGVER main"; then
  pg_createcluster "$PGVER" main >/dev/null
fi
pg_lsclusters -h | grep -q "^$PGVER main .* online" || pg_ctlcluster "$PGVER" main start
DB=${1:-groeipad}
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<SQL >&2
SELECT 'CREATE ROLE groeipad LOGIN CREATEDB PASSWORD ''groeipad''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname='groeipad')\gexec
SELECT 'CREATE DATABASE $DB OWNER groeipad' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname='$DB')\gexec
SQL
echo "postgres://groeipad:groeipad@127.0.0.1:5432/$DB"
