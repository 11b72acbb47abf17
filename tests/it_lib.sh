# Harness of the integration tests: the build directory, a private work directory ($work),
# cleanup of everything started (also when a check fails or the script dies), and TAP-like
# checks with a closing count. Source it as `. it_lib.sh BUILD_DIR`; add pids to it_pids and
# pid files to it_pidfiles.

set -u
CVP_BUILD=$(cd "$1" && pwd)
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
it_work=$(mktemp -d /tmp/cvpportd-it.XXXXXX)
work=$it_work
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
# The value of one object at $target, trailing blanks removed.
get() { cvp_snmp snmpget "$target" -Oqv "$@" 2>&1 | sed 's/ *$//'; }

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
