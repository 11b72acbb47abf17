#!/usr/bin/env bash
# Runs one integration test hermetically: in network, mount and PID namespaces of its own, with
# the loopback up, an empty /run, and copy-on-write views of /etc, /usr and /var (overlayfs, the
# upper layers in a tmpfs of the namespace's own). The test sees no listener of the host's and the host
# none of its; what it writes under /etc, /usr or /var (net-snmp's state, /var/agentx, an
# installed package) is gone when it ends; init scripts and anything that stops processes by
# name see only the test's own; and when the test ends, the kernel ends whatever it left
# running. Tests run in parallel, beside any other software, and beside another copy of the
# suite. Without root there are no namespaces: the test runs as it is and says so.
# Usage: it_run.sh TEST.sh BUILD_DIR [ARGS...]
set -u
if [ -z "${CVP_IT_NS:-}" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "# it_run: not root, so no namespaces: this test shares the host's network and files"
        exec bash "$@"
    fi
    # --fork: the shell below is the namespace's init; its exit ends every process left in it.
    # --kill-child: when ctest times the test out and kills this process, the namespace goes too.
    exec env CVP_IT_NS=1 unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private \
        bash "$0" "$@"
fi

ip link set lo up || { echo "it_run: cannot bring the loopback up"; exit 1; }
# The overlays' upper layers live in a tmpfs of this mount namespace alone (mounted on /run,
# then hidden by the empty /run the test sees): they vanish with the namespace, however the
# test ends (a timeout's SIGKILL included), and nothing of them is ever on the host's disk.
layers=/run/cvpportd-test-layers
mount -t tmpfs -o mode=700 cvpportd-test-layers /run && mkdir "$layers" || {
    echo "it_run: cannot mount a tmpfs"; exit 1; }
for d in etc usr var; do
    mkdir -p "$layers/$d/upper" "$layers/$d/work"
    mount -t overlay "cvpportd-test-$d" \
        -o "lowerdir=/$d,upperdir=$layers/$d/upper,workdir=$layers/$d/work" "/$d" || {
        echo "it_run: cannot mount an overlay on /$d"
        exit 1
    }
done
mount -t tmpfs -o mode=755 cvpportd-test-run /run
# The agent's user, as the package makes it (in the overlay of /etc: the host's files stay).
. "$(dirname "$0")/../scripts/lib.sh"
cvp_agent_user || { echo "it_run: cannot add user _cvpportd"; exit 1; }

# The test's processes, and these mounts, go with this namespace.
bash "$@"
