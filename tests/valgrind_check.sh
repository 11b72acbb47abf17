#!/usr/bin/env bash
# No leak or memory error under valgrind: the unit tests and one `cvpportd --check`.
set -u
build=$1
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 1; }
vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99)
rc_all=0
for path in "$build"/tests/test_*; do
    [ -x "$path" ] || continue
    t=$(basename "$path")
    # Its workers run under seccomp, which forbids the system calls valgrind itself makes in
    # them; the sanitizer build checks it instead.
    [ "$t" = test_privsep ] && { echo "valgrind: $t skipped (seccomp)"; continue; }
    "${vg[@]}" "$build/tests/$t" >/dev/null 2>"$build/vg-$t.log"
    rc=$?
    [ $rc = 99 ] && { echo "valgrind: errors in $t"; cat "$build/vg-$t.log"; rc_all=1; } || echo "valgrind: $t clean"
done
conf=$(mktemp)
printf 'cvpPortRemove rdp\ncvpIgnore tcp 2024\n' >"$conf"
MIBS="" "${vg[@]}" "$build/cvpportd" --check -C -c "$conf" >/dev/null 2>"$build/vg-check.log"
rc=$?
rm -f "$conf"
if [ $rc = 99 ]; then echo "valgrind: errors in cvpportd --check"; cat "$build/vg-check.log"; rc_all=1;
else echo "valgrind: cvpportd --check clean (exit $rc)"; fi
exit $rc_all
