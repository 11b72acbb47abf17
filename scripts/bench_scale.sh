#!/usr/bin/env bash
# Benchmark: cvpportd with many listeners, and under a forced-walk attack. A real snmpd master
# and cvpportd (cvpRefresh 1) run throughout.
#  - Scaling (1k, 10k, 45k TCP listeners; 20k bound UDP sockets): steady refresh (median of
#    bench_refresh), per listener; cvpportd's RSS; snmpget latency p50/p99/max while refreshes
#    run; a full bulk walk of cvpListenerTable, cvpportd's CPU per value, beside snmpd's CPU per
#    value serving its own tcpListenerTable / udpEndpointTable for the same sockets.
#  - Forced walks: about 100k open fds (50k loopback connections) and a new TCP listener in a
#    new process every second for 30 s: cvpportd's CPU, its refresh duration, and how long new
#    listeners wait for their owner (cvpPortUnattributedCount).
# Usage: scripts/bench_scale.sh [BUILD_DIR]   (default build; built if missing)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
cvp_bench_build "${1:-}"

cvp_bench_start scale
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR"
hz=$(getconf CLK_TCK)

udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp 12000 12999)
cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx"
printf 'cvpRefresh 1\n' >"$work/cvpportd.conf"
"$build/cvpportd" -x "tcp:127.0.0.1:$agentx" -C -c "$work/cvpportd.conf" -Lf "$work/cvpportd.log" \
    -p "$work/cvpportd.pid"
target=127.0.0.1:$udp
cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[2-9]'" 100
cvpd=$(cvp_agent_pid "$(cat "$work/cvpportd.pid")") # (the agent: cvpportd's memory and CPU)
get() { cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::$1.0"; }
# The same for cvpportd with its attribution helper (supervisor, worker) and the workers the
# supervisor has reaped (their CPU is in its cutime/cstime).
tree_ticks() {
    local t=0 p sup
    sup=$(pgrep -P "$1" | head -1)
    for p in "$1" $sup ${sup:+$(pgrep -P "$sup")}; do
        t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
scan_count_oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.1.8.0

# Waits for three scans after the load is up, and for every owner to be found (up to 60 s).
settle() {
    local sc
    sc=$(get cvpPortScanCount)
    cvp_wait "[ \$(get cvpPortScanCount) -ge $((sc + 3)) ] && [ \"\$(get cvpPortUnattributedCount)\" = 0 ]" 600 ||
        echo "   (owners still unknown after 60 s: $(get cvpPortUnattributedCount))" >&2
}

# loadgen ARGS...: one bench_loadgen in the background; wait_loadgens waits until all are up.
load_outs=() load_n=0
loadgen() {
    local out=$work/load-$load_n.out
    load_n=$((load_n + 1))
    load_outs+=("$out")
    "$build/tests/bench_loadgen" "$@" >"$out" 2>&1 &
    pids+=($!)
}
wait_loadgens() {
    local out
    for out in "${load_outs[@]}"; do
        cvp_wait "grep -q ready '$out'" 1200 || { echo "load generator failed: $(cat "$out")" >&2; exit 1; }
    done
    load_outs=()
}

# start_listeners KIND COUNT: KIND tcp (15,000 per process, one loopback address each) or udp.
start_listeners() {
    local kind=$1 left=$2 i=0 k
    while [ "$left" -gt 0 ]; do
        k=$((left < 15000 ? left : 15000))
        if [ "$kind" = tcp ]; then loadgen listeners "$k" 20000 "127.0.2.$((i + 1))"; else loadgen udp "$k"; fi
        left=$((left - k)) i=$((i + 1))
    done
    wait_loadgens
}

# CPU per value of a full bulk walk: cvpportd for cvpListenerTable, snmpd for its own table
# (cvp_own_walk_cpu: a plain snmpd started for the purpose, as the master's table cache could be
# stale), and the same snmpd with cvpportd loaded into it (dlmod).
declare -A R
scenarios=("tcp 1000" "tcp 10000" "tcp 45000" "udp 20000")
for sc in "${scenarios[@]}"; do
    set -- $sc
    kind=$1 n=$2 key="$1-$2"
    echo "== $n $kind listeners" >&2
    start_listeners "$kind" "$n"
    settle
    line=$("$build/tests/bench_refresh" 21 100 steady)
    for kv in $line; do R[$key,${kv%%=*}]=${kv#*=}; done
    R[$key,lat]=$("$build/tests/bench_latency" "$target" "$scan_count_oid" 10)
    R[$key,rss]=$(rss "$cvpd")
    R[$key,scan]=$(get cvpPortScanDuration)
    R[$key,cvpwalk]=$(cvp_walk_cpu "$cvpd" "$target" .1.3.6.1.4.1.8072.9999.9999.7161.1.3)
    if [ "$kind" = tcp ]; then own=.1.3.6.1.2.1.6.20; else own=.1.3.6.1.2.1.7.7; fi
    R[$key,ownwalk]=$(cvp_own_walk_cpu "$own")
    R[$key,dlwalk]=$(cvp_own_walk_cpu .1.3.6.1.4.1.8072.9999.9999.7161.1.3 "dlmod cvpPortMIB $build/cvpPortMIB.so")
    echo "   steady ${R[$key,steady_us]} us, ${R[$key,lat]}, rss ${R[$key,rss]} kB, walks ${R[$key,cvpwalk]} / ${R[$key,ownwalk]}" >&2
    cvp_stop_load
    sleep 2
done

echo "== forced walks: 50k connections (100k fds), a new TCP listener every second for 30 s" >&2
left=50000 i=0
while [ "$left" -gt 0 ]; do
    k=$((left < 8000 ? left : 8000))
    loadgen conns "$k" "127.0.1.$((i + 1))" $((41000 + i))
    left=$((left - k)) i=$((i + 1))
done
wait_loadgens
fds=$(ls /proc/[0-9]*/fd 2>/dev/null | grep -c . || true)
sleep 3
idle_scan=$(get cvpPortScanDuration)
c0=$(tree_ticks "$cvpd") maxun=0 scans=()
for s in $(seq 1 30); do
    "$build/tests/bench_loadgen" listeners 1 $((14000 + s)) >/dev/null 2>&1 &
    pids+=($!)
    sleep 1
    u=$(get cvpPortUnattributedCount)
    [ "$u" -gt "$maxun" ] && maxun=$u
    scans+=("$(get cvpPortScanDuration)")
done
c1=$(tree_ticks "$cvpd")
t0=$(date +%s%N)
cvp_wait "[ \"\$(get cvpPortUnattributedCount)\" = 0 ]" 600 || true
drain_ms=$((($(date +%s%N) - t0) / 1000000))
cpu_pct=$(awk -v t=$((c1 - c0)) -v hz="$hz" 'BEGIN {printf "%.1f", t * 100 / hz / 30}')
scan_med=$(printf '%s\n' "${scans[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
scan_max=$(printf '%s\n' "${scans[@]}" | sort -n | tail -1)
cvp_stop_load

us() { awk -v us="$1" 'BEGIN {printf (us < 1000) ? "%d µs" : "%.1f ms", us < 1000 ? us : us / 1000}'; }
lat() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
echo
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), Linux $(uname -r)"
echo
echo "| listeners | steady refresh (median) | per listener | cvpportd RSS | snmpget during refreshes p50 / p99 / max | full walk of cvpListenerTable, CPU per value: cvpportd (AgentX) | the same, cvpportd loaded into snmpd (dlmod): snmpd | the same sockets in snmpd's own table: snmpd |"
echo "|---|---|---|---|---|---|---|---|"
for sc in "${scenarios[@]}"; do
    set -- $sc
    key="$1-$2"
    l=${R[$key,lat]}
    read -r cv cvus <<<"${R[$key,cvpwalk]}"
    read -r ov ovus <<<"${R[$key,ownwalk]}"
    read -r dv dvus <<<"${R[$key,dlwalk]}"
    printf '| %s %s (%s in the table) | %s | %s µs | %s kB | %s / %s / %s ms (%s GETs, %s timeouts) | %s µs (%s values) | %s µs (%s values) | %s µs (%s values) |\n' \
        "$2" "$1" "${R[$key,listeners]}" "$(us "${R[$key,steady_us]}")" \
        "$(awk -v a="${R[$key,steady_us]}" -v n="${R[$key,listeners]}" 'BEGIN {printf "%.2f", a / n}')" \
        "${R[$key,rss]}" \
        "$(awk -v v="$(lat "$l" p50_us)" 'BEGIN {printf "%.2f", v / 1000}')" \
        "$(awk -v v="$(lat "$l" p99_us)" 'BEGIN {printf "%.2f", v / 1000}')" \
        "$(awk -v v="$(lat "$l" max_us)" 'BEGIN {printf "%.1f", v / 1000}')" \
        "$(lat "$l" n)" "$(lat "$l" timeouts)" "$cvus" "$cv" "$dvus" "$dv" "$ovus" "$ov"
done
echo
echo "Forced walks ($fds open fds on the host, a new TCP listener in a new process every second for 30 s):"
echo "  cvpportd CPU $cpu_pct% of a core; refresh (cvpPortScanDuration) median $(us "$scan_med"), max $(us "$scan_max") (idle before: $(us "$idle_scan"));"
echo "  at most $maxun listener(s) waiting for their owner at once; all attributed ${drain_ms} ms after the last one opened"
