#!/usr/bin/env bash
# One command: set up and run every check: lint, format, types, Dockerfile lint, dataset, then
# the test tiers (README "Test it"): unit and app, integration on both cores (pytest-xdist),
# browser (Playwright driving Debian's Chromium against a real gunicorn server), smoke (a fresh
# clone installed and started as a user does). Arguments go to every pytest run: a tier that
# selects nothing is skipped (pytest's exit 5), so `bash scripts/test.sh -k overview` works.
# The checkout is left as it was found: caches go into .venv, and a test run that leaves
# anything in the checkout (tracked or not, ignored or not) fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

# Bytecode of the project and tests goes under .venv (pytest's rewritten asserts too), not into
# __pycache__ folders of the checkout.
export PYTHONPYCACHEPREFIX="$PWD/.venv/pycache"
checkout_state() {
  git status --porcelain=v1 --ignored=matching --untracked-files=all -- . ':(exclude).venv' \
    2>/dev/null | sort || true
}
before="$(checkout_state)"

SECONDS=0
timings=()
tier() {  # tier NAME PYTEST-ARGS...: one tier, its wall time noted; pytest's "no tests" is fine
  local name="$1" start=$SECONDS status=0
  shift
  echo "== $name"
  "$@" || status=$?
  timings+=("$name $((SECONDS - start)) s")
  [ $status -eq 0 ] || [ $status -eq 5 ] || exit $status
}
pytest=(.venv/bin/python -m pytest -q -p no:cacheprovider)
tier "ruff (lint, format)" bash -c '.venv/bin/ruff check . && .venv/bin/ruff format --check .'
tier "mypy (type hints)" .venv/bin/mypy
tier "hadolint (Dockerfile)" .venv/bin/hadolint --failure-threshold error Dockerfile
tier "dataset" .venv/bin/pcp-dashboard validate --quiet
# unit and app share session fixtures (the loaded dataset, the app): one process is quicker;
# integration tests wait on subprocesses, installs and files: two workers.
tier "unit, app" "${pytest[@]}" tests/unit tests/app "$@"
tier "integration (2 workers)" "${pytest[@]}" -n 2 --dist loadfile tests/integration "$@"
tier "browser" "${pytest[@]}" tests/browser "$@"
# a throwaway PostgreSQL cluster, two app hosts and nginx, started and stopped by the tests
tier "topology" "${pytest[@]}" tests/topology "$@"
tier "smoke" "${pytest[@]}" tests/smoke "$@"

after="$(checkout_state)"
if [ "$before" != "$after" ]; then
  echo "The test run changed the checkout (before < > after):"
  diff <(echo "$before") <(echo "$after") || true
  exit 1
fi
echo "== the checkout is as the run found it"
printf '   %s\n' "${timings[@]}" "all $SECONDS s"
