#!/bin/sh
# snmptrapd traphandle: one notification in, one line out. In snmptrapd.conf:
#   traphandle default /usr/share/cvpportd/traphandle.sh          (to syslog, tag cvpportd-trap)
#   traphandle default /usr/share/cvpportd/traphandle.sh FILE     (appended to FILE)
#   traphandle default /usr/share/cvpportd/traphandle.sh --zabbix FILE
#       (FILE: Zabbix's SNMPTrapperFile; each notification a "ZBXTRAP ADDRESS" record, whose
#       address is the sender's, for the host with that SNMP interface address)
# The line is "NOTIFICATION OBJECT=VALUE ..." (sysUpTime left out) as snmptrapd names them:
# with `[snmp] mibs SNMPv2-MIB:CVP-PORT-MIB` in snmptrapd.conf the names are CVP-PORT-MIB's;
# without, numeric, yet the notification still comes first whatever form snmptrapd prints
# snmpTrapOID.0 in (name, .1.3.6..., iso.3.6..., SNMPv2-SMI::snmpModules...).
zabbix=
if [ "${1:-}" = --zabbix ]; then
    zabbix=1
    shift
fi
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
if [ -n "$zabbix" ]; then
    # "UDP: [127.0.0.1]:40000->[127.0.0.1]:162" (or a bare address): the sender's address
    ip=$(echo "$addr" | sed -n 's/^[A-Z0-9]*: *\[\([^]]*\)\].*/\1/p')
    echo "ZBXTRAP ${ip:-$host}
$notification$line" >>"$out"
elif [ -n "$out" ]; then
    echo "$notification$line" >>"$out"
else
    logger -t cvpportd-trap -p daemon.notice -- "from $host: $notification$line"
fi
