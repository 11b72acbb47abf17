#!/usr/bin/env bash
# cvpportd without SNMP: --check exit codes and output, configuration errors naming file and
# line, --version, and the fallback to /proc/net on a host without sock_diag (an LD_PRELOAD
# shim refuses AF_NETLINK sockets).
# Usage: cli_check.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
bin=$CVP_BUILD/cvpportd
shim=$CVP_BUILD/tests/no_netlink_preload.so
# A sanitizer runtime must come first; the shim is loaded after it on purpose.
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0

check "--version" "cvpportd" "$("$bin" --version | cut -d' ' -f1)"
"$bin" --no-such-option >/dev/null 2>&1
check "an unknown option exits 1" 1 "$?"

# Configuration errors name the file and the line; --check then exits 3 (unknown) without
# scanning, with a plugin status line.
cat >"$work/bad.conf" <<'CONF'
cvpRefresh 5
# a comment
cvpPortMove sip-udp 70000
cvpPort x tcp 1 all required sideways mgmt "X"
cvpPortRequir telnet forbidden
agentXSocket tcp:127.0.0.1:1
CONF
out=$("$bin" --check -C -c "$work/bad.conf" 2>&1)
check "configuration error exit code" 3 "$?"
check "error names file and line 3" 1 "$(echo "$out" | grep -c "^$work/bad.conf:3: bad port set '70000'")"
check "error names file and line 4" 1 "$(echo "$out" | grep -c "^$work/bad.conf:4: bad direction 'sideways'")"
check "a misspelled directive is an error" 1 "$(echo "$out" | grep -c "^$work/bad.conf:5: unknown directive 'cvpPortRequir'")"
check "net-snmp's own directives are accepted" 0 "$(echo "$out" | grep -c "agentXSocket")"
check "status line counts the errors" 1 "$(echo "$out" | grep -c '^CVP-PORT UNKNOWN - 3 configuration error')"

# --check-config: exit 1 with every error, or 0 with the effective catalogue.
out=$("$bin" --check-config -C -c "$work/bad.conf" 2>&1)
check "--check-config on errors exits 1" 1 "$?"
check "--check-config lists every error" 3 "$(echo "$out" | grep -c "^$work/bad.conf:[345]: ")"
for f in /dev/zero "$work" /nonexistent/cvpportd.conf; do
    out=$(timeout 10 "$bin" --check-config -C -c "$f" 2>&1)
    check "--check-config refuses $f" 1 "$?"
    check "and says why" 1 "$(echo "$out" | grep -c "^$f: \(not a regular file\|cannot open\)")"
done
mkfifo "$work/fifo"
out=$(timeout 10 "$bin" --check -C -c "$work/fifo" 2>&1)
check "--check does not hang on a FIFO" 3 "$?"
head -c 3000 /dev/urandom >"$work/garbage.conf"
printf '\0' >>"$work/garbage.conf"
out=$("$bin" --check-config -C -c "$work/garbage.conf" 2>&1)
check "binary garbage is refused" 1 "$?"
check "without echoing raw bytes" 0 "$(echo "$out" | LC_ALL=C grep -c '[^[:print:]]')"

# The daemon refuses an invalid configuration before it connects anywhere: a listener that
# stands for the master sees no connection.
master_port=$(cvp_free_port tcp 12000 16000)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); s.settimeout(4)
print("ready", flush=True)
try:
    s.accept(); print("connected")
except socket.timeout:
    print("no connection")' "$master_port" >"$work/master.out" &
it_pids+=($!)
cvp_wait "grep -q ready '$work/master.out'" 50
"$bin" -f -x "tcp:127.0.0.1:$master_port" -C -c "$work/bad.conf" -Lf "$work/refused.log" -p "$work/refused.pid"
check "invalid configuration at start: exit 1" 1 "$?"
check "it says why" 1 "$(grep -c 'configuration error(s); not starting' "$work/refused.log")"
cvp_wait "grep -q 'connection' '$work/master.out'" 60
check "and connected nowhere" "no connection" "$(tail -1 "$work/master.out")"
check "no pid file left" no "$([ -e "$work/refused.pid" ] && echo yes || echo no)"

# A good configuration: the table, the summary and exit 2 (required rows missing here).
printf 'cvpRoles callserver\ncvpPortRequire telnet forbidden\n' >"$work/good.conf"
out=$("$bin" --check -C -c "$work/good.conf")
check "exit code with missing rows" 2 "$?"
check "header line" 1 "$(echo "$out" | grep -c '^INDEX  NAME')"
check "every catalogue row listed" "$CVP_ROWS" "$(echo "$out" | grep -cE '^ +[0-9]+  ')"
check "roles from the configuration" 1 "$(echo "$out" | head -1 | grep -c 'roles callserver; source netlink |')"
# The first line as Nagios, Icinga and Checkmk read it: status, summary, perfdata.
check "first line is a plugin status line with valid perfdata" "CRITICAL 2" "$(echo "$out" | head -1 | python3 -c '
import re, sys
line = sys.stdin.readline().rstrip("\n")
m = re.fullmatch(r"CVP-PORT (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+) \| (.+)", line)
if not m:
    print("not a status line: " + line); sys.exit()
perf = m.group(3).split(" ")
pat = re.compile(r"([^=\x27 ]+)=(-?[0-9.]+)([a-zA-Z%]*)((;[0-9.:~@-]*){0,4})")
bad = [p for p in perf if not pat.fullmatch(p)]
labels = [p.split("=")[0] for p in perf]
want = ["compliant", "violations", "unexpected", "scan_us"]
print(m.group(1), int(re.match(r"violations=([0-9]+)", perf[1]).group(1)) > 0 and 2 or 0
      if not bad and labels == want else "bad perfdata %r" % perf)')"
check "off-role rows are notApplicable" 1 "$(echo "$out" | grep -cE '^ +5  vxml-http .*notApplicable')"

out=$("$bin" --check --json -C -c "$work/good.conf")
check "--json exit code" 2 "$?"
check "--json is one object with every row" "$CVP_ROWS" "$(echo "$out" | grep -c '^  {"index": ')"
"$bin" --json >/dev/null 2>&1
check "--json without --check is refused" 1 "$?"

# Each finding comes with what it means and the usual remedy, in README's words. One host with
# every kind: vxml-tomcat forbidden yet listening, vxml-admin (loopback only) on 0.0.0.0,
# vxml-http held against its owner rule, a listener no row covers, the other vxml rows missing.
helper=$CVP_BUILD/tests/listen_helper
p1=$(cvp_free_port tcp) p2=$(cvp_free_port tcp) p3=$(cvp_free_port tcp) p4=$(cvp_free_port tcp)
printf 'cvpRoles vxml\ncvpPortMove vxml-tomcat %s\ncvpPortRequire vxml-tomcat forbidden\ncvpPortMove vxml-http %s\ncvpPortOwner vxml-http nosuch\ncvpPortMove vxml-admin %s\n' \
    "$p1" "$p2" "$p4" >"$work/findings.conf"
"$helper" "tcp/0.0.0.0/$p1" "tcp/127.0.0.1/$p2" "tcp/127.0.0.1/$p3" "tcp/0.0.0.0/$p4" >/dev/null &
hp=$!
cvp_wait "ss -ltnH 'sport = :$p4' | grep -q ." 50
out=$("$bin" --check -C -c "$work/findings.conf" 2>/dev/null)
kill $hp
wait $hp 2>/dev/null
check "What to do follows the table" 1 "$(echo "$out" | grep -c '^What to do:$')"
check "exposed: bind to loopback" 1 "$(echo "$out" | grep -c '^  exposed: .*Bind it to 127.0.0.1')"
for v in missing exposed forbidden wrongOwner unexpected; do
    text=$(echo "$out" | grep -m1 "^  $v: " | sed "s/^  $v: //")
    check "$v: a remedy, and README gives the same" "1 1" \
        "$([ -n "$text" ] && echo 1 || echo 0) $(grep -cF -- "$text" "$CVP_TOP/README.md")"
done
printf 'cvpRoles mgmt\ncvpIgnore tcp 1-65535\ncvpIgnore udp 1-65535\n' >"$work/quiet.conf"
check "nothing to do on a compliant host" 0 "$("$bin" --check -C -c "$work/quiet.conf" 2>/dev/null | grep -c '^What to do')"

# Only roles nothing is required of, every listener ignored: compliant, exit 0.
printf 'cvpRoles mgmt\ncvpIgnore tcp 1-65535\ncvpIgnore udp 1-65535\n' >"$work/ok.conf"
"$bin" --check -C -c "$work/ok.conf" >/dev/null
check "compliant host exits 0" 0 "$?"

# No sock_diag: auto falls back to /proc/net, logs it once, and says so.
out=$(LD_PRELOAD=$shim "$bin" --check -C -c "$work/good.conf" 2>&1)
check "fallback exit code unchanged" 2 "$?"
check "fallback source is procfs" 1 "$(echo "$out" | grep '^CVP-PORT' | grep -c 'source procfs |')"
check "fallback logged" 1 "$(echo "$out" | grep -c 'sock_diag netlink unavailable')"
printf 'cvpScanSource netlink\n' >"$work/netlink.conf"
out=$(LD_PRELOAD=$shim "$bin" --check -C -c "$work/netlink.conf" 2>&1)
check "netlink forced without sock_diag: unknown" 3 "$?"
check "netlink forced: scan failed" 1 "$(echo "$out" | grep -c '^CVP-PORT UNKNOWN - socket scan failed')"

# The daemon logs the fallback once however many refreshes follow.
printf 'cvpRefresh 1\n' >"$work/daemon.conf"
port=$(cvp_free_port tcp)
LD_PRELOAD=$shim "$bin" -f -x "tcp:127.0.0.1:$port" -C -c "$work/daemon.conf" -Lf "$work/daemon.log" \
    -p "$work/cvpportd.pid" &
it_pids+=($!)
sleep 3.5
cvp_kill_pidfile "$work/cvpportd.pid"
check "fallback logged once over several refreshes" 1 "$(grep -c 'sock_diag netlink unavailable' "$work/daemon.log")"

# Not root: other users' /proc/PID/fd cannot be read. That is counted and said once, and
# root's listener shows no process.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    # The checkout may be where other users cannot go (/root, a mktemp -d): the unprivileged
    # run uses a copy of the binary in the work directory, which everyone may enter.
    chmod 755 "$work"
    mkdir -m 1777 "$work/nobody"
    cp "$bin" "$work/cvpportd-copy"
    chmod 755 "$work/cvpportd-copy"
    lport=$(cvp_free_port tcp 12000 16000)
    "$CVP_BUILD/tests/listen_helper" "tcp/0.0.0.0/$lport" >"$work/helper.out" 2>&1 &
    it_pids+=($!)
    cvp_wait "grep -q ready '$work/helper.out'" 50
    as_nobody() {
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$work/nobody" \
            SNMP_PERSISTENT_DIR="$work/nobody" "$work/cvpportd-copy" "$@" 2>&1
    }
    out=$(as_nobody --check -C -c "$work/ok.conf")
    code=$?
    check "unreadable /proc/PID/fd is reported once" 1 "$(echo "$out" | grep -c 'are not readable')"
    check "exit code as another user" 0 "$code"
    check "as another user, root's listener is listed without a process" 1 \
        "$(as_nobody --check --json -C -c "$work/ok.conf" | grep -c "\"port\": $lport, \"pid\": 0, \"process\": \"\"")"
    check "as root, with its process" 1 \
        "$("$bin" --check --json -C -c "$work/ok.conf" | grep -c "\"port\": $lport, \"pid\": [1-9][0-9]*, \"process\": \"listen_helper\"")"
    # A /proc mounted with hidepid=2 (in a mount namespace of this test's: the host's /proc is
    # untouched) hides root's processes from nobody: root's listener is unattributed, and one
    # line says why.
    out=$(unshare -m --propagation private sh -c 'mount -t proc -o hidepid=2 proc /proc && exec "$@"' sh \
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$work/nobody" \
        SNMP_PERSISTENT_DIR="$work/nobody" "$work/cvpportd-copy" --check --json -C -c "$work/ok.conf" 2>&1)
    if echo "$out" | grep -q '"unattributed"'; then
        check "hidepid: said once" 1 "$(echo "$out" | grep -c "hides other users' processes (hidepid)")"
        check "hidepid: root's listener is unattributed" yes "$(echo "$out" | sed -n '/^{/,$p' | python3 -c '
import json, sys
print("yes" if json.load(sys.stdin)["unattributed"] >= 1 else "no")')"
    else
        echo "# hidepid: no mount namespace here ($out)"
    fi
fi

# Owner rules, as a hostile local user would test them: user nobody names a process "java" and
# takes a required port. Without a rule the row is compliant; with "java root" it is not.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    cp "$CVP_BUILD/tests/listen_helper" "$work/listen_helper-copy"
    chmod 755 "$work/listen_helper-copy"
    oport=$(cvp_free_port tcp 12000 16000)
    setpriv --reuid=65534 --regid=65534 --clear-groups "$work/listen_helper-copy" -n java \
        "tcp/127.0.0.1/$oport" >"$work/java.out" 2>&1 &
    it_pids+=($!)
    cvp_wait "grep -q ready '$work/java.out'" 50
    printf 'cvpRoles common\ncvpPortMove wsm-10001 %s\n' "$oport" >"$work/owner.conf"
    verdict() { "$bin" --check --json -C -c "$work/owner.conf" | python3 -c '
import json, sys
print([p["compliance"] for p in json.load(sys.stdin)["ports"] if p["name"] == "wsm-10001"][0])'; }
    check "nobody's java on a required port, no rule: compliant" compliant "$(verdict)"
    echo "cvpPortOwner wsm-10001 java root" >>"$work/owner.conf"
    check "with cvpPortOwner wsm-10001 java root: wrongOwner" wrongOwner "$(verdict)"
    out=$("$bin" --check -C -c "$work/owner.conf")
    check "--check exits critical on a wrong owner" 2 "$?"
    check "and shows the intruder" 1 "$(echo "$out" | grep -cE "^ +37  wsm-10001 .*wrongOwner +127.0.0.1 +java/")"
fi

it_done
