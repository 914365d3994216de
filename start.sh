#!/usr/bin/env bash
# Command 1: install and start the web workbench (http://127.0.0.1:7860) on a library built from the
# sample reports the first time.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install.sh
exec .venv/bin/workbench serve --samples "$@"
