#!/usr/bin/env bash
# One command: set up and run the dashboard on the bundled data at http://127.0.0.1:8050
# (PCP_BIND, PCP_WORKERS and PCP_DATA_DIR change where, how many workers, and which data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/pcp-dashboard validate --quiet
exec .venv/bin/pcp-dashboard serve
