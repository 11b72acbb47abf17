#!/usr/bin/env bash
# Benchmark: one cvpportd polling 200 remote hosts every 60 s (cvpHostPoll 60), next to a real
# snmpd master:
#  - 149 Linux hosts: two real snmpd answering on 149 UDP ports (each port a host), serving
#    TCP-MIB/UDP-MIB of this machine; 50 Windows CVP Call Servers: one snmpsim answering on 50
#    ports with the recording tests/fixtures/remote/windows-callserver.snmprec (RFC 1213's
#    tables); 1 host that never answers (its 5 s timeout, 1 retry).
#  - For two polling rounds: cvpportd's CPU a round, its RSS, the time a poll takes (first
#    request to last answer: cvpHostPollDuration), the hosts reachable by source; then, for a
#    third round, GETs of a cvpPortTable value back to back (p50/p99/max), beside the same GETs
#    with no remote host configured.
# Usage: scripts/bench_hosts.sh [BUILD_DIR]   (default build; built if missing). About 5 minutes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
cvp_bench_build "${1:-}"
cvp_bench_start hosts
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR"
hz=$(getconf CLK_TCK)
LINUX=149 WINDOWS=50 ROUND=${CVP_BENCH_ROUND:-60}

cvp_bench_daemon
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
value_oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.2.1.19.1 # cvpPortCompliance.1
latency() { "$build/tests/bench_latency" "$target" "$value_oid" "$1"; }
lat_field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }

echo "== no remote host: 30 s idle, then GETs for 20 s"
rss0=$(rss "$cvpd")
c0=$(cvp_ticks "$cvpd")
sleep 30
c1=$(cvp_ticks "$cvpd")
base=$(latency 20)
echo "   $base; cvpportd RSS $rss0 kB"

echo "== the hosts: $LINUX Linux (two snmpd), $WINDOWS Windows (one snmpsim), 1 that never answers"
ports=()
while [ ${#ports[@]} -lt $((LINUX + WINDOWS + 1)) ]; do
    p=$(cvp_free_port udp 20000 40000)
    case " ${ports[*]} " in *" $p "*) continue ;; esac
    ports+=("$p")
done
# two snmpd (one listens on at most 128 addresses), each port a host
for half in 0 1; do
    {
        for p in "${ports[@]:$((half * 75)):$((half ? LINUX - 75 : 75))}"; do
            echo "agentaddress udp:127.0.0.1:$p"
        done
        echo "rocommunity fleet 127.0.0.1"
    } >"$work/fleet$half.conf"
    MIBS="" snmpd -I -smux -C -c "$work/fleet$half.conf" -Lf "$work/fleet$half.log" \
        -p "$work/fleet$half.pid" </dev/null
done
mkdir -p "$work/sim"
cp tests/fixtures/remote/windows-callserver.snmprec "$work/sim/"
chmod a+x "$work"
chmod -R a+rX "$work/sim"
endpoints=()
for p in "${ports[@]:LINUX:WINDOWS}"; do endpoints+=("--agent-udpv4-endpoint=127.0.0.1:$p"); done
snmpsimd --data-dir="$work/sim" "${endpoints[@]}" --process-user=nobody --process-group=nogroup \
    --logging-method=null >/dev/null 2>&1 &
pids+=($!)
last_sim=${ports[$((LINUX + WINDOWS - 1))]}
cvp_wait "snmpget -v2c -c windows-callserver -t 1 -r 0 127.0.0.1:$last_sim 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1" 300 ||
    { echo "snmpsim does not answer"; exit 1; }
for p in "${ports[0]}" "${ports[$((LINUX - 1))]}"; do
    cvp_wait "snmpget -v2c -c fleet -t 1 -r 0 127.0.0.1:$p 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1" 100 ||
        { echo "snmpd does not answer on $p"; exit 1; }
done
{
    echo "cvpHostPoll $ROUND"
    for i in $(seq 0 $((LINUX - 1))); do
        echo "cvpHost linux$i 127.0.0.1:${ports[$i]} vxml,mgmt -v2c -c fleet -t 5 -r 1"
    done
    for i in $(seq 0 $((WINDOWS - 1))); do
        echo "cvpHost win$i 127.0.0.1:${ports[$((LINUX + i))]} callserver,common,windows,mgmt -v2c -c windows-callserver -t 5 -r 1"
    done
    echo "cvpHost dead 127.0.0.1:${ports[$((LINUX + WINDOWS))]} callserver -v2c -c x -t 5 -r 1"
} >>"$work/cvpportd.conf"
n=$((LINUX + WINDOWS + 1))
kill -HUP "$cvpd"
hostwalk() { cvp_snmp snmpbulkwalk "$target" -Cr50 -Oqv "CVP-PORT-MIB::$1"; }
cvp_wait "[ \$(hostwalk cvpHostReachability | grep -vc notPolled) -ge $n ]" 600 || {
    echo "not every host was polled"
    exit 1
}

echo "== two polling rounds ($((2 * ROUND)) s), then one with GETs back to back"
c2=$(cvp_ticks "$cvpd")
t2=$(date +%s%N)
sleep $((2 * ROUND))
c3=$(cvp_ticks "$cvpd")
t3=$(date +%s%N)
rss1=$(rss "$cvpd")
reach=$(paste -d' ' <(hostwalk cvpHostName) <(hostwalk cvpHostReachability) <(hostwalk cvpHostSource) \
    <(hostwalk cvpHostLastPoll | tr -dc '0-9\n') <(hostwalk cvpHostPollDuration | tr -dc '0-9\n') \
    <(hostwalk cvpHostUnexpectedCount))
rows=$(cvp_snmp snmpbulkwalk "$target" -Cr50 -Oqv CVP-PORT-MIB::cvpHostPortCompliance | wc -l)
lat=$(latency "$ROUND")
# the hosts' polls are spread over the interval: a round is the interval; each poll's duration
polls=$(echo "$reach" | awk '$2 == "reachable" {print $5}' | sort -n)
cpu_ms=$(awk -v t=$((c3 - c2)) -v hz="$hz" -v s=$(((t3 - t2) / 1000000)) -v r=$ROUND \
    'BEGIN {printf "%.0f", t * 1000 / hz / (s / 1000 / r)}')
idle_ms=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v r=$ROUND 'BEGIN {printf "%.0f", t * 1000 / hz / 30 * r}')
med() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo
echo "hosts: $(echo "$reach" | grep -c ' reachable tcpUdpMib') Linux reachable (tcpUdpMib), $(echo "$reach" | grep -c ' reachable rfc1213') Windows reachable (rfc1213), $(echo "$reach" | grep -c ' unreachable') unreachable; $rows host rows"
echo "listeners a host (median unexpected): Linux $(echo "$reach" | awk '$3 == "tcpUdpMib" {print $6}' | med), Windows $(echo "$reach" | awk '$3 == "rfc1213" {print $6}' | med)"
echo "a poll (first request to last answer): median $(echo "$polls" | med) ms, max $(echo "$polls" | tail -1) ms; the silent host: $(echo "$reach" | awk '$2 == "unreachable" {print $5}') ms (its timeout and retry)"
echo "cvpportd CPU a ${ROUND} s round: $cpu_ms ms (no hosts: $idle_ms ms in ${ROUND} s)"
echo "cvpportd RSS: $rss0 kB without hosts, $rss1 kB with $n"
printf '| remote hosts | GETs | p50 | p99 | max | timeouts |\n|---|---|---|---|---|---|\n'
for row in "0 (20 s)|$base" "$n (${ROUND} s)|$lat"; do
    l=${row#*|}
    printf '| %s | %s | %s µs | %s µs | %s µs | %s |\n' "${row%%|*}" "$(lat_field "$l" n)" \
        "$(lat_field "$l" p50_us)" "$(lat_field "$l" p99_us)" "$(lat_field "$l" max_us)" "$(lat_field "$l" timeouts)"
done
