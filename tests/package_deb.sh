#!/usr/bin/env bash
# The Debian package, installed and purged for real on this host: only in CI (CI=true) or when
# asked (CVP_PACKAGE_TEST=1), as root. scripts/package.sh builds it; lintian reports no error;
# `apt-get install` over an operator's existing /etc/snmp/cvpportd.conf neither prompts nor
# changes it, and creates no user; the installed cvpportd checks the host and serves a master;
# the stock snmp tools resolve CVP-PORT-MIB and SNMPv2-MIB names with no -M or MIBDIRS; the
# README's deployment runs verbatim on Debian's stock snmpd.conf (stock_host.sh); an edited
# configuration survives an upgrade; a purge leaves no file, boot link, user or state behind.
# Usage: package_deb.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "${CI:-}" != true ] && [ "${CVP_PACKAGE_TEST:-}" != 1 ]; then
    echo "installs and purges a package on this host: runs in CI, or with CVP_PACKAGE_TEST=1; skipped"
    exit 0
fi
[ "$(id -u)" = 0 ] || { echo "not root: the package test installs into the system; skipped"; exit 0; }
if dpkg-query -W -f='${Status}' cvpportd 2>/dev/null | grep -q 'install ok installed'; then
    echo "cvpportd is installed on this machine already: not touching it; skipped"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# An operator's configuration from before the package: kept through the test, put back after.
saved=""
if [ -e /etc/snmp/cvpportd.conf ]; then
    saved=$work/saved-cvpportd.conf
    cp -a /etc/snmp/cvpportd.conf "$saved"
fi
purge() {
    apt-get purge -y -qq cvpportd >/dev/null 2>&1 || true
    if [ -n "$saved" ]; then cp -a "$saved" /etc/snmp/cvpportd.conf; else rm -f /etc/snmp/cvpportd.conf; fi
}
trap 'purge; it_cleanup' EXIT

deb=$(bash "$top/scripts/package.sh" "$work/bdeb" | tail -1)
check "the package is built" yes "$([ -f "$deb" ] && echo yes || echo no)"
check "lintian: no error" 0 "$(lintian "$deb" 2>/dev/null | grep -c '^E:')"
check "Depends from shlibdeps" 1 "$(dpkg-deb -f "$deb" Depends | grep -c 'libsnmp40')"
check "Recommends snmpd" snmpd "$(dpkg-deb -f "$deb" Recommends)"

printf '# the operator\x27s own, from before the package\ncvpRefresh 3\n' >/etc/snmp/cvpportd.conf
cp /etc/snmp/cvpportd.conf "$work/operator.conf"
# (it_run.sh made the agent's user in this namespace's /etc: the package must make it itself)
userdel _cvpportd 2>/dev/null || true
apt-get install -y -qq "$deb" </dev/null >"$work/install.log" 2>&1
check "apt-get install ./deb over an existing configuration, no terminal" 0 "$?"
check "... installed, not half-configured" "install ok installed" "$(dpkg-query -W -f='${Status}' cvpportd)"
check "... the operator's configuration unchanged" 0 "$(cmp -s "$work/operator.conf" /etc/snmp/cvpportd.conf; echo $?)"
check "the snmpd drop-in is installed, every line commented" 0 \
    "$(grep -cv '^#' /etc/snmp/snmpd.conf.d/cvpportd.conf)"
check "the state directory exists without systemd too" 700 "$(stat -c %a /var/lib/cvpportd)"
check "the agent's user is created: a system user, no login" "yes /usr/sbin/nologin" \
    "$(getent passwd _cvpportd | awk -F: '{print ($3 < 1000 ? "yes" : "no"), $7}')"
check "... that owns no file" "" "$(find / -xdev -user _cvpportd 2>/dev/null | head -3 | tr '\n' ' ')"
dpkg -L cvpportd | sort >"$work/files"
out=$(/usr/sbin/cvpportd --check 2>/dev/null) # a plugin status line on stdout; logs go to stderr
check "/usr/sbin/cvpportd --check answers" 1 "$(echo "$out" | head -1 | grep -c '^CVP-PORT ')"

# The stock tools, no -M, no MIBDIRS: the MIB and the IETF modules it imports are found.
unset MIBDIRS MIBS
check "snmptranslate resolves a name" .1.3.6.1.4.1.8072.9999.9999.7161.1.1.16 \
    "$(snmptranslate -m CVP-PORT-MIB -On CVP-PORT-MIB::cvpPortUnattributedCount 2>&1)"
check "and SNMPv2-MIB's, for notifications" .1.3.6.1.6.3.1.1.4.1.0 \
    "$(snmptranslate -m SNMPv2-MIB -On SNMPv2-MIB::snmpTrapOID.0 2>&1)"
it_start_master || exit 1
printf 'cvpRefresh 1\n' >"$work/c.conf"
/usr/sbin/cvpportd -f -x "tcp:127.0.0.1:$agentx" -C -c "$work/c.conf" -Lf "$work/cvpportd.log" \
    -p "$work/cvpportd.pid" &
it_pids+=($!)
cvp_wait "snmpget -v2c -c public -t 1 -r 0 $target .1.3.6.1.4.1.8072.9999.9999.7161.1.1.1.0 | grep -q $CVP_ROWS" 100
check "snmpwalk -m CVP-PORT-MIB prints names" 1 \
    "$(snmpwalk -v2c -c public -m CVP-PORT-MIB "$target" CVP-PORT-MIB::cvpPortGlobals 2>&1 | grep -c "^CVP-PORT-MIB::cvpPortCatalogSize.0 = Gauge32: $CVP_ROWS")"
cvp_kill_pidfile "$work/cvpportd.pid"

# The README's deployment, verbatim, on Debian's stock snmpd.conf (in namespaces of its own).
bash "$top/tests/stock_host.sh" "$CVP_BUILD" "$deb" >"$work/stock.log" 2>&1
rc=$?
cat "$work/stock.log"
check "stock_host: the README's deployment on a stock host" 0 "$rc"

# An edited configuration survives an upgrade (the same package as version VERSION+1).
echo "cvpRefresh 7" >>/etc/snmp/cvpportd.conf
dpkg-deb -R "$deb" "$work/repack"
sed -i 's/^Version: .*/&+1/' "$work/repack/DEBIAN/control"
dpkg-deb -b "$work/repack" "$work/cvpportd_upgrade.deb" >/dev/null
apt-get install -y -qq "$work/cvpportd_upgrade.deb" >>"$work/install.log" 2>&1
check "upgraded" 1 "$(dpkg-query -W -f='${Version}' cvpportd | grep -c '+1$')"
check "the edited configuration is kept" 1 "$(grep -c '^cvpRefresh 7' /etc/snmp/cvpportd.conf)"
check "and is valid" 0 "$(/usr/sbin/cvpportd --check-config >/dev/null 2>&1; echo $?)"

# Enabled at boot both ways (systemctl works on the files without systemd running).
update-rc.d cvpportd enable >/dev/null 2>&1
systemctl enable cvpportd >/dev/null 2>&1
apt-get purge -y -qq cvpportd >>"$work/install.log" 2>&1
check "purged" 0 "$?"
check "no boot link left" 0 "$(ls /etc/rc?.d/*cvpportd /etc/systemd/system/*.wants/cvpportd.service 2>/dev/null | wc -l)"
check "no configuration left" 0 "$(ls /etc/snmp/cvpportd.conf /etc/snmp/snmpd.conf.d/cvpportd.conf 2>/dev/null | wc -l)"
left=0
while read -r f; do
    [ -d "$f" ] && continue # directories shared with other packages stay
    [ -e "$f" ] && { echo "left behind: $f"; left=$((left + 1)); }
done <"$work/files"
check "no file left behind" 0 "$left"
check "the conffile is gone" no "$([ -e /etc/snmp/cvpportd.conf ] && echo yes || echo no)"
check "no state left" no "$([ -e /var/lib/cvpportd ] && echo yes || echo no)"
it_done
