#!/usr/bin/env bash
# Install SAPA with its test extras into .venv and run the whole test suite.
# PostgreSQL tests run too when SAPA_TEST_DATABASE_URL is set (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
