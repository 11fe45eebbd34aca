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
# Type check: strict on services/, db/, bot/ and handlers/ ([tool.mypy] in pyproject.toml names the files).
.venv/bin/mypy
# The documentation site (mkdocs.yml, docs/): a broken link, a page missing from the nav or a bad
# anchor fails the run. Offline and a few seconds; the site goes where nothing picks it up.
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir .venv/docs-site
# pytest-xdist: one worker per core (SAPA_TEST_WORKERS=0 runs in this process), each with its own
# PostgreSQL database (tests/pg_reset.py); work stealing keeps both cores busy to the end.
exec .venv/bin/python -m pytest -n "${SAPA_TEST_WORKERS:-auto}" --dist worksteal "$@"
