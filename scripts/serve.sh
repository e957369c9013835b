#!/usr/bin/env bash
# Sets everything up on the embedded SQLite database, loads the demo, prints the demo logins and
# serves the platform on http://127.0.0.1:8000 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py demo
echo "Serving on http://${PORT:-127.0.0.1:8000}"
exec .venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
