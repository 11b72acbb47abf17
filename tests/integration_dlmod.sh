#!/usr/bin/env bash
# Integration: the same registration loaded into snmpd itself with `dlmod`, configured in
# snmpd.conf, and walked through snmpd.
# Usage: integration_dlmod.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

udp=$(cvp_free_port udp) || exit 1
mkdir -p "$work/persist"
cat >"$work/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$udp
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
dlmod cvpPortMIB $CVP_BUILD/cvpPortMIB.so
cvpRoles vxml,snmp
cvpRefresh 1
CONF
export SNMP_PERSISTENT_DIR=$work/persist
# In a sanitizer build the module needs the sanitizer runtimes loaded first into snmpd.
LD_PRELOAD=${CVP_SANITIZER_PRELOAD:-} MIBS="" snmpd -C -c "$work/snmpd.conf" -Lf "$work/snmpd.log" \
    -p "$work/snmpd.pid" >/dev/null 2>&1 || { echo "snmpd failed to start:"; cat "$work/snmpd.log"; exit 1; }
target=127.0.0.1:$udp
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ] || ! kill -0 \$(cat '$work/snmpd.pid')" 100
[ "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)" = "$CVP_ROWS" ] || { echo "snmpd with the module does not answer:"; cat "$work/snmpd.log"; exit 1; }

check "catalogue size through dlmod" "$CVP_ROWS" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"
check "roles from snmpd.conf" vxml,snmp "$(get CVP-PORT-MIB::cvpPortRoles.0)"
check "snmpd's own UDP port is not the catalogue's 161: snmp-agent missing" missing "$(get CVP-PORT-MIB::cvpPortCompliance.39)"
it_scans_after 1 50
check "the refresh timer runs inside snmpd" 0 "$?"
check "a walk of cvpPortTable" "$((CVP_ROWS * 24))" "$(cvp_snmp snmpbulkwalk "$target" CVP-PORT-MIB::cvpPortTable | grep -c '^CVP-PORT-MIB::cvpPort')"
# snmpd opens its port and then forks into the background: a walk that found the socket in the
# parent finds it again in the child at the next walk due for UDP sockets (at most 30 s later).
owner() { cvp_snmp snmpbulkwalk "$target" -Oq CVP-PORT-MIB::cvpListenerProcessName | grep -F "udp.ipv4.\"127.0.0.1\".$udp " | cut -d' ' -f2; }
cvp_wait "[ \"\$(owner)\" = snmpd ]" 400
check "snmpd's process owns its listener" snmpd "$(owner)"
it_done
