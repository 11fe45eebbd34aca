#!/usr/bin/env bash
# Install SAPA with its test and docs extras into .venv, run ruff and mypy, build the documentation
# site (mkdocs --strict) and run the whole test suite, in parallel.
# PostgreSQL tests run too when SAPA_TEST_DATABASE_URL is set (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,docs]"
.venv/bin/ruff check .
# The documentation site (mkdocs.yml, docs/): a broken link, a page missing from the nav or a bad
# anchor fails the run. Offline and a few seconds; the site goes where nothing picks it up.
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir .venv/docs-site
# Type check: strict on services/, db/, bot/ and handlers/ ([tool.mypy] in pyproject.toml names the
# files). It runs beside the tests (its ~15 s fill the time the first workers spend starting) and
# its verdict counts as much as theirs.
types_log=$(mktemp)
.venv/bin/mypy >"$types_log" 2>&1 &
types=$!
# pytest-xdist, each worker with its own PostgreSQL database (tests/pg_reset.py); work stealing
# keeps the cores busy to the end. One worker more than cores by default: a third of the suite
# waits on real processes, a browser or a minute's scheduler tick, and the extra worker fills
# those waits (SAPA_TEST_WORKERS=0 runs everything in this process).
workers=${SAPA_TEST_WORKERS:-$(( $(nproc 2>/dev/null || echo 1) + 1 ))}
status=0
.venv/bin/python -m pytest -n "$workers" --dist worksteal "$@" || status=$?
if ! wait "$types"; then
  cat "$types_log"
  echo "mypy failed" >&2
  status=1
fi
rm -f "$types_log"
exit "$status"
