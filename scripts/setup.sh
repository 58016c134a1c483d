#!/usr/bin/env bash
# Set up everything the dashboard (and, with --test, its tests) needs on a fresh Debian machine.
# Idempotent: a second run only checks. Installs Debian packages when missing (root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Python 3.11+ is the machine's own (PYTHON=... to choose); Chromium is Debian's, never downloaded.
# Chromium also renders chart images for PowerPoint/PDF packs (kaleido finds it by itself).
apt_install chromium
# WeasyPrint (the PDF pack) lays text out with Debian's pango and subsets fonts with harfbuzz;
# DejaVu Sans is the pack's and the slides' font (views/measure.py measures it).
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# nginx in front of gunicorn (dashboard/proxy.py): it buffers slow clients, which gunicorn's
# workers cannot (issue 25, finding 1). Run from the project's own config, never as a service.
apt_install nginx-light
if [ $want_test -eq 1 ]; then
  # LibreOffice Writer: the ingest tests turn a Word document into a PDF as an office would.
  apt_install chromium-driver libreoffice-writer-nogui
  # PostgreSQL for the shared store's topology tests (tests/topology): nothing is started, the
  # tests run a throwaway cluster of their own (initdb in a temp folder, its own port).
  apt_install postgresql
fi

PYTHON="${PYTHON:-python3}"
# Debian splits venv/ensurepip out of python3.
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi

# Exact versions from the lock, hash-checked and resolving nothing, by a pinned pip whatever pip
# the venv bundled (scripts/install_lock.sh; README "Lock files"), then the project itself without
# touching them. setuptools, the build backend, is pinned too (no build isolation).
lock=requirements.txt
[ $want_test -eq 1 ] && lock=requirements-test.txt
fingerprint() {
  cat "$1" requirements-bootstrap.txt scripts/install_lock.sh pyproject.toml setup.py \
    | sha256sum | cut -d' ' -f1
}
stamp() { echo .venv/.installed-"$1"; }
if [ "$(cat "$(stamp "$lock")" 2>/dev/null)" != "$(fingerprint "$lock")" ] \
  || ! .venv/bin/python -c 'import dashboard.resources' 2>/dev/null; then
  bash scripts/install_lock.sh .venv/bin/python "$lock"
  # Quiet unless it fails (setuptools prints a notice on every editable install).
  if ! .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e . \
    >.venv/install.log 2>&1; then
    cat .venv/install.log
    exit 1
  fi
  fingerprint "$lock" >"$(stamp "$lock")"
  if [ "$lock" = requirements-test.txt ]; then
    # The test lock holds the runtime lock's versions exactly (scripts/lock.sh): it covers it.
    fingerprint requirements.txt >"$(stamp requirements.txt)"
  fi
fi
# Every dependency pyproject.toml names is installed in a version it allows (the project too).
.venv/bin/python -m pip check --disable-pip-version-check >/dev/null \
  || { .venv/bin/python -m pip check; exit 1; }
echo "Setup complete: $(.venv/bin/python --version), dashboard $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("pcp-dashboard"))') from $lock"
