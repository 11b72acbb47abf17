#!/usr/bin/env bash
# Integration: the master snmpd goes away and comes back; cvpportd keeps running, notices it
# through the AgentX ping and registers CVP-PORT-MIB again by itself. Then cvpportd restarts
# under the same master: its counters start from zero again, and
# cvpPortCounterDiscontinuityTime marks it with the master's later sysUpTime.
# Usage: integration_restart.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

it_start_master || exit 1

printf 'cvpRefresh 1\nagentxPingInterval 1\n' >"$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ]" 100
check "registered with the first master" "$CVP_ROWS" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"

cvp_kill_pidfile "$work/snmpd.pid"
sleep 2
check "cvpportd survives the master's exit" yes "$(kill -0 "$(cat "$work/cvpportd.pid")" 2>/dev/null && echo yes || echo no)"

it_start_master || exit 1
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ]" 150
check "registered again with the restarted master" "$CVP_ROWS" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"
check "the refreshes went on" yes "$([ "$(get CVP-PORT-MIB::cvpPortScanCount.0)" -gt 3 ] && echo yes || echo no)"
check "cvpportd still running" yes "$(kill -0 "$(cat "$work/cvpportd.pid")" 2>/dev/null && echo yes || echo no)"

ticks() { get -Ot "CVP-PORT-MIB::$1.0" | tr -dc 0-9; }
d1=$(ticks cvpPortCounterDiscontinuityTime)
it_scans_after 3 # the first one's count is well above a new one's first scans
scans1=$(get CVP-PORT-MIB::cvpPortScanCount.0)
cvp_kill_pidfile "$work/cvpportd.pid"
sleep 1.5
it_start_cvpportd "$work/cvpportd.conf" "$work/cvpportd2.log"
cvp_wait "[ -n \"\$(ticks cvpPortCounterDiscontinuityTime)\" ]" 100
d2=$(ticks cvpPortCounterDiscontinuityTime)
up=$(get -Ot SNMPv2-MIB::sysUpTime.0 | tr -dc 0-9)
check "after cvpportd restarts, the discontinuity marker moves on ($d1 -> $d2)" yes \
    "$([ -n "$d1" ] && [ "${d2:-0}" -gt "$d1" ] && echo yes || echo no)"
check "it is on the master's clock" yes "$([ "${d2:-0}" -le "${up:-0}" ] && echo yes || echo no)"
scans2=$(get CVP-PORT-MIB::cvpPortScanCount.0)
check "the counters started again ($scans1 -> $scans2)" yes "$([ "${scans2:-999999}" -lt "$scans1" ] && echo yes || echo no)"
it_done
