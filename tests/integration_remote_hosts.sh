#!/usr/bin/env bash
# Integration: the daemon polling cvpHost hosts, in a network namespace of its own, through a
# real snmpd master and a real snmptrapd:
#  - a Linux host (a real snmpd serving TCP-MIB/UDP-MIB, listeners the test opens), a Windows
#    CVP Call Server (snmpsim serving a recording of RFC 1213's tables), one that answers too
#    slowly for its timeout, one that never answers;
#  - cvpHostTable, cvpHostPortTable and cvpHostFindingTable read by name with snmpwalk: the
#    verdicts each fixture implies, the same as `cvpportd --check --host` gives;
#  - the Linux host's agent stopped: unreachable within its poll interval and timeout, its
#    verdicts kept and stale, cvpHostUnreachable, while the others keep their cadence; started
#    again: cvpHostReachable; a listener closed there: cvpHostPortComplianceChange;
#  - a reload that removes one host and adds another: the others keep their index.
# Usage: integration_remote_hosts.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
it_private_net "$0" "$1"

it_start_trapd || exit 1
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$trapport public" it_start_master || exit 1

# --- the hosts ---
lin=$(cvp_free_port udp)
cat >"$work/linux-snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$lin
rocommunity linuxhost 127.0.0.1
CONF
start_linux() {
    MIBS="" snmpd -I -smux -C -c "$work/linux-snmpd.conf" -Lf "$work/linux-snmpd.log" \
        -p "$work/linux-snmpd.pid" </dev/null
    cvp_wait "ss -lunH 'sport = :$lin' | grep -q ." 100 || { echo "snmpd did not start"; exit 1; }
}
it_pidfiles+=("$work/linux-snmpd.pid")
start_linux
"$CVP_BUILD/tests/listen_helper" tcp/0.0.0.0/7005 tcp/0.0.0.0/7000 tcp/0.0.0.0/4444 \
    udp/127.0.0.1/5060 >"$work/listeners.out" 2>&1 &
it_pids+=($!)
"$CVP_BUILD/tests/listen_helper" tcp/0.0.0.0/23 >"$work/telnet.out" 2>&1 &
telnet_pid=$!
it_pids+=($!)
cvp_wait "grep -q ready '$work/listeners.out' && grep -q ready '$work/telnet.out'" 50 || exit 1

sim=$(cvp_free_port udp)
mkdir -p "$work/sim"
cp "$CVP_TOP/tests/fixtures/remote/windows-callserver.snmprec" "$work/sim/"
# the same recording answering 1.5 s late to each tcpConnState: slower than its 1 s timeout
sed -E 's/^(1\.3\.6\.1\.2\.1\.6\.13\.1\.1\.[0-9.]+)\|2\|([0-9]+)$/\1|2:delay|value=\2,wait=1500/' \
    "$work/sim/windows-callserver.snmprec" >"$work/sim/windows-slow.snmprec"
chmod a+x "$work"
chmod -R a+rX "$work/sim"
slow=$(cvp_free_port udp)
for ep in "$sim" "$slow"; do # one snmpsim each: it answers one request at a time
    snmpsimd --data-dir="$work/sim" --agent-udpv4-endpoint="127.0.0.1:$ep" \
        --process-user=nobody --process-group=nogroup --logging-method=stderr 2>"$work/snmpsim-$ep.log" &
    it_pids+=($!)
    cvp_wait "snmpget -v2c -c windows-callserver -t 1 -r 0 127.0.0.1:$ep 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1" 100 ||
        { echo "snmpsim did not start"; cat "$work/snmpsim-$ep.log"; exit 1; }
done
dead=$(cvp_free_port udp)

# --- cvpportd, polling them every 3 s ---
conf=$work/cvpportd.conf
cat >"$conf" <<CONF
agentxPingInterval 1
cvpTrapHoldDown 1
cvpIgnore udp 161
cvpPortRequire telnet forbidden
cvpHostPoll 3
cvpHost linux1 127.0.0.1:$lin vxml,mgmt,callserver -v2c -c linuxhost -t 1 -r 0
cvpHost win1 127.0.0.1:$sim callserver,common,windows,mgmt -v2c -c windows-callserver -t 1 -r 0
cvpHost slow1 127.0.0.1:$slow callserver -v2c -c windows-slow -t 1 -r 0
cvpHost dead1 127.0.0.1:$dead callserver -t 1 -r 0
cvpHostPoll 5 dead1
cvpHost capped1 127.0.0.1:$sim callserver,common,windows,mgmt -v2c -c windows-callserver -t 1 -r 0
cvpHostRowLimit 10 capped1
CONF
chmod 600 "$conf"
t0=$(date +%s)
it_start_cvpportd "$conf" "$work/cvpportd.log" -Dcvpportd/hosts
hostcol() { get "CVP-PORT-MIB::$1.$2"; } # hostcol OBJECT HOSTINDEX
cvp_wait "[ \"\$(hostcol cvpHostReachability 4)\" = unreachable ]" 150 || {
    echo "dead1 was never polled; the log:"; cat "$work/cvpportd.log"; exit 1; }
t1=$(date +%s)
# (its interval 5 s and timeout 1 s, with room for the daemon's start under a sanitizer)
check "a host that never answers: unreachable within its interval and timeout ($((t1 - t0)) s)" yes \
    "$([ $((t1 - t0)) -le 10 ] && echo yes || echo no)"
cvp_wait "[ \"\$(hostcol cvpHostReachability 1)\" = reachable ] && [ \"\$(hostcol cvpHostReachability 2)\" = reachable ]" 100
check "the hosts by index, in the configuration's order" "linux1 win1 slow1 dead1 capped1" \
    "$(cvp_snmp snmpwalk "$target" -Oqv CVP-PORT-MIB::cvpHostName | tr -d '"' | paste -sd' ')"
check "linux1: read from TCP-MIB/UDP-MIB" "tcpUdpMib" "$(hostcol cvpHostSource 1)"
check "win1: read from RFC 1213's tables" "rfc1213" "$(hostcol cvpHostSource 2)"
check "the tables each agent answered with (every generation read)" \
    "tcpListenerTable udpEndpointTable tcpConnTable udpTable|tcpConnTable udpTable" \
    "$(hostcol cvpHostTables 1 | tr -d '"')|$(hostcol cvpHostTables 2 | tr -d '"')"
check "no row that does not decode" "0 0" "$(hostcol cvpHostMalformedRows 1) $(hostcol cvpHostMalformedRows 2)"
check "each host's ephemeral range by its sysDescr (Linux, Windows Server 2019)" "32768-60999 49152-65535" \
    "$(hostcol cvpHostEphemeralLow 1)-$(hostcol cvpHostEphemeralHigh 1) $(hostcol cvpHostEphemeralLow 2)-$(hostcol cvpHostEphemeralHigh 2)"
check "linux1: its address (never its community)" "127.0.0.1:$lin" "$(hostcol cvpHostAddress 1 | tr -d '"')"
check "no community in the host table" 0 "$(cvp_snmp snmpwalk "$target" CVP-PORT-MIB::cvpHostTable | grep -c 'linuxhost\|windows-callserver')"
check "linux1: nonCompliant" nonCompliant "$(hostcol cvpHostOverallStatus 1)"
check "slow1: unreachable (slower than its timeout)" unreachable "$(hostcol cvpHostReachability 3)"
check "slow1: why" "no answer (timeout)" "$(hostcol cvpHostError 3 | tr -d '"')"
check "dead1: unknown, never everything missing" unknown "$(hostcol cvpHostOverallStatus 4)"
check "dead1: its poll interval" 5 "$(hostcol cvpHostPollInterval 4 | tr -dc 0-9)"
check "dead1: no verdict rows" 0 "$(cvp_snmp snmpwalk "$target" -Oqv CVP-PORT-MIB::cvpHostPortCompliance.4 | grep -vc 'No Such')"
cvp_wait "[ \"\$(hostcol cvpHostReachability 5)\" = unreachable ]" 100
check "capped1 (more rows than its cvpHostRowLimit): unreachable, overall unknown" "unreachable unknown" \
    "$(hostcol cvpHostReachability 5) $(hostcol cvpHostOverallStatus 5)"
check "capped1: the row limit's own error" "row limit: the listener tables hold more than 10 rows (cvpHostRowLimit)" \
    "$(hostcol cvpHostError 5 | tr -d '"')"

# Row verdicts by name, as the MIB gives them and as --check --host does.
mib_rows() { # mib_rows HOSTINDEX: "name=compliance ..." in catalogue order
    paste -d= <(cvp_snmp snmpwalk "$target" -Oqv "CVP-PORT-MIB::cvpHostPortName.$1" | tr -d '"') \
        <(cvp_snmp snmpwalk "$target" -Oqv "CVP-PORT-MIB::cvpHostPortCompliance.$1") | paste -sd' '
}
check_rows() { # check_rows NAME: --check --host NAME's rows, as mib_rows gives them
    "$CVP_BUILD/cvpportd" --check --json -C -c "$conf" --host "$1" 2>/dev/null | python3 -c 'import json, sys
print(" ".join("%s=%s" % (p["name"], p["compliance"]) for p in json.load(sys.stdin)["ports"]))'
}
rowv() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
linux=$(mib_rows 1)
windows=$(mib_rows 2)
check "linux1: $CVP_ROWS rows" "$CVP_ROWS" "$(echo "$linux" | wc -w)"
check "linux1: Telnet forbidden" forbidden "$(rowv "$linux" telnet)"
check "linux1: vxml-tomcat on 0.0.0.0 exposed" exposed "$(rowv "$linux" vxml-tomcat)"
check "linux1: vxml-https missing" missing "$(rowv "$linux" vxml-https)"
check "linux1: vxml-http compliant" compliant "$(rowv "$linux" vxml-http)"
check "linux1: the MIB's verdicts = --check --host linux1's" "$(check_rows linux1)" "$linux"
check "win1: Telnet forbidden" forbidden "$(rowv "$windows" telnet)"
check "win1: callserver-tomcat exposed" exposed "$(rowv "$windows" callserver-tomcat)"
check "win1: sip-tcp missing" missing "$(rowv "$windows" sip-tcp)"
check "win1: rpc (windows role) compliant" compliant "$(rowv "$windows" rpc)"
check "win1: the MIB's verdicts = --check --host win1's" "$(check_rows win1)" "$windows"
check "win1: the unexpected listeners counted" 4 "$(hostcol cvpHostUnexpectedCount 2)"
check "win1: its findings: telnet forbidden, callserver-tomcat exposed, 3 unexpected" \
    "exposed forbidden unexpected unexpected unexpected" \
    "$(cvp_snmp snmpwalk "$target" -Oqv CVP-PORT-MIB::cvpHostFindingKind.2 | sort | paste -sd' ')"
check "win1: a finding's index (host, tcp, ipv4, 0.0.0.0, 23)" forbidden \
    "$(get CVP-PORT-MIB::cvpHostFindingKind.2.1.1.4.0.0.0.0.23)"
check "the local host's tables are as they were" "$CVP_ROWS" \
    "$(cvp_snmp snmpwalk "$target" -Oqv CVP-PORT-MIB::cvpPortName | wc -l)"
check "the baseline sent nothing" 0 "$(grep -c 'CVP-PORT-MIB::cvpHost' "$traps")"

# --- the Linux host's agent goes away, then comes back ---
polls_before=$(hostcol cvpHostLastPoll 2 | tr -dc 0-9)
cvp_kill_pidfiles "$work/linux-snmpd.pid"
t0=$(date +%s)
cvp_wait "[ \"\$(hostcol cvpHostReachability 1)\" = unreachable ]" 100
t1=$(date +%s)
check "linux1 stopped: unreachable within its interval and timeout ($((t1 - t0)) s)" yes \
    "$([ $((t1 - t0)) -le 7 ] && echo yes || echo no)"
check "linux1 stopped: its verdicts kept, stale" "true forbidden" \
    "$(hostcol cvpHostStale 1) $(rowv "$(mib_rows 1)" telnet)"
check "linux1 stopped: overall unknown" unknown "$(hostcol cvpHostOverallStatus 1)"
cvp_wait "grep -q 'cvpHostUnreachable' '$traps'" 80
check "cvpHostUnreachable, with the host's name and why" "linux1 no answer (timeout)" \
    "$(grep cvpHostUnreachable "$traps" | head -1 | grep -o 'cvpHostName.1=[^ ]*' | cut -d= -f2) $(grep cvpHostUnreachable "$traps" | head -1 | sed 's/.*cvpHostError.1=//')"
cvp_wait "[ \"\$(hostcol cvpHostLastPoll 2 | tr -dc 0-9)\" -gt $polls_before ]" 100
check "the other hosts kept their cadence meanwhile" 0 "$?"
# (snmpd keeps its TCP-MIB tables 60 s: a listener closed while it is away shows at once)
kill "$telnet_pid"
start_linux
cvp_wait "grep -q 'cvpHostReachable ' '$traps'" 80
check "cvpHostReachable once it answers again" "linux1 tcpUdpMib" \
    "$(grep 'cvpHostReachable ' "$traps" | head -1 | grep -o 'cvpHostName.1=[^ ]*' | cut -d= -f2) $(grep 'cvpHostReachable ' "$traps" | head -1 | sed 's/.*cvpHostSource.1=//')"
check "linux1 back: not stale" false "$(hostcol cvpHostStale 1)"

# --- the listener closed on the Linux host meanwhile: its row changes, one notification ---
cvp_wait "grep -q 'cvpHostPortComplianceChange' '$traps'" 80
line=$(grep cvpHostPortComplianceChange "$traps" | head -1)
check "cvpHostPortComplianceChange: linux1's telnet row is compliant again" "linux1 telnet compliant" \
    "$(echo "$line" | grep -o 'cvpHostName.1=[^ ]*' | cut -d= -f2) $(echo "$line" | grep -o 'cvpHostPortName.1.[0-9]*=[^ ]*' | cut -d= -f2) $(echo "$line" | grep -o 'cvpHostPortCompliance.1.[0-9]*=[a-zA-Z]*' | cut -d= -f2)"
check "one change, one notification" 1 "$(grep -c cvpHostPortComplianceChange "$traps")"
check "its last change stamped" yes "$([ "$(hostcol cvpHostPortLastChange "1.$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpHostPortName.1 | grep ' "\?telnet"\?$' | sed 's/^cvpHostPortName\.1\.\([0-9]*\).*/\1/')" | tr -dc 0-9)" -gt 0 ] && echo yes || echo no)"
check "the notifications count in cvpPortNotificationsSent" yes \
    "$([ "$(get CVP-PORT-MIB::cvpPortNotificationsSent.0 | tr -dc 0-9)" -ge 3 ] && echo yes || echo no)"

# --- a reload: win1 and capped1 removed, new1 added; linux1 keeps index 1, new1 takes 6 ---
sed -i '/^cvpHost win1 /d; /capped1/d' "$conf"
echo "cvpHost new1 127.0.0.1:$lin vxml -v2c -c linuxhost -t 1 -r 0" >>"$conf"
t0=$(date +%s%N)
kill -HUP "$(cat "$work/cvpportd.pid")"
cvp_wait "[ \"\$(hostcol cvpHostName 6 | tr -d '\"')\" = new1 ]" 100
cvp_wait "[ \"\$(hostcol cvpHostReachability 6)\" != notPolled ]" 100
ms=$((($(date +%s%N) - t0) / 1000000))
# its first poll within its interval (3 s, spread among the hosts) and timeout (1 s), the
# reload and this walk's own time aside (half a second; more under a sanitizer)
check "new1, added by a reload: first polled within its interval and timeout ($ms ms)" yes \
    "$([ "$ms" -le $((4000 + ${CVP_SANITIZED:+1000} + 500)) ] && echo yes || echo no)"
check "after the reload: the hosts and their indexes" "1=linux1 3=slow1 4=dead1 6=new1" \
    "$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpHostName | sed 's/^cvpHostName\.\([0-9]*\) "\?\([^"]*\)"\?$/\1=\2/' | paste -sd' ')"
check "linux1 kept its state across the reload" reachable "$(hostcol cvpHostReachability 1)"
check "the reload's log says the hosts changed" yes \
    "$(grep -q 'cvpHost: 5 -> 4 host(s)' "$work/cvpportd.log" && echo yes || echo no)"
check "the log says when linux1 answered, went and came back" "1 2" \
    "$(grep -c "host linux1 (127.0.0.1:$lin) unreachable: no answer (timeout)" "$work/cvpportd.log") $(grep -c "host linux1 (127.0.0.1:$lin) answers" "$work/cvpportd.log")"
check "and that dead1 does not answer, once" 1 "$(grep -c 'host dead1 .* unreachable' "$work/cvpportd.log")"
check "no secret in cvpportd's log" 0 "$(grep -c 'linuxhost\|windows-callserver\|windows-slow' "$work/cvpportd.log")"
it_done
