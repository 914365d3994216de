#!/usr/bin/env bash
# Command 1: install and start the workbench on a library built from the sample reports.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install.sh
exec .venv/bin/workbench quickstart "$@"
