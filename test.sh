#!/usr/bin/env bash
# Command 2: install (with the test tools) and run lint, type checks and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install.sh dev
# The browser tests use Debian's Chromium and CJK fonts; as root, install them (they skip cleanly without).
if [ "$(id -u)" = 0 ] && { [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest "$@"
.venv/bin/workbench eval --quick   # the eval suite's CI mode: thresholds in evals/config.toml
