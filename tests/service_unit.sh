#!/usr/bin/env bash
# Least privilege: the systemd unit passes `systemd-analyze verify`, and cvpportd run as the unit
# runs it (root's uid, the bounding set cut to the unit's two capabilities) attributes another
# user's listener; with no capability the process is 0, one line says why, and nothing fails.
# Usage: service_unit.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
unit=$CVP_BUILD/cvpportd.service
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is needed (package systemd)"; exit 1; }

# verify needs the programs the unit names: a copy that runs the build's binary.
mkdir -p "$work/unit"
sed "s|^ExecStart=[^ ]*/cvpportd|ExecStart=$work/cvpportd-copy|; s|^ExecStartPre=[^ ]*/cvpportd|ExecStartPre=$work/cvpportd-copy|" \
    "$unit" >"$work/unit/cvpportd.service"
cp "$CVP_BUILD/cvpportd" "$work/cvpportd-copy"
chmod 755 "$work" "$work/cvpportd-copy"
out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work/unit/cvpportd.service" 2>&1)
check "systemd-analyze verify accepts the unit" "" "$out"
check "the unit starts as root's uid (the monitor: the master's AgentX socket is root's)" 0 "$(grep -c '^User=' "$unit")"
for key in 'CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_SETPCAP' \
    'RuntimeDirectory=cvpportd' \
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' \
    'SystemCallFilter=@system-service' 'Wants=snmpd.service' 'Restart=on-failure'; do
    check "the unit sets $key" 1 "$(grep -cxF "$key" "$unit")"
done

[ "$(id -u)" = 0 ] || { echo "the capability part needs root"; it_done; exit; }
port=$(cvp_free_port tcp 12000 16000)
cp "$CVP_BUILD/tests/listen_helper" "$work/listen_helper"
chmod 755 "$work/listen_helper"
setpriv --reuid=65534 --regid=65534 --clear-groups "$work/listen_helper" "tcp/127.0.0.1/$port" \
    >"$work/helper.out" 2>&1 &
helper=$!
it_pids+=($helper)
cvp_wait "grep -q ready '$work/helper.out'" 50 || exit 1
printf 'cvpRoles mgmt\n' >"$work/c.conf"
chmod 644 "$work/c.conf"
as_user() { # as_user CAPS ARGS: cvpportd as root's uid with only the capabilities CAPS
    local caps=$1; shift
    setpriv --bounding-set="-all$caps" --inh-caps=-all \
        env HOME=/ SNMP_PERSISTENT_DIR="$work" "$work/cvpportd-copy" "$@"
}
out=$(as_user ,+dac_read_search,+sys_ptrace --check --json -C -c "$work/c.conf" 2>&1)
check "with the two capabilities, nobody's listener is attributed" 1 \
    "$(echo "$out" | grep -c "\"port\": $port, \"pid\": $helper, \"process\": \"listen_helper\"")"
check "and nothing is reported unreadable" 0 "$(echo "$out" | grep -c 'not readable')"
out=$(as_user "" --check --json -C -c "$work/c.conf" 2>&1)
check "without them the process is 0" 1 "$(echo "$out" | grep -c "\"port\": $port, \"pid\": 0, \"process\": \"\"")"
check "and the listener counts as unattributed" yes "$(as_user "" --check --json -C -c "$work/c.conf" 2>/dev/null |
    python3 -c 'import json, sys; print("yes" if json.load(sys.stdin)["unattributed"] >= 1 else "no")')"
check "one line says why" 1 "$(echo "$out" | grep -c 'not readable.*CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE')"
it_done
