# Harness of the integration tests: the build directory, a private work directory ($work),
# cleanup of everything started (also when a check fails or the script dies), and TAP-like
# checks with a closing count. Source it as `. it_lib.sh BUILD_DIR`; add pids to it_pids and
# pid files to it_pidfiles.

set -u
CVP_BUILD=$(cd "$1" && pwd)
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
it_work=$(mktemp -d /tmp/cvpportd-it.XXXXXX)
# Everything a test starts keeps its state here, never in the host's /var/lib/cvpportd.
export SNMP_PERSISTENT_DIR=$it_work/persist
# (made here: the first tool to need it would say "Created directory" on stderr)
mkdir -p "$SNMP_PERSISTENT_DIR/cert_indexes"
work=$it_work
# The number of catalogue rows this build compiles in: tests never write it down.
: >"$it_work/empty.conf"
CVP_ROWS=$("$CVP_BUILD/cvpportd" --check-config -C -c "$it_work/empty.conf" 2>/dev/null | grep -cE '^ +[0-9]+  ')
# A sanitizer build (its cvpportd links libasan or libtsan): long scenarios may run shorter there,
# their assertions unchanged.
CVP_SANITIZED=$(ldd "$CVP_BUILD/cvpportd" 2>/dev/null | grep -qE 'lib(a|t)san' && echo 1 || echo)
it_pids=()
it_pidfiles=("$it_work/cvpportd.pid" "$it_work/snmpd.pid")
it_cleanup() {
    local p
    for p in "${it_pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${it_pidfiles[@]}"; do cvp_kill_pidfile "$p"; done
    wait 2>/dev/null
    rm -rf "$it_work"
}
trap it_cleanup EXIT

# Starts the private snmpd master (again, on the same ports, when called twice) and sets udp,
# agentx and target.
it_start_master() {
    udp=${udp:-$(cvp_free_port udp)} && agentx=${agentx:-$(cvp_free_port tcp)} || return 1
    export SNMP_PERSISTENT_DIR=$it_work/persist
    target=127.0.0.1:$udp
    cvp_start_snmpd "$it_work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx"
}
# Starts cvpportd as every test runs it: in the foreground of a background job, AgentX over TCP
# to the private master ($agentx), only the configuration file CONF (-C -c), its log in LOG
# (default $work/cvpportd.log), its pid in $work/cvpportd.pid; more arguments are passed on.
# The job's pid is added to it_pids (and is in $!).
it_start_cvpportd() {
    local conf=$1 log=${2:-$it_work/cvpportd.log}
    shift $(($# < 2 ? $# : 2))
    "$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$agentx" -C -c "$conf" -Lf "$log" \
        -p "$it_work/cvpportd.pid" "$@" &
    it_pids+=($!)
}
# Starts a snmptrapd on a private loopback port that writes each notification as one line to
# $traps (scripts/traphandle.sh); sets traps and trapport.
it_start_trapd() {
    traps=$it_work/traps.txt
    : >"$traps"
    trapport=$(cvp_free_port udp) || return 1
    cat >"$it_work/snmptrapd.conf" <<CONF
authCommunity log,execute public
traphandle default /bin/sh $CVP_TOP/scripts/traphandle.sh $traps
CONF
    export SNMP_PERSISTENT_DIR=$it_work/persist
    mkdir -p "$SNMP_PERSISTENT_DIR"
    MIBS="" snmptrapd -f -C -c "$it_work/snmptrapd.conf" -Lf "$it_work/snmptrapd.log" -X \
        -M "$CVP_MIBDIRS" -m SNMPv2-MIB:CVP-PORT-MIB "udp:127.0.0.1:$trapport" </dev/null &
    it_pids+=($!)
    cvp_wait "ss -lunH 'sport = :$trapport' | grep -q ." 50 || {
        echo "snmptrapd did not start"
        cat "$it_work/snmptrapd.log"
        return 1
    }
}
# it_socket_in_flight PORT: user nobody listens on 127.0.0.1:PORT, passes the socket to itself
# over a socketpair and closes its copy: no process holds it while it is in flight (until the
# test ends). Returns when it is so.
it_socket_in_flight() {
    setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
a, b = socket.socketpair()
socket.send_fds(a, [b"x"], [s.fileno()]); s.close()
print("ready", flush=True)
time.sleep(300)' "$1" >"$it_work/in-flight-$1.out" 2>&1 &
    it_pids+=($!)
    cvp_wait "grep -q ready '$it_work/in-flight-$1.out'" 50 || { cat "$it_work/in-flight-$1.out"; return 1; }
}
# The value of one object at $target, trailing blanks removed.
get() { cvp_snmp snmpget "$target" -Oqv "$@" 2>&1 | sed 's/ *$//'; }
# it_scans_after [N] [TENTHS]: waits until N (default 2) more refreshes have been published at
# $target: what a test asserts next was built after this call.
it_scans_after() {
    local n=${1:-2} s
    s=$(get CVP-PORT-MIB::cvpPortScanCount.0 | tr -dc 0-9)
    cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | tr -dc 0-9)\" -ge $((${s:-0} + n)) ]" "${2:-100}"
}

it_failures=0 it_checks=0
check() { # check DESCRIPTION EXPECTED ACTUAL
    it_checks=$((it_checks + 1))
    if [ "$2" = "$3" ]; then
        echo "ok - $1"
    else
        echo "FAIL - $1: expected '$2', got '$3'"
        it_failures=$((it_failures + 1))
    fi
}
it_done() {
    echo "$((it_checks - it_failures)) passed, $it_failures failed"
    [ "$it_failures" = 0 ]
}
# The README's block marked `<!-- recipe: NAME -->`, verbatim (tests run what operators read).
it_recipe() {
    awk -v name="$1" '$0 == "<!-- recipe: " name " -->" { grab = 1; next }
        grab && /^```/ { if (inblock) exit; inblock = 1; next }
        grab && inblock { print }' "$CVP_TOP/README.md"
}
# it_private_net "$0" ARGS...: for a test whose assertions count every listener it can see.
# ctest runs every integration test in namespaces of its own already (it_run.sh); run by hand
# outside it, the test runs itself again through it_run.sh and exits with its status. (Not
# exec: the outer shell removes its own work directory.)
it_private_net() {
    [ -n "${CVP_IT_NS:-}" ] && return 0
    bash "$CVP_TOP/tests/it_run.sh" "$@"
    exit $?
}
