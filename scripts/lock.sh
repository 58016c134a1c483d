#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml's ranges (see README "Lock files"):
#   bash scripts/lock.sh                      # add what pyproject gained, keep every other pin
#   bash scripts/lock.sh --upgrade            # move every pin to the newest release in range
#   bash scripts/lock.sh --upgrade-package dash
# uv resolves from PyPI alone (it ignores pip.conf, so no machine-local index leaks into the
# lock) for every platform at once (--universal), with hashes that pip checks at install.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install --quiet "uv==0.13.9"
compile() {
  .venv/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "bash scripts/lock.sh" "$@"
}
compile pyproject.toml -o requirements.txt "$@"
# The test lock holds the runtime lock's versions exactly, plus the test tools.
compile pyproject.toml --extra test -c requirements.txt -o requirements-test.txt "$@"
# The installer and build backend that scripts/install_lock.sh puts in first (pip is named with
# its version in requirements-bootstrap.in: --upgrade does not move it; edit the line to do so).
compile requirements-bootstrap.in -c requirements.txt -o requirements-bootstrap.txt "$@"
echo "locked: requirements.txt ($(grep -c '==' requirements.txt) packages)," \
  "requirements-test.txt ($(grep -c '==' requirements-test.txt) packages)"
