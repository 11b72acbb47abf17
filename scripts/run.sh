#!/usr/bin/env bash
# Installs what is missing, builds, starts a master snmpd and cvpportd, and shows the CVP port
# compliance table by name.  `scripts/run.sh stop` stops both.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
state=${CVP_RUN_STATE:-$top/build/run} # (a test runs it with a directory of its own)
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
cvp_agent_user # the user cvpportd's agent process runs as

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
echo "== CVP-PORT-MIB::cvpPortTable by name (snmpbulkwalk of its columns)"
# One column of the table, one line per row; octet strings (addresses) in hex.
col() { cvp_snmp snmpbulkwalk "$target" -Oqv ${2:-} "CVP-PORT-MIB::$1" | tr -d '"' | sed 's/^ *$/-/'; }
cvp_snmp snmpbulkwalk "$target" -Oq CVP-PORT-MIB::cvpPortName | sed 's/^[^.]*\.\([0-9]*\) /\1 /' >"$state/names"
for c in cvpPortProtocol cvpPortLow cvpPortHigh cvpPortState cvpPortCompliance cvpPortProcessId \
    cvpPortProcessName; do col "$c" >"$state/$c"; done
col cvpPortAddress -Ox | sed 's/ *$//' | tr ' ' . >"$state/cvpPortAddress"
# An address in hex octets: four are IPv4, sixteen IPv6 (all zero: "::"), none "-".
addr='function v6(s,  k, z, j, at) { for (k = 8; k >= 2; k--) { z = ":"; for (j = 0; j < k; j++) z = z "0:"
            at = index(s, z); if (at) { s = substr(s, 1, at) ":" substr(s, at + length(z)); break } }
        if (substr(s, 1, 2) != "::") s = substr(s, 2); if (substr(s, length(s) - 1) != "::") s = substr(s, 1, length(s) - 1); return s }
    function hex(h) { h = tolower(h); return (index("0123456789abcdef", substr(h, 1, 1)) - 1) * 16 + index("0123456789abcdef", substr(h, 2, 1)) - 1 }
    function addr(h,  n, o, i, s) { n = split(h, o, "."); s = ""
        if (n == 4) { for (i = 1; i <= 4; i++) s = s (i > 1 ? "." : "") hex(o[i]); return s }
        if (n == 16) { s = ":"; for (i = 1; i <= 16; i += 2) s = s sprintf("%x", hex(o[i]) * 256 + hex(o[i + 1])) ":"; return v6(s) }
        return "-" }'
printf '%-5s %-18s %-5s %-12s %-13s %-14s %-16s %s\n' INDEX NAME PROTO PORTS STATE COMPLIANCE ADDRESS PROCESS
paste -d' ' "$state/names" "$state/cvpPortProtocol" "$state/cvpPortLow" "$state/cvpPortHigh" \
    "$state/cvpPortState" "$state/cvpPortCompliance" "$state/cvpPortAddress" "$state/cvpPortProcessId" \
    "$state/cvpPortProcessName" |
    awk "$addr"'{ports = ($4 == $5) ? $4 : $4 "-" $5; proc = ($9 == "0") ? "-" : $10 "/" $9
        printf "%-5s %-18s %-5s %-12s %-13s %-14s %-16s %s\n", $1, $2, $3, ports, $6, $7, addr($8), proc}'
echo
echo "== Unexpected listeners (cvpListenerTable, class unexpected)"
# The index is protocol.addressType.length.address....port (-Ob: numeric).
cvp_snmp snmpbulkwalk "$target" -Ob -Oq CVP-PORT-MIB::cvpListenerClass | { grep ' unexpected$' || true; } |
    sed 's/^[^.]*\.//; s/ unexpected$//' >"$state/unexpected"
if [ -s "$state/unexpected" ]; then
    printf '%-5s %-40s %-6s %s\n' PROTO ADDRESS PORT PROCESS
    while read -r idx; do
        pid=$(cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::cvpListenerProcessId.$idx")
        name=$(cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::cvpListenerProcessName.$idx" | tr -d '"')
        echo "$idx $pid $name"
    done <"$state/unexpected" | awk -F'[. ]' '{n = $3; a = ""
        for (i = 1; i <= n; i++) a = a (n == 4 ? (i > 1 ? "." : "") $(3 + i) : sprintf("%s%02x", (i > 1 && i % 2) ? ":" : "", $(3 + i)))
        if (n == 0) a = "(dual-stack) ::"
        proc = ($(5 + n) == "0") ? "-" : $(6 + n) "/" $(5 + n)
        printf "%-5s %-40s %-6s %s\n", ($1 == 1 ? "tcp" : "udp"), a, $(4 + n), proc}'
else
    echo "(none)"
fi

cat <<MSG

snmpd (master, UDP $udp_port, AgentX unix:$agentx, no SMUX) and cvpportd are running; logs in
$state. This cvpportd reads $state/cvpportd.conf (-C -c: only that file; an installed
cvpportd reads /etc/snmp/cvpportd.conf).

Next steps:
  - Set this host's CVP roles (the rows of other roles are notApplicable), e.g.
      echo 'cvpRoles callserver,vxml,common,snmp,mgmt' >>$state/cvpportd.conf
    check it and reload:
      build/cvpportd --check-config -C -c $state/cvpportd.conf && kill -HUP \$(cat $state/cvpportd.pid)
  - The same verdicts with what to do about each:  build/cvpportd --check -C -c $state/cvpportd.conf
  - Every link from this host to an NMS, checked:
      build/cvpportd -x unix:$agentx -C -c $state/cvpportd.conf --doctor $target
  - Walk it yourself:
      snmpwalk -v2c -c public -M $CVP_MIBDIRS -m CVP-PORT-MIB $target CVP-PORT-MIB::cvpPortTable
  - Deploy on a CVP host: README, "Deploy on a host".
Stop both with:
  scripts/run.sh stop
MSG
