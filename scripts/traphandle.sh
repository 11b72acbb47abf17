#!/bin/sh
# snmptrapd traphandle: one notification in, one line out. In snmptrapd.conf:
#   traphandle default /bin/sh /path/to/traphandle.sh          (to syslog, tag cvpportd-trap)
#   traphandle default /bin/sh /path/to/traphandle.sh FILE     (appended to FILE)
# The line is "NOTIFICATION OBJECT=VALUE OBJECT=VALUE ..." (sysUpTime left out), as snmptrapd
# names them: give it the MIBs (-m SNMPv2-MIB:CVP-PORT-MIB) to get names.
out=${1:-}
read -r host
read -r addr
line=""
notification=""
while read -r oid value; do
    case $oid in
    *snmpTrapOID.0 | .1.3.6.1.6.3.1.1.4.1.0) notification=$value ;;
    *sysUpTime* | .1.3.6.1.2.1.1.3.0) ;;
    *) line="$line $oid=$value" ;;
    esac
done
if [ -n "$out" ]; then
    echo "$notification$line" >>"$out"
else
    logger -t cvpportd-trap -p daemon.notice -- "from $host: $notification$line"
fi
