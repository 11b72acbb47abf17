#!/usr/bin/env bash
# Integration: a host known from captures (cvpHost NAME file:PATH ROLES), through a real master:
# the newest PowerShell capture at PATH (UTF-16LE, netsh's range in it) is judged at each poll
# (cvpHostPoll 2): source capture, the file's format, telnet forbidden, its process named in the
# host's findings; a capture older than two poll intervals makes the host stale with its age; one
# that is no capture, or a symbolic link, is unreachable with the reason, never "everything
# missing"; a fresh capture brings it back. The daemon's agent reads captures as its own user
# (_cvpportd): one only root can read is unreachable, saying so.
# Usage: integration_capture_host.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
it_start_master || exit 1
mkdir -p "$work/cap"
chmod 755 "$work" "$work/cap" # (the agent's user reads the captures)
cp "$CVP_TOP/tests/fixtures/capture/powershell.utf16.csv" "$work/cap/latest"
chmod 600 "$work/cap/latest" # first root's alone
cat >"$work/c.conf" <<CONF
cvpPortRequire telnet forbidden
cvpHostPoll 2
cvpHost wincap file:$work/cap/latest callserver,common,windows,mgmt
CONF
chmod 600 "$work/c.conf"
it_start_cvpportd "$work/c.conf" "$work/cvpportd.log"
hostcol() { get "CVP-PORT-MIB::$1.1"; }
cvp_wait "[ \"\$(hostcol cvpHostReachability)\" = unreachable ]" 150
check "a capture only root can read: unreachable, saying why" "unreachable|1" \
    "$(hostcol cvpHostReachability)|$(hostcol cvpHostError | grep -c 'permission denied (the daemon.s agent reads captures as its own user')"
chmod 644 "$work/cap/latest"
cvp_wait "[ \"\$(hostcol cvpHostReachability)\" = reachable ]" 150 || {
    echo "never read: $(hostcol cvpHostError)"; cat "$work/cvpportd.log"; exit 1; }
check "read from the capture: source capture, its format" "capture|powershell capture" \
    "$(hostcol cvpHostSource)|$(hostcol cvpHostTables | tr -d '"')"
telnet=$(cvp_snmp snmpwalk "$target" -Oqs CVP-PORT-MIB::cvpPortName | awk '$2 == "telnet" {sub(/.*\./, "", $1); print $1}')
check "telnet forbidden on the host" forbidden "$(get "CVP-PORT-MIB::cvpHostPortCompliance.1.$telnet")"
check "netsh's range from the capture" "10000-10999" "$(hostcol cvpHostEphemeralLow)-$(hostcol cvpHostEphemeralHigh)"
check "the process in the host's findings" yes \
    "$(cvp_snmp snmpwalk "$target" -Oqv CVP-PORT-MIB::cvpHostFindingProcessName.1 | grep -q 'tlntsvr.exe' && echo yes || echo no)"

touch -d '-30 seconds' "$work/cap/latest"
cvp_wait "[ \"\$(hostcol cvpHostReachability)\" = unreachable ]" 100
check "a capture older than two poll intervals: stale, its age said" "true yes" \
    "$(hostcol cvpHostStale) $(hostcol cvpHostError | grep -q 'the capture is [0-9]* s old' && echo yes || echo no)"
check "... its verdicts kept, overall unknown" "forbidden unknown" \
    "$(get "CVP-PORT-MIB::cvpHostPortCompliance.1.$telnet") $(hostcol cvpHostOverallStatus)"
touch "$work/cap/latest"
cvp_wait "[ \"\$(hostcol cvpHostReachability)\" = reachable ]" 100
check "a fresh capture: back" reachable "$(hostcol cvpHostReachability)"

printf 'garbage\n' >"$work/cap/latest"
cvp_wait "hostcol cvpHostError | grep -q 'no listener row'" 100
check "a file that is no capture: unreachable with the reason, never everything missing" \
    "unreachable unknown" "$(hostcol cvpHostReachability) $(hostcol cvpHostOverallStatus)"
cp "$CVP_TOP/tests/fixtures/capture/powershell.utf16.csv" "$work/cap/real"
rm -f "$work/cap/latest"
ln -s "$work/cap/real" "$work/cap/latest"
cvp_wait "hostcol cvpHostError | grep -q 'symbolic link'" 100
check "a symbolic link at the path: refused" yes "$(hostcol cvpHostError | grep -q 'symbolic link' && echo yes || echo no)"
it_done
