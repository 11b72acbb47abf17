#!/usr/bin/env bash
# Integration: `cvpportd --check --from` against the captures of tests/fixtures/capture: the
# catalogue's verdicts and exit code from Windows' netstat -ano (English) and -abno (German,
# UTF-16LE), PowerShell's CSV with netsh's dynamic port range (UTF-16LE; every verdict kind) and
# Linux's ss -tulpn; owner rules with the capture's process names (a Windows
# program's compared without regard to case; a rule with a user: unknown, never compliant, as no
# capture gives users); the ephemeral range by the capture's system, or --ephemeral; what is not
# a capture, or not a file, UNKNOWN with why, never "everything missing"; the options that go
# together. No network: a private one anyway, as every integration test.
# Usage: cli_check_from.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
it_private_net "$0" "$1"
cap=$CVP_TOP/tests/fixtures/capture
conf=$work/c.conf
: >"$conf"
chmod 600 "$conf"
from() { # from FILE [OPTIONS...]: --check --json of the capture, rc set
    "$CVP_BUILD/cvpportd" --check --json -C -c "$conf" --from "$@" >"$work/out" 2>"$work/err"
    rc=$?
}
row() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(next(p["compliance"] for p in d["ports"] if p["name"] == sys.argv[2]))' "$work/out" "$1"; }
field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/out" "$1"; }
unexpected() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted("%s/%s" % (l["protocol"], l["port"]) for l in d["listeners"] if l["class"] == "unexpected")) or "none")' "$work/out"; }

from "$cap/netstat-abno-de.utf16.txt" --roles callserver,common,windows
check "netstat -abno (German, UTF-16LE): read as netstat, from a capture" "netstat capture" \
    "$(field tables) $(field source)"
check "... callserver-http (8000, Java.exe) and rpc (135) compliant, sip-tcp missing" \
    "compliant compliant missing" "$(row callserver-http) $(row rpc) $(row sip-tcp)"
check "... CRITICAL (exit 2)" 2 "$rc"
owner_rule() { # owner_rule DESCRIPTION RULE ROW EXPECTED: the German capture under that rule
    echo "cvpPortOwner $2" >"$conf"
    from "$cap/netstat-abno-de.utf16.txt" --roles callserver,common,windows
    check "$1" "$4" "$(row "$3")"
}
owner_rule "an owner rule naming java.exe: Java.exe holds it (Windows' names without case)" \
    'callserver-http java.exe' callserver-http compliant
owner_rule "an owner rule naming another program: wrongOwner" \
    'callserver-http tomcat9.exe' callserver-http wrongOwner
owner_rule "a rule with a user: unknown (no capture gives users), never compliant" \
    'callserver-http java.exe 0' callserver-http unknown
owner_rule "a holder netstat could not name: unknown" 'smb-tcp System' smb-tcp unknown
: >"$conf"

from "$cap/netstat-ano-en.txt" --roles callserver,common,windows
check "netstat -ano (English, CRLF): a row that does not parse counted" "netstat 1" "$(field tables) $(field malformed_rows)"
check "... Windows' ephemeral range" "49152 65535" "$(field ephemeral_low) $(field ephemeral_high)"
# (without the windows role, whose rows cover Windows' dynamic range)
from "$cap/netstat-ano-en.txt" --roles callserver,common
check "... UDP 61001 in it: a client socket" no "$(unexpected | grep -q udp/61001 && echo yes || echo no)"
from "$cap/netstat-ano-en.txt" --roles callserver,common --ephemeral 1025-5000
check "... --ephemeral 1025-5000: it is unexpected" yes "$(unexpected | grep -q udp/61001 && echo yes || echo no)"

echo 'cvpPortOwner ssh sshd' >"$conf"
from "$cap/ss-tulpn.txt" --roles mgmt,callserver
check "ss -tulpn: read as ss; ssh held by sshd: compliant" "ss compliant" "$(field tables) $(row ssh)"
check "... Linux's ephemeral range; its unexpected listeners" "32768 tcp/7000 udp/53" \
    "$(field ephemeral_low) $(unexpected)"
: >"$conf"

# PowerShell's CSV (UTF-16LE) with netsh's dynamic port range in the same file: every verdict kind
printf 'cvpPortRequire telnet forbidden\ncvpPortOwner callserver-http tomcat9.exe\n' >"$conf"
from "$cap/powershell.utf16.csv" --roles callserver,common,windows,mgmt
check "PowerShell CSV: read as powershell" powershell "$(field tables)"
check "... telnet forbidden, callserver-tomcat (8005 on 0.0.0.0) exposed, callserver-http held by java.exe wrongOwner, sip-tcp missing" \
    "forbidden exposed wrongOwner missing" \
    "$(row telnet) $(row callserver-tomcat) $(row callserver-http) $(row sip-tcp)"
check "... netsh's UDP range from the file; UDP 546 unexpected (and telnet: a forbidden row covers none)" "10000 10999 tcp/23 udp/546" \
    "$(field ephemeral_low) $(field ephemeral_high) $(unexpected)"
: >"$conf"

printf 'hello\nworld\n' >"$work/foreign.txt"
from "$work/foreign.txt" --roles callserver
check "a file that is no capture: UNKNOWN (exit 3), never everything missing" 3 "$rc"
"$CVP_BUILD/cvpportd" --check -C -c "$conf" --from "$work/foreign.txt" >"$work/out" 2>&1
check "... saying why" yes "$(grep -q 'CVP-PORT UNKNOWN - .*foreign.txt: no listener row of netstat' "$work/out" && echo yes || cat "$work/out")"
truncate -s 100M "$work/huge.txt"
"$CVP_BUILD/cvpportd" --check -C -c "$conf" --from "$work/huge.txt" >"$work/out" 2>&1
check "a 100 MiB file: refused at once, UNKNOWN, saying why" "3 yes" \
    "$? $(grep -q 'larger than 16777216 bytes' "$work/out" && echo yes || echo no)"
ln -s "$cap/ss-tulpn.txt" "$work/link.txt"
from "$work/link.txt"
check "a symbolic link: refused (a link others could plant)" 3 "$rc"
from "$cap/netstat-abno-fr.utf8bom.txt" --roles vxml,mgmt
check "netstat -abno (French, UTF-8 with a BOM): vxml-tomcat on 0.0.0.0 exposed, vxml-http (IPv6) compliant" \
    "exposed compliant" "$(row vxml-tomcat) $(row vxml-http)"
mkdir -p "$work/share"
cp "$cap/ss-tulpn.txt" "$work/share/cap.txt"
chmod o+w "$work/share/cap.txt"
"$CVP_BUILD/cvpportd" --check -C -c "$conf" --from "$work/share/cap.txt" >"$work/out" 2>&1
check "a capture every user may write (anyone could plant it): refused, saying so" "3 yes" \
    "$? $(grep -q 'writable by every user' "$work/out" && echo yes || echo no)"
chmod o-w "$work/share/cap.txt"
chmod 0777 "$work/share"
from "$work/share/cap.txt"
check "... or in a directory every user may write: refused" 3 "$rc"
chmod 0775 "$work/share" # (a share's group may write)
from "$work/share/cap.txt" --roles mgmt
check "... a directory its group may write: read (a verdict, not UNKNOWN)" yes "$([ "$rc" != 3 ] && echo yes || echo no)"
mkfifo "$work/fifo"
from "$work/fifo"
check "a FIFO: refused at once, UNKNOWN" 3 "$rc"
from "$work/nosuchfile"
check "a file that is not there: UNKNOWN" 3 "$rc"
from "$cap/ss-tulpn.txt" --format json
check "an unknown --format: UNKNOWN" 3 "$rc"
"$CVP_BUILD/cvpportd" --check --from "$cap/ss-tulpn.txt" --host 127.0.0.1 >/dev/null 2>&1
check "--from with --host: refused" 3 "$?"
"$CVP_BUILD/cvpportd" --check --format ss >/dev/null 2>&1
check "--format without --from: refused" 3 "$?"
it_done
