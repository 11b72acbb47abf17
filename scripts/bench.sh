#!/usr/bin/env bash
# Benchmark: cvpportd's refresh against ss, netstat and snmpd's own tcpListenerTable, with
# N established loopback TCP connections (default N = 0 20000 100000) and 60 idle listeners;
# then scripts/bench_scale.sh (many listeners, latency, walk CPU, forced walks).
# Usage: scripts/bench.sh [RUNS] [N...]      (RUNS >= 20, default 21)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh

runs=${1:-21}
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(0 20000 100000)
per_process=8000 # connections per load process: 2 fds each, under the usual 20000-fd limit

bash scripts/deps.sh
bash scripts/build.sh build

cvp_bench_start bench

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# Median wall time in microseconds of RUNS runs of a whole command.
time_cmd() {
    local i t0 t1
    for i in $(seq 1 "$runs"); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done | median
}

# snmpd's own TCP-MIB tcpListenerTable, cold: a fresh snmpd for every walk.
snmpd_udp=$(cvp_free_port udp)
cat >"$work/snmpd-plain.conf" <<CONF
agentaddress udp:127.0.0.1:$snmpd_udp
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
CONF
time_snmpd_walk() {
    local i t0 t1
    for i in $(seq 1 "$runs"); do
        MIBS="" SNMP_PERSISTENT_DIR="$work/persist" snmpd -C -c "$work/snmpd-plain.conf" -Lf /dev/null \
            -p "$work/snmpd.pid" >/dev/null 2>&1
        cvp_wait "ss -lunH 'sport = :$snmpd_udp' | grep -q ." 100
        t0=$(date +%s%N)
        MIBS="" snmpbulkwalk -v2c -c public -t 30 "127.0.0.1:$snmpd_udp" .1.3.6.1.2.1.6.20 >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        cvp_kill_pidfile "$work/snmpd.pid"
        echo $(((t1 - t0) / 1000))
    done | median
}

start_load() { # start_load N
    local n=$1 i=0 left=$1 k out
    while [ "$left" -gt 0 ]; do
        k=$((left < per_process ? left : per_process))
        out=$work/load-$i.out
        build/tests/bench_loadgen conns "$k" "127.0.1.$((i + 1))" $((41000 + i)) >"$out" 2>&1 &
        pids+=($!)
        left=$((left - k)); i=$((i + 1))
    done
    # The listeners start last: a cold attribution walk has to go through the connection holders.
    build/tests/bench_loadgen listeners 60 40000 >"$work/listeners.out" 2>&1 &
    pids+=($!)
    for out in "$work"/load-*.out "$work/listeners.out"; do
        [ -e "$out" ] || continue
        cvp_wait "grep -q ready '$out'" 1200 || { echo "load generator failed: $(cat "$out")" >&2; exit 1; }
    done
}

declare -A R
for n in "${counts[@]}"; do
    echo "== N=$n: starting load" >&2
    start_load "$n"
    est=$(ss -tnH state established | wc -l)
    echo "   established sockets: $est (client and server ends)" >&2
    line=$(build/tests/bench_refresh "$runs" 10000)
    echo "   cvpportd: $line" >&2
    for kv in $line; do R[$n,${kv%%=*}]=${kv#*=}; done
    R[$n,ss]=$(time_cmd ss -tlnp)
    R[$n,netstat]=$(time_cmd netstat -tlnp)
    R[$n,snmpd]=$(time_snmpd_walk)
    cvp_stop_load
    rm -f "$work"/load-*.out
done

ms() { awk -v us="$1" 'BEGIN {printf (us < 1000) ? "%.3f ms" : "%.1f ms", us / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; }

echo
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), Linux $(uname -r)"
echo "Medians of $runs runs; ratio = time / cvpportd steady refresh at the same N."
printf '\n| operation |'; for n in "${counts[@]}"; do printf ' N=%s |' "$n"; done; echo
printf '|---|'; for n in "${counts[@]}"; do printf -- '---|'; done; echo
row() { # row LABEL KEY
    printf '| %s |' "$1"
    for n in "${counts[@]}"; do
        if [ "$2" = steady_us ]; then printf ' %s |' "$(ms "${R[$n,$2]}")"
        else printf ' %s (%s) |' "$(ms "${R[$n,$2]}")" "$(ratio "${R[$n,$2]}" "${R[$n,steady_us]}")"; fi
    done
    echo
}
row "cvpportd steady refresh (netlink, warm cache)" steady_us
row "cvpportd cold refresh (netlink, empty cache)" cold_us
row "cvpportd procfs refresh" procfs_us
row '`ss -tlnp` (whole command)' ss
row '`netstat -tlnp` (whole command)' netstat
row 'snmpd tcpListenerTable cold walk' snmpd
echo
printf '| RSS after 100 / 10,000 refreshes |'
for n in "${counts[@]}"; do printf ' %s / %s kB |' "${R[$n,rss100_kb]}" "${R[$n,rss10000_kb]}"; done
echo
first=${counts[0]} last=${counts[${#counts[@]} - 1]}
echo
echo "steady refresh at N=$last vs N=$first: $(ratio "${R[$last,steady_us]}" "${R[$first,steady_us]}")"

echo
bash scripts/bench_scale.sh build
