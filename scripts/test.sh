#!/usr/bin/env bash
# One command: set up and run every check: lint, format, Dockerfile lint, unit, app and browser
# tests (Playwright driving Debian's Chromium against a real gunicorn server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "== ruff (lint, format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (type hints)"; .venv/bin/mypy
echo "== hadolint (Dockerfile)"
.venv/bin/hadolint --failure-threshold error Dockerfile
echo "== dataset"
.venv/bin/pcp-dashboard validate --quiet
echo "== pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
