#!/usr/bin/env bash
# Integration: IPv6 link-local listeners of one address and port on two interfaces are two
# rows of cvpListenerTable (ipv6z, each with its zone index), seen through a real snmpd.
# Runs in a network namespace of its own (unshare), with a veth pair: fe80::1 on both ends.
# Usage: integration_zones.sh BUILD_DIR
if [ -z "${CVP_IN_NETNS:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo "integration_zones needs root (a network namespace)"; exit 1; }
    exec unshare --net env CVP_IN_NETNS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/it_lib.sh" "$1"

ip link set lo up
ip link add cvpz1 type veth peer name cvpz2 || { echo "cannot make a veth pair"; exit 1; }
for d in cvpz1 cvpz2; do
    ip link set "$d" up && ip -6 addr add fe80::1/64 dev "$d" nodad || { echo "cannot set up $d"; exit 1; }
done
ifindex() { ip -o link show "$1" | cut -d: -f1; }
z1=$(ifindex cvpz1) z2=$(ifindex cvpz2)

it_start_master || exit 1
port=15000
"$CVP_BUILD/tests/listen_helper" "tcp/fe80::1%cvpz1/$port" "tcp/fe80::1%cvpz2/$port" \
    >"$work/helper.out" 2>&1 &
it_pids+=($!)
cvp_wait "grep -q ready '$work/helper.out'" 50 || { cat "$work/helper.out"; exit 1; }

echo "cvpRefresh 1" >"$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf"
cvp_wait "[ -n \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | grep '^[1-9]')\" ]" 100 || {
    echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }

# One row per zone: 1 (tcp) . 4 (ipv6z) . 20 . fe80::1 . zone . port
ll="254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1"
zone_oid() { echo "0.0.0.$1"; }
rows=$(cvp_snmp snmpbulkwalk "$target" -On CVP-PORT-MIB::cvpListenerSockets | grep "\.1\.4\.20\.$ll\.")
check "two link-local rows" 2 "$(echo "$rows" | grep -c .)"
check "the row of the first interface" 1 "$(echo "$rows" | grep -c "\.1\.4\.20\.$ll\.$(zone_oid "$z1")\.$port = Gauge32: 1$")"
check "the row of the second interface" 1 "$(echo "$rows" | grep -c "\.1\.4\.20\.$ll\.$(zone_oid "$z2")\.$port = Gauge32: 1$")"
check "the index names the type ipv6z" 2 \
    "$(cvp_snmp snmpbulkwalk "$target" -Oq CVP-PORT-MIB::cvpListenerSockets | grep -c "\.tcp\.ipv6z\.")"
out=$("$CVP_BUILD/cvpportd" --check --json -C -c "$work/cvpportd.conf" 2>/dev/null)
check "--check --json names both zones" 2 "$(echo "$out" | grep -cE "\"address\": \"\[fe80::1%($z1|$z2)\]\", \"port\": $port, \"pid\"")"
it_done
