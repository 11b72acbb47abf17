#!/usr/bin/env bash
# Integration: a configured row keeps its cvpPortIndex while its name exists, across reloads
# and restarts, through a real master and snmptrapd:
# - three rows added by configuration (60, 61, 62); the first is deleted from the file and
#   SIGHUP'd: the others keep 61 and 62, index 60 answers noSuchInstance, the log counts one
#   removed;
# - a row announced missing is deleted: one closing cvpPortComplianceChange for its index with
#   cvpPortCompliance notApplicable(5), and nothing more;
# - cvpportd restarts on the same state directory: the rows keep their indexes, and a deleted
#   name added again gets its own index back, never another row's.
# Usage: integration_row_identity.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

it_start_trapd || exit 1
agentx=$(cvp_free_port tcp 16001 19000) || exit 1
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$trapport public" it_start_master || exit 1

pa=$(cvp_free_port tcp 12000 16000) pb=$(cvp_free_port tcp 12000 16000) pc=$(cvp_free_port tcp 12000 16000)
# Every other listener of the host is ignored: only these rows' notifications count.
head="cvpRefresh 1
cvpTrapHoldDown 1
cvpIgnore tcp 1-65535
cvpIgnore udp 1-65535"
row() { echo "cvpPort $1 tcp $2 all required inbound mgmt \"$1\""; }
conf=$work/cvpportd.conf
printf '%s\n%s\n%s\n%s\n' "$head" "$(row extra-a "$pa")" "$(row extra-b "$pb")" "$(row extra-c "$pc")" >"$conf"
start() {
    "$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$agentx" -C -c "$conf" -Lf "$work/cvpportd.log" \
        -p "$work/cvpportd.pid" &
    it_pids+=($!)
    cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | tr -dc 0-9)\" -ge 2 ]" 100 || {
        echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }
}
start
check "rows added by configuration: 60" extra-a "$(get CVP-PORT-MIB::cvpPortName.60)"
check "61" extra-b "$(get CVP-PORT-MIB::cvpPortName.61)"
check "62" extra-c "$(get CVP-PORT-MIB::cvpPortName.62)"

# extra-b is announced missing: compliant first (a listener), then missing (closed).
"$CVP_BUILD/tests/listen_helper" "tcp/127.0.0.1/$pb" >"$work/b.out" 2>&1 &
bpid=$!
it_pids+=($bpid)
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCompliance.61)\" = compliant ]" 50
cvp_wait "grep -q 'cvpPortCompliance.61=compliant' '$traps'" 50
kill "$bpid"
cvp_wait "grep -q 'cvpPortCompliance.61=missing' '$traps'" 50
check "extra-b announced missing" 1 "$(grep -c 'cvpPortCompliance.61=missing' "$traps")"

pid=$(cat "$work/cvpportd.pid")
printf '%s\n%s\n%s\n' "$head" "$(row extra-b "$pb")" "$(row extra-c "$pc")" >"$conf"
kill -HUP "$pid"
cvp_wait "grep -q 'configuration reloaded' '$work/cvpportd.log'" 50
check "the log counts one removed" 1 "$(grep -c 'configuration reloaded: 0 row(s) added, 1 removed, 0 changed' "$work/cvpportd.log")"
check "deleting the first moves no other row: 61" extra-b "$(get CVP-PORT-MIB::cvpPortName.61)"
check "62" extra-c "$(get CVP-PORT-MIB::cvpPortName.62)"
check "index 60 is gone" "No Such Instance currently exists at this OID" "$(get CVP-PORT-MIB::cvpPortName.60)"

before=$(grep -c 'cvpPortComplianceChange' "$traps")
printf '%s\n%s\n' "$head" "$(row extra-c "$pc")" >"$conf"
kill -HUP "$pid"
cvp_wait "grep -q 'cvpPortCompliance.61=notApplicable' '$traps'" 50
check "the row announced missing and deleted gets a closing notApplicable" 1 \
    "$(grep -c 'cvpPortName.61=extra-b .*cvpPortCompliance.61=notApplicable' "$traps")"
sleep 3
check "and nothing more" $((before + 1)) "$(grep -c 'cvpPortComplianceChange' "$traps")"
check "61 is gone" "No Such Instance currently exists at this OID" "$(get CVP-PORT-MIB::cvpPortName.61)"

# A restart on the same state directory; extra-a comes back.
cvp_kill_pidfile "$work/cvpportd.pid"
check "the index map is kept in the state directory" 1 "$(grep -c '^62 extra-c$' "$SNMP_PERSISTENT_DIR/cvpportd-index")"
printf '%s\n%s\n%s\n%s\n' "$head" "$(row extra-c "$pc")" "$(row extra-d 1)" "$(row extra-a "$pa")" >"$conf"
start
check "after a restart extra-c keeps 62" extra-c "$(get CVP-PORT-MIB::cvpPortName.62)"
check "extra-a gets its own index back" extra-a "$(get CVP-PORT-MIB::cvpPortName.60)"
check "a new name takes a new index, not a gone one's" extra-d "$(get CVP-PORT-MIB::cvpPortName.63)"
check "61 stays extra-b's" "No Such Instance currently exists at this OID" "$(get CVP-PORT-MIB::cvpPortName.61)"
check "--check-config shows the same indexes" "60 62 63" "$("$CVP_BUILD/cvpportd" --check-config -C -c "$conf" |
    awk '$2 == "extra-a" || $2 == "extra-c" || $2 == "extra-d" {print $1}' | sort -n | xargs)"
it_done
