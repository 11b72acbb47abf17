#!/usr/bin/env bash
# Integration: the default AgentX transport is the master's unix socket, which a local user
# cannot use; TCP is an opt-in whose cost is shown.
# In a private mount namespace with a tmpfs on /var/agentx (net-snmp's default socket path is
# then this test's alone; the host's is untouched), a master with Debian's stock AgentX setup
# ("master agentx", no agentXSocket) and cvpportd started with no -x:
# - cvpportd registers and serves, and logs no warning about the transport;
# - user nobody cannot reach the socket: a subagent of nobody's that would override
#   cvpPortOverallStatus.0 is refused, and pollers keep reading cvpportd's answer;
# - the same subagent over an AgentX TCP port that the master also opens gets in and forges the
#   answer: the cost README and cvpportd(8) state, and cvpportd warns when given TCP.
# Usage: integration_agentx_default.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (mount namespace, setpriv)"; exit 0; }
if [ -z "${CVP_AGENTX_NS:-}" ]; then
    made=0
    [ -d /var/agentx ] || { mkdir /var/agentx && made=1; }
    CVP_AGENTX_NS=1 unshare -m --propagation private bash "$0" "$1"
    rc=$?
    [ "$made" = 1 ] && rmdir /var/agentx
    exit $rc
fi
mount -t tmpfs -o mode=700 cvpportd-test /var/agentx || { echo "cannot mount a tmpfs here"; exit 1; }

udp=$(cvp_free_port udp)
tcpx=$(cvp_free_port tcp)
target=127.0.0.1:$udp
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$work/persist"
# Debian's stock snmpd.conf says "master agentx" and nothing of agentXSocket; the second
# socket (TCP) is opened only for the comparison below.
cat >"$work/snmpd.conf" <<CONF
master agentx
agentXSocket /var/agentx/master,tcp:127.0.0.1:$tcpx
agentaddress udp:127.0.0.1:$udp
rocommunity public 127.0.0.1
CONF
MIBS="" snmpd -C -c "$work/snmpd.conf" -Lf "$work/snmpd.log" -p "$work/snmpd.pid" </dev/null
cvp_wait "[ -S /var/agentx/master ]" 100 || { cat "$work/snmpd.log"; exit 1; }
check "the master's socket is root's alone" "700 root" "$(stat -c '%a %U' /var/agentx)"

printf 'cvpRefresh 1\n' >"$work/cvpportd.conf"
"$CVP_BUILD/cvpportd" -f -C -c "$work/cvpportd.conf" -Lf "$work/cvpportd.log" -p "$work/cvpportd.pid" &
it_pids+=($!)
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ]" 100 || {
    echo "cvpportd did not register on the default transport; its log:"; cat "$work/cvpportd.log"; exit 1; }
check "with no -x, cvpportd registers on the master's unix socket" 1 \
    "$(grep -c 'AgentX master unix:/var/agentx/master' "$work/cvpportd.log")"
check "and warns of nothing" 0 "$(grep -c 'no authentication' "$work/cvpportd.log")"
truth=$(get CVP-PORT-MIB::cvpPortOverallStatus.0)
forged=compliant
[ "$truth" = compliant ] && forged=nonCompliant
check "the truth is read" yes "$(case $truth in compliant | nonCompliant) echo yes ;; *) echo "$truth" ;; esac)"

# A subagent of nobody's that overrides the overall status (snmpd as a subagent, -X).
mkdir -m 1777 "$work/nobody"
chmod 755 "$work"
forge() { # forge AGENTX_ADDRESS: runs it until killed, as nobody
    local v=1
    [ "$forged" = nonCompliant ] && v=2
    printf 'agentXSocket %s\noverride .1.3.6.1.4.1.8072.9999.9999.7161.1.1.5.0 integer %s\n' "$1" "$v" \
        >"$work/nobody/sub-$2.conf"
    chmod 644 "$work/nobody/sub-$2.conf"
    setpriv --reuid=65534 --regid=65534 --clear-groups env MIBS="" SNMP_PERSISTENT_DIR="$work/nobody" \
        snmpd -X -f -C -c "$work/nobody/sub-$2.conf" -Lf "$work/nobody/sub-$2.log" \
        -p "$work/nobody/sub-$2.pid" </dev/null &
    it_pids+=($!)
    it_pidfiles+=("$work/nobody/sub-$2.pid")
}
forge /var/agentx/master unix
cvp_wait "grep -qi 'connect' '$work/nobody/sub-unix.log'" 50
sleep 1
check "nobody's subagent is refused on the unix socket" 1 \
    "$(grep -ci 'failed to connect' "$work/nobody/sub-unix.log")"
check "pollers still read cvpportd's answer" "$truth" "$(get CVP-PORT-MIB::cvpPortOverallStatus.0)"

forge "tcp:127.0.0.1:$tcpx" tcp
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortOverallStatus.0)\" = $forged ]" 50
check "over AgentX TCP nobody forges the answer (the cost of the opt-in)" "$forged" \
    "$(get CVP-PORT-MIB::cvpPortOverallStatus.0)"
cvp_kill_pidfile "$work/cvpportd.pid"
"$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$tcpx" -C -c "$work/cvpportd.conf" -Lf "$work/tcp.log" \
    -p "$work/cvpportd.pid" &
it_pids+=($!)
cvp_wait "grep -q 'no authentication' '$work/tcp.log'" 50
check "cvpportd warns when given AgentX over TCP" 1 "$(grep -c 'AgentX over the network (tcp:127.0.0.1:[0-9]*) has no authentication' "$work/tcp.log")"
it_done
