# Shell helpers shared by run.sh, bench.sh and the integration tests: free loopback ports,
# a private snmpd master, cvpportd, and snmp tools that resolve CVP-PORT-MIB by name.
# Source it; it defines functions only.

CVP_TOP=${CVP_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CVP_BUILD=${CVP_BUILD:-$CVP_TOP/build}
# The IETF modules CVP-PORT-MIB imports (Debian ships none): scripts/deps.sh fetches them here.
CVP_IETF_MIBS=$CVP_TOP/build/ietf-mibs
CVP_MIBDIRS="$CVP_IETF_MIBS:$CVP_TOP/mib:/usr/share/snmp/mibs"

# Whether PROTO (tcp|udp) PORT is free on every local address.
cvp_port_free() {
    local proto=$1 port=$2 flag=-ltnH
    [ "$proto" = udp ] && flag=-lunH
    ! ss $flag "sport = :$port" 2>/dev/null | grep -q .
}

# Prints a free port for PROTO (tcp|udp) between LOW and HIGH (default 20000-39999).
cvp_free_port() {
    local proto=$1 low=${2:-20000} high=${3:-39999} port i
    for i in $(seq 1 200); do
        port=$((low + RANDOM % (high - low + 1)))
        if cvp_port_free "$proto" "$port"; then echo "$port"; return 0; fi
    done
    return 1
}

# Waits up to $2 tenths of a second (default 100) for the command "$1" to succeed.
cvp_wait() {
    local cmd=$1 tries=${2:-100}
    while [ "$tries" -gt 0 ]; do
        eval "$cmd" >/dev/null 2>&1 && return 0
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}

# cvp_start_snmpd DIR UDP_ADDRESS AGENTX_ADDRESS: a master snmpd with its own config, state
# and log in DIR; its pid is written to DIR/snmpd.pid. AGENTX_ADDRESS is tcp:HOST:PORT or
# unix:PATH (its directory is made root's alone, as net-snmp's default /var/agentx is). Lines
# in $CVP_SNMPD_EXTRA (trap2sink, informsink, ...) are added to its configuration.
cvp_start_snmpd() {
    local dir=$1 udp=$2 agentx=$3
    mkdir -p "$dir/persist"
    local first=${agentx%%,*} # (a list: the first address says when snmpd is ready)
    case $first in unix:*) mkdir -p -m 700 "$(dirname "${first#unix:}")" ;; esac
    cat >"$dir/snmpd.conf" <<CONF
master agentx
agentXSocket $agentx
agentaddress $udp
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
rocommunity6 public ::1
${CVP_SNMPD_EXTRA:-}
CONF
    # -I -smux: as Debian's snmpd.service, no SMUX listener on TCP 199 (an unexpected one).
    MIBS="" SNMP_PERSISTENT_DIR="$dir/persist" snmpd -I -smux -C -c "$dir/snmpd.conf" -Lf "$dir/snmpd.log" \
        -p "$dir/snmpd.pid" >/dev/null 2>&1 </dev/null
    local ready="ss -ltnH 'sport = :${first##*:}' | grep -q ."
    case $first in unix:*) ready="[ -S '${first#unix:}' ]" ;; esac
    cvp_wait "$ready" 100 || {
        echo "snmpd did not start; its log:" >&2
        cat "$dir/snmpd.log" >&2
        return 1
    }
}

# The snmp tools with CVP-PORT-MIB loaded. Usage: cvp_snmp snmpwalk ADDRESS ARGS...
cvp_snmp() {
    local tool=$1 addr=$2
    shift 2
    MIBS="" SNMP_PERSISTENT_DIR=${SNMP_PERSISTENT_DIR:-/tmp} \
        "$tool" -v2c -c public -M "$CVP_MIBDIRS" -m CVP-PORT-MIB -t 2 -r 1 "$addr" "$@"
}

# Whether process PID runs (a zombie has gone: a daemon's reaper may take seconds to collect it).
cvp_alive() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$st" ] && [ "$st" != Z ]
}
# Kills the processes whose pids are in FILE..., all at once, and waits for them to go (5 s, then
# SIGKILL).
cvp_kill_pidfiles() {
    local f pid live=()
    for f in "$@"; do
        [ -f "$f" ] || continue
        pid=$(cat "$f" 2>/dev/null)
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && live+=("$pid")
        rm -f "$f"
    done
    for _ in $(seq 1 50); do
        pid=
        for pid in "${live[@]}"; do cvp_alive "$pid" && break; pid=; done
        [ -z "${pid:-}" ] && return 0
        sleep 0.1
    done
    for pid in "${live[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
cvp_kill_pidfile() { cvp_kill_pidfiles "$1"; }

# Benchmarks: cvp_bench_start NAME makes a private $work and, at exit, stops what was started:
# the background processes in $pids (cvp_stop_load stops them sooner) and every daemon whose
# pid file is in $work.
cvp_stop_load() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}
cvp_bench_cleanup() {
    cvp_stop_load
    cvp_kill_pidfiles "$work"/*.pid
    rm -rf "$work"
}
# cvp_bench_build [BUILD_DIR]: the build a benchmark runs (default build; when missing, the
# packages it needs are installed and it is built); sets build to its absolute path.
cvp_bench_build() {
    build=${1:-$CVP_TOP/build}
    [ -x "$build/cvpportd" ] || { bash "$CVP_TOP/scripts/deps.sh" && bash "$CVP_TOP/scripts/build.sh" "$build"; }
    build=$(cd "$build" && pwd)
}
cvp_bench_start() {
    cvp_agent_user
    work=$(mktemp -d "/tmp/cvpportd-$1.XXXXXX")
    pids=()
    trap cvp_bench_cleanup EXIT
}

# cvp_bench_daemon: a private master snmpd (UDP and AgentX over TCP on free loopback ports) and
# cvpportd on an empty configuration ($work/cvpportd.conf), once it scans; sets target (the
# master's UDP address) and cvpd (cvpportd's pid).
cvp_bench_daemon() {
    local udp agentx
    udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp 12000 12999)
    cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx" || return 1
    target=127.0.0.1:$udp
    : >"$work/cvpportd.conf"
    chmod 600 "$work/cvpportd.conf"
    "$build/cvpportd" -x "tcp:127.0.0.1:$agentx" -C -c "$work/cvpportd.conf" \
        -Lf "$work/cvpportd.log" -p "$work/cvpportd.pid"
    cvp_wait "cvp_snmp snmpget $target -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[2-9]'" 100
    # the agent: its memory and CPU are cvpportd's (the monitor relays nothing over TCP)
    cvpd=$(cvp_agent_pid "$(cat "$work/cvpportd.pid")")
}

# The user cvpportd's agent process runs as when started as root (the Debian package makes it
# too): a system user that owns nothing. Made when missing (as root).
cvp_agent_user() {
    id -u _cvpportd >/dev/null 2>&1 || [ "$(id -u)" != 0 ] ||
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin _cvpportd
}
# CPU (user + system) the processes PID... have used, in clock ticks.
cvp_ticks() { local p t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
# cvpportd's agent process (the one that talks AgentX, keeps the snapshots and polls hosts) for
# the pid file's PID: started as root, that is the monitor and the agent is its child.
cvp_agent_pid() { local c; c=$(awk '{print $1}' "/proc/$1/task/$1/children" 2>/dev/null); echo "${c:-$1}"; }
# cvp_walk_cpu PID AGENT OID [table]: a full -Cr50 walk of OID (a snmpbulkwalk; with "table",
# snmptable, which asks for every column of a row at once) and what process PID spent on it:
# prints "VALUES US_PER_VALUE".
cvp_walk_cpu() {
    local pid=$1 agent=$2 oid=$3 c0 c1 n hz
    hz=$(getconf CLK_TCK)
    c0=$(cvp_ticks $pid) # (unquoted: one pid or several)
    if [ "${4:-}" = table ]; then
        n=$(MIBS="" snmptable -v2c -c public -Cr 50 -Cf , -CH -t 60 -r 0 -M "$CVP_MIBDIRS" -m CVP-PORT-MIB \
            "$agent" "$oid" 2>/dev/null | awk -F, 'NF {v += NF} END {print v + 0}')
    else
        n=$(MIBS="" snmpbulkwalk -v2c -c public -Cr50 -t 60 -r 0 "$agent" "$oid" 2>/dev/null | wc -l)
    fi
    c1=$(cvp_ticks $pid)
    awk -v n="$n" -v t=$((c1 - c0)) -v hz="$hz" 'BEGIN {printf "%d %.1f\n", n, n ? t * 1e6 / hz / n : 0}'
}
# cvp_own_walk_cpu OID [SNMPD.CONF LINE]: the same for a plain snmpd of its own (in $work),
# warm: the first walk loads its caches, the second is measured. With
# "dlmod cvpPortMIB .../cvpPortMIB.so" it serves cvpListenerTable in-process.
cvp_own_walk_cpu() {
    local oid=$1 out plain_udp
    plain_udp=$(cvp_free_port udp)
    printf 'agentaddress udp:127.0.0.1:%s\nrocommunity public 127.0.0.1\n%s\n' "$plain_udp" "${2:-}" \
        >"$work/plain.conf"
    MIBS="" snmpd -C -c "$work/plain.conf" -Lf /dev/null -p "$work/plain.pid" >/dev/null 2>&1
    cvp_wait "ss -lunH 'sport = :$plain_udp' | grep -q ." 100
    MIBS="" snmpbulkwalk -v2c -c public -Cr50 -t 60 -r 0 "127.0.0.1:$plain_udp" "$oid" >/dev/null 2>&1 || true
    out=$(cvp_walk_cpu "$(cat "$work/plain.pid")" "127.0.0.1:$plain_udp" "$oid")
    cvp_kill_pidfile "$work/plain.pid"
    echo "$out"
}
