#!/usr/bin/env bash
# Benchmark: SNMP request latency while a thousand unexpected listeners appear at once, so that
# one refresh attributes them all and decides their notifications (rate-limited) while a
# client keeps asking. A real snmpd master with a trap2sink to a real snmptrapd.
# Usage: scripts/bench_notify.sh [LISTENERS]     (default 1000)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
count=${1:-1000}

bash scripts/deps.sh
bash scripts/build.sh build

cvp_bench_start notify
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR"

trapport=$(cvp_free_port udp) udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp 12000 12999)
printf 'authCommunity log public\n' >"$work/snmptrapd.conf"
MIBS="" snmptrapd -C -c "$work/snmptrapd.conf" -Lf "$work/snmptrapd.log" -p "$work/snmptrapd.pid" \
    -X -On "udp:127.0.0.1:$trapport"
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$trapport public" \
    cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx"
printf 'cvpRefresh 1\ncvpTrapHoldDown 1\ncvpIgnore tcp 199\ncvpIgnore tcp %s\n' "$agentx" >"$work/cvpportd.conf"
build/cvpportd -x "tcp:127.0.0.1:$agentx" -C -c "$work/cvpportd.conf" -Lf "$work/cvpportd.log" \
    -p "$work/cvpportd.pid"
target=127.0.0.1:$udp
oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.1.8.0 # cvpPortScanCount.0
cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[2-9]'" 100
get() { cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::$1.0"; }

echo "== idle: GET $oid back to back for 5 s" >&2
idle=$(build/tests/bench_latency "$target" "$oid" 5)
sent0=$(get cvpPortNotificationsSent) supp0=$(get cvpPortNotificationsSuppressed)

echo "== $count listeners appear at once while the client keeps asking (8 s)" >&2
build/tests/bench_latency "$target" "$oid" 8 >"$work/burst.out" &
probe=$!
sleep 2
build/tests/bench_loadgen listeners "$count" 13000 >"$work/listeners.out" 2>&1 &
pids+=($!)
wait "$probe"
burst=$(cat "$work/burst.out")
sleep 1
unexpected=$(get cvpPortUnexpectedCount)
sent=$(($(get cvpPortNotificationsSent) - sent0)) supp=$(($(get cvpPortNotificationsSuppressed) - supp0))
received=$(grep -c 'cvpPortMIB\|8072.9999.9999.7161.0.2' "$work/snmptrapd.log" || true)

echo
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), Linux $(uname -r)"
echo "| phase | requests | p50 | p99 | max | timeouts |"
echo "|---|---|---|---|---|---|"
for phase in idle burst; do
    eval "line=\$$phase"
    set -- $line
    printf '| %s | %s | %s µs | %s µs | %s µs | %s |\n' "$phase" "${1#n=}" "${2#p50_us=}" "${3#p99_us=}" "${4#max_us=}" "${5#timeouts=}"
done
echo
echo "unexpected listeners now: $unexpected; notifications sent: $sent, over the rate limit: $supp; received by snmptrapd: $received"
