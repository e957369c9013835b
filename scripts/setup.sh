#!/usr/bin/env bash
# Creates .venv with the platform and its development tools installed, and collects static files.
# Used by serve.sh, test.sh and .ci/run; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
# The Welsh catalogue (docs/welsh.md): msgfmt where GNU gettext is installed, else polib. The
# .mo is committed too, so an image built without either (the Dockerfile) still speaks Welsh.
if command -v msgfmt >/dev/null 2>&1; then
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=var \
    --verbosity 0
else
  .venv/bin/python scripts/catalogue.py compile
fi
