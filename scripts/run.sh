#!/usr/bin/env bash
# Installs what is missing, builds, starts a master snmpd and cvpportd, and shows the CVP port
# compliance table by name.  `scripts/run.sh stop` stops both.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
state=$top/build/run
agentx=$state/agentx/master

stop() {
    cvp_kill_pidfile "$state/cvpportd.pid"
    cvp_kill_pidfile "$state/snmpd.pid"
}

if [ "${1:-}" = stop ]; then
    stop
    rm -f "$state/ports"
    echo "cvpportd and its snmpd stopped."
    exit 0
fi

bash scripts/deps.sh
bash scripts/build.sh build

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
mkdir -p "$state"
if alive "$state/snmpd.pid" && alive "$state/cvpportd.pid" && [ -f "$state/ports" ]; then
    # A second run leaves the first run's daemons as they are and shows the table again.
    read -r udp_port <"$state/ports"
    echo "snmpd and cvpportd from an earlier run are still running (scripts/run.sh stop ends them)."
    export SNMP_PERSISTENT_DIR=$state/persist
else
    stop # whatever half of an earlier run is left
    # UDP 161 when it is free, else a private loopback port. AgentX goes over a unix socket
    # only root may use, as Debian's snmpd's /var/agentx/master (here a private one).
    if cvp_port_free udp 161; then
        udp_port=161
    else
        udp_port=$(cvp_free_port udp)
        echo "UDP 161 is in use here: using UDP $udp_port instead."
    fi
    echo "$udp_port" >"$state/ports"
    export SNMP_PERSISTENT_DIR=$state/persist
    cvp_start_snmpd "$state" "udp:127.0.0.1:$udp_port" "unix:$agentx"
    conf=$state/cvpportd.conf
    [ -f "$conf" ] || printf '# cvpportd configuration for scripts/run.sh\ncvpRefresh 5\n' >"$conf"
    build/cvpportd -x "unix:$agentx" -C -c "$conf" -Lf "$state/cvpportd.log" \
        -p "$state/cvpportd.pid"
fi
target=127.0.0.1:$udp_port
cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[1-9]'" 100 || {
    echo "cvpportd did not register; its log:"; cat "$state/cvpportd.log"; exit 1; }

echo
echo "== snmpwalk -v2c -c public $target CVP-PORT-MIB::cvpPortGlobals"
cvp_snmp snmpwalk "$target" CVP-PORT-MIB::cvpPortGlobals
echo
echo "== CVP-PORT-MIB::cvpPortTable, by name (snmpbulkwalk of its columns)"
col() { cvp_snmp snmpbulkwalk "$target" -Oqv "CVP-PORT-MIB::$1" | tr -d '"' | sed 's/^$/-/'; }
cvp_snmp snmpbulkwalk "$target" -Oq CVP-PORT-MIB::cvpPortName | sed 's/^[^.]*\.\([0-9]*\) /\1 /' >"$state/names"
for c in cvpPortProtocol cvpPortLow cvpPortHigh cvpPortState cvpPortCompliance; do col "$c" >"$state/$c"; done
printf '%-6s %-18s %-5s %-12s %-13s %s\n' INDEX NAME PROTO PORTS STATE COMPLIANCE
paste -d' ' "$state/names" "$state/cvpPortProtocol" "$state/cvpPortLow" "$state/cvpPortHigh" \
    "$state/cvpPortState" "$state/cvpPortCompliance" |
    awk '{ports = ($4 == $5) ? $4 : $4 "-" $5; printf "%-6s %-18s %-5s %-12s %-13s %s\n", $1, $2, $3, ports, $6, $7}'

cat <<MSG

snmpd (master, UDP $udp_port, AgentX unix:$agentx) and cvpportd are running; logs in $state.
Walk it yourself:
  snmpwalk -v2c -c public -M $CVP_MIBDIRS -m CVP-PORT-MIB $target CVP-PORT-MIB::cvpPortTable
Stop both with:
  scripts/run.sh stop
MSG
