#!/usr/bin/env bash
# Benchmark: what a remote host's poll costs when its agent lists many established connections.
# Every table generation is read (host_walk.h), and RFC 1213's tcpConnTable lists every
# connection, not only listeners. A real snmpd in a network namespace of its own serves its
# tables while N established loopback connections are open (2N sockets: both ends), for N = 0,
# 2,000 and 8,000 (snmpd started once they are, as it keeps its TCP tables cached): the time
# `cvpportd --check --host` takes (median of 3, a first one warming snmpd's cache left out), the
# rows of tcpConnTable, and the tables read.
# Usage: sudo scripts/bench_host_conns.sh [BUILD_DIR]   (default build; built if missing).
# About 2 minutes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${CVP_BENCH_NETNS:-}" ]; then
    exec env CVP_BENCH_NETNS=1 unshare --net -- bash "$0" "$@"
fi
cd "$top"
. scripts/lib.sh
cvp_bench_build "${1:-}"
cvp_bench_start hostconns
ip link set lo up
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR"
port=$(cvp_free_port udp)
printf 'agentaddress udp:127.0.0.1:%s\nrocommunity bench 127.0.0.1\n' "$port" >"$work/snmpd.conf"
: >"$work/c.conf"
chmod 600 "$work/c.conf"
start_snmpd() {
    MIBS="" snmpd -I -smux -C -c "$work/snmpd.conf" -Lf "$work/snmpd.log" -p "$work/snmpd.pid" </dev/null
    cvp_wait "snmpget -v2c -c bench -t 1 -r 0 127.0.0.1:$port 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1" 100
}
check() { # prints "MS TABLES"
    local t0 t1
    t0=$(date +%s%N)
    "$build/cvpportd" --check --json -C -c "$work/c.conf" --host "127.0.0.1:$port" \
        --snmp "-v2c -c bench -t 30 -r 0" --roles mgmt >"$work/out" 2>"$work/err" || true
    t1=$(date +%s%N)
    grep -q "^{" "$work/out" || { echo "--check --host failed: $(head -c 300 "$work/out" "$work/err")" >&2; exit 1; }
    echo "$(((t1 - t0) / 1000000)) $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tables"].replace(" ", ","))' "$work/out")"
}
printf '| established connections | tcpConnTable rows | `--check --host` (median of 3) | tables read |\n|---|---|---|---|\n'
for n in 0 2000 8000; do
    if [ "$n" -gt 0 ]; then
        sport=$(cvp_free_port tcp 40000 50000)
        "$build/tests/bench_loadgen" conns "$n" 127.0.0.2 "$sport" >"$work/load.out" 2>&1 &
        pids+=($!)
        cvp_wait "grep -q ready '$work/load.out'" 600 || { echo "load did not start"; exit 1; }
    fi
    start_snmpd
    rows=$(snmpbulkwalk -v2c -c bench -Cr50 -t 30 -r 0 -Oqn 127.0.0.1:$port 1.3.6.1.2.1.6.13.1.1 2>/dev/null | grep -c '^\.1\.3\.6\.1\.2\.1\.6\.13\.1\.1\.' || true)
    check >/dev/null # (snmpd's caches warm)
    times=$(for _ in 1 2 3; do check; done)
    med=$(echo "$times" | awk '{print $1}' | sort -n | sed -n 2p)
    printf '| %s | %s | %s ms | %s |\n' "$n" "$rows" "$med" "$(echo "$times" | head -1 | cut -d' ' -f2)"
    cvp_kill_pidfiles "$work/snmpd.pid"
    cvp_stop_load
done
