#!/usr/bin/env bash
# Integration: listeners in every address form, seen through a real snmpd in cvpListenerTable,
# with the netlink scanner and then the procfs scanner, which must agree (but for IPV6_V6ONLY,
# which only netlink can see). Also process attribution and classes.
# Usage: integration_listeners.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

it_start_master || exit 1

# Distinct ports free for TCP and UDP alike, in 12000-16000: no catalogue row covers them and
# Linux's ephemeral range does not start below 32768.
ports=()
while [ ${#ports[@]} -lt 10 ]; do
    p=$(cvp_free_port tcp 12000 16000)
    cvp_port_free udp "$p" && [[ " ${ports[*]} " != *" $p "* ]] && ports+=("$p")
done
read -r p_v4any p_dual p_v6only p_v4lo p_v6lo p_reuse p_udp4 p_udpdual p_cat p_ign <<<"${ports[*]}"

"$CVP_BUILD/tests/listen_helper" tcp/0.0.0.0/$p_v4any tcp/::/$p_dual,dual tcp/::/$p_v6only,v6only \
    tcp/127.0.0.1/$p_v4lo tcp/::1/$p_v6lo tcp/0.0.0.0/$p_reuse,reuseport tcp/0.0.0.0/$p_reuse,reuseport \
    udp/127.0.0.1/$p_udp4 udp/::/$p_udpdual,dual tcp/0.0.0.0/$p_cat tcp/127.0.0.1/$p_ign >"$work/helper.out" 2>&1 &
helper_pid=$!
it_pids+=($helper_pid)
cvp_wait "grep -q ready '$work/helper.out'" 50 || { cat "$work/helper.out"; exit 1; }

start_agent() { # start_agent SOURCE
    cat >"$work/cvpportd.conf" <<CONF
cvpRefresh 1
cvpScanSource $1
cvpPortMove vxml-http $p_cat
cvpIgnore tcp $p_ign 127.0.0.1
CONF
    it_start_cvpportd "$work/cvpportd.conf" "$work/cvpportd-$1.log"
    cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanSource.0 | grep -qx $1" 100 || {
        echo "cvpportd ($1) did not answer"; cat "$work/cvpportd-$1.log"; exit 1; }
}
# The listener table rows of the test's ports: "INDEX sockets pid name class portindex".
listeners() {
    local col rows
    for col in cvpListenerSockets cvpListenerProcessId cvpListenerProcessName cvpListenerClass cvpListenerPortIndex; do
        cvp_snmp snmpbulkwalk "$target" -OQs "CVP-PORT-MIB::$col" | sed "s/^$col\.//; s/ = /=/" >"$work/$col"
    done
    # Joined by index, not by line: a listener that comes or goes between two columns' walks
    # (the tools' own UDP client sockets do) must not shift the others.
    rows=$(awk '{ i = index($0, "="); k = substr($0, 1, i - 1); v = substr($0, i + 1)
            if (FILENAME ~ /Sockets$/) { order[++n] = k; line[k] = k " sockets=" v; cols[k] = 1 }
            else if (k in line) { line[k] = line[k] " " v; cols[k]++ } }
        END { for (j = 1; j <= n; j++) if (cols[order[j]] == 5) print line[order[j]] }' \
        "$work/cvpListenerSockets" "$work/cvpListenerProcessId" "$work/cvpListenerProcessName" \
        "$work/cvpListenerClass" "$work/cvpListenerPortIndex")
    for p in "${ports[@]}"; do echo "$rows" | grep "\.$p sockets="; done
}
row() { echo "$1" | grep -F "$2 sockets=" | cut -d' ' -f2-; }

start_agent netlink
nl=$(listeners)
echo "$nl" >"$work/netlink.txt"
h=$helper_pid
check "tcp 0.0.0.0" "sockets=1 $h listen_helper unexpected 0" "$(row "$nl" "tcp.ipv4.\"0.0.0.0\".$p_v4any")"
check "tcp :: dual-stack is unknown(0), empty address" "sockets=1 $h listen_helper unexpected 0" "$(row "$nl" "tcp.unknown.\"\".$p_dual")"
check "tcp :: v6only is ipv6, 16 zero octets" "sockets=1 $h listen_helper unexpected 0" \
    "$(row "$nl" "tcp.ipv6.\"00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00\".$p_v6only")"
check "tcp 127.0.0.1" "sockets=1 $h listen_helper unexpected 0" "$(row "$nl" "tcp.ipv4.\"127.0.0.1\".$p_v4lo")"
check "tcp ::1" "sockets=1 $h listen_helper unexpected 0" \
    "$(row "$nl" "tcp.ipv6.\"00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01\".$p_v6lo")"
check "SO_REUSEPORT pair is one row of 2 sockets" "sockets=2 $h listen_helper unexpected 0" "$(row "$nl" "tcp.ipv4.\"0.0.0.0\".$p_reuse")"
check "udp 127.0.0.1" "sockets=1 $h listen_helper unexpected 0" "$(row "$nl" "udp.ipv4.\"127.0.0.1\".$p_udp4")"
check "udp :: dual-stack" "sockets=1 $h listen_helper unexpected 0" "$(row "$nl" "udp.unknown.\"\".$p_udpdual")"
check "a catalogue port is expected and points at its row" "sockets=1 $h listen_helper expected 5" "$(row "$nl" "tcp.ipv4.\"0.0.0.0\".$p_cat")"
check "cvpIgnore makes a listener ignored" "sockets=1 $h listen_helper ignored 0" "$(row "$nl" "tcp.ipv4.\"127.0.0.1\".$p_ign")"
check "cvpPortProcessId of the catalogue row" "$h" "$(cvp_snmp snmpget "$target" -Oqv CVP-PORT-MIB::cvpPortProcessId.5)"
check "cvpPortProcessName of the catalogue row" listen_helper "$(cvp_snmp snmpget "$target" -Oqv CVP-PORT-MIB::cvpPortProcessName.5)"
unexpected=$(cvp_snmp snmpbulkwalk "$target" -Oqv CVP-PORT-MIB::cvpListenerClass | grep -cx unexpected)
check "cvpPortUnexpectedCount equals the unexpected rows" "$unexpected" "$(cvp_snmp snmpget "$target" -Oqv CVP-PORT-MIB::cvpPortUnexpectedCount.0)"
check "ephemeral range published" "$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)" "$(cvp_snmp snmpget "$target" -Oqv CVP-PORT-MIB::cvpPortEphemeralLow.0)"

cvp_kill_pidfile "$work/cvpportd.pid"
start_agent procfs
pf=$(listeners)
echo "$pf" >"$work/procfs.txt"
# /proc/net cannot see IPV6_V6ONLY: the v6only socket shows as dual-stack there. Otherwise equal.
v6zero='ipv6."00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00"'
check "procfs and netlink report the same listeners (v6only aside)" \
    "$(echo "$nl" | sed "s/tcp\.$v6zero\.$p_v6only /tcp.unknown.\"\".$p_v6only /" | sort)" "$(echo "$pf" | sort)"
check "procfs sees the v6only socket as dual-stack" "sockets=1 $h listen_helper unexpected 0" "$(row "$pf" "tcp.unknown.\"\".$p_v6only")"

# --check lists the unexpected listeners after the catalogue rows.
out=$("$CVP_BUILD/cvpportd" --check -C -c "$work/cvpportd.conf")
code=$?
check "--check exit code is critical (required rows missing)" 2 "$code"
check "--check lists an unexpected listener with its process" 1 \
    "$(echo "$out" | sed -n '/^Unexpected listeners/,/^$/p' | grep -c "tcp   0.0.0.0 .* $p_v4any .*listen_helper/$h")"

it_done
