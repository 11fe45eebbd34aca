#!/usr/bin/env bash
# Install SAPA with its test extras into .venv and run the whole test suite, in parallel.
# PostgreSQL tests run too when SAPA_TEST_DATABASE_URL is set (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check .
# Type check: strict on services/, db/ and bot/ ([tool.mypy] in pyproject.toml names the files).
.venv/bin/mypy
# pytest-xdist: one worker per core (SAPA_TEST_WORKERS=0 runs in this process), each with its own
# PostgreSQL database (tests/pg_reset.py); work stealing keeps both cores busy to the end.
exec .venv/bin/python -m pytest -n "${SAPA_TEST_WORKERS:-auto}" --dist worksteal "$@"
