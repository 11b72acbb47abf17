#!/usr/bin/env bash
# Fuzzes the parsers of what the kernel and an operator hand cvpportd, with libFuzzer (clang):
# the /proc/net line parser, the sock_diag message parser, the configuration reader and the
# capture reader (netstat, PowerShell, ss).
# Usage: scripts/fuzz.sh [SECONDS]    (per target, default 60)
# Each target starts from its seed corpus in tests/fuzz/corpus/TARGET; a crash is saved in
# tests/fuzz/crashes/TARGET, which the test suite replays from then on (fuzz_replay_TARGET).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${1:-60}

bash scripts/deps.sh
for p in clang libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || {
        [ "$(id -u)" = 0 ] || { echo "fuzz.sh: need root to install $p" >&2; exit 1; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null
    }
done
CC=clang bash scripts/build.sh build-fuzz -DCVP_FUZZ=ON -DCMAKE_C_COMPILER=clang

echo "| target | seconds | executions | exec/s | corpus | saved crashes (replayed by the tests) |"
echo "|---|---|---|---|---|---|"
status=0
for t in procfs_line netlink config capture; do
    work=build-fuzz/corpus/$t
    crashes=tests/fuzz/crashes/$t
    mkdir -p "$work" "$crashes"
    cp -n tests/fuzz/corpus/$t/* "$work"/ 2>/dev/null || true
    log=build-fuzz/fuzz-$t.log
    rc=0
    build-fuzz/tests/fuzz_$t "$work" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$crashes/" -max_len=65536 >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    found=$(find "$crashes" -type f | wc -l)
    echo "| $t | $seconds | ${execs:-?} | ${rate:-?} | $(ls "$work" | wc -l) files | $found |"
    if [ "$rc" != 0 ]; then
        echo "fuzz.sh: $t failed (exit $rc); see $log" >&2
        status=1
    fi
done
exit $status
