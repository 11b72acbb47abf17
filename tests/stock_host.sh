#!/usr/bin/env bash
# The README's deployment on a stock Debian host, run verbatim against the installed package
# (package_deb.sh calls it with the .deb installed): Debian's own snmpd.conf and init scripts,
# plus only the README's steps. In private namespaces (network, and mounts over /etc/snmp, /run,
# /var/log, /var/lib/snmp, /var/lib/cvpportd, /var/agentx), so that the host is untouched and
# its listeners play no part; /run is empty there, so `service` uses the init scripts, as on a
# host without systemd.
# Proves, by name: the walk; --doctor all OK, and with the README's view step undone, naming
# it; a compliance notification and its clear through snmptrapd and the installed handler;
# the same over SNMPv3 (trapsess with its engine ID).
# Usage: stock_host.sh BUILD_DIR DEB
. "$(dirname "$0")/it_lib.sh" "$1"
deb=$2
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root"; exit 0; }
if [ -z "${CVP_STOCK_NS:-}" ]; then
    made=0
    [ -d /var/agentx ] || { mkdir -m 700 /var/agentx && made=1; }
    CVP_STOCK_NS=1 unshare -m -n --propagation private bash "$0" "$@"
    rc=$?
    [ "$made" = 1 ] && rmdir /var/agentx
    exit $rc
fi
ip link set lo up
cp -a /etc/snmp "$work/etc-snmp"
mount --bind "$work/etc-snmp" /etc/snmp
mount -t tmpfs -o mode=755 stock-run /run
mount -t tmpfs -o mode=700 stock-agentx /var/agentx
mount -t tmpfs -o mode=755 stock-log /var/log
mount -t tmpfs -o mode=755 stock-snmp /var/lib/snmp && chown Debian-snmp:Debian-snmp /var/lib/snmp
mount -t tmpfs -o mode=700 stock-state /var/lib/cvpportd
stop_all() {
    for s in cvpportd snmptrapd snmpd; do service "$s" stop >/dev/null 2>&1; done
    for p in /run/cvpportd.pid /run/snmptrapd.pid /run/snmpd.pid; do cvp_kill_pidfile "$p"; done
}
trap 'stop_all; it_cleanup' EXIT

stock=$(dpkg -V snmpd 2>/dev/null | grep -c '/etc/snmp/snmpd.conf$')
check "snmpd.conf is as Debian ships it" 0 "$stock"
unset MIBS MIBDIRS SNMPCONFPATH SNMP_PERSISTENT_DIR
export SNMP_PERSISTENT_DIR=/var/lib/snmp # what the tools use as root on a stock host
registered() { cvp_wait "snmpget -v2c -c public -t 1 -r 0 localhost .1.3.6.1.2.1.1.9.1.2 >/dev/null 2>&1 && snmpwalk -v2c -c public -t 1 -r 0 -On localhost .1.3.6.1.2.1.1.9.1.2 2>/dev/null | grep -q '8072.9999.9999.7161$'" 300; }
recipe() { # recipe NAME: runs the README's block, in the package's directory
    local name=$1
    it_recipe "$name" >"$work/recipe-$name.sh"
    [ -s "$work/recipe-$name.sh" ] || { echo "README has no recipe $name"; return 1; }
    (cd "$(dirname "$deb")" && bash -e "$work/recipe-$name.sh") >"$work/recipe-$name.log" 2>&1
    local rc=$?
    [ $rc = 0 ] || cat "$work/recipe-$name.log"
    return $rc
}

recipe install
check "README step: install, the view line, snmpd, cvpportd" 0 "$?"
registered
recipe walk >/dev/null
check "README step: the walk prints names" 1 \
    "$(grep -c "^CVP-PORT-MIB::cvpPortCatalogSize.0 = Gauge32: $CVP_ROWS" "$work/recipe-walk.log")"
recipe roles
check "README step: roles set and reloaded" 0 "$?"
cvp_wait "snmpget -v2c -c public -Oqv -m CVP-PORT-MIB localhost CVP-PORT-MIB::cvpPortRoles.0 2>/dev/null | grep -q '^\"*callserver,vxml,common,snmp,mgmt'" 100
check "the roles are in force" 1 "$(snmpget -v2c -c public -Oqv -m CVP-PORT-MIB localhost CVP-PORT-MIB::cvpPortRoles.0 | grep -c 'callserver,vxml,common,snmp,mgmt')"

recipe doctor
check "--doctor before the traps step: exit 1 (a warning)" 1 "$?"
check "... it names the missing trap destination" 1 "$(grep -c '^WARN notifications: no trap2sink' "$work/recipe-doctor.log")"
check "... every other link OK" 6 "$(grep -c '^OK' "$work/recipe-doctor.log")"

recipe traps
check "README step: traps" 0 "$?"
registered
recipe doctor
check "--doctor after the README's steps: exit 0" 0 "$?"
check "... seven checks OK" 7 "$(grep -c '^OK' "$work/recipe-doctor.log")"
[ "$(grep -c '^OK' "$work/recipe-doctor.log")" = 7 ] || cat "$work/recipe-doctor.log"

# The README's view step undone: --doctor names it.
sed -i 's/^view /#view /' /etc/snmp/snmpd.conf.d/cvpportd.conf
service snmpd restart >/dev/null 2>&1
registered
cvpportd --doctor >"$work/undone.log" 2>&1
check "without the view step: --doctor exit 2" 2 "$?"
check "... and names the line to uncomment" 1 \
    "$(grep -c 'fix: .*uncomment the view line in /etc/snmp/snmpd.conf.d/cvpportd.conf' "$work/undone.log")"
sed -i 's/^#view /view /' /etc/snmp/snmpd.conf.d/cvpportd.conf
service snmpd restart >/dev/null 2>&1
registered

traplog=/var/log/cvpportd/traps.log
helper=$CVP_BUILD/tests/listen_helper
# vxml-tomcat (TCP 7005) must listen on loopback only: on 0.0.0.0 it is exposed.
traps_seen() { grep -c "^CVP-PORT-MIB::cvpPortComplianceChange .*cvpPortName.7=vxml-tomcat .*cvpPortCompliance.7=$1" "$traplog" 2>/dev/null; }
expose_and_fix() { # the notification and its clear, by name, through the installed handler
    local before_e before_c
    before_e=$(traps_seen exposed) before_c=$(traps_seen compliant)
    "$helper" tcp/0.0.0.0/7005 >/dev/null &
    local p=$!
    cvp_wait "[ \"\$(traps_seen exposed)\" -gt $before_e ]" 300
    kill $p
    wait $p 2>/dev/null
    "$helper" tcp/127.0.0.1/7005 >/dev/null &
    p=$!
    cvp_wait "[ \"\$(traps_seen compliant)\" -gt $before_c ]" 300
    kill $p
    wait $p 2>/dev/null
    echo "$(($(traps_seen exposed) - before_e)) $(($(traps_seen compliant) - before_c))"
}
check "SNMPv2c: exposed, then compliant (the clear), each one line beginning with its name" "1 1" "$(expose_and_fix)"
check "every line begins with a notification's name" 0 "$(grep -vcE '^[A-Za-z0-9-]+::[A-Za-z]' "$traplog")"
grep -q 'cvpPortCompliance.7=compliant' "$traplog" || { echo "the handler's lines:"; cat "$traplog"; }

recipe traps-v3
check "README step: SNMPv3 traps (trapsess, engine ID)" 0 "$?"
registered
check "SNMPv3: exposed, then compliant" "1 1" "$(expose_and_fix)"

# The README's check_snmp line: CRITICAL while rows are missing, OK once the host complies.
recipe nms-check-snmp
check "check_snmp: CRITICAL while required rows are missing" 2 "$?"
check "... from the overall status by name" 1 "$(grep -c 'CRITICAL.*overall' "$work/recipe-nms-check-snmp.log")"
printf 'cvpRoles mgmt\ncvpIgnore tcp 1-65535\ncvpIgnore udp 1-65535\n' >/etc/snmp/cvpportd.conf
service cvpportd reload >/dev/null 2>&1
cvp_wait "snmpget -v2c -c public -Oqv -m CVP-PORT-MIB localhost CVP-PORT-MIB::cvpPortOverallStatus.0 2>/dev/null | grep -qx compliant" 100
recipe nms-check-snmp
check "check_snmp: OK once the host complies" 0 "$?"
it_done
