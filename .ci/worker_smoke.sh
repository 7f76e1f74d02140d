#!/usr/bin/env bash
# The README's production commands for real: a database with the demo data, gunicorn and
# `make worker` on the Redis that .ci/run started (its database 3); over HTTP, a viewer asks for
# a report PDF, gets the waiting page, and gets the PDF once the worker stored it; /healthz sees
# the worker. Used by .ci/run in its PostgreSQL pass; needs REDIS_URL (any database number).
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'echo ".ci/worker_smoke.sh: \"$BASH_COMMAND\" failed (line $LINENO)" >&2' ERR

WORK=$(mktemp -d /tmp/groeipad-worker-smoke.XXXXXX)
DATABASE_URL=$(bash .ci/postgres.sh groeipad_worker_smoke)
export DATABASE_URL
export REDIS_URL="${REDIS_URL%/*}/3"
export DJANGO_SETTINGS_MODULE=maturity.settings.production
export DJANGO_SECRET_KEY=worker-smoke-secret-key-$(date +%s)-not-used-elsewhere-0123456789
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false
export DJANGO_MEDIA_ROOT="$WORK/media" DJANGO_STATIC_ROOT="$WORK/static"
export CELERY_BEAT_SCHEDULE_FILENAME="$WORK/celerybeat-schedule"
PY=.venv/bin/python

$PY manage.py flush --no-input -v 0 2>/dev/null || true
$PY manage.py migrate --no-input -v 0
$PY manage.py flush --no-input -v 0
$PY manage.py load_default_model >/dev/null
$PY manage.py load_demo_data >/dev/null
$PY manage.py collectstatic --no-input -v 0
PDF_PATH=$($PY manage.py shell -v 0 -c "
from assessments.models import Assessment
print(f'/assessments/{Assessment.objects.get(title=\"Nulmeting 2025\").pk}/report.pdf')")

PORT=$($PY -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
setsid make -s worker WORKER_CONCURRENCY=1 >"$WORK/worker.log" 2>&1 &
WORKER=$!
.venv/bin/gunicorn maturity.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning \
  >"$WORK/gunicorn.log" 2>&1 &
GUNICORN=$!
cleanup() {
  kill "$GUNICORN" 2>/dev/null || true
  kill -TERM -- "-$WORKER" 2>/dev/null || true
  wait "$GUNICORN" "$WORKER" 2>/dev/null || true
}
trap cleanup EXIT

if ! $PY .ci/worker_smoke.py "http://127.0.0.1:$PORT" "$PDF_PATH"; then
  echo "--- worker log" >&2; tail -50 "$WORK/worker.log" >&2
  echo "--- gunicorn log" >&2; tail -50 "$WORK/gunicorn.log" >&2
  exit 1
fi
rm -rf "$WORK"
