#!/usr/bin/env bash
# Command 2: install (with the test tools) and run lint, type checks and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install.sh dev
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest "$@"
.venv/bin/workbench eval --quick   # the eval suite's CI mode: thresholds in evals/config.toml
