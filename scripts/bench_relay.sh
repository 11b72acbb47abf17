#!/usr/bin/env bash
# Benchmark: what the monitor's AgentX relay costs. One master snmpd listens for AgentX on a
# unix socket of root's (which cvpportd's monitor relays for its agent, as it does Debian's
# /var/agentx/master) and on TCP (which the agent uses directly). cvpportd is started on each in
# turn; each time: GETs of a cvpPortTable value through the master back to back for 10 s
# (p50/p99/max) and the CPU the agent and the monitor spent meanwhile.
# Usage: sudo scripts/bench_relay.sh [BUILD_DIR]   (about half a minute)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
[ "$(id -u)" = 0 ] || { echo "run as root: the relay is what cvpportd does when started as root"; exit 1; }
cvp_bench_build "${1:-}"
cvp_bench_start relay
export SNMP_PERSISTENT_DIR=$work/persist
udp=$(cvp_free_port udp) tcpx=$(cvp_free_port tcp 12000 12999)
sock=$work/agentx/master
cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "unix:$sock,tcp:127.0.0.1:$tcpx"
target=127.0.0.1:$udp
printf 'cvpRefresh 5\n' >"$work/cvpportd.conf"
chmod 600 "$work/cvpportd.conf"
value_oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.2.1.19.1 # cvpPortCompliance.1

run() { # run NAME AGENTX
    "$build/cvpportd" -x "$2" -C -c "$work/cvpportd.conf" -Lf "$work/$1.log" -p "$work/cvpportd.pid"
    cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[1-9]'" 100 ||
        { echo "cvpportd did not register over $2"; cat "$work/$1.log"; exit 1; }
    local monitor agent lat a0 a1 m0 m1
    monitor=$(cat "$work/cvpportd.pid")
    agent=$(cvp_agent_pid "$monitor")
    "$build/tests/bench_latency" "$target" "$value_oid" 2 >/dev/null # warm
    a0=$(cvp_ticks "$agent") m0=$(cvp_ticks "$monitor")
    lat=$("$build/tests/bench_latency" "$target" "$value_oid" 10)
    a1=$(cvp_ticks "$agent") m1=$(cvp_ticks "$monitor")
    printf '%-8s %s; CPU: agent %s ms, monitor %s ms\n' \
        "$1" "$lat" "$(((a1 - a0) * 1000 / hz))" "$(((m1 - m0) * 1000 / hz))"
    cvp_kill_pidfile "$work/cvpportd.pid"
}
hz=$(getconf CLK_TCK)
echo "== GETs back to back for 10 s"
run relayed "unix:$sock"
run direct "tcp:127.0.0.1:$tcpx"
