#!/usr/bin/env bash
# Quick start 1: set up marsad and run it on the bundled sample articles (samples/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/marsad demo "$@"
