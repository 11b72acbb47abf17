#!/usr/bin/env bash
# Install the Debian packages cvpportd needs to build, run and test, and fetch the IETF base
# MIB modules (Debian ships none) from the erlang-snmp package into build/ietf-mibs.
# Idempotent and silent when everything is already present. Usage: deps.sh [--nms]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pkgs=(build-essential cmake pkg-config libsnmp-dev snmpd snmp snmptrapd libcmocka-dev
      smitools iproute2 net-tools procps valgrind gdb python3 python3-yaml systemd util-linux lintian
      prometheus-snmp-exporter prometheus monitoring-plugins-standard snmpsim)
# --nms: and the NMS servers scripts/nms_check.sh runs (their own services are not started)
if [ "${1:-}" = --nms ]; then
    pkgs+=(nagios4-core icinga2-bin icinga2-common sudo postgresql zabbix-server-pgsql
           zabbix-frontend-php php-pgsql php-cli)
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "deps.sh: need root to install: ${missing[*]}" >&2; exit 1; }
    echo "deps.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # snmpd's package starts a daemon on UDP 161 (the exporter's and prometheus's, theirs);
    # policy-rc.d keeps them from starting here so run.sh and the tests own the ports they use.
    # It goes again on every way out, a failed install included: left behind, it would keep
    # every service on the host from starting.
    prc=/usr/sbin/policy-rc.d
    made_prc=0
    if [ ! -e "$prc" ]; then
        trap 'rm -f "$prc"' EXIT
        printf '#!/bin/sh\nexit 101\n' >"$prc"
        chmod +x "$prc"
        made_prc=1
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$made_prc" = 1 ]; then rm -f "$prc"; trap - EXIT; fi
fi

# IETF base modules (SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF, INET-ADDRESS-MIB, ...).
. "$top/scripts/lib.sh"
mibdir=$CVP_IETF_MIBS
if [ ! -f "$mibdir/INET-ADDRESS-MIB.mib" ] && [ ! -f "$mibdir/INET-ADDRESS-MIB" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT # (policy-rc.d is gone by now)
    (cd "$tmp" && apt-get download -qq erlang-snmp >/dev/null 2>&1) || {
        apt-get update -qq && (cd "$tmp" && apt-get download -qq erlang-snmp >/dev/null)
    }
    dpkg-deb -x "$tmp"/erlang-snmp_*.deb "$tmp/x"
    src=$(dirname "$(find "$tmp/x" -name INET-ADDRESS-MIB.mib -path '*/mibs/*' ! -path '*/priv/*' | head -1)")
    [ -f "$src/SNMPv2-SMI.mib" ] || { echo "deps.sh: erlang-snmp has no mibs folder" >&2; exit 1; }
    mkdir -p "$mibdir"
    cp "$src"/*.mib "$mibdir"/
fi
