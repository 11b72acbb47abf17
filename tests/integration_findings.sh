#!/usr/bin/env bash
# Integration: cvpFindingTable through a real snmpd holds exactly the findings `cvpportd
# --check --json` prints for the same host and configuration: a forbidden Telnet, a loopback
# port bound to 0.0.0.0 (exposed), a port held by a program its owner rule does not name
# (wrongOwner) and five unexpected listeners; a loopback-bound copy of the same port and the
# row's rightful sockets are no findings. Each row counts its sockets (cvpPortSocketCount). In
# a private network namespace, so that only the test's listeners are there.
# Usage: integration_findings.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (network namespace)"; exit 0; }
it_private_net "$0" "$1"

it_start_master || exit 1
cat >"$work/cvpportd.conf" <<CONF
cvpRefresh 1
cvpRoles callserver,vxml,mgmt
cvpPortRequire telnet forbidden
cvpPortOwner vxml-http java
cvpIgnore tcp $agentx
cvpIgnore udp $udp
CONF
start_listener() { # start_listener NAME SPEC...
    local name=$1; shift
    "$CVP_BUILD/tests/listen_helper" "$@" >"$work/$name.out" 2>&1 &
    it_pids+=($!)
    cvp_wait "grep -q ready '$work/$name.out'" 50 || { echo "listener $name failed:"; cat "$work/$name.out"; exit 1; }
}
start_listener telnet tcp/0.0.0.0/23
start_listener tomcat-exposed tcp/0.0.0.0/7005
start_listener admin-local tcp/127.0.0.1/10100
start_listener http tcp/0.0.0.0/7000
for p in 4101 4102 4103 4104; do start_listener "odd$p" "tcp/0.0.0.0/$p"; done
start_listener odd-udp udp/127.0.0.1/4105
it_start_cvpportd "$work/cvpportd.conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | tr -dc 0-9)\" -ge 3 ]" 100 || {
    echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }

# The table as an NMS reads it: one line per finding, "kind proto address port row pid".
cvp_snmp snmpbulkwalk "$target" -Cr25 -OQs CVP-PORT-MIB::cvpFindingTable >"$work/walk" 2>&1
python3 - "$work/walk" >"$work/from-mib" <<'PY2'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(cvpFinding\w+)\.(\S+) = (.*)$', line.strip())
    if not m:
        continue
    col, idx, val = m.groups()
    rows.setdefault(idx, {})[col] = val.strip('"')
for idx, r in sorted(rows.items()):
    # index: protocol.type."address".port as net-snmp prints it; the port is the last part
    proto, port = idx.split('.')[0], idx.rsplit('.', 1)[1]
    print(r['cvpFindingKind'], proto, port, r['cvpFindingPortIndex'], r['cvpFindingProcessId'])
PY2
"$CVP_BUILD/cvpportd" --check --json -C -c "$work/cvpportd.conf" >"$work/json" 2>/dev/null
python3 - "$work/json" >"$work/from-check" <<'PY2'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["kind"], f["protocol"], f["port"], f["port_index"], f["pid"])
PY2
sort -o "$work/from-mib" "$work/from-mib"
sort -o "$work/from-check" "$work/from-check"
check "the walk found findings" yes "$([ -s "$work/from-mib" ] && echo yes || echo no)"
check "the findings table is what --check prints" "" "$(diff "$work/from-mib" "$work/from-check")"
kinds() { awk -v k="$1" '$1 == k' "$work/from-mib" | wc -l; }
check "a forbidden Telnet" 1 "$(kinds forbidden)"
check "a loopback port bound to 0.0.0.0 is exposed" 1 "$(kinds exposed)"
check "a port held against its owner rule" 1 "$(kinds wrongOwner)"
check "five unexpected listeners" 5 "$(kinds unexpected)"
check "the loopback-bound port is no finding" 0 "$(grep -c ' 10100 ' "$work/from-mib")"
check "the findings count is the table's size" 8 "$(wc -l <"$work/from-mib")"
tomcat=$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpPortName | awk '$2 == "vxml-tomcat" {sub(/^cvpPortName\./, "", $1); print $1}')
check "a row counts its sockets" 1 "$(get "CVP-PORT-MIB::cvpPortSocketCount.$tomcat")"
since=$(cvp_snmp snmpwalk "$target" -Oqv CVP-PORT-MIB::cvpFindingSince | head -1)
check "a finding says since when" yes "$([ -n "$since" ] && echo yes || echo no)"
it_done
