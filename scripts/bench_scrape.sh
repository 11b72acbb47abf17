#!/usr/bin/env bash
# Benchmark: what polling costs as a host's sockets grow. For 0, 1,000, 16,000 and 45,000 UDP
# sockets that a catalogue row covers (RTP on a media host; here the ephemeral range, which the
# row rtp is moved onto) and 5 unexpected TCP listeners: one scrape with the shipped
# Prometheus module cvp_port (rows + findings + globals) through Debian's snmp_exporter - its
# duration, PDUs, series and the findings in it - and one full bulk walk of cvpListenerTable
# (-Cr50) - values, wall time, cvpportd's and snmpd's CPU per value. A real snmpd master and
# cvpportd, in a network namespace of their own (only these sockets).
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
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp 12000 12999) web=$(cvp_free_port tcp 13000 16000)
cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx"
target=127.0.0.1:$udp
read -r eph_low eph_high </proc/sys/net/ipv4/ip_local_port_range
cat >"$work/cvpportd.conf" <<CONF
cvpRefresh 2
cvpPortMove rtp $eph_low-$eph_high
cvpIgnore udp $udp
cvpIgnore tcp $agentx
cvpIgnore tcp $web
CONF
"$build/cvpportd" -x "tcp:127.0.0.1:$agentx" -C -c "$work/cvpportd.conf" -Lf "$work/cvpportd.log" \
    -p "$work/cvpportd.pid"
cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[2-9]'" 100
cvpd=$(cat "$work/cvpportd.pid") snmpd=$(cat "$work/snmpd.pid")
rtp=$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpPortName | awk '$2 == "rtp" {sub(/^cvpPortName\./, "", $1); print $1}')

for p in 4101 4102 4103 4104 4105; do
    "$build/tests/listen_helper" "tcp/0.0.0.0/$p" >"$work/odd$p.out" 2>&1 &
    pids+=($!)
done
prometheus-snmp-exporter --config.file="$top/mib/prometheus/snmp.yml" \
    --web.listen-address="127.0.0.1:$web" >"$work/exporter.log" 2>&1 &
pids+=($!)
cvp_wait "ss -ltnH 'sport = :$web' | grep -q ." 100

printf '%-8s | %-7s %-5s %-7s %-8s %-10s | %-8s %-8s %-12s %-12s\n' sockets scrape PDUs series findings "cvpportd" \
    "values" "walk" "cvpportd" "snmpd"
printf '%-8s | %-7s %-5s %-7s %-8s %-10s | %-8s %-8s %-12s %-12s\n' "" "(s)" "" "" "" "CPU (ms)" \
    "" "(s)" "(µs/value)" "(µs/value)"
# the row also covers sockets of the bench's own (snmpd's port, say): counted from there
base=$(cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::cvpPortSocketCount.$rtp")
have=0
for n in 0 1000 16000 45000; do
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
    c0=$(ticks "$cvpd")
    t0=$(date +%s.%N)
    curl -s -m 60 "$url" >"$work/metrics"
    t1=$(date +%s.%N)
    c1=$(ticks "$cvpd")
    dur=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
    pdus=$(awk '/^snmp_scrape_pdus_returned /{print $2}' "$work/metrics")
    series=$(grep -vc '^#' "$work/metrics")
    findings=$(grep -c '^cvpFindingKind_info{' "$work/metrics" || true)
    scpu=$(awk -v t=$((c1 - c0)) -v hz="$hz" 'BEGIN {printf "%.0f", t * 1000 / hz}')
    # the full listener walk, warm (a first walk, then the measured one)
    MIBS="" snmpbulkwalk -v2c -c public -Cr50 -t 60 -r 0 "$target" .1.3.6.1.4.1.8072.9999.9999.7161.1.3 >/dev/null 2>&1 || true
    c0=$(ticks "$cvpd") s0=$(ticks "$snmpd") t0=$(date +%s.%N)
    values=$(MIBS="" snmpbulkwalk -v2c -c public -Cr50 -t 60 -r 0 "$target" .1.3.6.1.4.1.8072.9999.9999.7161.1.3 2>/dev/null | wc -l)
    t1=$(date +%s.%N) c1=$(ticks "$cvpd") s1=$(ticks "$snmpd")
    awk -v n="$n" -v dur="$dur" -v pdus="$pdus" -v series="$series" -v f="$findings" -v scpu="$scpu" \
        -v v="$values" -v t0="$t0" -v t1="$t1" -v c=$((c1 - c0)) -v s=$((s1 - s0)) -v hz="$hz" \
        'BEGIN {printf "%-8d | %-7s %-5s %-7s %-8s %-10s | %-8d %-8.1f %-12.1f %-12.1f\n", n, dur, pdus, series, f, scpu, v, t1 - t0, v ? c * 1e6 / hz / v : 0, v ? s * 1e6 / hz / v : 0}'
done
