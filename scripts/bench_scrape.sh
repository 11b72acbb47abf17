#!/usr/bin/env bash
# Benchmark: what polling costs as a host's sockets grow. For 0, 1,000, 16,000 and 45,000 UDP
# sockets that a catalogue row covers (RTP on a media host; here the ephemeral range, which the
# row rtp is moved onto) and 5 unexpected TCP listeners: one scrape with the shipped
# Prometheus module cvp_port (rows + findings + globals) through Debian's snmp_exporter - its
# duration, PDUs, series and the findings in it - and full walks of cvpListenerTable, warm
# (-Cr50; each after a first one): CPU per value of cvpportd and of the master for a
# snmpbulkwalk, of cvpportd for snmptable (every column of a row in one request), and of a
# plain snmpd for the same walk with cvpportd loaded into it (dlmod) and for its own
# udpEndpointTable over the same sockets. First, the floor: the CPU one round trip between two
# processes costs on this machine (tests/bench_roundtrip.c), as AgentX takes one a value.
# A real snmpd master and cvpportd over AgentX's unix socket (the default), in a network
# namespace of their own (only these sockets).
# Usage: scripts/bench_scrape.sh [BUILD_DIR]   (root; default build, built if missing)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
cvp_bench_build "${1:-}"
if [ -z "${CVP_BENCH_NETNS:-}" ]; then
    CVP_BENCH_NETNS=1 exec unshare -n bash ${CVP_BENCH_TRACE:+-x} "$0" "$build"
fi
ip link set lo up

cvp_bench_start scrape
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR"
hz=$(getconf CLK_TCK)

udp=$(cvp_free_port udp) web=$(cvp_free_port tcp 13000 16000)
agentx=unix:$work/agentx/master
cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "$agentx"
target=127.0.0.1:$udp
read -r eph_low eph_high </proc/sys/net/ipv4/ip_local_port_range
cat >"$work/cvpportd.conf" <<CONF
cvpRefresh 2
cvpPortMove rtp $eph_low-$eph_high
cvpIgnore udp $udp
cvpIgnore tcp $web
CONF
"$build/cvpportd" -x "$agentx" -C -c "$work/cvpportd.conf" -Lf "$work/cvpportd.log" \
    -p "$work/cvpportd.pid"
cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[2-9]'" 100
# cvpportd's CPU: its agent's and its monitor's, which relays AgentX over the unix socket
monitor=$(cat "$work/cvpportd.pid") snmpd=$(cat "$work/snmpd.pid")
cvpd="$(cvp_agent_pid "$monitor") $monitor"
rtp=$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpPortName | awk '$2 == "rtp" {sub(/^cvpPortName\./, "", $1); print $1}')

for p in 4101 4102 4103 4104 4105; do
    "$build/tests/listen_helper" "tcp/0.0.0.0/$p" >"$work/odd$p.out" 2>&1 &
    pids+=($!)
done
prometheus-snmp-exporter --config.file="$top/mib/prometheus/snmp.yml" \
    --web.listen-address="127.0.0.1:$web" >"$work/exporter.log" 2>&1 &
pids+=($!)
cvp_wait "ss -ltnH 'sport = :$web' | grep -q ." 100

read -r rt_a rt_b < <("$build/tests/bench_roundtrip" 200000)
echo "Floor: one round trip between two processes over a unix socket, waiting in select():" \
    "$rt_a / $rt_b µs of CPU a side (tests/bench_roundtrip)"
printf '%-8s | %-7s %-5s %-7s %-8s %-9s | %-8s %-6s | %-24s | %-9s | %-8s | %-8s\n' sockets scrape PDUs series findings \
    "cvpportd" values walk "bulkwalk: cvpportd/snmpd" snmptable dlmod "own table"
printf '%-8s | %-7s %-5s %-7s %-8s %-9s | %-8s %-6s | %-24s | %-9s | %-8s | %-8s\n' "" "(s)" "" "" "" "CPU (ms)" \
    "" "(s)" "(µs/value)" "(µs/value)" "(µs/value)" "(µs/value)"
# the row also covers sockets of the bench's own (snmpd's port, say): counted from there
base=$(cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::cvpPortSocketCount.$rtp")
have=0
for n in ${CVP_BENCH_SIZES:-0 1000 16000 45000}; do
    # bound UDP sockets, 15,000 a process (descriptors), each process on an address of its own
    while [ "$have" -lt "$n" ]; do
        k=$((n - have < 15000 ? n - have : 15000))
        "$build/tests/bench_loadgen" udp "$k" "127.0.0.$((have / 15000 + 1))" >"$work/udp$have.out" 2>&1 &
        pids+=($!)
        cvp_wait "grep -q ready '$work/udp$have.out'" 1200 || { cat "$work/udp$have.out" >&2; exit 1; }
        have=$((have + k))
    done
    # (at least: the tools' and the exporter's own client sockets come and go in the range)
    cvp_wait "[ \"\$(cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortSocketCount.$rtp)\" -ge $((base + n)) ]" 1200 || {
        echo "cvpportd did not count $n sockets (its count: $(cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::cvpPortSocketCount.$rtp"))" >&2
        exit 1
    }
    cvp_wait "[ \"\$(cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortUnexpectedCount.0)\" = 5 ]" 300
    # one warm-up scrape, then the measured one
    url="http://127.0.0.1:$web/snmp?module=cvp_port&target=$target"
    curl -s -m 60 "$url" >/dev/null
    c0=$(cvp_ticks $cvpd)
    t0=$(date +%s.%N)
    curl -s -m 60 "$url" >"$work/metrics"
    t1=$(date +%s.%N)
    c1=$(cvp_ticks $cvpd)
    dur=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
    pdus=$(awk '/^snmp_scrape_pdus_returned /{print $2}' "$work/metrics")
    series=$(grep -vc '^#' "$work/metrics")
    findings=$(grep -c '^cvpFindingKind_info{' "$work/metrics" || true)
    scpu=$(awk -v t=$((c1 - c0)) -v hz="$hz" 'BEGIN {printf "%.0f", t * 1000 / hz}')
    # the walks, each warm (after a first one)
    lt=.1.3.6.1.4.1.8072.9999.9999.7161.1.3
    cvp_walk_cpu "$cvpd" "$target" "$lt" >/dev/null
    s0=$(cvp_ticks "$snmpd") t0=$(date +%s.%N)
    read -r values cvp_us < <(cvp_walk_cpu "$cvpd" "$target" "$lt")
    t1=$(date +%s.%N) s1=$(cvp_ticks "$snmpd")
    cvp_walk_cpu "$cvpd" "$target" CVP-PORT-MIB::cvpListenerTable table >/dev/null
    read -r _ table_us < <(cvp_walk_cpu "$cvpd" "$target" CVP-PORT-MIB::cvpListenerTable table)
    read -r _ dlmod_us < <(cvp_own_walk_cpu "$lt" "dlmod cvpPortMIB $build/cvpPortMIB.so")
    read -r own_values own_us < <(cvp_own_walk_cpu .1.3.6.1.2.1.7.7)
    # (per value: clock ticks are 10 ms, too coarse for a walk of a few values)
    awk -v n="$n" -v dur="$dur" -v pdus="$pdus" -v series="$series" -v f="$findings" -v scpu="$scpu" \
        -v v="$values" -v t0="$t0" -v t1="$t1" -v c="$cvp_us" -v s=$((s1 - s0)) -v hz="$hz" \
        -v tb="$table_us" -v dl="$dlmod_us" -v own="$own_us" -v ov="$own_values" 'BEGIN {
            bulk = sprintf("%.1f / %.1f", c, s * 1e6 / hz / v)
            if (v < 1000) bulk = tb = dl = "-"
            if (ov < 1000) own = "-"
            printf "%-8d | %-7s %-5s %-7s %-8s %-9s | %-8d %-6.1f | %-24s | %-9s | %-8s | %-8s\n",
                n, dur, pdus, series, f, scpu, v, t1 - t0, bulk, tb, dl, own
        }'
done
