#!/usr/bin/env bash
# Integration: attribution cannot die silently. Whatever kills the attribution helper:
# - its worker alone (SIGKILL, three times): the supervisor starts another and the holder of a
#   row's socket is attributed again within a few refreshes;
# - the supervisor, then its worker (SIGKILL), three times over: cvpportd, which holds no
#   capability and so cannot start a new helper, logs why and exits with status 1 (the unit's
#   Restart=on-failure starts it again), leaving no zombie; never a compliant verdict without
#   the holder seen meanwhile.
# Usage: integration_helper_death.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (the helper keeps capabilities)"; exit 0; }
it_start_master || exit 1
port=$(cvp_free_port tcp 12000 16000)
"$CVP_BUILD/tests/listen_helper" "tcp/127.0.0.1/$port" >"$work/holder.out" 2>&1 &
holder=$!
it_pids+=($holder)
cvp_wait "grep -q ready '$work/holder.out'" 50 || exit 1
printf 'cvpRefresh 1\ncvpRoles mgmt\ncvpPort ev-owner tcp %s all required inbound mgmt "evidence"\ncvpPortOwner ev-owner listen_helper\n' \
    "$port" >"$work/c.conf"
lidx=1.1.4.127.0.0.1.$port
lpid() { get ".1.3.6.1.4.1.8072.9999.9999.7161.1.3.1.5.$lidx"; }
start() { # start LOG: cvpportd, until its listener's holder is attributed
    it_start_cvpportd "$work/c.conf" "$1"
    daemon=$!
    cvp_wait "[ \"\$(lpid)\" = $holder ]" 150 || { echo "not attributed"; cat "$1"; return 1; }
    idx=$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpPortName | awk '$2 == "ev-owner" {sub(/.*\./, "", $1); print $1}')
}
children() { local c; c=$(cat "/proc/$1/task/$1/children" 2>/dev/null); echo $c; } # trimmed
# The daemon's processes: the monitor ($daemon), the agent, the helper's supervisor, its worker.

start "$work/worker.log" || exit 1
agent=$(children "$daemon")
for round in 1 2 3; do
    sup=$(children "$agent")
    # a worker that ended (a request that timed out under load closes it) is replaced at once:
    # wait for the one in place
    cvp_wait "[ -n \"\$(children $sup)\" ]" 50
    worker=$(children "$sup")
    check "round $round: the supervisor and its worker found" yes "$([ -n "$sup" ] && [ -n "$worker" ] && echo yes || echo no)"
    kill -KILL "$worker"
    # (the children read once: a zombie seen by one look and reaped by the next is no new one)
    cvp_wait "c=\$(children $sup); [ -n \"\$c\" ] && [ \"\$c\" != $worker ]" 50
    cvp_wait "[ \"\$(lpid)\" = $holder ]" 100
    check "worker killed ($round): a new one attributes the holder again" "$holder" "$(lpid)"
done
check "the supervisor is the same throughout" "$sup" "$(children "$agent")"
cvp_kill_pidfile "$work/cvpportd.pid"

for round in 1 2 3; do
    log=$work/gone$round.log
    start "$log" || exit 1
    agent=$(children "$daemon")
    sup=$(children "$agent")
    worker=$(children "$sup")
    check "round $round: the supervisor and its worker found" yes "$([ -n "$sup" ] && [ -n "$worker" ] && echo yes || echo no)"
    kill -KILL "$sup"
    kill -KILL "$worker"
    verdicts=""
    for _ in $(seq 1 100); do # every 0.1 s while it runs (at most 10 s)
        cvp_alive "$daemon" || break
        v=$(get "CVP-PORT-MIB::cvpPortCompliance.$idx" 2>/dev/null)
        case $v in compliant | unknown) verdicts="$verdicts $v" ;; esac
        sleep 0.1
    done
    cvp_alive "$daemon" && kill -KILL "$daemon" # (still running: the check below fails)
    wait "$daemon"
    rc=$?
    check "supervisor and worker killed ($round): cvpportd exits with status 1" 1 "$rc"
    check "... saying why" 1 "$(grep -c 'the attribution helper is gone; exiting (status 1)' "$log")"
    check "... no zombie of the supervisor left" "" "$(ps -o pid= --ppid "$agent" 2>/dev/null)"
    check "... nor of the agent" "" "$(ps -o pid= --ppid "$daemon" 2>/dev/null)"
    # compliant only while the old worker still answered; after that, never
    check "... no compliant verdict after the helper was seen gone" no \
        "$(echo "$verdicts" | grep -q 'unknown.*compliant' && echo yes || echo no)"
    rm -f "$work/cvpportd.pid"
done
check "the unit restarts it (Restart=on-failure)" 1 "$(grep -c '^Restart=on-failure' "$CVP_BUILD/cvpportd.service")"
it_done
