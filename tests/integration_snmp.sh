#!/usr/bin/env bash
# Integration: a real snmpd master and cvpportd on private loopback ports, real listeners,
# and snmpget/snmpwalk/snmpbulkwalk checking CVP-PORT-MIB.
# Usage: integration_snmp.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

# A read-write community, so that SETs reach cvpportd (a read-only one stops them at the master).
CVP_SNMPD_EXTRA="rwcommunity private 127.0.0.1" it_start_master || exit 1
hexaddr() { get -Ox "$1" | tr -d '" '; } # an InetAddress as bare hex digits

# Catalogue rows to exercise; a row whose default port is busy here is moved to a free one.
conf=$work/cvpportd.conf
echo "cvpRefresh 1" >"$conf"
pick() { # pick ROW PROTO DEFAULT -> prints the port to use
    if cvp_port_free "$2" "$3"; then echo "$3"; else
        local p; p=$(cvp_free_port "$2"); echo "cvpPortMove $1 $p" >>"$conf"; echo "$p"; fi
}
p_http=$(pick vxml-http tcp 7000)     # index 5
p_tomcat=$(pick vxml-tomcat tcp 7005) # index 7
p_sip=$(pick sip-udp udp 5060)        # index 3
p_siptcp=$(pick sip-tcp tcp 5060)     # index 4, left closed

start_listener() { # start_listener NAME SPEC...
    local name=$1; shift
    "$CVP_BUILD/tests/listen_helper" "$@" >"$work/$name.out" 2>&1 &
    it_pids+=($!)
    eval "pid_$name=$!"
    cvp_wait "grep -q ready '$work/$name.out'" 50 || { echo "listener $name failed:"; cat "$work/$name.out"; exit 1; }
}
start_listener http "tcp/0.0.0.0/$p_http"
start_listener tomcat "tcp/0.0.0.0/$p_tomcat"
start_listener sip "udp/127.0.0.1/$p_sip"

it_start_cvpportd "$conf" "" -Dcvpportd/answer
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortState.5)\" = listening ]" 100 || {
    echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }

check "vxml-http port" "$p_http" "$(get CVP-PORT-MIB::cvpPortLow.5)"
check "vxml-http on 0.0.0.0 is listening" listening "$(get CVP-PORT-MIB::cvpPortState.5)"
check "vxml-http address type" ipv4 "$(get CVP-PORT-MIB::cvpPortAddressType.5)"
check "vxml-http address 0.0.0.0" 00000000 "$(hexaddr CVP-PORT-MIB::cvpPortAddress.5)"
check "vxml-http (bidirectional) on 0.0.0.0 is compliant" compliant "$(get CVP-PORT-MIB::cvpPortCompliance.5)"
check "vxml-tomcat (loopback) on 0.0.0.0 is listening" listening "$(get CVP-PORT-MIB::cvpPortState.7)"
check "vxml-tomcat (loopback) on 0.0.0.0 is exposed" exposed "$(get CVP-PORT-MIB::cvpPortCompliance.7)"
check "sip-udp on 127.0.0.1 is listening" listening "$(get CVP-PORT-MIB::cvpPortState.3)"
check "sip-udp address 127.0.0.1" 7F000001 "$(hexaddr CVP-PORT-MIB::cvpPortAddress.3)"
check "sip-udp is compliant" compliant "$(get CVP-PORT-MIB::cvpPortCompliance.3)"
check "sip-tcp (closed) is notListening" notListening "$(get CVP-PORT-MIB::cvpPortState.4)"
check "sip-tcp (required, callserver enabled) is missing" missing "$(get CVP-PORT-MIB::cvpPortCompliance.4)"
check "sip-tcp has no address" '""' "$(get CVP-PORT-MIB::cvpPortAddress.4)"
check "a notApplicable row (ops-http, oamp off)" notApplicable "$(get CVP-PORT-MIB::cvpPortCompliance.15)"
check "listen count of vxml-http" 1 "$(get CVP-PORT-MIB::cvpPortListenCount.5)"
check "scan source (netlink by default)" netlink "$(get CVP-PORT-MIB::cvpPortScanSource.0)"
check "roles" callserver,vxml,media,common,snmp,mgmt "$(get CVP-PORT-MIB::cvpPortRoles.0 | tr -d '"')"
# As root every owner is found (a socket no process holds is kernel-owned after a few walks).
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortUnattributedCount.0)\" = 0 ]" 600
check "no listener left unattributed" 0 "$(get CVP-PORT-MIB::cvpPortUnattributedCount.0)"

# The scalars agree with the rows, through a bulk walk of the compliance column.
walk=$(cvp_snmp snmpbulkwalk "$target" -Oqv CVP-PORT-MIB::cvpPortCompliance)
rows=$(echo "$walk" | grep -c .)
compliant=$(echo "$walk" | grep -cx compliant)
violations=$(echo "$walk" | grep -cxE 'missing|exposed|forbidden')
check "catalog size = rows walked" "$rows" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"
check "compliant count = compliant rows" "$compliant" "$(get CVP-PORT-MIB::cvpPortCompliantCount.0)"
check "violation count = violating rows" "$violations" "$(get CVP-PORT-MIB::cvpPortViolationCount.0)"
check "overall status" nonCompliant "$(get CVP-PORT-MIB::cvpPortOverallStatus.0)"
# The same objects in the same order, and the same values but for the live state of a row
# (on this host's live sockets a refresh between the two walks may change it: the tools' own
# UDP sockets come and go in ranges rows cover).
table_walk() {
    cvp_snmp "$1" "$target" CVP-PORT-MIB::cvpPortTable |
        sed -E 's/^(CVP-PORT-MIB::cvpPort(ListenCount|SocketCount|State|AddressType|Address|ProcessId|ProcessName|Compliance|LastChange)\.[0-9]+) = .*/\1/' |
        md5sum
}
check "snmpwalk and snmpbulkwalk agree on cvpPortTable" "$(table_walk snmpwalk)" "$(table_walk snmpbulkwalk)"
answered0=$(grep -c 'answered request' "$work/cvpportd.log")
check "the walk leaves cvpPortTable in order (every row x 24 columns)" "$((CVP_ROWS * 24))" \
    "$(cvp_snmp snmpwalk "$target" CVP-PORT-MIB::cvpPortTable | grep -c '^CVP-PORT-MIB::cvpPort')"
# Each of the walk's values came from the AgentX session itself (agentx_direct.c), none
# through net-snmp's agent (the master asks once per value).
answered=$(($(grep -c 'answered request' "$work/cvpportd.log") - answered0))
check "the walk's $((CVP_ROWS * 24)) values answered directly ($answered)" yes \
    "$([ "$answered" -ge $((CVP_ROWS * 24)) ] && echo yes || echo no)"

# Close the vxml-http listener: the row follows within a refresh or two.
changes_before=$(get CVP-PORT-MIB::cvpPortComplianceChanges.0)
kill "$pid_http"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortState.5)\" = notListening ]" 50
check "vxml-http after its listener closed is notListening" notListening "$(get CVP-PORT-MIB::cvpPortState.5)"
check "vxml-http after its listener closed is missing" missing "$(get CVP-PORT-MIB::cvpPortCompliance.5)"
# The change is announced (counted, stamped) once it has held for the hold-down (2 scans).
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortComplianceChanges.0)\" = $((changes_before + 1)) ]" 50
check "compliance change counted" $((changes_before + 1)) "$(get CVP-PORT-MIB::cvpPortComplianceChanges.0)"
lc=$(get -Ot CVP-PORT-MIB::cvpPortLastChange.5)
check "vxml-http last change is set" yes "$([ "${lc:-0}" -gt 0 ] && echo yes || echo "no ($lc)")"

# Read-only: every kind of object refuses a SET through the master and keeps its value.
for obj in cvpPortRoles.0:s:x cvpPortCompliantCount.0:u:1 cvpPortName.5:s:x cvpPortCompliance.5:i:1 \
    cvpPortLow.5:u:1 "cvpListenerProcessId.1.1.4.0.0.0.0.$p_tomcat:u:1"; do
    name=${obj%%:*} rest=${obj#*:}
    before=$(get "CVP-PORT-MIB::$name")
    out=$(MIBS="" snmpset -v2c -c private -M "$CVP_MIBDIRS" -m CVP-PORT-MIB -t 2 -r 0 "$target" \
        "CVP-PORT-MIB::$name" "${rest%%:*}" "${rest#*:}" 2>&1)
    check "SET $name is refused by cvpportd" yes "$(echo "$out" | grep -qE 'notWritable|noCreation' && echo yes || echo "no: $out")"
    check "and $name keeps its value" "$before" "$(get "CVP-PORT-MIB::$name")"
done
check "still serving after the SETs" "$CVP_ROWS" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"

# SIGHUP re-reads the configuration.
echo "cvpRoles oamp" >>"$conf"
kill -HUP "$(cat "$work/cvpportd.pid")"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortRoles.0)\" = oamp ]" 50
check "SIGHUP: new roles" oamp "$(get CVP-PORT-MIB::cvpPortRoles.0)"
check "SIGHUP: a vxml row is now notApplicable" notApplicable "$(get CVP-PORT-MIB::cvpPortCompliance.5)"
check "SIGHUP: an oamp row now applies" missing "$(get CVP-PORT-MIB::cvpPortCompliance.15)"

# SIGTERM: clean shutdown, the subtree goes away from the master.
cvp_kill_pidfile "$work/cvpportd.pid"
check "after SIGTERM the master no longer serves CVP-PORT-MIB" "No Such Object available on this agent at this OID" \
    "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"
check "shutdown logged" 1 "$(grep -c 'shutting down' "$work/cvpportd.log")"

it_done
