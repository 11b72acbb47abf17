#!/usr/bin/env bash
# Integration: a configured row keeps its cvpPortIndex while its name exists, across reloads
# and restarts, through a real master and snmptrapd:
# - three rows added by configuration (the next three indexes after the catalogue: A, B, C); the first is deleted from the file and
#   SIGHUP'd: the others keep B and C, index A answers noSuchInstance, the log counts one
#   removed;
# - a row announced missing is deleted: one closing cvpPortComplianceChange for its index with
#   cvpPortCompliance notApplicable(5), and nothing more;
# - cvpportd restarts on the same state directory: the rows keep their indexes, and a deleted
#   name added again gets its own index back, never another row's.
# Usage: integration_row_identity.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
# the indexes rows added by configuration take: the next ones after the catalogue
ia=$((CVP_ROWS + 1)) ib=$((CVP_ROWS + 2)) ic=$((CVP_ROWS + 3)) id=$((CVP_ROWS + 4))

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
    it_start_cvpportd "$conf"
    cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | tr -dc 0-9)\" -ge 2 ]" 100 || {
        echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }
}
start
check "rows added by configuration: A" extra-a "$(get CVP-PORT-MIB::cvpPortName.$ia)"
check "B" extra-b "$(get CVP-PORT-MIB::cvpPortName.$ib)"
check "C" extra-c "$(get CVP-PORT-MIB::cvpPortName.$ic)"

# extra-b is announced missing: compliant first (a listener), then missing (closed).
"$CVP_BUILD/tests/listen_helper" "tcp/127.0.0.1/$pb" >"$work/b.out" 2>&1 &
bpid=$!
it_pids+=($bpid)
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCompliance.$ib)\" = compliant ]" 50
cvp_wait "grep -q 'cvpPortCompliance.$ib=compliant' '$traps'" 50
kill "$bpid"
cvp_wait "grep -q 'cvpPortCompliance.$ib=missing' '$traps'" 50
check "extra-b announced missing" 1 "$(grep -c "cvpPortCompliance.$ib=missing" "$traps")"

pid=$(cat "$work/cvpportd.pid")
printf '%s\n%s\n%s\n' "$head" "$(row extra-b "$pb")" "$(row extra-c "$pc")" >"$conf"
kill -HUP "$pid"
cvp_wait "grep -q 'configuration reloaded' '$work/cvpportd.log'" 50
check "the log counts one removed" 1 "$(grep -c 'configuration reloaded: 0 row(s) added, 1 removed, 0 changed' "$work/cvpportd.log")"
check "deleting the first moves no other row: B" extra-b "$(get CVP-PORT-MIB::cvpPortName.$ib)"
check "C" extra-c "$(get CVP-PORT-MIB::cvpPortName.$ic)"
check "index A is gone" "No Such Instance currently exists at this OID" "$(get CVP-PORT-MIB::cvpPortName.$ia)"

before=$(grep -c 'cvpPortComplianceChange' "$traps")
printf '%s\n%s\n' "$head" "$(row extra-c "$pc")" >"$conf"
kill -HUP "$pid"
cvp_wait "grep -q 'cvpPortCompliance.$ib=notApplicable' '$traps'" 50
check "the row announced missing and deleted gets a closing notApplicable" 1 \
    "$(grep -c "cvpPortName.$ib=extra-b .*cvpPortCompliance.$ib=notApplicable" "$traps")"
sleep 3
check "and nothing more" $((before + 1)) "$(grep -c 'cvpPortComplianceChange' "$traps")"
check "B is gone" "No Such Instance currently exists at this OID" "$(get CVP-PORT-MIB::cvpPortName.$ib)"

# A restart on the same state directory; extra-a comes back.
cvp_kill_pidfile "$work/cvpportd.pid"
check "the index map is kept in the state directory" 1 "$(grep -c "^$ic extra-c\$" "$SNMP_PERSISTENT_DIR/cvpportd-index")"
printf '%s\n%s\n%s\n%s\n' "$head" "$(row extra-c "$pc")" "$(row extra-d 1)" "$(row extra-a "$pa")" >"$conf"
start
check "after a restart extra-c keeps C" extra-c "$(get CVP-PORT-MIB::cvpPortName.$ic)"
check "extra-a gets its own index back" extra-a "$(get CVP-PORT-MIB::cvpPortName.$ia)"
check "a new name takes a new index, not a gone one's" extra-d "$(get CVP-PORT-MIB::cvpPortName.$id)"
check "B stays extra-b's" "No Such Instance currently exists at this OID" "$(get CVP-PORT-MIB::cvpPortName.$ib)"
check "--check-config shows the same indexes" "$ia $ic $id" "$("$CVP_BUILD/cvpportd" --check-config -C -c "$conf" |
    awk '$2 == "extra-a" || $2 == "extra-c" || $2 == "extra-d" {print $1}' | sort -n | xargs)"
it_done
