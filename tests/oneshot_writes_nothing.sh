#!/usr/bin/env bash
# The one-shot modes leave the host as they found it: `--check`, `--check --json`,
# `--check-config`, `--check --host` and `--doctor`, run as root with no environment set, write
# no file anywhere: in a mount namespace of their own whose /var/lib, /tmp and /run start empty,
# those stay empty (net-snmp's own state included: /var/lib/cvpportd/cert_indexes was made by
# every run before).
# Usage: oneshot_writes_nothing.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (mounts)"; exit 0; }
it_private_net "$0" "$1"
it_start_master || exit 1
# The binary and its configuration where the emptied directories are not (/var/tmp: in the
# test's copy-on-write /var).
keep=$(mktemp -d /var/tmp/cvpportd-oneshot-test.XXXXXX)
chmod 755 "$keep"
printf 'cvpRefresh 5\n' >"$keep/c.conf"
chmod 644 "$keep/c.conf"
cp "$CVP_BUILD/cvpportd" "$keep/cvpportd"
unshare -m --propagation private bash -c '
    work=$1 target=$2
    for d in /var/lib /tmp /run; do mount -t tmpfs -o mode=755 oneshot "$d"; done
    run() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$work/cvpportd" "$@" >/dev/null 2>&1; echo "$* -> $?"; }
    run --check -C -c "$work/c.conf"
    run --check --json -C -c "$work/c.conf"
    run --check-config -C -c "$work/c.conf"
    run --check -C -c "$work/c.conf" --host "$target" --snmp "-v2c -c public" --roles snmp
    run -C -c "$work/c.conf" --doctor "$target"
    find /var/lib /tmp /run -mindepth 1 | sed "s/^/left: /"' _ "$keep" "$target" >"$work/out" 2>&1
rm -rf "$keep"
cat "$work/out"
check "every mode ran" 5 "$(grep -c -- ' -> [0-3]$' "$work/out")"
check "no file left in /var/lib, /tmp or /run" 0 "$(grep -c '^left: ' "$work/out")"
it_done
