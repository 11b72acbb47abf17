#!/usr/bin/env bash
# Configures and builds cvpportd: scripts/build.sh BUILD_DIR [CMAKE_ARGS...].
# Quiet when all is well; on a configure or compile error it prints the tool's messages and
# exits non-zero, so that nothing runs the binaries of an earlier, good build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: scripts/build.sh BUILD_DIR [CMAKE_ARGS...]}
shift
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$dir"
log="$dir/build.log"

if ! cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "build.sh: cmake could not configure $dir" >&2
    exit 1
fi
if ! cmake --build "$dir" -j "$jobs" >>"$log" 2>&1; then
    grep -v '^\[ *[0-9]*%\]' "$log" >&2
    echo "build.sh: the build in $dir failed (full log: $log)" >&2
    exit 1
fi
# Warnings do not fail a build without CVP_WERROR, but they are shown.
grep -E 'warning:' "$log" >&2 || true
