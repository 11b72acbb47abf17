#!/usr/bin/env bash
# The proof that the suite is hermetic, as scripts/test.sh runs it around the whole suite: in the
# host's own network namespace, a noise process opens and closes TCP and UDP listeners on
# loopback (and on every address) all the time, and an snmpd that is none of the suite's runs on
# a loopback port. No test may count the noise, and no test may stop that snmpd.
# Usage: host_noise.sh start DIR | host_noise.sh stop DIR (stop fails when the snmpd died)
set -uo pipefail
cmd=${1:?usage: host_noise.sh start|stop DIR} dir=${2:?usage: host_noise.sh start|stop DIR}
. "$(dirname "$0")/../scripts/lib.sh"

start() {
    mkdir -p "$dir/persist"
    local port
    port=$(cvp_free_port udp 40000 44999) || return 1
    printf 'agentaddress udp:127.0.0.1:%s\nrocommunity public 127.0.0.1\nmaster agentx\nagentXSocket tcp:127.0.0.1:%s\n' \
        "$port" "$(cvp_free_port tcp 40000 44999)" >"$dir/snmpd.conf"
    MIBS="" SNMP_PERSISTENT_DIR="$dir/persist" snmpd -I -smux -C -c "$dir/snmpd.conf" -Lf "$dir/snmpd.log" \
        -p "$dir/snmpd.pid" </dev/null >/dev/null 2>&1
    cvp_wait "[ -s '$dir/snmpd.pid' ] && ss -lunH 'sport = :$port' | grep -q ." 100 || {
        echo "host_noise: the unrelated snmpd did not start"; cat "$dir/snmpd.log"; return 1; }
    # Listeners on ports tests might pick, opened and closed every 50-500 ms, until stopped.
    python3 -c '
import random, socket, time
socks = []
while True:
    if len(socks) > 40 or (socks and random.random() < 0.5):
        socks.pop(random.randrange(len(socks))).close()
    else:
        kind = random.choice((socket.SOCK_STREAM, socket.SOCK_DGRAM))
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind((random.choice(("127.0.0.1", "0.0.0.0")), random.randint(1024, 60000)))
            if kind == socket.SOCK_STREAM:
                s.listen(1)
            socks.append(s)
        except OSError:
            s.close()
    time.sleep(random.uniform(0.05, 0.5))' </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/noise.pid"
    echo "host_noise: listener noise (pid $!) and an unrelated snmpd (pid $(cat "$dir/snmpd.pid"), UDP $port) run on the host"
}

stop() {
    local pid rc=0
    pid=$(cat "$dir/snmpd.pid" 2>/dev/null)
    if [ -n "$pid" ] && cvp_alive "$pid" && [ "$(cat "/proc/$pid/comm")" = snmpd ]; then
        echo "host_noise: the unrelated snmpd survived the suite"
    else
        echo "host_noise: FAIL: the unrelated snmpd (pid ${pid:-?}) is gone: a test stopped what it did not start"
        rc=1
    fi
    cvp_kill_pidfiles "$dir/noise.pid" "$dir/snmpd.pid"
    rm -rf "$dir"
    return $rc
}

case $cmd in
start) start ;;
stop) stop ;;
*) echo "usage: host_noise.sh start|stop DIR" >&2; exit 2 ;;
esac
