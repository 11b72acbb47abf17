#!/usr/bin/env bash
# valgrind_check.sh cannot pass what it should fail: a test that crashes, one that fails and one
# that leaks each fail it; a clean one passes.
# Usage: valgrind_selftest.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 1; }
mkdir -p "$work/b/tests"
build() { printf '%s\n' "$2" >"$work/$1.c" && cc -O0 -o "$work/b/tests/$1" "$work/$1.c"; }
build test_crash '#include <signal.h>
int main(void) { raise(SIGSEGV); return 0; }' || exit 1
build test_fail 'int main(void) { return 1; }' || exit 1
build test_leak '#include <stdlib.h>
int main(void) { volatile char *p = malloc(64); p[0] = 1; p = 0; return 0; }' || exit 1
build test_clean 'int main(void) { return 0; }' || exit 1
run() { bash "$(dirname "$0")/valgrind_check.sh" "$work/b" "$work/b/tests/$1" >"$work/$1.out" 2>&1; echo $?; }
check "a crashing test fails the check" 1 "$(run test_crash)"
check "... and is named" 1 "$(grep -c 'test_crash failed or crashed' "$work/test_crash.out")"
check "a failing test fails the check" 1 "$(run test_fail)"
check "a leaking test fails the check" 1 "$(run test_leak)"
check "a clean test passes" 0 "$(run test_clean)"
it_done
