#!/usr/bin/env bash
# Benchmark: one remote host at the row limit (cvpHostRowLimit, default 100,000 rows) next to a
# real snmpd master: snmpsim serving a recording of 100,000 UDP-MIB udpEndpointTable rows, polled
# every 30 s. Measured: the poll (cvpHostPollDuration), cvpportd's RSS without the host and with
# it (current and peak, and per 10,000 remote listeners), and GETs of a cvpPortTable value back
# to back through the master for two polling rounds, walks and evaluations included
# (p50/p99/max), beside the same GETs with no remote host.
# Usage: scripts/bench_host_limit.sh [BUILD_DIR]   (default build; built if missing). About 2.5
# minutes; CVP_BENCH_ROWS sets the rows (at most the limit, 1,000,000).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
cvp_bench_build "${1:-}"
cvp_bench_start hostlimit
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR" "$work/sim"
ROWS=${CVP_BENCH_ROWS:-100000} POLL=30

# the recording: ROWS endpoints 10.A.B.C:PORT, in OID order as snmpsim wants it
python3 - "$ROWS" >"$work/sim/big.snmprec" <<'PY'
import sys
n = int(sys.argv[1])
print("1.3.6.1.2.1.1.1.0|4|Linux bench")
rows = []
for i in range(n):
    host, port = divmod(i, 100)
    a, rest = divmod(host, 62500)
    b, c = divmod(rest, 250)
    rows.append((a, b, c, 20000 + port))
for a, b, c, port in sorted(rows):
    print("1.3.6.1.2.1.7.7.1.8.1.4.10.%d.%d.%d.%d.1.4.0.0.0.0.0.1|66|0" % (a, b, c, port))
PY
chmod a+x "$work"
chmod -R a+rX "$work/sim"
sim=$(cvp_free_port udp)
snmpsimd --data-dir="$work/sim" --agent-udpv4-endpoint="127.0.0.1:$sim" --process-user=nobody \
    --process-group=nogroup --logging-method=null >/dev/null 2>&1 &
pids+=($!)
cvp_wait "snmpget -v2c -c big -t 1 -r 0 127.0.0.1:$sim 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1" 600 ||
    { echo "snmpsim does not answer"; exit 1; }

cvp_bench_daemon
kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
value_oid=.1.3.6.1.4.1.8072.9999.9999.7161.1.2.1.19.1 # cvpPortCompliance.1
latency() { "$build/tests/bench_latency" "$target" "$value_oid" "$1"; }
lat_field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
host() { cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::$1.1"; }

echo "== no remote host: GETs for 10 s"
[ -n "${CVP_BENCH_KEEP:-}" ] && trap 'cp "$work/cvpportd.log" "$CVP_BENCH_KEEP"; cvp_bench_cleanup' EXIT
rss0=$(kb "$cvpd" VmRSS)
base=$(latency 10)
echo "   $base; RSS $rss0 kB"

echo "== one host of $ROWS rows, polled every $POLL s: GETs for two rounds"
printf 'cvpHostPoll %s\ncvpHost big 127.0.0.1:%s vxml -v2c -c big -t 5 -r 1\n' "$POLL" "$sim" \
    >>"$work/cvpportd.conf"
kill -HUP "$cvpd"
# RSS every 0.5 s meanwhile: its lowest and highest once the first poll is in
(while :; do kb "$cvpd" VmRSS; sleep 0.5; done >"$work/rss") 2>/dev/null &
pids+=($!)
lat=$(latency $((2 * POLL + 5)))
cvp_stop_load
cvp_wait "[ \"\$(host cvpHostReachability)\" = reachable ]" 600 ||
    { echo "the host was not polled: $(host cvpHostError)"; exit 1; }
hwm=$(kb "$cvpd" VmHWM)
# from 20 s on (the first walk takes about 11 s): the low between polls, the high within one
read -r rss1 rss2 < <(tail -n +40 "$work/rss" | sort -n | sed -n '1p;$p' | paste -sd' ')
unexpected=$(host cvpHostUnexpectedCount)
echo
echo "host: $(host cvpHostReachability), $unexpected unexpected listeners; a poll (first request to last answer): $(host cvpHostPollDuration | tr -dc '0-9') ms"
echo "cvpportd RSS: $rss0 kB without the host; with it $rss1-$rss2 kB (peak $hwm kB): $(((rss1 - rss0) * 10000 / unexpected))-$(((rss2 - rss0) * 10000 / unexpected)) kB per 10,000 remote listeners (peak $(((hwm - rss0) * 10000 / unexpected)) kB)"
printf '| remote rows | GETs | p50 | p99 | max | timeouts | errors |\n|---|---|---|---|---|---|---|\n'
for row in "0 (10 s)|$base" "$ROWS ($((2 * POLL + 5)) s)|$lat"; do
    l=${row#*|}
    printf '| %s | %s | %s µs | %s µs | %s µs | %s | %s |\n' "${row%%|*}" "$(lat_field "$l" n)" \
        "$(lat_field "$l" p50_us)" "$(lat_field "$l" p99_us)" "$(lat_field "$l" max_us)" \
        "$(lat_field "$l" timeouts)" "$(lat_field "$l" errors)"
done
