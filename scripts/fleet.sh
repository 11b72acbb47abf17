#!/usr/bin/env bash
# Fleet simulation: N hosts, each a network namespace of its own (made here, removed at exit)
# with its own snmpd master, cvpportd and a different set of listeners, all polled by one
# Debian prometheus-snmp-exporter with the module cvp_port. Each namespace has its loopback
# (snmpd and cvpportd speak AgentX over it, as on a real host) and one veth into a bridge the
# poller reaches it by. The last host is also a media server carrying 16,000 RTP sockets (bound
# UDP sockets in the range its row rtp covers). Prints each host's compliance as the scraped
# metrics say, the scrape time per host, and what one cvpportd and the exporter cost.
# Usage: sudo scripts/fleet.sh [N]      (default 10)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
n=${1:-10}
[ "$(id -u)" = 0 ] || { echo "fleet.sh: network namespaces need root" >&2; exit 1; }
[ "$n" -ge 1 ] && [ "$n" -le 500 ] || { echo "fleet.sh: N from 1 to 500" >&2; exit 1; }
bash scripts/deps.sh
bash scripts/build.sh build
build=$top/build

br=cvpfleet0
fleet_cleanup() {
    cvp_stop_load
    cvp_kill_pidfiles "$work"/*.pid
    for i in $(seq 1 "$n"); do ip netns del "cvpfleet$i" 2>/dev/null || true; done
    ip link del "$br" 2>/dev/null || true
    rm -rf "$work"
}
cvp_bench_start fleet
trap fleet_cleanup EXIT
ip link add "$br" type bridge
ip addr add 10.77.0.1/16 dev "$br"
ip link set "$br" up
addr_of() { echo "10.77.$(($1 / 250 + 1)).$(($1 % 250 + 1))"; }

echo "== starting $n hosts" >&2
for i in $(seq 1 "$n"); do
    ns=cvpfleet$i a=$(addr_of "$i") h=$work/h$i
    mkdir -p "$h/persist"
    ip netns add "$ns"
    ip link add "vfl$i" type veth peer name eth0 netns "$ns"
    ip link set "vfl$i" master "$br" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$a/16" dev eth0
    ip -n "$ns" link set eth0 up
    cat >"$h/snmpd.conf" <<CONF
master agentx
agentXSocket tcp:127.0.0.1:7161
agentaddress udp:$a:161
rocommunity public 10.77.0.0/16
dontLogTCPWrappersConnects yes
CONF
    # A VXML server: its six required ports; the master's SNMP, AgentX and SMUX ports are
    # another team's business here.
    printf 'cvpRoles vxml\ncvpIgnore udp 161\ncvpIgnore tcp 7161\ncvpIgnore tcp 199\n' >"$h/cvpportd.conf"
    if [ "$i" = "$n" ]; then
        # a media server too: its web server, and its RTP range where this kernel binds
        read -r lo hi < <(ip netns exec "$ns" cat /proc/sys/net/ipv4/ip_local_port_range)
        printf 'cvpRoles vxml,media\ncvpPortMove rtp %s-%s\n' "$lo" "$hi" >>"$h/cvpportd.conf"
        ip netns exec "$ns" "$build/tests/bench_loadgen" udp 15000 127.0.0.1 >"$h/udp1.out" 2>&1 &
        pids+=($!)
        ip netns exec "$ns" "$build/tests/bench_loadgen" udp 1000 127.0.0.2 >"$h/udp2.out" 2>&1 &
        pids+=($!)
        cvp_wait "grep -q ready '$h/udp1.out' && grep -q ready '$h/udp2.out'" 600 ||
            { echo "host $i: the RTP sockets did not open" >&2; exit 1; }
    fi
    ip netns exec "$ns" env MIBS="" SNMP_PERSISTENT_DIR="$h/persist" snmpd -C -c "$h/snmpd.conf" \
        -Lf "$h/snmpd.log" -p "$work/snmpd-$i.pid" </dev/null >/dev/null 2>&1
    # A different set of listeners per host: the VXML server's ports, but every third host
    # binds its Tomcat shutdown port (7005) everywhere (exposed), every fourth lacks JMX (9696,
    # missing), every fifth has an unexpected listener (4444).
    specs=("tcp/0.0.0.0/7000" "tcp/0.0.0.0/7443" "tcp/127.0.0.1/7009" "tcp/127.0.0.1/10100")
    if [ $((i % 3)) = 0 ]; then specs+=("tcp/0.0.0.0/7005"); else specs+=("tcp/127.0.0.1/7005"); fi
    [ $((i % 4)) = 0 ] || specs+=("tcp/0.0.0.0/9696")
    [ $((i % 5)) = 0 ] && specs+=("tcp/0.0.0.0/4444")
    [ "$i" = "$n" ] && specs+=("tcp/0.0.0.0/80" "tcp/0.0.0.0/443")
    ip netns exec "$ns" "$build/tests/listen_helper" "${specs[@]}" >"$h/listeners.out" 2>&1 &
    pids+=($!)
    ip netns exec "$ns" env SNMP_PERSISTENT_DIR="$h/persist" "$build/cvpportd" \
        -x tcp:127.0.0.1:7161 -C -c "$h/cvpportd.conf" -Lf "$h/cvpportd.log" -p "$work/cvpportd-$i.pid"
done
for i in $(seq 1 "$n"); do
    cvp_wait "MIBS='' snmpget -v2c -c public -t 1 -r 0 $(addr_of "$i") .1.3.6.1.4.1.8072.9999.9999.7161.1.1.8.0 | grep -q Counter32" 300 ||
        { echo "host $i does not answer" >&2; exit 1; }
done
sleep 6 # a scan after every listener is up

web=$(cvp_free_port tcp 12000 16000)
prometheus-snmp-exporter --config.file="$top/mib/prometheus/snmp.yml" \
    --web.listen-address="127.0.0.1:$web" >"$work/exporter.log" 2>&1 &
pids+=($!)
exporter=$!
cvp_wait "ss -ltnH 'sport = :$web' | grep -q ." 100
hz=$(getconf CLK_TCK)
c1=$(cvp_agent_pid "$(cat "$work/cvpportd-1.pid")") # (its agent process)
t_start=$(date +%s%N) k_start=$(cvp_ticks "$c1") e0=$(cvp_ticks "$exporter")

printf '\n| host | overall | violations | unexpected | scrape |\n|---|---|---|---|---|\n'
times=()
for i in $(seq 1 "$n"); do
    t0=$(date +%s%N)
    python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' \
        "http://127.0.0.1:$web/snmp?module=cvp_port&target=$(addr_of "$i")" >"$work/m-$i" || {
        echo "scrape of host $i failed" >&2
        exit 1
    }
    ms=$((($(date +%s%N) - t0) / 1000000))
    times+=("$ms")
    overall=$(sed -n 's/^cvpPortOverallStatus{cvpPortOverallStatus="\([a-zA-Z]*\)"} 1$/\1/p' "$work/m-$i")
    printf '| %s | %s | %s | %s | %s ms |\n' "$(addr_of "$i")" "${overall:-?}" \
        "$(sed -n 's/^cvpPortViolationCount //p' "$work/m-$i")" \
        "$(sed -n 's/^cvpPortUnexpectedCount //p' "$work/m-$i")" "$ms"
done
e1=$(cvp_ticks "$exporter")
sleep 10 # cvpportd's own cost over a quiet stretch too
secs=$(awk -v a="$t_start" -v b="$(date +%s%N)" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
k_end=$(cvp_ticks "$c1")
med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
max=$(printf '%s\n' "${times[@]}" | sort -n | tail -1)
echo
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), Linux $(uname -r)"
echo "$n hosts: scrape per host median $med ms, max $max ms (one at a time, series per scrape: $(grep -vc '^#' "$work/m-1"))"
echo "one cvpportd (host 1, cvpRefresh 5): $(awk -v t=$((k_end - k_start)) -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f", t * 100 / hz / s}')% of a core over $secs s including its scrape, RSS $(awk '/^VmRSS/ {print $2}' "/proc/$c1/status") kB"
rtp=$(awk '/^cvpPortSocketCount\{/ && /cvpPortName="rtp"/ {print $NF}' "$work/m-$n")
echo "host $n, a media server: ${rtp:-?} sockets in its RTP range, scrape ${times[$((n - 1))]} ms, $(grep -vc '^#' "$work/m-$n") series"
echo "exporter: $(awk -v t=$((e1 - e0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.1f", t * 1000 / hz / n}') ms of CPU per scrape, RSS $(awk '/^VmRSS/ {print $2}' "/proc/$exporter/status") kB"
