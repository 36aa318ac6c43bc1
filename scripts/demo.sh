#!/usr/bin/env bash
# Run the demo: migrate, create the demo city (seed_demo prints the sign-in accounts), serve.
#
# By default everything is in one process: SQLite (db.sqlite3) and Celery tasks run eagerly
# inside the web server, because no broker URL is set. With REDIS_URL (or CELERY_BROKER_URL)
# set, tasks go to Redis, so a Celery worker is started beside the server and stopped with it;
# set DATABASE_URL too so both share PostgreSQL.
#
# Called by `make demo`; expects the virtualenv in .venv. PORT defaults to 8000.
set -euo pipefail

cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.dev
PORT="${PORT:-8000}"
# Every absolute link (e-mails, certificates) is built from SITE_URL: the address served below.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
PY=.venv/bin/python

"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo

worker_pid=""
stop_worker() {
    if [[ -n "$worker_pid" ]] && kill -0 "$worker_pid" 2>/dev/null; then
        echo "Stopping the Celery worker (pid $worker_pid)..."
        kill -TERM "$worker_pid" 2>/dev/null || true
        # A warm shutdown finishes the task in hand; give it a moment, then insist.
        for _ in $(seq 1 20); do
            kill -0 "$worker_pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$worker_pid" 2>/dev/null || true
        wait "$worker_pid" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${CELERY_BROKER_URL:-${REDIS_URL:-}}" ]]; then
    if [[ -z "${DATABASE_URL:-}" ]]; then
        echo "Note: REDIS_URL is set but DATABASE_URL is not; the worker shares db.sqlite3." >&2
    fi
    echo "Broker set: starting a Celery worker beside the server."
    "$PY" -m celery -A config worker -l info --concurrency "${CELERY_WORKER_CONCURRENCY:-2}" &
    worker_pid=$!
else
    echo "No REDIS_URL: Celery tasks run in-process (eager)."
fi

echo "Serving on http://127.0.0.1:${PORT}/ (Ctrl-C stops the server and any worker)."
"$PY" manage.py runserver "127.0.0.1:${PORT}"
