#!/bin/sh
# snmptrapd traphandle for the tests: one notification in, one line out, appended to the file
# named by $1: "TRAPOID OID=VALUE OID=VALUE ..." (snmptrapd hands over the host, the address
# and then one "OID VALUE" line per varbind).
out=$1
read -r host
read -r addr
line=""
trap_oid=""
while read -r oid value; do
    case $oid in
    *snmpTrapOID.0) trap_oid=$value ;;
    *sysUpTime*) ;;
    *) line="$line $oid=$value" ;;
    esac
done
echo "$trap_oid$line" >>"$out"
