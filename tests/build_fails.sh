#!/usr/bin/env bash
# A compile error must stop scripts/run.sh and scripts/test.sh with a non-zero exit and the
# compiler's message, before anything runs binaries of an earlier build. Checked on a
# throw-away copy of the tree with one broken source file.
# Usage: build_fails.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
top=$(cd "$(dirname "$0")/.." && pwd)

copy=$work/tree
mkdir -p "$copy"
tar -C "$top" --exclude='./build' --exclude='./build-*' --exclude='./.git' -cf - . | tar -C "$copy" -xf -
# The IETF modules deps.sh would otherwise fetch again for the copy.
mkdir -p "$copy/build" && cp -r "$CVP_IETF_MIBS" "$copy/build/"
printf '\nthis is not C;\n' >>"$copy/agent/core/enums.c"

for script in build.sh run.sh test.sh; do
    args=()
    [ "$script" = build.sh ] && args=("$copy/build")
    out=$(cd "$copy" && bash "scripts/$script" "${args[@]}" 2>&1 </dev/null)
    rc=$?
    check "scripts/$script exits non-zero on a compile error" yes "$([ $rc -ne 0 ] && echo yes || echo "no (exit $rc)")"
    check "scripts/$script shows the compiler's message" yes \
        "$(echo "$out" | grep -q 'agent/core/enums.c:.*error' && echo yes || echo no)"
    check "scripts/$script starts no daemon" 0 "$(echo "$out" | grep -c 'cvpportd are running\|== tests')"
done
[ -e "$copy/build/run/cvpportd.pid" ] && cvp_kill_pidfile "$copy/build/run/cvpportd.pid"
[ -e "$copy/build/run/snmpd.pid" ] && cvp_kill_pidfile "$copy/build/run/snmpd.pid"
it_done
