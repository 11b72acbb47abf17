#!/usr/bin/env bash
# The churn soak for longer than the test suite's 60 s: scripts/soak.sh [SECONDS] [BUILD_DIR]
# (see tests/soak.sh for what it does and checks).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
build=${2:-build}
bash scripts/build.sh "$build"
exec bash tests/soak.sh "$build" "${1:-600}"
