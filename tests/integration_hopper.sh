#!/usr/bin/env bash
# Integration: "held by no process" is a hypothesis. A root listener whose holder forks and
# exits every 2 ms for 8 s (each holder lives a moment: walks may miss them all), then settles,
# under an owner rule that names it (python3), 20 runs in a row (a port and a row each):
# - while the holder is not known the row is never compliant: every sample (the verdict, the
#   holder's pid and the listeners read in one request, every 0.2 s) that says compliant while
#   the port listens names a process;
# - once it settles, it is found within a few refreshes (cvpRefresh 1; the first looks again
#   come 2, 4, 8 s after the walks conclude): its pid is the row's within 20 s.
# Usage: integration_hopper.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (attribution of root's sockets)"; exit 0; }
it_start_master || exit 1
RUNS=${CVP_HOPPER_RUNS:-20}
base=$(cvp_free_port tcp 12000 15000)
{
    echo "cvpRefresh 1"
    echo "cvpRoles mgmt"
    for i in $(seq 1 $RUNS); do
        echo "cvpPort hop$i tcp $((base + i)) all optional inbound mgmt \"hopper\""
        echo "cvpPortOwner hop$i python3"
    done
} >"$work/c.conf"
it_start_cvpportd "$work/c.conf" "$work/cvpportd.log"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortScanCount.0)\" -ge 2 ]" 150 || { echo "no scan"; exit 1; }
index_of() { cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpPortName | awk -v n="$1" '$2 == n {sub(/.*\./, "", $1); print $1}'; }
# "COMPLIANCE PID LISTENERS" of row $1, from one request
sample() { cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::cvpPortCompliance.$1" "CVP-PORT-MIB::cvpPortProcessId.$1" "CVP-PORT-MIB::cvpPortListenCount.$1" | paste -sd' '; }

false_compliant=0 found=0 slow=""
for i in $(seq 1 $RUNS); do
    idx=$(index_of "hop$i")
    rm -f "$work/hop.pid"
    python3 "$CVP_TOP/tests/hopper.py" $((base + i)) 8 "$work/hop.pid" &
    it_pids+=($!)
    settled_at=""
    for _ in $(seq 1 175); do # every 0.2 s, at most 35 s
        s=$(sample "$idx")
        echo "$i $s" >>"$work/samples"
        # (before the hopper binds, the optional row is compliant with nothing listening)
        case $s in "compliant 0 "[1-9]* | "compliant") false_compliant=$((false_compliant + 1)) ;; esac
        if [ -z "$settled_at" ] && [ -s "$work/hop.pid" ]; then settled_at=$(date +%s%N); fi
        pid=${s#* } pid=${pid%% *}
        if [ -n "$settled_at" ] && [ "$pid" = "$(cat "$work/hop.pid")" ]; then
            ms=$((($(date +%s%N) - settled_at) / 1000000))
            [ "$ms" -le 20000 ] && found=$((found + 1)) || slow="$slow $i:${ms}ms"
            break
        fi
        sleep 0.2
    done
    [ -s "$work/hop.pid" ] && kill "$(cat "$work/hop.pid")" 2>/dev/null
done
check "$RUNS runs: never compliant without a known holder" 0 "$false_compliant"
[ "$false_compliant" = 0 ] || awk '{print $2, $3 == "0" ? "no pid" : "a pid", $4}' "$work/samples" | sort | uniq -c
check "$RUNS runs: the settled holder found within 20 s each time" "$RUNS" "$found${slow:+ (slow:$slow)}"
it_done
