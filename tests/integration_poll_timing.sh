#!/usr/bin/env bash
# Integration: polls start when they are due, not on the tick of a clock. Four hosts (one real
# snmpd, answering in milliseconds) polled every second have their first polls spread over the
# interval (a quarter apart) and keep that cadence: the ends of their last polls
# (cvpHostLastPoll, in hundredths) fall at different phases of the second. Polls started by a
# 1 s tick would all end at one phase.
# Usage: integration_poll_timing.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
it_start_master || exit 1
lin=$(cvp_free_port udp)
printf 'agentaddress udp:127.0.0.1:%s\nrocommunity fleet 127.0.0.1\n' "$lin" >"$work/linux-snmpd.conf"
MIBS="" snmpd -I -smux -C -c "$work/linux-snmpd.conf" -Lf "$work/linux-snmpd.log" \
    -p "$work/linux-snmpd.pid" </dev/null
it_pidfiles+=("$work/linux-snmpd.pid")
cvp_wait "ss -lunH 'sport = :$lin' | grep -q ." 100 || { echo "snmpd did not start"; exit 1; }
{
    echo "cvpHostPoll 1"
    for i in 1 2 3 4; do echo "cvpHost h$i 127.0.0.1:$lin vxml -v2c -c fleet -t 1 -r 0"; done
} >"$work/c.conf"
chmod 600 "$work/c.conf"
it_start_cvpportd "$work/c.conf" "$work/cvpportd.log"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpHostPollFailures.4)\" = 0 ] && [ \"\$(get CVP-PORT-MIB::cvpHostReachability.4)\" = reachable ]" 150 || {
    echo "hosts not polled"; exit 1; }
sleep 3
phases=$(cvp_snmp snmpget "$target" -Oqv CVP-PORT-MIB::cvpHostLastPoll.1 CVP-PORT-MIB::cvpHostLastPoll.2 \
    CVP-PORT-MIB::cvpHostLastPoll.3 CVP-PORT-MIB::cvpHostLastPoll.4 | tr -dc '0-9\n' | awk '{print $1 % 100}')
# the widest gap between neighbouring phases on the circle of a second: 100 when they coincide
spread=$(echo "$phases" | sort -n | awk '{p[NR] = $1} END {g = p[1] + 100 - p[NR]; for (i = 2; i <= NR; i++) if (p[i] - p[i - 1] > g) g = p[i] - p[i - 1]; print 100 - g}')
check "the hosts' polls end at different phases of their 1 s interval (spread $spread cs over $(echo $phases))" yes \
    "$([ "$spread" -ge 30 ] && echo yes || echo no)"
it_done
