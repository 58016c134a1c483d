#!/usr/bin/env bash
# Install a lock file into a virtual environment exactly, whatever pip the machine's Python
# bundled and whatever the package index publishes later (README "Lock files"):
#   bash scripts/install_lock.sh VENV_PYTHON LOCK_FILE
# 1. requirements-bootstrap.txt: pip itself and setuptools (the build backend), pinned with
#    hashes, installed by whatever pip the venv came with. A single pinned wheel with no
#    dependencies is something every pip since 8 installs the same way.
# 2. The lock, by that pinned pip: --require-hashes (every file checked), --no-deps (nothing is
#    resolved: exactly the listed versions go in, so a newer release on the index is never even
#    considered), --no-build-isolation (the one sdist, odfpy, builds with the pinned setuptools,
#    not a setuptools fetched unpinned into a build environment).
# 3. pip check: the locked set satisfies every dependency each package declares.
set -euo pipefail
py="$1"
lock="$2"
here="$(cd "$(dirname "$0")/.." && pwd)"
quiet=(--quiet --disable-pip-version-check)
"$py" -m pip install "${quiet[@]}" --require-hashes --no-deps \
  -r "$here/requirements-bootstrap.txt"
"$py" -m pip install "${quiet[@]}" --require-hashes --no-deps --no-build-isolation -r "$lock"
"$py" -m pip check --disable-pip-version-check >/dev/null || { "$py" -m pip check; exit 1; }
