#!/usr/bin/env bash
# Install SAPA into .venv and start it: against Telegram when SAPA_BOT_TOKEN is set
# (environment or .env), otherwise the local sandbox web chat at http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
token=${SAPA_BOT_TOKEN:-}
if [ -z "$token" ] && [ -f .env ]; then
  token=$(sed -n 's/^SAPA_BOT_TOKEN=//p' .env | tail -n 1)
fi
if [ -n "$token" ]; then
  exec .venv/bin/sapa run "$@"
fi
exec .venv/bin/sapa sandbox "$@"
