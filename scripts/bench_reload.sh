#!/usr/bin/env bash
# Benchmark: SNMP request latency while cvpportd reloads a large configuration. A real snmpd
# master; a configuration of ROWS rows (default 18,000, about 1 MiB); a client GETs back to back
# for 12 s while cvpportd gets a SIGHUP every 2 s (each reload parses, checks and applies the
# whole file). Prints the latency percentiles idle and during the reloads, and how long each
# reload took (from the log).
# Usage: scripts/bench_reload.sh [ROWS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
rows=${1:-18000}

bash scripts/deps.sh
bash scripts/build.sh build

cvp_bench_start reload
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR"
udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp 12000 12999)
cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx"
conf=$work/cvpportd.conf
{
    printf 'cvpRefresh 1\ncvpIgnore tcp 199\ncvpIgnore tcp %s\n' "$agentx"
    for i in $(seq 1 "$rows"); do
        printf 'cvpPort g%d tcp %d all optional inbound mgmt "r"\n' "$i" $((1 + i % 65535))
    done
} >"$conf"
echo "== configuration: $rows rows, $(stat -c %s "$conf") bytes" >&2
build/cvpportd -x "tcp:127.0.0.1:$agentx" -C -c "$conf" -Lf "$work/cvpportd.log" -p "$work/cvpportd.pid"
target=127.0.0.1:$udp
oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.1.8.0 # cvpPortScanCount.0
cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[2-9]'" 300

idle=$(build/tests/bench_latency "$target" "$oid" 5)
build/tests/bench_latency "$target" "$oid" 12 >"$work/reload.out" &
probe=$!
for i in 1 2 3 4 5; do
    sleep 2
    kill -HUP "$(cat "$work/cvpportd.pid")"
done
wait "$probe"
reload=$(cat "$work/reload.out")
sleep 3
applied=$(grep -c 'configuration reloaded' "$work/cvpportd.log" || true)

echo
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), Linux $(uname -r)"
echo "| phase | requests | p50 | p99 | max | timeouts |"
echo "|---|---|---|---|---|---|"
for phase in idle reload; do
    eval "line=\$$phase"
    set -- $line
    printf '| %s | %s | %s µs | %s µs | %s µs | %s |\n' "$phase" "${1#n=}" "${2#p50_us=}" "${3#p99_us=}" "${4#max_us=}" "${5#timeouts=}"
done
echo
echo "reloads applied: $applied of 5"
grep 'configuration reloaded\|reload' "$work/cvpportd.log" | tail -3 || true
