#!/usr/bin/env bash
# Installs what is missing, builds and runs the tests; exits non-zero when anything fails.
#   scripts/test.sh          every test: the plain build, the ASan+UBSan build, and the threaded
#                            tests in a ThreadSanitizer build, while listener noise and an
#                            unrelated snmpd run on the host (they must not matter, and the
#                            snmpd must survive)
#   scripts/test.sh --quick  the plain build's unit, lint and functional integration tests: no
#                            sanitizers, no soak, storm or package test (for the inner loop)
# Tests run in parallel (ctest -j, from the machine's cores); each integration test is in
# namespaces of its own (tests/it_run.sh). A summary of each phase's time ends the run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

quick=0
case "${1:-}" in
--quick) quick=1 ;;
"") ;;
*) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
esac
# Integration tests mostly wait (for a refresh, a poll, a notification): two per core in each
# phase (three at once in the full run), three in the quick tier.
cores=$(nproc 2>/dev/null || echo 2)
jobs=$((cores * 2))

phases=() t_all=$SECONDS
summary() {
    local rc=$? p
    echo
    echo "== time per phase"
    for p in "${phases[@]}"; do echo "   $p"; done
    printf '   %-34s %4d s\n' total $((SECONDS - t_all))
    [ -z "${noise:-}" ] || bash tests/host_noise.sh stop "$noise" >/dev/null 2>&1 || true
    exit $rc
}
trap summary EXIT
phase() { # phase NAME COMMAND...: runs it, keeps its time
    local name=$1 t0=$SECONDS rc=0
    shift
    echo "== $name"
    "$@" || rc=$?
    phases+=("$(printf '%-34s %4d s%s' "$name" $((SECONDS - t0)) "$([ $rc = 0 ] || echo '  FAILED')")")
    return $rc
}
ctest_in() { # ctest_in BUILD_DIR [CTEST ARGS...]
    local dir=$1
    shift
    (cd "$dir" && ctest --output-on-failure --timeout 1200 -j "$jobs" "$@")
}

[ "${CI:-}" = true ] || [ "${CVP_PACKAGE_TEST:-}" = 1 ] || [ $quick = 1 ] ||
    echo "(package_deb, which installs the .deb in namespaces of its own, runs only with CI=true or CVP_PACKAGE_TEST=1.)"
phase "packages (scripts/deps.sh)" bash scripts/deps.sh
# Warnings are errors here (CVP_WERROR); a user's plain build only shows them.
phase "build (plain)" bash scripts/build.sh build -DCVP_WERROR=ON
if [ $quick = 1 ]; then
    jobs=$((cores * 3)) phase "tests (plain; quick tier)" ctest_in build -LE full
    exit 0
fi
phase "build (ASan+UBSan)" bash scripts/build.sh build-asan -DCVP_WERROR=ON -DCVP_SANITIZE=ON
phase "build (TSan)" bash scripts/build.sh build-tsan -DCVP_WERROR=ON -DCVP_TSAN=ON

# The three builds' tests run at once: they mostly wait (for refreshes, polls, notifications),
# and each integration test is in namespaces of its own. Each phase's output is shown when all
# are done, in order.
noise=$(mktemp -d /tmp/cvpportd-noise.XXXXXX)
bash tests/host_noise.sh start "$noise"
logs=$(mktemp -d /tmp/cvpportd-test.XXXXXX)
background() { # background NAME LOG COMMAND...: runs a phase in the background, keeps its time
    local name=$1 log=$2
    shift 2
    (
        t0=$SECONDS rc=0
        "$@" >"$log" 2>&1 || rc=$?
        echo "$rc $((SECONDS - t0))" >"$log.rc"
    ) &
}
background "tests (plain)" "$logs/plain" ctest_in build
# LeakSanitizer on: a leak fails a unit test, and leak_check runs the daemon through a reload and
# SIGTERM. (snmpd, into which the dlmod test preloads the runtimes, is not ours: its own
# allocations at exit are not checked.)
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    background "tests (ASan+UBSan)" "$logs/asan" ctest_in build-asan
CVP_CTEST_JOBS=$jobs background "tests (TSan)" "$logs/tsan" bash tests/tsan_check.sh build-tsan
wait
failed=0
for p in "plain:tests (plain)" "asan:tests (ASan+UBSan)" "tsan:tests (TSan: threads, reloads, restarts, hosts)"; do
    f=${p%%:*} name=${p#*:}
    echo "== $name"
    cat "$logs/$f"
    read -r rc secs <"$logs/$f.rc" || { rc=1 secs=0; }
    phases+=("$(printf '%-34s %4d s%s' "$name" "$secs" "$([ "$rc" = 0 ] || echo '  FAILED')")")
    [ "$rc" = 0 ] || failed=1
done
rm -rf "$logs"
phase "hermetic: the host's snmpd survived" bash tests/host_noise.sh stop "$noise" || failed=1
noise=
exit $failed
