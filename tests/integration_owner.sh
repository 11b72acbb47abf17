#!/usr/bin/env bash
# Integration, as a hostile local user would try it: owner facts and owner rules through a real
# master.
# - A holder renames itself, changes user (setuid after binding, as daemons do) and execs
#   another program keeping the socket: cvpListenerProcessName and cvpListenerProcessUid follow
#   within two refreshes, and `--check --json` says the same as the MIB.
# - User nobody binds a port an owner rule gives to root's java, passes the socket to itself
#   over a socketpair and closes its copy (no process holds it): the row is wrongOwner and the
#   socket unattributed, for good (never "kernel-owned", never compliant).
# Usage: integration_owner.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (setuid, setpriv)"; exit 0; }

it_start_master || exit 1
hport=$(cvp_free_port tcp 12000 16000)
eport=$(cvp_free_port tcp 16001 19000)
chmod 755 "$work"

# The holder: binds, then obeys one command per line from a FIFO.
mkfifo "$work/holder.cmd"
python3 -c '
import ctypes, os, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); os.set_inheritable(s.fileno(), True)
print("ready", flush=True)
for line in open(sys.argv[2]):
    c = line.strip()
    if c == "rename":
        ctypes.CDLL(None).prctl(15, b"renamed-holder", 0, 0, 0)
    elif c == "setuid":
        os.setresgid(65534, 65534, 65534); os.setresuid(65534, 65534, 65534)
    elif c == "exec":
        os.execv("/bin/sleep", ["sleep", "300"])
    print("done " + c, flush=True)' "$hport" "$work/holder.cmd" >"$work/holder.out" 2>&1 &
it_pids+=($!)
holder=$!
exec 7>"$work/holder.cmd"
cvp_wait "grep -q ready '$work/holder.out'" 50 || { cat "$work/holder.out"; exit 1; }

# The evader: nobody's socket, passed over a socketpair and closed; kept in flight.
it_socket_in_flight "$eport" || exit 1

printf 'cvpRefresh 1\ncvpRoles common\ncvpPortMove wsm-10001 %s\ncvpPortOwner wsm-10001 java* root\n' \
    "$eport" >"$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf"
oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.3.1
lidx=1.1.4.127.0.0.1.$hport
cvp_wait "[ \"\$(get $oid.5.$lidx)\" = $holder ]" 100 || {
    echo "cvpportd did not attribute the holder; its log:"; cat "$work/cvpportd.log"; exit 1; }
check "the holder's real uid is published" 0 "$(get $oid.11.$lidx)"

# Each change of the holder shows within two refreshes (1 s each): 2.5 s, polled.
command() { echo "$1" >&7; cvp_wait "grep -q 'done $1' '$work/holder.out'" 50; }
command rename
cvp_wait "[ \"\$(get $oid.6.$lidx)\" = renamed-holder ]" 25
check "a rename shows within two refreshes" renamed-holder "$(get $oid.6.$lidx)"
command setuid
cvp_wait "[ \"\$(get $oid.11.$lidx)\" = 65534 ]" 25
check "setuid after binding shows within two refreshes" 65534 "$(get $oid.11.$lidx)"
check "the socket's own uid stays root's" 0 "$(get $oid.7.$lidx)"
echo exec >&7
cvp_wait "grep -q sleep /proc/$holder/comm" 50
cvp_wait "[ \"\$(get $oid.6.$lidx)\" = sleep ]" 25
check "exec keeping the socket shows within two refreshes" sleep "$(get $oid.6.$lidx)"
check "the process is the same" "$holder" "$(get $oid.5.$lidx)"
check "--check --json agrees with the MIB" "sleep 65534" "$("$CVP_BUILD/cvpportd" --check --json -C \
    -c "$work/cvpportd.conf" 2>/dev/null | python3 -c '
import json, sys
l = [l for l in json.load(sys.stdin)["listeners"] if l["port"] == int(sys.argv[1])][0]
print(l["process"], l["process_uid"])' "$hport")"

# The evader: wrongOwner at once (the socket is nobody's, the rule wants root) and still after
# enough complete walks to have called it kernel-owned before (1 + 2 + 4 s of back-off).
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCompliance.37)\" = wrongOwner ]" 50
check "a passed-away socket of nobody's breaks the owner rule" wrongOwner "$(get CVP-PORT-MIB::cvpPortCompliance.37)"
sleep 12
check "and still does after several complete walks" wrongOwner "$(get CVP-PORT-MIB::cvpPortCompliance.37)"
check "it is counted unattributed" 1 "$(get CVP-PORT-MIB::cvpPortUnattributedCount.0)"
check "its listener shows no process" 0 "$(get $oid.5.1.1.4.127.0.0.1.$eport)"
check "and no process user" 4294967295 "$(get $oid.11.1.1.4.127.0.0.1.$eport)"
check "the orphaned socket is logged" 1 "$(grep -c 'held by no process are not root' "$work/cvpportd.log")"
exec 7>&-
it_done
