#!/usr/bin/env bash
# Quick start 2: set up marsad with its test tools and run the whole test suite (and the linter).
# Tests that need ../shared (gold, corpora, training data) skip cleanly when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check src tests scripts bench
exec .venv/bin/python -m pytest "$@"
