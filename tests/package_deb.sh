#!/usr/bin/env bash
# The Debian package, installed and purged for real (root, as CI is): scripts/package.sh builds
# it; lintian reports no error; `apt-get install ./cvpportd_*.deb` creates no user (the unit
# runs as root's uid with two capabilities, for the master's root-only unix socket);
# the installed cvpportd checks the host and serves a master, and the stock snmp tools resolve
# CVP-PORT-MIB names with no -M or MIBDIRS; an edited conffile survives an upgrade; a purge
# leaves no file, user or state behind.
# Usage: package_deb.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
top=$(cd "$(dirname "$0")/.." && pwd)

[ "$(id -u)" = 0 ] || { echo "not root: the package test installs into the system; skipped"; exit 0; }
if dpkg-query -W -f='${Status}' cvpportd 2>/dev/null | grep -q 'install ok installed'; then
    echo "cvpportd is installed on this machine already: not touching it; skipped"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
purge() { apt-get purge -y -qq cvpportd >/dev/null 2>&1 || true; }
trap 'purge; it_cleanup' EXIT

deb=$(bash "$top/scripts/package.sh" "$work/bdeb" | tail -1)
check "the package is built" yes "$([ -f "$deb" ] && echo yes || echo no)"
check "lintian: no error" 0 "$(lintian "$deb" 2>/dev/null | grep -c '^E:')"
check "Depends from shlibdeps" 1 "$(dpkg-deb -f "$deb" Depends | grep -c 'libsnmp40')"
check "Recommends snmpd" snmpd "$(dpkg-deb -f "$deb" Recommends)"

apt-get install -y -qq "$deb" >"$work/install.log" 2>&1
check "apt-get install ./deb" 0 "$?"
check "no service user is created" no "$(getent passwd cvpportd >/dev/null && echo yes || echo no)"
dpkg -L cvpportd | sort >"$work/files"
out=$(/usr/sbin/cvpportd --check 2>/dev/null) # a plugin status line on stdout; logs go to stderr
check "/usr/sbin/cvpportd --check answers" 1 "$(echo "$out" | head -1 | grep -c '^CVP-PORT ')"

# The stock tools, no -M, no MIBDIRS: the MIB and the IETF modules it imports are found.
unset MIBDIRS MIBS
check "snmptranslate resolves a name" .1.3.6.1.4.1.8072.9999.9999.7161.1.1.16 \
    "$(snmptranslate -m CVP-PORT-MIB -On CVP-PORT-MIB::cvpPortUnattributedCount 2>&1)"
it_start_master || exit 1
printf 'cvpRefresh 1\n' >"$work/c.conf"
/usr/sbin/cvpportd -f -x "tcp:127.0.0.1:$agentx" -C -c "$work/c.conf" -Lf "$work/cvpportd.log" \
    -p "$work/cvpportd.pid" &
it_pids+=($!)
cvp_wait "snmpget -v2c -c public -t 1 -r 0 $target .1.3.6.1.4.1.8072.9999.9999.7161.1.1.1.0 | grep -q 59" 100
check "snmpwalk -m CVP-PORT-MIB prints names" 1 \
    "$(snmpwalk -v2c -c public -m CVP-PORT-MIB "$target" CVP-PORT-MIB::cvpPortGlobals 2>&1 | grep -c '^CVP-PORT-MIB::cvpPortCatalogSize.0 = Gauge32: 59')"
cvp_kill_pidfile "$work/cvpportd.pid"

# An edited conffile survives an upgrade (the same package as version VERSION+1).
echo "cvpRefresh 7" >>/etc/snmp/cvpportd.conf
dpkg-deb -R "$deb" "$work/repack"
sed -i 's/^Version: .*/&+1/' "$work/repack/DEBIAN/control"
dpkg-deb -b "$work/repack" "$work/cvpportd_upgrade.deb" >/dev/null
apt-get install -y -qq "$work/cvpportd_upgrade.deb" >>"$work/install.log" 2>&1
check "upgraded" 1 "$(dpkg-query -W -f='${Version}' cvpportd | grep -c '+1$')"
check "the edited conffile is kept" 1 "$(grep -c '^cvpRefresh 7' /etc/snmp/cvpportd.conf)"
check "and is valid" 0 "$(/usr/sbin/cvpportd --check-config >/dev/null 2>&1; echo $?)"

apt-get purge -y -qq cvpportd >>"$work/install.log" 2>&1
check "purged" 0 "$?"
left=0
while read -r f; do
    [ -d "$f" ] && continue # directories shared with other packages stay
    [ -e "$f" ] && { echo "left behind: $f"; left=$((left + 1)); }
done <"$work/files"
check "no file left behind" 0 "$left"
check "the conffile is gone" no "$([ -e /etc/snmp/cvpportd.conf ] && echo yes || echo no)"
check "no state left" no "$([ -e /var/lib/cvpportd ] && echo yes || echo no)"
it_done
