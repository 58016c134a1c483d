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

# Python 3.11+ with venv is assumed (the machine's own); Chromium is Debian's, never downloaded.
# Chromium also renders chart images for PowerPoint/PDF packs (kaleido finds it by itself).
apt_install chromium
if [ $want_test -eq 1 ]; then
  # LibreOffice Writer: the ingest tests turn a Word document into a PDF as an office would.
  apt_install chromium-driver fonts-dejavu-core libreoffice-writer-nogui
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ $want_test -eq 1 ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
echo "Setup complete: $(.venv/bin/python --version), dashboard $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("pcp-dashboard"))')"
