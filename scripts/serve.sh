#!/usr/bin/env bash
# Sets everything up on the embedded SQLite database, loads the demo, prints the demo logins and
# serves the platform on http://127.0.0.1:8000, or on PORT ("8123" or "host:8123"). Beside the web
# server it runs scripts/scheduler.sh (a celery worker with beat, on files in var/celery, no
# Redis), so reminders and other scheduled work are sent; its log is var/celery/worker.log.
# SITE_URL, the address in e-mailed links, follows PORT unless set. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
address=${PORT:-127.0.0.1:8000}
case $address in
  *:*) ;;
  *) address=127.0.0.1:$address ;;
esac
host=${address%:*}
case $host in
  0.0.0.0 | "[::]" | "") host=127.0.0.1 ;; # listening everywhere: link to this machine
esac
export SITE_URL=${SITE_URL:-http://$host:${address##*:}}

scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py demo

# From here on the web server sends tasks to the worker rather than running them itself.
if [ -z "${CELERY_BROKER_URL:-}${REDIS_URL:-}" ]; then
  export CELERY_BROKER_URL=filesystem://
fi
export BROKER_FOLDER=${BROKER_FOLDER:-$PWD/var/celery}
mkdir -p "$BROKER_FOLDER"
scheduler_pid=""
stop_scheduler() { # TERM to its process group (the worker and its beat), KILL after 15 s
  [ -n "$scheduler_pid" ] || return 0
  kill -TERM -- "-$scheduler_pid" 2>/dev/null || return 0
  for _ in $(seq 75); do
    kill -0 -- "-$scheduler_pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL -- "-$scheduler_pid" 2>/dev/null || true
}
trap stop_scheduler EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
setsid scripts/scheduler.sh >>"$BROKER_FOLDER/worker.log" 2>&1 &
scheduler_pid=$!
echo "Scheduled work: a celery worker with beat (log: $BROKER_FOLDER/worker.log)"
echo "Serving on http://$address (links in e-mails: $SITE_URL)"
.venv/bin/python manage.py runserver "$address"
