#!/usr/bin/env bash
# Integration: `cvpportd --doctor` against a real master, every link working and then each one
# broken in turn; each broken link gives its FAIL line (with the fix) and exit 2, the rest
# stay OK. In a private network namespace, so that the host's own listeners (whose processes
# may be out of sight) play no part.
# Usage: integration_doctor.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (network namespace)"; exit 0; }
it_private_net "$0" "$1"

mkdir -p "$work/etc"
mkdir -m 700 "$work/ax"
agentx=$(cvp_free_port tcp)
# AgentX on a unix socket (what the doctor checks) and on TCP (what cvpportd here connects to)
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$(cvp_free_port udp) public
rocommunity narrow 127.0.0.1 .1.3.6.1.2.1.1
agentXSocket tcp:127.0.0.1:$agentx,unix:$work/ax/master" it_start_master || exit 1
axaddr=unix:$work/ax/master
cp "$work/snmpd.conf" "$work/etc/snmpd.conf" # what the doctor reads as snmpd's configuration
printf 'cvpRefresh 1\n' >"$work/c.conf"
it_start_cvpportd "$work/c.conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ]" 100 || { cat "$work/cvpportd.log"; exit 1; }

# doctor [cvpportd options] -- [SNMP options]: its output in $work/out, its exit code echoed
doctor() {
    local own=() snmp=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do own+=("$1"); shift; done
    shift
    snmp=("$@")
    SNMPCONFPATH=$work/etc MIBDIRS=+$CVP_MIBDIRS "$CVP_BUILD/cvpportd" -x "$axaddr" \
        -C -c "$work/c.conf" "${own[@]}" --doctor -t 1 -r 0 "${snmp[@]}" "$target" \
        >"$work/out" 2>"$work/err"
    echo $?
}
fails() { grep -c '^FAIL' "$work/out"; }
has() { grep -cF -- "$1" "$work/out"; } # has TEXT: lines of the output holding TEXT

check "every link works: exit 0" 0 "$(doctor --)"
check "seven checks, all OK" "7 0" "$(grep -c '^OK' "$work/out") $(fails)"
check "registration seen in sysORTable" 1 "$(grep -c '^OK   registration: .* serves CVP-PORT-MIB' "$work/out")"
check "the MIB read with the community" 1 "$(grep -c "^OK   MIB readable: cvpPortCatalogSize.0 = $CVP_ROWS" "$work/out")"
check "the trap destination found, by file and line" 1 \
    "$(grep -c "^OK   notifications: snmpd sends them ($work/etc/snmpd.conf:[0-9]* trap2sink)" "$work/out")"

# 1. A typo in cvpportd's configuration.
printf 'cvpRefresh 1\ncvpRoles callserver,nosuchrole\n' >"$work/bad.conf"
check "configuration broken: exit 2" 2 "$(doctor -c "$work/bad.conf" --)"
check "... its line says so" 1 "$(has "FAIL configuration: 1 error(s), printed above")"
check "... the error names file and line" 1 "$(grep -c "bad.conf:2" "$work/err")"
check "... and only that fails" 1 "$(fails)"

# 2. The credentials see only the system group (Debian's stock `systemonly`).
check "view without CVP-PORT-MIB: exit 2" 2 "$(doctor -- -c narrow)"
check "... registered, but not readable" 1 "$(has "FAIL MIB readable: CVP-PORT-MIB is registered but 127.0.0.")"
check "... the fix names the view line" 1 "$(grep -c 'fix: the community.s view leaves it out' "$work/out")"
check "... registration still OK" 1 "$(grep -c '^OK   registration' "$work/out")"

# 3. An unknown community: the agent does not answer.
check "unknown community: exit 2" 2 "$(doctor -- -c wrong)"
check "... the agent check fails" 1 "$(has "FAIL agent 127.0.0.1:$udp: no answer (timeout)")"

# 4. No trap destination in snmpd's configuration; an include is followed.
grep -v trap2sink "$work/snmpd.conf" >"$work/etc/snmpd.conf"
check "no trap destination: exit 1 (a warning: polls still work)" 1 "$(doctor --)"
check "... named" 1 "$(has "WARN notifications: no trap2sink, informsink or trapsess in snmp")"
mkdir -p "$work/etc/d"
echo "includeDir $work/etc/d" >>"$work/etc/snmpd.conf"
echo "informsink 127.0.0.1 public" >"$work/etc/d/sinks.conf"
check "a destination in an included directory counts" 0 "$(doctor --)"
ln -sf /dev/zero "$work/etc/d/zero.conf"
check "an include of /dev/zero is refused, not read forever" 1 "$(doctor -- >/dev/null; grep -c '^WARN notifications: .*zero.conf: not a regular file' "$work/out")"
rm "$work/etc/d/zero.conf"
cp "$work/snmpd.conf" "$work/etc/snmpd.conf"

# 5. AgentX over TCP: it works, and anyone local may use it: a warning with the cost and the fix.
axaddr=tcp:127.0.0.1:$agentx
check "AgentX over TCP: exit 1 (a warning)" 1 "$(doctor --)"
check "... the line says what any local process can do, and the fix" 1 \
    "$(grep -A1 "^WARN AgentX: tcp:127.0.0.1:$agentx accepts a connection, over the network: any local process can connect there too" "$work/out" | grep -c '^     fix: .*agentXSocket unix:')"
check "... and only that warns" "1 0" "$(grep -c '^WARN' "$work/out") $(fails)"
axaddr=unix:$work/ax/master

# 6. The MIB files are not where the tools look.
mkdir -p "$work/empty"
check "MIB files missing: exit 2" 2 "$(SNMPCONFPATH=$work/etc MIBDIRS=$work/empty "$CVP_BUILD/cvpportd" -x "$axaddr" \
    -C -c "$work/c.conf" --doctor "$target" >"$work/out" 2>&1; echo $?)"
check "... both modules named" 2 "$(grep -c '^FAIL MIB files: .* is not found by name' "$work/out")"

# 7. cvpportd stopped: the master answers, CVP-PORT-MIB is not registered.
cvp_kill_pidfile "$work/cvpportd.pid"
check "cvpportd stopped: exit 2" 2 "$(doctor --)"
check "... registration fails" 1 "$(has "FAIL registration: CVP-PORT-MIB is not in 127.0.0.1:$udp's sys")"

# 8. The master stopped: no AgentX socket, no agent.
cvp_kill_pidfile "$work/snmpd.pid"
check "master stopped: exit 2" 2 "$(doctor --)"
check "... AgentX fails" 1 "$(has "FAIL AgentX: nothing accepts connections at $axaddr")"
check "... and the agent" 1 "$(grep -c "^FAIL agent 127.0.0.1:$udp" "$work/out")"

# 9. Wrong SNMP options: unknown (3), as --check.
check "options not understood: exit 3" 3 "$(doctor -- -v9)"
it_done
