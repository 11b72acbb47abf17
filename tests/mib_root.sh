#!/usr/bin/env bash
# The root OID in include/cvp_oid.h must equal cvpPortMIB in mib/CVP-PORT-MIB.txt.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
c_root=$("$1/tests/print_root_oid")
# A private persistent directory: on a fresh machine the tools otherwise announce that they
# created /var/lib/snmp/..., and that line would be compared too.
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mib_root=$(SNMP_PERSISTENT_DIR=$state MIBS="" snmptranslate \
    -M "$CVP_MIBDIRS" -m CVP-PORT-MIB -On CVP-PORT-MIB::cvpPortMIB)
echo "C: $c_root  MIB: $mib_root"
[ -n "$c_root" ] && [ "$c_root" = "$mib_root" ]
