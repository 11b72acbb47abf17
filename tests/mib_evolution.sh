#!/usr/bin/env bash
# CVP-PORT-MIB evolves by RFC 2578 section 10 from the text released
# (tests/fixtures/CVP-PORT-MIB.released.txt): smidiff from it to mib/CVP-PORT-MIB.txt reports no
# error (smidiff marks warnings and information; an error has neither mark, and smidiff exits 0
# either way). A copy with an enumeration value removed must show an error, so that the check
# cannot pass by saying nothing. Every REVISION has a date of its own, LAST-UPDATED the newest.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
ietf=$CVP_IETF_MIBS
[ -f "$ietf/SNMPv2-SMI.mib" ] || { echo "missing $ietf (run scripts/deps.sh)"; exit 1; }
command -v smidiff >/dev/null || { echo "smidiff not installed"; exit 1; }
released=$top/tests/fixtures/CVP-PORT-MIB.released.txt
current=$top/mib/CVP-PORT-MIB.txt
errors() { SMIPATH="$ietf:/usr/share/snmp/mibs" smidiff "$1" "$2" 2>&1 | grep -v ' warning: \| info: '; }
fail=0
out=$(errors "$released" "$current")
if [ -n "$out" ]; then echo "smidiff released -> current: $out"; fail=1; fi
broken=$(mktemp)
sed 's/    SYNTAX      INTEGER { tcp(1), udp(2) }/    SYNTAX      INTEGER { tcp(1) }/' "$current" >"$broken"
[ -n "$(errors "$released" "$broken")" ] || { echo "smidiff did not see a removed enumeration value"; fail=1; }
rm -f "$broken"
dups=$(grep -o 'REVISION "[0-9]*Z"' "$current" | sort | uniq -d)
[ -z "$dups" ] || { echo "revisions sharing a date: $dups"; fail=1; }
newest=$(grep -o 'REVISION "[0-9]*Z"' "$current" | head -1 | grep -o '[0-9]*Z')
grep -q "LAST-UPDATED \"$newest\"" "$current" || { echo "LAST-UPDATED is not the newest REVISION ($newest)"; fail=1; }
[ $fail = 0 ] && echo "smidiff released -> current: no error; revisions distinct"
exit $fail
