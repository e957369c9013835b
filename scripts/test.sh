#!/usr/bin/env bash
# Sets up as serve.sh does and runs the whole test suite (arguments go to pytest).
# Browser tests run where Chromium is installed (/usr/bin/chromium) and are skipped elsewhere,
# except in CI (CI=true), where a missing browser or service is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
