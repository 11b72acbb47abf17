#!/usr/bin/env bash
# Integration: `cvpportd --check --host` against agents this project did not write, in a network
# namespace of its own.
#  - A Linux host: a real snmpd serving TCP-MIB's tcpListenerTable and UDP-MIB's
#    udpEndpointTable of the namespace, with listeners the test opens (a Telnet port the
#    configuration forbids, a loopback-only port bound to 0.0.0.0, a required port closed, an
#    unexpected one): the verdicts are those each listener implies, and the same as the local
#    `--check` gives for the same sockets.
#  - A Windows CVP Call Server: Debian's snmpsim serving a recording of what Windows' SNMP
#    service shows (RFC 1213 tcpConnTable in state listen and established, udpTable, Windows'
#    sysDescr): the same four verdicts, from RFC 1213's tables; the same host answering slowly
#    (the same verdicts within the timeout, UNKNOWN beyond it) and gone in the middle of a walk
#    (UNKNOWN).
#    The same host named by a cvpHost line of the configuration gives the same verdicts.
#  - Address forms (RFC 4001/4022) and every table generation joined (snmpsim recordings).
#  - Bounds: more rows than cvpHostRowLimit is UNKNOWN with the limit's own error; answers are
#    taken only from the address and port asked (a relay answering from another port: no
#    answer, UNKNOWN).
#  - A host that never answers: UNKNOWN (exit 3) after its timeout, never "everything missing";
#    options snmpget would refuse: UNKNOWN with what to give.
# Usage: integration_remote_check.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
it_private_net "$0" "$1"

conf=$work/cvpportd.conf
udp=$(cvp_free_port udp)
cat >"$conf" <<CONF
cvpPortRequire telnet forbidden
cvpIgnore udp 161
cvpIgnore udp $udp
CONF
verdict() { # verdict JSON_FILE ROW: the row's compliance
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(next(p["compliance"] for p in d["ports"] if p["name"] == sys.argv[2]))' "$1" "$2"
}
unexpected() { # unexpected JSON_FILE: "PROTO/PORT ..." of the unexpected listeners, sorted
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted("%s/%s" % (l["protocol"], l["port"]) for l in d["listeners"] if l["class"] == "unexpected")))' "$1"
}

listeners() { # listeners JSON_FILE: "PROTO/ADDRESS/PORT ..." of every listener, sorted
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted("%s/%s/%s" % (l["protocol"], l["address"], l["port"]) for l in d["listeners"])))' "$1"
}

# --- a Linux host: snmpd's own tables of this namespace ---
cat >"$work/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$udp
rocommunity linuxhost 127.0.0.1
# Debian's stock snmpd.conf: public sees the system group only
view systemonly included .1.3.6.1.2.1.1
view systemonly included .1.3.6.1.2.1.25.1
rocommunity public default -V systemonly
CONF
MIBS="" snmpd -I -smux -C -c "$work/snmpd.conf" -Lf "$work/snmpd.log" -p "$work/snmpd.pid" </dev/null
cvp_wait "ss -lunH 'sport = :$udp' | grep -q ." 100 || { echo "snmpd did not start"; cat "$work/snmpd.log"; exit 1; }
"$CVP_BUILD/tests/listen_helper" tcp/0.0.0.0/23 tcp/0.0.0.0/7005 tcp/0.0.0.0/7000 tcp/0.0.0.0/4444 \
    udp/127.0.0.1/5060 >"$work/listeners.out" 2>&1 &
it_pids+=($!)
cvp_wait "grep -q ready '$work/listeners.out'" 50 || { cat "$work/listeners.out"; exit 1; }

remote() { # remote HOST SNMP-ARGS ROLES [--json]: prints the check, sets rc
    "$CVP_BUILD/cvpportd" --check -C -c "$conf" --host "$1" --snmp "$2" --roles "$3" ${4:-} \
        >"$work/out" 2>"$work/err"
    rc=$?
}
remote "127.0.0.1:$udp" "-v2c -c linuxhost" vxml,mgmt,callserver --json
cp "$work/out" "$work/linux.json"
check "Linux host: CRITICAL (exit 2)" 2 "$rc"
check "Linux host: read from TCP-MIB and UDP-MIB" tcpUdpMib \
    "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["source"])' "$work/linux.json")"
check "Linux host: Telnet, forbidden here, is forbidden" forbidden "$(verdict "$work/linux.json" telnet)"
check "Linux host: vxml-tomcat (loopback only) on 0.0.0.0 is exposed" exposed "$(verdict "$work/linux.json" vxml-tomcat)"
check "Linux host: vxml-https (required, closed) is missing" missing "$(verdict "$work/linux.json" vxml-https)"
check "Linux host: vxml-http is compliant" compliant "$(verdict "$work/linux.json" vxml-http)"
check "Linux host: sip-udp on 127.0.0.1 is compliant" compliant "$(verdict "$work/linux.json" sip-udp)"
check "Linux host: the unexpected listeners (a forbidden row covers none)" "tcp/23 tcp/4444" \
    "$(unexpected "$work/linux.json")"
# The same sockets seen by this host's own scan: every row the same verdict.
cp "$conf" "$work/local.conf"
echo "cvpRoles vxml,mgmt,callserver" >>"$work/local.conf"
"$CVP_BUILD/cvpportd" --check --json -C -c "$work/local.conf" >"$work/local.json" 2>/dev/null
rows() { python3 -c 'import json, sys
print(" ".join("%s=%s" % (p["name"], p["compliance"]) for p in json.load(open(sys.argv[1]))["ports"]))' "$1"; }
check "Linux host: the remote check's verdicts = the local check's" "$(rows "$work/local.json")" "$(rows "$work/linux.json")"
# The same host as the configuration names it (cvpHost: address, roles, and the community
# in a file only root reads): the same verdicts, and no secret on the command line or out.
cp "$conf" "$work/hosts.conf"
echo "cvpHost linux1 127.0.0.1:$udp vxml,mgmt,callserver -v2c -c linuxhost" >>"$work/hosts.conf"
chmod 600 "$work/hosts.conf"
"$CVP_BUILD/cvpportd" --check --json -C -c "$work/hosts.conf" --host linux1 >"$work/named.json" 2>&1
check "cvpHost linux1: CRITICAL (exit 2)" 2 "$?"
check "cvpHost linux1: the verdicts of the same host given by address" "$(rows "$work/linux.json")" \
    "$(rows "$work/named.json")"
check "cvpHost linux1: its community is not in the output" 0 "$(grep -c linuxhost "$work/named.json")"
remote "127.0.0.1:$udp" "-v2c -c linuxhost" vxml,mgmt,callserver
check "Linux host: the plugin line names the source and the host" yes \
    "$(head -1 "$work/out" | grep -q "^CVP-PORT CRITICAL - .*source tcpUdpMib of 127.0.0.1:$udp |" && echo yes || head -1 "$work/out")"

# --- a Windows CVP Call Server, recorded, served by snmpsim ---
sim=$(cvp_free_port udp)
mkdir -p "$work/sim"
cp "$CVP_TOP/tests/fixtures/remote/windows-callserver.snmprec" "$work/sim/"
# the same host answering slowly: 200 ms for each tcpConnState it serves (snmpsim's delay)
sed -E 's/^(1\.3\.6\.1\.2\.1\.6\.13\.1\.1\.[0-9.]+)\|2\|([0-9]+)$/\1|2:delay|value=\2,wait=200/' \
    "$work/sim/windows-callserver.snmprec" >"$work/sim/windows-slow.snmprec"
# snmpsimd drops root for nobody, who must reach its data (no more: $work stays unlistable)
chmod a+x "$work"
chmod -R a+rX "$work/sim"
snmpsimd --data-dir="$work/sim" --agent-udpv4-endpoint="127.0.0.1:$sim" \
    --process-user=nobody --process-group=nogroup --logging-method=stderr 2>"$work/snmpsim.log" &
it_pids+=($!)
cvp_wait "ss -lunH 'sport = :$sim' | grep -q ." 100 || { echo "snmpsim did not start"; cat "$work/snmpsim.log"; exit 1; }
cvp_wait "snmpget -v2c -c windows-callserver -t 1 -r 0 127.0.0.1:$sim 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1" 100
check "snmpsim serves a Windows sysDescr" yes \
    "$(MIBS="" snmpget -v2c -c windows-callserver -Oqv 127.0.0.1:$sim 1.3.6.1.2.1.1.1.0 | grep -q 'Software: Windows' && echo yes || echo no)"
remote "127.0.0.1:$sim" "-v2c -c windows-callserver" callserver,common,windows,mgmt --json
cp "$work/out" "$work/windows.json"
check "Windows host: CRITICAL (exit 2)" 2 "$rc"
check "Windows host: read from RFC 1213's tables" rfc1213 \
    "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["source"])' "$work/windows.json")"
check "Windows host: Telnet is forbidden" forbidden "$(verdict "$work/windows.json" telnet)"
check "Windows host: callserver-tomcat (loopback only) on 0.0.0.0 is exposed" exposed \
    "$(verdict "$work/windows.json" callserver-tomcat)"
check "Windows host: sip-tcp (required, not listening) is missing" missing "$(verdict "$work/windows.json" sip-tcp)"
check "Windows host: sip-udp from udpTable is compliant" compliant "$(verdict "$work/windows.json" sip-udp)"
check "Windows host: callserver-http is compliant (an established connection beside it)" compliant \
    "$(verdict "$work/windows.json" callserver-http)"
check "Windows host: rpc (windows role) is compliant" compliant "$(verdict "$work/windows.json" rpc)"
check "Windows host: the unexpected listeners (not the established connections)" \
    "tcp/23 tcp/4444 tcp/8009 udp/1900" "$(unexpected "$work/windows.json")"

# SNMPv1 (GETNEXT; the end of the agent's view is noSuchName): the same verdicts
remote "127.0.0.1:$sim" "-v1 -c windows-callserver" callserver,common,windows,mgmt --json
check "Windows host over SNMPv1: the verdicts of SNMPv2c" "$(rows "$work/windows.json")" "$(rows "$work/out")"

# --- RFC 4001/4022 address forms, served by snmpsim: unknown "" is both families, ipv6 "::"
# IPv6's alone (two listeners on one port), a zone-less link-local ipv6 stays ipv6, ipv4z decodes ---
forms=$(cvp_free_port udp)
python3 - >"$work/sim/forms.snmprec" <<'PY'
def oid(col, typ, octets, port, tail=()):
    return ".".join(str(x) for x in col + [typ, len(octets)] + list(octets) + [port] + list(tail))
tcp, udp = [1, 3, 6, 1, 2, 1, 6, 20, 1, 4], [1, 3, 6, 1, 2, 1, 7, 7, 1, 8]
ll = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 2, 0x12, 0x79, 0xff, 0xfe, 0x62, 0xf9, 0x40]
rows = ["1.3.6.1.2.1.1.1.0|4|Linux forms",
        oid(tcp, 0, [], 7005) + "|66|0", oid(tcp, 2, [0] * 16, 7005) + "|66|0",
        oid(tcp, 2, ll, 5061) + "|66|0", oid(tcp, 3, [10, 0, 0, 7, 0, 0, 0, 3], 7443) + "|66|0",
        oid(udp, 0, [], 5060, [0, 0, 0, 1]) + "|66|0", oid(udp, 2, [0] * 16, 5060, [0, 0, 0, 2]) + "|66|0"]
key = lambda r: [int(x) for x in r.split("|")[0].split(".")]
print("\n".join(sorted(rows, key=key)))
PY
chmod a+r "$work/sim/forms.snmprec"
sim_start() { # sim_start PORT COMMUNITY: an snmpsim of $work/sim (read when it starts) on PORT
    snmpsimd --data-dir="$work/sim" --agent-udpv4-endpoint="127.0.0.1:$1" \
        --process-user=nobody --process-group=nogroup --logging-method=null >/dev/null 2>&1 &
    it_pids+=($!)
    cvp_wait "snmpget -v2c -c $2 -t 1 -r 0 127.0.0.1:$1 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1" 100
}
sim_start "$forms" forms
remote "127.0.0.1:$forms" "-v2c -c forms" vxml,mgmt,callserver --json
check "address forms: each listener as its agent gave it" \
    "tcp/*/7005 tcp/10.0.0.7/7443 tcp/[::]/7005 tcp/[fe80::212:79ff:fe62:f940]/5061 udp/*/5060 udp/[::]/5060" \
    "$(listeners "$work/out")"

# --- every table generation joined: IPv4 listeners only in RFC 1213's tables, IPv6 ones in
# TCP-MIB's and IPV6-TCP-MIB's/IPV6-UDP-MIB's, one socket in two tables, a new table whose only
# row does not decode (it blocks nothing): every listener once, the tables named, the bad row
# counted ---
python3 - >"$work/sim/mixed.snmprec" <<'PY'
tl, ue = [1, 3, 6, 1, 2, 1, 6, 20, 1, 4], [1, 3, 6, 1, 2, 1, 7, 7, 1, 8]
tc, ut = [1, 3, 6, 1, 2, 1, 6, 13, 1, 1], [1, 3, 6, 1, 2, 1, 7, 5, 1, 1]
t6, u6 = [1, 3, 6, 1, 2, 1, 6, 16, 1, 6], [1, 3, 6, 1, 2, 1, 7, 6, 1, 3]
ll = [0xfe, 0x80] + [0] * 13 + [1]
def o(*parts):
    return ".".join(str(x) for p in parts for x in (p if isinstance(p, list) else [p]))
rows = ["1.3.6.1.2.1.1.1.0|4|Linux mixed",
        o(tl, 2, 16, [0] * 16, 8443) + "|66|0", o(tl, 1, 4, [0] * 4, 7000) + "|66|0",
        o(ue, 1, 5, [0] * 5, 9, 1, 4, [0] * 4, 0, 1) + "|66|0",
        o(tc, [0] * 4, 7000, [0] * 4, 0) + "|2|2", o(tc, [10, 0, 0, 5], 7000, [10, 0, 0, 9], 50000) + "|2|5",
        o(ut, [0] * 4, 5060) + "|64|0.0.0.0",
        o(t6, ll, 22, [0] * 16, 0, 2) + "|2|2", o(u6, [0] * 16, 161, 0) + "|2|0"]
key = lambda r: [int(x) for x in r.split("|")[0].split(".")]
print("\n".join(sorted(rows, key=key)))
PY
chmod a+r "$work/sim/mixed.snmprec"
# a Windows XP host (its sysDescr): client UDP sockets in 1025-5000, Windows 5.x's dynamic range
printf '%s\n' '1.3.6.1.2.1.1.1.0|4|Hardware: x86 Family 15 Model 2 Stepping 9 AT/AT COMPATIBLE - Software: Windows Version 5.1 (Build 2600 Uniprocessor Free)' \
    '1.3.6.1.2.1.6.13.1.1.0.0.0.0.135.0.0.0.0.0|2|2' '1.3.6.1.2.1.7.5.1.1.0.0.0.0.137|64|0.0.0.0' \
    '1.3.6.1.2.1.7.5.1.1.0.0.0.0.1488|64|0.0.0.0' '1.3.6.1.2.1.7.5.1.1.0.0.0.0.1686|64|0.0.0.0' \
    >"$work/sim/xp.snmprec"
chmod a+r "$work/sim/xp.snmprec"
mixed=$(cvp_free_port udp)
sim_start "$mixed" mixed
remote "127.0.0.1:$mixed" "-v2c -c mixed" vxml,mgmt,callserver --json
check "every table generation joined: each listener once" \
    "tcp/0.0.0.0/7000 tcp/[::]/8443 tcp/[fe80::1%2]/22 udp/0.0.0.0/5060 udp/[::]/161" \
    "$(listeners "$work/out")"
check "... the tables named, the row that does not decode counted" \
    "tcpListenerTable udpEndpointTable tcpConnTable udpTable ipv6TcpConnTable ipv6UdpTable 1" \
    "$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["tables"], d["malformed_rows"])' "$work/out")"
remote "127.0.0.1:$mixed" "-v2c -c mixed" vxml,mgmt,callserver
check "... and said in the text, with the first bad row" yes \
    "$(sed -n 2p "$work/out" | grep -q '^Tables read: .* 1 row(s) whose index does not decode skipped (the first: .*7.7.1.8.1.5' && echo yes || sed -n 2p "$work/out")"

remote "127.0.0.1:$mixed" "-v2c -c xp" callserver,common,windows --json
check "Windows XP (sysDescr): 1025-5000 is its ephemeral range, its client UDP sockets not unexpected" \
    "1025-5000: none" "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("%d-%d:" % (d["ephemeral_low"], d["ephemeral_high"]), " ".join(sorted("%s/%s" % (l["protocol"], l["port"]) for l in d["listeners"] if l["class"] == "unexpected")) or "none")' "$work/out")"
"$CVP_BUILD/cvpportd" --check --json -C -c "$conf" --host "127.0.0.1:$mixed" --snmp "-v2c -c xp" \
    --roles callserver,common,windows --ephemeral 49152-65535 >"$work/out" 2>/dev/null
check "... --ephemeral 49152-65535: they are" "udp/1488 udp/1686" "$(unexpected "$work/out")"

# --- bounded: a row limit of its own; answers only from the address and port asked ---
cp "$conf" "$work/capped.conf"
printf 'cvpHost capped 127.0.0.1:%s callserver,common,windows,mgmt -v2c -c windows-callserver\ncvpHostRowLimit 10\n' \
    "$sim" >>"$work/capped.conf"
chmod 600 "$work/capped.conf"
"$CVP_BUILD/cvpportd" --check -C -c "$work/capped.conf" --host capped >"$work/out" 2>"$work/err"
check "more rows than cvpHostRowLimit: UNKNOWN (exit 3), never a verdict" 3 "$?"
check "... the row limit's own error" yes "$(grep -q '^CVP-PORT UNKNOWN - capped: row limit: the listener tables hold more than 10 rows (cvpHostRowLimit)' "$work/out" && echo yes || cat "$work/out")"
echo "cvpHostRowLimit 1000 capped" >>"$work/capped.conf"
"$CVP_BUILD/cvpportd" --check --json -C -c "$work/capped.conf" --host capped >"$work/out" 2>"$work/err"
check "a host's own cvpHostRowLimit above its rows: the verdicts as before" "$(rows "$work/windows.json")" "$(rows "$work/out")"
relay() { # relay MODE: a relay in front of snmpsim answering from the port asked or another
    rport=$(cvp_free_port udp)
    python3 "$CVP_TOP/tests/udp_relay.py" "$rport" "$sim" "$1" >"$work/relay-$1.out" 2>&1 &
    it_pids+=($!)
    cvp_wait "grep -q ready '$work/relay-$1.out'" 50
}
relay same
remote "127.0.0.1:$rport" "-v2c -c windows-callserver -t 1 -r 0" callserver,common,windows,mgmt --json
check "answers from the address and port asked (a relay): the verdicts" "$(rows "$work/windows.json")" "$(rows "$work/out")"
relay other
remote "127.0.0.1:$rport" "-v2c -c windows-callserver -t 1 -r 0" callserver,common,windows,mgmt
check "answers from another port: not taken, UNKNOWN (exit 3)" 3 "$rc"
check "... no answer from the agent asked" yes "$(grep -q "^CVP-PORT UNKNOWN - 127.0.0.1:$rport: no answer" "$work/out" && echo yes || cat "$work/out")"

# --- the same host slow, then gone in the middle of a walk ---
check "the slow recording delays every tcpConnState" 17 "$(grep -c ':delay|' "$work/sim/windows-slow.snmprec")"
t0=$(date +%s%N)
remote "127.0.0.1:$sim" "-v2c -c windows-slow -t 10 -r 0" callserver,common,windows,mgmt --json
ms=$((($(date +%s%N) - t0) / 1000000))
check "a slow host within its timeout: CRITICAL as before (${ms} ms)" 2 "$rc"
check "a slow host: the verdicts of the fast one" "$(rows "$work/windows.json")" "$(rows "$work/out")"
check "a slow host was slow (over 2 s)" yes "$([ "$ms" -gt 2000 ] && echo yes || echo no)"
remote "127.0.0.1:$sim" "-v2c -c windows-slow -t 1 -r 0" callserver,common,windows,mgmt
check "a host slower than its timeout: UNKNOWN (exit 3)" 3 "$rc"
check "a host slower than its timeout: no answer, no verdict" yes \
    "$(grep -q "^CVP-PORT UNKNOWN - 127.0.0.1:$sim: no answer" "$work/out" && echo yes || cat "$work/out")"
# one deadline for the whole walk, the cvpHost's poll interval (2 s): slower in all, UNKNOWN
printf 'cvpHost slowwin 127.0.0.1:%s callserver,common,windows,mgmt -v2c -c windows-slow -t 10 -r 0\ncvpHostPoll 2 slowwin\n' \
    "$sim" >"$work/deadline.conf"
chmod 600 "$work/deadline.conf"
t0=$(date +%s%N)
"$CVP_BUILD/cvpportd" --check -C -c "$work/deadline.conf" --host slowwin >"$work/out" 2>"$work/err"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
check "past its poll deadline: UNKNOWN (exit 3), never a verdict (${ms} ms)" 3 "$rc"
check "... saying so" yes "$(grep -q '^CVP-PORT UNKNOWN - slowwin: poll deadline: the walk took more than 2 s' "$work/out" && echo yes || cat "$work/out")"
# gone mid-walk: snmpsim stops while the slow answer is on its way
"$CVP_BUILD/cvpportd" --check -C -c "$conf" --host "127.0.0.1:$sim" --snmp "-v2c -c windows-slow -t 3 -r 0" \
    --roles callserver,common,windows,mgmt >"$work/gone.out" 2>&1 &
walker=$!
sleep 1
kill "${it_pids[@]: -1}"
wait "$walker"
check "a host gone in the middle of a walk: UNKNOWN (exit 3), never everything missing" 3 "$?"
check "and no verdict printed" 0 "$(grep -c missing "$work/gone.out")"

# --- an agent that answers but whose view hides every listener table (Debian's stock view) ---
remote "127.0.0.1:$udp" "-v2c -c public" vxml,mgmt,callserver
check "a view without the tables: UNKNOWN (exit 3), never everything missing" 3 "$rc"
check "a view without the tables: said so" yes \
    "$(grep -q "^CVP-PORT UNKNOWN - 127.0.0.1:$udp: the agent's view shows no listener table" "$work/out" && echo yes || cat "$work/out")"
remote "127.0.0.1:$udp" "-v1 -c public" vxml,mgmt,callserver
check "the same over SNMPv1 (noSuchName ends each walk)" 3 "$rc"

# --- a host that never answers, and options that are not snmpget's ---
dead=$(cvp_free_port udp)
t0=$(date +%s)
remote "127.0.0.1:$dead" "-v2c -c public -t 1 -r 1" callserver
t1=$(date +%s)
check "no answer: UNKNOWN (exit 3)" 3 "$rc"
check "no answer: said so" yes "$(grep -q "^CVP-PORT UNKNOWN - 127.0.0.1:$dead: no answer" "$work/out" && echo yes || cat "$work/out")"
check "no answer: within its timeout and retries ($((t1 - t0)) s)" yes "$([ $((t1 - t0)) -le 5 ] && echo yes || echo no)"
remote "127.0.0.1:$udp" "-v9 -c x" callserver
check "unknown SNMP options: UNKNOWN (exit 3)" 3 "$rc"
check "unknown SNMP options: what to give" yes "$(grep -q 'as snmpget takes them' "$work/out" && echo yes || cat "$work/out")"
remote "127.0.0.1:$udp" "-v2c -c linuxhost" nosuchrole
check "an unknown role: UNKNOWN (exit 3)" 3 "$rc"
"$CVP_BUILD/cvpportd" --check --roles vxml >/dev/null 2>&1
check "--roles without --host is refused" 3 "$?"
it_done
