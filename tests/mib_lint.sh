#!/usr/bin/env bash
# smilint -l 6 must print nothing for CVP-PORT-MIB (smilint exits 0 even on errors).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
ietf=$CVP_IETF_MIBS
[ -f "$ietf/SNMPv2-SMI.mib" ] || { echo "missing $ietf (run scripts/deps.sh)"; exit 1; }
command -v smilint >/dev/null || { echo "smilint not installed"; exit 1; }
out=$(SMIPATH="$ietf:/usr/share/snmp/mibs:$top/mib" smilint -l 6 "$top/mib/CVP-PORT-MIB.txt" 2>&1)
if [ -n "$out" ]; then echo "$out"; exit 1; fi
# and the module really was read: smilint -p names its objects
n=$(SMIPATH="$ietf:/usr/share/snmp/mibs:$top/mib" smidump -f identifiers "$top/mib/CVP-PORT-MIB.txt" 2>/dev/null | grep -c 'cvpPort\|cvpListener')
[ "$n" -gt 50 ] || { echo "smidump found only $n CVP-PORT-MIB identifiers"; exit 1; }
echo "smilint -l 6: clean ($n identifiers)"
