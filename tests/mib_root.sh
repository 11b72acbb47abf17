#!/usr/bin/env bash
# The root OID in include/cvp_oid.h must equal cvpPortMIB in mib/CVP-PORT-MIB.txt.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
c_root=$("$1/tests/print_root_oid")
mib_root=$(MIBS="" snmptranslate -M "$top/build/ietf-mibs:$top/mib:/usr/share/snmp/mibs" \
    -m CVP-PORT-MIB -On CVP-PORT-MIB::cvpPortMIB 2>&1)
echo "C: $c_root  MIB: $mib_root"
[ -n "$c_root" ] && [ "$c_root" = "$mib_root" ]
