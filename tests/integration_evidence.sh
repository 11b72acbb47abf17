#!/usr/bin/env bash
# Integration: no evidence is never a verdict. A row whose owner rule names a program but no user
# is unknown(7), never compliant, while the holder of its socket cannot be seen:
# - `--check` run by nobody through a /proc mounted hidepid=2 (root's processes hidden) of a root
#   listener that the same check run by root finds compliant: the row unknown, the first line
#   UNKNOWN with why, exit 3, and the JSON's unknown count;
# - the daemon, for nobody's socket passed over a socketpair and closed (no process holds it):
#   never compliant at any refresh, no compliant notification, cvpPortUnknownCount while it is
#   unknown, and wrongOwner once the walks conclude (a user's socket held by none).
# Usage: integration_evidence.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (setpriv, mounts)"; exit 0; }
it_private_net "$0" "$1"
chmod 755 "$work"

# --- --check through hidepid ---
port=$(cvp_free_port tcp 12000 16000)
"$CVP_BUILD/tests/listen_helper" "tcp/127.0.0.1/$port" >"$work/root-holder.out" 2>&1 &
it_pids+=($!)
cvp_wait "grep -q ready '$work/root-holder.out'" 50 || exit 1
# (role mgmt: its catalogue rows are all optional, so that this row alone decides the status)
printf 'cvpRoles mgmt\ncvpPort ev-owner tcp %s all required inbound mgmt "evidence"\ncvpPortOwner ev-owner listen_helper\n' \
    "$port" >"$work/check.conf"
chmod 644 "$work/check.conf"
row() { awk -v n=ev-owner '$2 == n {print $6}'; }
out=$("$CVP_BUILD/cvpportd" --check -C -c "$work/check.conf" 2>/dev/null)
check "root sees the holder: compliant" compliant "$(echo "$out" | row)"
mkdir -m 777 "$work/nobody"
# nobody, with root's processes hidden: a /proc of its own, mounted hidepid=2
unshare -m --propagation private bash -c '
    mount -t proc -o hidepid=2 proc /proc &&
    SNMP_PERSISTENT_DIR="$1/nobody" setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$2/cvpportd" --check -C -c "$1/check.conf" >"$1/nobody/out" 2>/dev/null
    echo $? >"$1/nobody/rc"
    SNMP_PERSISTENT_DIR="$1/nobody" setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$2/cvpportd" --check --json -C -c "$1/check.conf" >"$1/nobody/json" 2>/dev/null' _ "$work" "$CVP_BUILD"
check "nobody cannot see the holder: unknown, not compliant" unknown "$(row <"$work/nobody/out")"
check "--check exits 3 (UNKNOWN)" 3 "$(cat "$work/nobody/rc")"
check "the first line says why" 1 \
    "$(head -1 "$work/nobody/out" | grep -c '^CVP-PORT UNKNOWN - 1 row(s) unknown: who holds a socket that an owner rule checks is not known; ')"
check "--check --json counts it" "1 unknown" \
    "$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["unknown"], d["overall"])' "$work/nobody/json")"

# --- the daemon: a socket in flight, a rule without a user ---
it_start_trapd || exit 1
agentx=$(cvp_free_port tcp 16001 19000)
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$trapport public" it_start_master || exit 1
eport=$(cvp_free_port tcp 12000 16000)
printf 'cvpRefresh 1\ncvpTrapHoldDown 1\ncvpRoles mgmt\ncvpPort ev-flight tcp %s all required inbound mgmt "evidence"\ncvpPortOwner ev-flight java\n' \
    "$eport" >"$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf"
cvp_wait "[ -n \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | grep '^[1-9]')\" ]" 100 || {
    echo "cvpportd did not answer"; cat "$work/cvpportd.log"; exit 1; }
idx=$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpPortName | awk '$2 == "ev-flight" {sub(/.*\./, "", $1); print $1}')
it_socket_in_flight "$eport" || exit 1
seen="" unknown_counted=no
for _ in $(seq 1 150); do # every 0.1 s until wrongOwner (at most 15 s)
    v=$(get "CVP-PORT-MIB::cvpPortCompliance.$idx")
    case " $seen " in *" $v "*) ;; *) seen="$seen $v" ;; esac
    [ "$v" = unknown ] && [ "$(get CVP-PORT-MIB::cvpPortUnknownCount.0)" = 1 ] && unknown_counted=yes
    [ "$v" = wrongOwner ] && break
    sleep 0.1
done
echo "# verdicts seen: $seen"
check "the row ends wrongOwner (a user's socket no process holds)" wrongOwner "$v"
check "never compliant on the way" no "$(case " $seen " in *" compliant "*) echo yes ;; *) echo no ;; esac)"
check "no compliant notification for it" 0 \
    "$(grep "cvpPortName.$idx=ev-flight" "$traps" | grep -c "cvpPortCompliance.$idx=compliant")"
if [[ " $seen " == *" unknown "* ]]; then
    check "while unknown, cvpPortUnknownCount counts it" yes "$unknown_counted"
fi
it_done
