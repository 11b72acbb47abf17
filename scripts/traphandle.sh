#!/bin/sh
# snmptrapd traphandle: one notification in, one line out. In snmptrapd.conf:
#   traphandle default /usr/share/cvpportd/traphandle.sh          (to syslog, tag cvpportd-trap)
#   traphandle default /usr/share/cvpportd/traphandle.sh FILE     (appended to FILE)
# The line is "NOTIFICATION OBJECT=VALUE ..." (sysUpTime left out) as snmptrapd names them:
# with `[snmp] mibs SNMPv2-MIB:CVP-PORT-MIB` in snmptrapd.conf the names are CVP-PORT-MIB's;
# without, numeric, yet the notification still comes first whatever form snmptrapd prints
# snmpTrapOID.0 in (name, .1.3.6..., iso.3.6..., SNMPv2-SMI::snmpModules...).
out=${1:-}
read -r host
read -r addr
line=""
notification=""
while read -r oid value; do
    case $oid in
    *snmpTrapOID.0 | *.6.3.1.1.4.1.0 | *snmpModules.1.1.4.1.0 | iso.3.6.1.6.3.1.1.4.1.0)
        notification=$value ;;
    *sysUpTime.0 | *sysUpTimeInstance | *.6.1.2.1.1.3.0 | *mib-2.1.3.0 | iso.3.6.1.2.1.1.3.0) ;;
    *) line="$line $oid=$value" ;;
    esac
done
[ -n "$notification" ] || notification="(no snmpTrapOID)"
if [ -n "$out" ]; then
    echo "$notification$line" >>"$out"
else
    logger -t cvpportd-trap -p daemon.notice -- "from $host: $notification$line"
fi
