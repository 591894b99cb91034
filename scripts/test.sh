#!/usr/bin/env bash
# Quick start 2: set up marsad with its test tools and run the whole test suite (and the linter).
# Tests that need ../shared (gold, corpora, training data) skip cleanly when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test,spark
# the Spark tests need Java; as root (CI) install Debian's JRE when it is missing, else they skip
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  bash scripts/install_java.sh || echo "warning: could not install Java; the Spark tests will be skipped" >&2
fi
# the browser tests need Debian's chromium; installed when missing (as root), else they skip
bash scripts/install_browser.sh
.venv/bin/ruff check src tests scripts bench
exec .venv/bin/python -m pytest "$@"
