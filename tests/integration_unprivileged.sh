#!/usr/bin/env bash
# Integration: the process that parses network input (AgentX PDUs, remote hosts' answers) cannot
# write root's files. Started as root with no -x (the master's root-only unix socket, Debian's
# stock AgentX setup), cvpportd is three kinds of process:
# - the monitor (the pid file's, root's uid, CAP_KILL alone), which relays AgentX and opens files;
# - the agent: user _cvpportd (every uid and gid), no capability, no_new_privs, a seccomp
#   filter; asked through a debugger to open /etc/shadow for writing, it fails (EACCES), and
#   the kernel refuses its uid write access to it as well; its user owns no file;
# - the attribution helper (tested in integration_privsep).
# The relay admits the agent alone; the master restarted 20 times, the agent registers again
# each time; a reload re-reads the configuration through the monitor; SIGTERM ends everything.
# Usage: integration_unprivileged.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root"; exit 0; }
it_private_net "$0" "$@"
command -v gdb >/dev/null || { echo "gdb is needed (scripts/deps.sh installs it)"; exit 1; }

# (/var is this namespace's copy-on-write view: the master's socket is this test's alone)
mkdir -p /var/agentx && chmod 700 /var/agentx
udp=$(cvp_free_port udp)
target=127.0.0.1:$udp
cat >"$work/snmpd.conf" <<CONF
master agentx
agentXSocket /var/agentx/master
agentaddress udp:127.0.0.1:$udp
rocommunity public 127.0.0.1
CONF
start_master() {
    MIBS="" snmpd -C -c "$work/snmpd.conf" -Lf "$work/snmpd.log" -p "$work/snmpd.pid" </dev/null
    cvp_wait "[ -S /var/agentx/master ]" 100
}
start_master || { cat "$work/snmpd.log"; exit 1; }
registered() { cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ]" "${1:-100}"; }

printf 'cvpRefresh 1\nagentxPingInterval 1\n' >"$work/cvpportd.conf"
"$CVP_BUILD/cvpportd" -f -C -c "$work/cvpportd.conf" -Lf "$work/cvpportd.log" -p "$work/cvpportd.pid" &
it_pids+=($!)
registered || { echo "not registered; the log:"; cat "$work/cvpportd.log"; exit 1; }
monitor=$(cat "$work/cvpportd.pid")
agent=$(awk '{print $1}' "/proc/$monitor/task/$monitor/children")
status() { awk -v k="$2:" '$1 == k {$1 = ""; print substr($0, 2)}' "/proc/$1/status" | tr '\t' ' '; }
uid=$(id -u _cvpportd)
gid=$(id -g _cvpportd)
check "the monitor keeps root's uid" "0 0 0 0" "$(status "$monitor" Uid)"
check "and of the capabilities CAP_KILL alone" 0000000000000020 "$(status "$monitor" CapEff)"
check "the agent runs as _cvpportd (real, effective, saved, fs)" "$uid $uid $uid $uid" "$(status "$agent" Uid)"
check "in its group alone" "$gid $gid $gid $gid|" "$(status "$agent" Gid)|$(status "$agent" Groups)"
check "with no capability, none it could gain" "0000000000000000 0000000000000000 0000000000000000" \
    "$(status "$agent" CapEff) $(status "$agent" CapPrm) $(status "$agent" CapBnd)"
check "no_new_privs" 1 "$(status "$agent" NoNewPrivs)"
check "in a seccomp filter" 2 "$(status "$agent" Seccomp)"
check "the log names the relay and the agent's uid" 1 \
    "$(grep -c "AgentX master unix:/var/agentx/master (relayed), agent process $agent as uid $uid" "$work/cvpportd.log")"

# The agent itself, through a debugger, asked to write /etc/shadow: refused (EACCES = 13), by
# the filter (open for writing) and by the kernel for its uid (access(W_OK), which the filter
# lets through).
probe=$(gdb -p "$agent" -batch -nx \
    -ex 'print (int)open("/etc/shadow", 1)' -ex 'print (int)*(int *)__errno_location()' \
    -ex 'print (int)access("/etc/shadow", 2)' -ex 'print (int)*(int *)__errno_location()' \
    -ex 'print (int)open("/usr/sbin/snmpd", 2)' 2>/dev/null | grep -E '^\$[0-9]+ = ' | awk '{print $3}' | tr '\n' ' ')
check "the agent fails to open /etc/shadow for writing (EACCES), its uid may not write it, nor snmpd" \
    "-1 13 -1 13 -1 " "$probe"
check "the agent survived the probe" yes "$(kill -0 "$agent" 2>/dev/null && echo yes || echo no)"
check "its user owns no file" "" "$(find / -xdev -user _cvpportd 2>/dev/null | head -3 | tr '\n' ' ')"
check "the relay socket is root's, for the agent's group" "root _cvpportd 660" \
    "$(stat -c '%U %G %a' /run/cvpportd/agentx."$monitor")"

# Another process on the relay (root's, even): refused, the master never sees it.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
print("closed" if s.recv(1) == b"" else "open")' "/run/cvpportd/agentx.$monitor" >"$work/relay.out" 2>&1
check "the relay closes a connection not the agent's" closed "$(cat "$work/relay.out")"
check "... and says so" 1 "$(grep -c 'AgentX relay: refused a connection from process' "$work/cvpportd.log")"

# 20 master restarts (fewer under a sanitizer, the same checks): registered again each time.
rounds=20
[ -n "$CVP_SANITIZED" ] && rounds=5
ok=0
for i in $(seq 1 "$rounds"); do
    cvp_kill_pidfile "$work/snmpd.pid"
    start_master || break
    registered 150 && ok=$((ok + 1))
done
check "$rounds master restarts: registered again after each" "$rounds" "$ok"
check "the same agent throughout" "$agent" "$(awk '{print $1}' "/proc/$monitor/task/$monitor/children")"

# A reload: the files come through the monitor (the agent cannot read a 0600 file of root's).
chmod 600 "$work/cvpportd.conf"
printf 'cvpRefresh 2\nagentxPingInterval 1\n' >"$work/cvpportd.conf"
kill -HUP "$monitor"
cvp_wait "grep -q 'configuration reloaded' '$work/cvpportd.log'" 50
check "SIGHUP reloads a root-only file through the monitor" 1 \
    "$(grep -c 'configuration reloaded: .*cvpRefresh 1 -> 2' "$work/cvpportd.log")"
check "the index map is kept by the monitor (root's)" "root 600" \
    "$(stat -c '%U %a' "$SNMP_PERSISTENT_DIR/cvpportd-index" 2>&1)"

kill "$monitor"
cvp_wait "! kill -0 $monitor 2>/dev/null" 100
check "SIGTERM ends the monitor" no "$(kill -0 "$monitor" 2>/dev/null && echo yes || echo no)"
check "and the agent" no "$(kill -0 "$agent" 2>/dev/null && echo yes || echo no)"
check "the relay socket and pid file are gone" "" \
    "$(ls /run/cvpportd/ 2>/dev/null; ls "$work/cvpportd.pid" 2>/dev/null)"
it_done
