#!/usr/bin/env bash
# No leak or memory error under valgrind: the unit tests, one `cvpportd --check` and one of a
# host that does not answer. A unit test that fails, crashes or is killed fails the check as well
# (valgrind's own exit code for errors is 99; anything but 0 is not clean); `cvpportd --check`
# may exit 0-3 (its verdict).
# Usage: valgrind_check.sh BUILD_DIR [TEST_BINARY...]   (default: every tests/test_*)
set -u
build=$1
shift
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 1; }
vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99)
rc_all=0
# verdict NAME RC ALLOWED_MAX LOG: reports one run, clean only for 0..ALLOWED_MAX
verdict() {
    local name=$1 rc=$2 max=$3 log=$4
    if [ "$rc" = 99 ]; then
        echo "valgrind: errors in $name"
    elif [ "$rc" -gt "$max" ]; then
        echo "valgrind: $name failed or crashed (exit $rc)"
    else
        echo "valgrind: $name clean (exit $rc)"
        return
    fi
    cat "$log"
    rc_all=1
}
if [ $# -gt 0 ]; then tests=("$@"); else tests=("$build"/tests/test_*); fi
for path in "${tests[@]}"; do
    [ -x "$path" ] && [ -f "$path" ] || continue
    t=$(basename "$path")
    # Its workers run under seccomp, which forbids the system calls valgrind itself makes in
    # them; the sanitizer build checks it instead.
    [ "$t" = test_privsep ] && { echo "valgrind: $t skipped (seccomp)"; continue; }
    "${vg[@]}" "$path" >/dev/null 2>"$build/vg-$t.log"
    verdict "$t" $? 0 "$build/vg-$t.log"
done
if [ $# = 0 ]; then
    conf=$(mktemp) state=$(mktemp -d)
    printf 'cvpPortRemove rdp\ncvpIgnore tcp 2024\n' >"$conf"
    # net-snmp's state in a directory of its own, not the host's /var/lib/cvpportd
    SNMP_PERSISTENT_DIR=$state MIBS="" "${vg[@]}" "$build/cvpportd" --check -C -c "$conf" \
        >/dev/null 2>"$build/vg-check.log"
    verdict "cvpportd --check" $? 3 "$build/vg-check.log"
    # another host that does not answer: its error path (the answered one: test_host_tables, and
    # integration_remote_check under ASan)
    SNMP_PERSISTENT_DIR=$state MIBS="" "${vg[@]}" "$build/cvpportd" --check -C -c "$conf" \
        --host 127.0.0.1:9 --snmp "-v2c -c public -t 0.2 -r 0" --roles vxml >/dev/null 2>"$build/vg-host.log"
    verdict "cvpportd --check --host" $? 3 "$build/vg-host.log"
    rm -rf "$conf" "$state"
fi
exit $rc_all
