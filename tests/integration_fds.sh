#!/usr/bin/env bash
# Integration: running out of file descriptors is transient. cvpportd started with so few
# descriptors that it cannot open its netlink socket (nor walk /proc) keeps running, says so
# once, and once the limit is raised (prlimit on the running process) recovers netlink and
# attribution by itself.
# Usage: integration_fds.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
command -v prlimit >/dev/null || { echo "prlimit (util-linux) is needed"; exit 1; }

agentx=$(cvp_free_port tcp 12000 16000) || exit 1
it_start_master || exit 1
port=$(cvp_free_port tcp 12000 16000)
"$CVP_BUILD/tests/listen_helper" "tcp/127.0.0.1/$port" >"$work/helper.out" 2>&1 &
helper=$!
it_pids+=($helper)
cvp_wait "grep -q ready '$work/helper.out'" 50 || exit 1
printf 'cvpRefresh 1\ncvpIgnore tcp 199\n' >"$work/cvpportd.conf"

# The smallest limit at which cvpportd connects but cannot open one more socket: found by
# trying, since what a process inherits differs between machines.
pid=
for limit in $(seq 8 24); do
    : >"$work/cvpportd.log"
    prlimit --nofile="$limit:4096" "$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$agentx" -C \
        -c "$work/cvpportd.conf" -Lf "$work/cvpportd.log" -p "$work/cvpportd.pid" &
    candidate=$!
    sleep 2.5
    if kill -0 "$candidate" 2>/dev/null && grep -q 'subagent connected' "$work/cvpportd.log" &&
        grep -q 'short of file descriptors' "$work/cvpportd.log"; then
        pid=$candidate
        break
    fi
    kill "$candidate" 2>/dev/null
    wait "$candidate" 2>/dev/null
done
[ -n "$pid" ] || { echo "no limit made cvpportd short of descriptors"; cat "$work/cvpportd.log"; exit 1; }
it_pids+=($pid)
echo "# short of descriptors at a limit of $limit"
sleep 2
check "the shortage is logged once over several refreshes" 1 "$(grep -c 'short of file descriptors' "$work/cvpportd.log")"
check "netlink is not given up for good" 0 "$(grep -c 'sock_diag netlink unavailable' "$work/cvpportd.log")"
check "still running" yes "$(kill -0 "$pid" && echo yes || echo no)"

# (the limit of the agent process, the monitor's child, which opens the sockets; set as its
# user, since root's CAP_SYS_RESOURCE may be missing in a container)
setpriv --reuid=_cvpportd --regid=_cvpportd --clear-groups \
    prlimit --pid "$(awk '{print $1}' "/proc/$pid/task/$pid/children")" --nofile=1024:4096
idx=".1.3.6.1.4.1.8072.9999.9999.7161.1.3.1.5.1.1.4.127.0.0.1.$port"
cvp_wait "[ \"\$(cvp_snmp snmpget $target -Oqv $idx)\" = $helper ]" 100
check "netlink recovered" netlink "$(get CVP-PORT-MIB::cvpPortScanSource.0)"
check "attribution recovered: the listener's process" "$helper" "$(cvp_snmp snmpget "$target" -Oqv "$idx")"
check "the recovery is logged" 1 "$(grep -c 'file descriptors available again' "$work/cvpportd.log")"
it_done
