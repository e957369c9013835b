#!/usr/bin/env bash
# Runs the embedded default's background work: one celery worker with celery beat inside it, on
# kombu's filesystem transport (messages are files in BROKER_FOLDER, var/celery by default), so
# reminders, overdue flags, retention and every other task run without Redis. serve.sh starts it
# beside the web server, which sends its tasks to the same folder; it runs until stopped (TERM).
# Production runs `celery -A config worker` and `celery -A config beat` on Redis instead
# (docs/production.md). Uses REDIS_URL or CELERY_BROKER_URL when either is set.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CELERY_BROKER_URL:-}${REDIS_URL:-}" ]; then
  export CELERY_BROKER_URL=filesystem://
fi
export BROKER_FOLDER=${BROKER_FOLDER:-$PWD/var/celery}
mkdir -p "$BROKER_FOLDER"
# One process takes one task at a time (SQLite has one writer); beat keeps its schedule in the
# folder, so a daily task stays daily however often the server is restarted.
exec .venv/bin/celery -A config worker --beat --schedule "$BROKER_FOLDER/beat-schedule" \
  --pool solo --without-gossip --without-mingle --without-heartbeat --loglevel INFO
