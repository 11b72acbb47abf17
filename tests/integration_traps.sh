#!/usr/bin/env bash
# Integration: CVP-PORT-MIB's notifications received by a real snmptrapd, through a real
# snmpd master (trap2sink, then informsink) and through the dlmod module loaded into snmpd.
# Every notification's OID, instance and varbinds are checked, and that nothing else came:
# a required listener opened and closed, a blink shorter than the hold-down, an unexpected
# listener and its clear, the master killed while a row changes (the change is sent once after
# re-registration, TimeStamps follow the restarted master's clock), a burst over the rate limit.
# Usage: integration_traps.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

helper=$CVP_BUILD/tests/listen_helper
it_start_trapd || exit 1

# The master's own listeners come and go with it: its AgentX port is kept out of every
# catalogue range (and ignored, like its SMUX port), so that only the test's listeners count.
agentx=$(cvp_free_port tcp 12000 16000) || exit 1
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$trapport public" it_start_master || exit 1

# Ports: vxml-http (row 5, tcp) and sip-udp (row 3) moved to free ones; P2.. for unexpected
# listeners (12000-16000: no row, not ephemeral).
# (All in 12000-16000: inside no catalogue range, so each changes only its own row.)
p_http=$(cvp_free_port tcp 12000 16000) p_sip=$(cvp_free_port udp 12000 16000)
conf=$work/cvpportd.conf
cat >"$conf" <<CONF
cvpRefresh 1
cvpTrapHoldDown 2
agentxPingInterval 1
cvpIgnore tcp 199
cvpIgnore tcp $agentx
cvpPortMove vxml-http $p_http
cvpPortMove sip-udp $p_sip
CONF
it_start_cvpportd "$conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | tr -dc 0-9)\" -ge 3 ]" 100 || {
    echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }

cvp_traps() { grep -c 'CVP-PORT-MIB::cvpPort' "$traps"; }
wait_traps() { cvp_wait "[ \$(cvp_traps) -ge $1 ]" "${2:-80}"; }
# The Nth CVP-PORT-MIB notification, and the value of OBJECT in it.
nth() { grep 'CVP-PORT-MIB::cvpPort' "$traps" | sed -n "${1}p"; }
field() { nth "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2- | tr -d '"'; }
start() { # start NAME SPEC...: a listen_helper holding SPECs; its pid in pid_NAME
    local name=$1; shift
    "$helper" "$@" >"$work/$name.out" 2>&1 &
    it_pids+=($!)
    eval "pid_$name=$!"
    cvp_wait "grep -q ready '$work/$name.out'" 50 || { cat "$work/$name.out"; exit 1; }
}
quiet_for() { # quiet_for SECONDS COUNT: no new notification in that time
    sleep "$1"
    check "$3: nothing more arrives" "$2" "$(cvp_traps)"
    [ "$(cvp_traps)" = "$2" ] || grep 'CVP-PORT-MIB::cvpPort' "$traps" | cut -c1-200 >&2
}

check "the baseline sends nothing" 0 "$(cvp_traps)"

# A required row's listener opens: one compliant notification per row.
start http "tcp/0.0.0.0/$p_http"
start sip "udp/127.0.0.1/$p_sip"
wait_traps 2
quiet_for 3 2 "after the listeners opened"
n5=$(grep -n 'cvpPortName.5=' "$traps" | head -1 | cut -d: -f1)
check "cvpPortComplianceChange for row 5" "CVP-PORT-MIB::cvpPortComplianceChange" "$(sed -n "${n5}p" "$traps" | cut -d' ' -f1)"
line5=$(sed -n "${n5}p" "$traps")
v() { echo "$line5" | tr ' ' '\n' | grep "^CVP-PORT-MIB::$1=" | cut -d= -f2- | tr -d '"'; }
check "varbind cvpPortName.5" vxml-http "$(v cvpPortName.5)"
check "varbind cvpPortProtocol.5" tcp "$(v cvpPortProtocol.5)"
check "varbind cvpPortLow.5" "$p_http" "$(v cvpPortLow.5)"
check "varbind cvpPortHigh.5" "$p_http" "$(v cvpPortHigh.5)"
check "varbind cvpPortState.5" listening "$(v cvpPortState.5)"
check "varbind cvpPortCompliance.5" compliant "$(v cvpPortCompliance.5)"
check "varbind cvpPortAddressType.5" ipv4 "$(v cvpPortAddressType.5)"
check "varbind cvpPortProcessName.5" listen_helper "$(v cvpPortProcessName.5)"
check "the other notification is row 3's" "sip-udp compliant" \
    "$(grep -v 'cvpPortName.5=' "$traps" | grep -o 'cvpPortName.3="*[a-z-]*\|cvpPortCompliance.3=[a-z]*' | cut -d= -f2 | tr -d '"' | xargs)"
check "cvpPortComplianceChanges counts them" 2 "$(get CVP-PORT-MIB::cvpPortComplianceChanges.0)"
check "cvpPortNotificationsSent counts them" 2 "$(get CVP-PORT-MIB::cvpPortNotificationsSent.0)"

# It closes: one missing.
kill "$pid_http"
wait_traps 3
quiet_for 3 3 "after the listener closed"
check "close: row 5 missing" "vxml-http missing notListening" \
    "$(echo "$(field 3 CVP-PORT-MIB::cvpPortName.5) $(field 3 CVP-PORT-MIB::cvpPortCompliance.5) $(field 3 CVP-PORT-MIB::cvpPortState.5)")"

# The master keeps what it sent in NOTIFICATION-LOG-MIB: an NMS that missed a trap can read
# it there (nlmLogTable: each notification's OID; nlmLogVariableTable: its varbinds).
nlm=$(cvp_snmp snmpbulkwalk "$target" -On .1.3.6.1.2.1.92.1.3)
check "nlmLogTable holds the notifications of cvpportd" yes \
    "$(echo "$nlm" | grep -q '= OID: .1.3.6.1.4.1.8072.9999.9999.7161.1.2.1.2.5$' &&
       echo "$nlm" | grep -q 'STRING: "vxml-http"' && echo yes || echo no)"
check "nlmLogTable: the three sent so far" 3 \
    "$(echo "$nlm" | grep -c '= OID: .1.3.6.1.4.1.8072.9999.9999.7161.0.1$')"

# A blink shorter than the hold-down (2 scans at 1 s): nothing.
start blink "tcp/0.0.0.0/$p_http"
sleep 0.4
kill "$pid_blink"
quiet_for 4 3 "a blink shorter than the hold-down"

# An unexpected listener: announced once with its pid and name, cleared when it closes.
p_unx=$(cvp_free_port tcp 12000 16000)
start unx "tcp/127.0.0.1/$p_unx"
wait_traps 4
quiet_for 3 4 "after the unexpected listener appeared"
idx="1.1.4.127.0.0.1.$p_unx"
check "cvpPortUnexpectedListener" "CVP-PORT-MIB::cvpPortUnexpectedListener" "$(nth 4 | cut -d' ' -f1)"
check "its pid, instance = the listener's index" "$pid_unx" "$(field 4 "CVP-PORT-MIB::cvpListenerProcessId.tcp.ipv4.\"127.0.0.1\".$p_unx")$(field 4 "CVP-PORT-MIB::cvpListenerProcessId.$idx")"
check "its process name" listen_helper "$(nth 4 | tr ' ' '\n' | grep 'cvpListenerProcessName' | cut -d= -f2 | tr -d '"')"
check "its class" unexpected "$(nth 4 | tr ' ' '\n' | grep 'cvpListenerClass' | cut -d= -f2)"
kill "$pid_unx"
wait_traps 5
quiet_for 3 5 "after the unexpected listener closed"
check "cvpPortUnexpectedListenerGone" "CVP-PORT-MIB::cvpPortUnexpectedListenerGone" "$(nth 5 | cut -d' ' -f1)"
check "Gone names the same listener" "$pid_unx" "$(nth 5 | tr ' ' '\n' | grep 'cvpListenerProcessId' | cut -d= -f2)"

# The master is killed while row 5 changes; it comes back with an informsink instead: the
# change is sent once (an INFORM, acknowledged: no repeat), and TimeStamps from before are 0.
lc3_before=$(get -Ot CVP-PORT-MIB::cvpPortLastChange.3)
kill -9 "$(cat "$work/snmpd.pid")"
rm -f "$work/snmpd.pid"
start http2 "tcp/0.0.0.0/$p_http"
sleep 4 # the change holds for the hold-down while the master is away
check "nothing is sent while the master is away" 5 "$(cvp_traps)"
CVP_SNMPD_EXTRA="informsink 127.0.0.1:$trapport public" it_start_master || exit 1
wait_traps 6 150
quiet_for 4 6 "after the master came back"
check "the held change, once" "vxml-http compliant" \
    "$(echo "$(field 6 CVP-PORT-MIB::cvpPortName.5) $(field 6 CVP-PORT-MIB::cvpPortCompliance.5)")"
uptime=$(cvp_snmp snmpget "$target" -Oqvt .1.3.6.1.2.1.1.3.0)
lc5=$(get -Ot CVP-PORT-MIB::cvpPortLastChange.5)
check "row 3 changed before the master restarted: its TimeStamp was set" yes "$([ "${lc3_before:-0}" -gt 0 ] && echo yes || echo no)"
check "and is 0 on the restarted master's clock" 0 "$(get -Ot CVP-PORT-MIB::cvpPortLastChange.3)"
check "row 5's TimeStamp is on the new clock (not in its future)" yes \
    "$([ "${lc5:-0}" -gt 0 ] && [ "$lc5" -le "$uptime" ] && echo yes || echo "no ($lc5 > $uptime)")"
check "cvpPortComplianceChanges" 4 "$(get CVP-PORT-MIB::cvpPortComplianceChanges.0)"

# A burst over the rate limit: a reload sets 3 per 60 s, then 7 listeners appear at once.
echo "cvpTrapRateLimit 3 60" >>"$conf"
sent_before=$(get CVP-PORT-MIB::cvpPortNotificationsSent.0)
supp_before=$(get CVP-PORT-MIB::cvpPortNotificationsSuppressed.0)
reloads=$(grep -c 'configuration reloaded' "$work/cvpportd.log")
kill -HUP "$(cat "$work/cvpportd.pid")"
cvp_wait "[ \$(grep -c 'configuration reloaded' '$work/cvpportd.log') -gt $reloads ]" 50
it_scans_after 2 # the notifier has the new limit
specs=()
for _ in 1 2 3 4 5 6 7; do specs+=("tcp/127.0.0.1/$(cvp_free_port tcp 12000 16000)"); done
start burst "${specs[@]}"
wait_traps 9
quiet_for 4 9 "a burst over the rate limit"
check "the burst: 3 sent" $((sent_before + 3)) "$(get CVP-PORT-MIB::cvpPortNotificationsSent.0)"
check "the burst: the excess counted" $((supp_before + 4)) "$(get CVP-PORT-MIB::cvpPortNotificationsSuppressed.0)"
check "the three are cvpPortUnexpectedListener" 3 "$(for i in 7 8 9; do nth $i; done | grep -c '^CVP-PORT-MIB::cvpPortUnexpectedListener ')"
check "cvpportd still running" yes "$(kill -0 "$(cat "$work/cvpportd.pid")" 2>/dev/null && echo yes || echo no)"
cvp_kill_pidfile "$work/cvpportd.pid"

# The dlmod module inside snmpd sends the same notification to snmpd's trap2sink.
: >"$traps"
udp2=$(cvp_free_port udp) p_dl=$(cvp_free_port tcp 12000 16000)
mkdir -p "$work/dl/persist"
cat >"$work/dl/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$udp2
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
trap2sink 127.0.0.1:$trapport public
dlmod cvpPortMIB $CVP_BUILD/cvpPortMIB.so
cvpRefresh 1
cvpTrapHoldDown 1
cvpPortMove vxml-http $p_dl
cvpIgnore udp $udp2
CONF
# snmpd's own sockets may open after the module's first scan: no SMUX, its UDP port ignored,
# so that the first notification is the one this test causes.
LD_PRELOAD=${CVP_SANITIZER_PRELOAD:-} SNMP_PERSISTENT_DIR=$work/dl/persist MIBS="" snmpd -I -smux -C \
    -c "$work/dl/snmpd.conf" -Lf "$work/dl/snmpd.log" -p "$work/dl/snmpd.pid" </dev/null >/dev/null 2>&1
it_pidfiles+=("$work/dl/snmpd.pid")
cvp_wait "[ -n \"\$(cvp_snmp snmpget 127.0.0.1:$udp2 -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep '^[2-9]')\" ]" 100 || {
    echo "snmpd with the module does not answer"; cat "$work/dl/snmpd.log"; exit 1; }
start dl "tcp/0.0.0.0/$p_dl"
wait_traps 1
check "dlmod: cvpPortComplianceChange for vxml-http" "CVP-PORT-MIB::cvpPortComplianceChange vxml-http $p_dl compliant" \
    "$(echo "$(nth 1 | cut -d' ' -f1) $(field 1 CVP-PORT-MIB::cvpPortName.5) $(field 1 CVP-PORT-MIB::cvpPortLow.5) $(field 1 CVP-PORT-MIB::cvpPortCompliance.5)")"
it_done
