#!/usr/bin/env bash
# Integration: privilege separation of the daemon, run as the unit runs it (root's uid, the
# bounding set cut to the unit's: the helper's CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE, and what
# the split itself takes) against a real master:
# - the process that talks AgentX (the agent, the monitor's child) holds no capability and
#   cannot gain one (no_new_privs); its user cannot read a root process's memory, which a
#   process with the helper's capabilities can (what the split takes away from the AgentX side);
# - the helper keeps exactly the two capabilities, its worker runs in a seccomp filter and has
#   no network socket;
# - attribution works through it (another user's listener, with its process and user);
# - a worker killed outright is replaced and attribution goes on.
# Usage: integration_privsep.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root"; exit 0; }

it_start_master || exit 1
port=$(cvp_free_port tcp 12000 16000)
chmod 755 "$work"
cp "$CVP_BUILD/tests/listen_helper" "$work/listen_helper"
chmod 755 "$work/listen_helper"
setpriv --reuid=65534 --regid=65534 --clear-groups "$work/listen_helper" -n nobodys "tcp/127.0.0.1/$port" \
    >"$work/helper.out" 2>&1 &
it_pids+=($!)
lpid=$!
cvp_wait "grep -q ready '$work/helper.out'" 50 || exit 1

printf 'cvpRefresh 1\n' >"$work/cvpportd.conf"
setpriv --bounding-set=-all,+dac_read_search,+sys_ptrace,+setuid,+setgid,+chown,+kill,+setpcap --inh-caps=-all \
    "$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$agentx" -C -c "$work/cvpportd.conf" \
    -Lf "$work/cvpportd.log" -p "$work/cvpportd.pid" &
it_pids+=($!)
oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.3.1
idx=1.1.4.127.0.0.1.$port
cvp_wait "[ \"\$(get $oid.5.$idx)\" = $lpid ]" 100 || {
    echo "nobody's listener was not attributed; the log:"; cat "$work/cvpportd.log"; exit 1; }
check "attribution through the helper: the process" nobodys "$(get $oid.6.$idx)"
check "and its user" 65534 "$(get $oid.11.$idx)"

monitor=$(cat "$work/cvpportd.pid")
agent=$(pgrep -P "$monitor" | head -1)
status() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
supervisor=$(pgrep -P "$agent" | head -1)
worker=$(pgrep -P "$supervisor" | head -1)
check "the AgentX process has no capability" 0000000000000000 "$(status "$agent" CapEff)"
check "none permitted" 0000000000000000 "$(status "$agent" CapPrm)"
check "and can gain none (no_new_privs)" 1 "$(status "$agent" NoNewPrivs)"
check "the helper keeps exactly CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE" 0000000000080004 "$(status "$supervisor" CapEff)"
check "its worker too" 0000000000080004 "$(status "$worker" CapEff)"
check "the worker is in a seccomp filter" 2 "$(status "$worker" Seccomp)"
check "the worker holds no network socket" 0 "$(ls -l "/proc/$worker/fd" | grep -c 'socket:' | awk '{print ($1 > 1)}')"
check "nor does the helper listen or connect anywhere" 0 "$(ss -tuanp | grep -c "pid=$supervisor,\|pid=$worker,")"
# What the split takes away: the agent's user cannot read the memory of a root process (here
# a sleep of the test's own); with the helper's two capabilities a process can.
sleep 60 &
victim=$!
it_pids+=($victim)
mem() { setpriv "$@" dd if=/proc/$victim/mem of=/dev/null bs=1 count=1 2>&1 | grep -c 'Permission denied'; }
check "the agent's user cannot open a root process's memory" 1 \
    "$(mem --reuid=_cvpportd --regid=_cvpportd --clear-groups --bounding-set=-all --inh-caps=-all)"
check "one with CAP_SYS_PTRACE can" 0 "$(mem --bounding-set=-all,+sys_ptrace,+dac_read_search --inh-caps=-all)"

# A worker killed outright: a new one takes over, attribution goes on.
kill -KILL "$worker"
# (the children read once: a zombie seen by one look and reaped by the next is no new worker)
cvp_wait "c=\$(pgrep -P $supervisor); [ -n \"\$c\" ] && [ \"\$c\" != $worker ]" 50
new=$(pgrep -P "$supervisor" | head -1)
check "a new worker" yes "$([ -n "$new" ] && [ "$new" != "$worker" ] && echo yes || echo no)"
kill "$lpid"
wait "$lpid" 2>/dev/null
setpriv --reuid=65534 --regid=65534 --clear-groups "$work/listen_helper" -n again "tcp/127.0.0.1/$port" \
    >"$work/helper2.out" 2>&1 &
it_pids+=($!)
cvp_wait "[ \"\$(get $oid.6.$idx)\" = again ]" 100
check "and attribution goes on" again "$(get $oid.6.$idx)"
it_done
