#!/usr/bin/env bash
# Installs what is missing, builds cvpportd three times (plain, with ASan+UBSan, with TSan) and
# runs every test of the first two with ctest, and the threaded ones in the third. Exits non-zero
# when anything fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

echo "scripts/test.sh: installs the Debian packages it needs when they are missing (scripts/deps.sh),"
echo "then builds three times and runs every test: about 18 minutes on two cores once the packages are in
(20 with the package test in CI)."
[ "${CI:-}" = true ] || [ "${CVP_PACKAGE_TEST:-}" = 1 ] ||
    echo "(package_deb, which installs and purges the .deb on this host, runs only with CI=true or CVP_PACKAGE_TEST=1.)"
bash scripts/deps.sh
# The suite leaves the host as it found it: cvpportd's state directory included.
state_before=$([ -e /var/lib/cvpportd ] && echo yes || echo no)

# Warnings are errors here (CVP_WERROR); a user's plain build only shows them.
echo "== build (plain)"
bash scripts/build.sh build -DCVP_WERROR=ON
echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
bash scripts/build.sh build-asan -DCVP_WERROR=ON -DCVP_SANITIZE=ON
echo "== build (ThreadSanitizer)"
bash scripts/build.sh build-tsan -DCVP_WERROR=ON -DCVP_TSAN=ON

echo "== tests (plain build)"
(cd build && ctest --output-on-failure --timeout 300)
echo "== tests (sanitizer build)"
# LeakSanitizer on: a leak fails a unit test, and leak_check runs the daemon through a
# reload and SIGTERM. (snmpd, into which the dlmod test preloads the runtimes, is not ours:
# its own allocations at exit are not checked.)
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure --timeout 300)
echo "== tests (ThreadSanitizer build: the builder thread, reloads, master restarts)"
bash tests/tsan_check.sh build-tsan
if [ "$state_before" = no ] && [ -e /var/lib/cvpportd ]; then
    echo "scripts/test.sh: a test left /var/lib/cvpportd behind (run cvpportd with SNMP_PERSISTENT_DIR set)" >&2
    exit 1
fi
