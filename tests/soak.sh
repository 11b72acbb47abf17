#!/usr/bin/env bash
# Churn soak: for SECONDS (default 60), helpers open and close listeners at random (TCP and
# UDP; IPv4, IPv6, dual-stack, v6only, SO_REUSEPORT pairs; processes that exit while being
# attributed), named with hostile bytes (control characters, bytes >= 0x80, quotes,
# backslashes, %n, newlines), while walks of both tables loop, rows are read whole and
# checked for self-consistency, and `--check --json` must stay valid JSON. cvpportd must not
# crash, no walk may fail or go backwards, every value must be printable ASCII of at most 255
# bytes, and fds and RSS must stay flat.
# Usage: soak.sh BUILD_DIR [SECONDS]
. "$(dirname "$0")/it_lib.sh" "$1"
seconds=${2:-60}
helper=$CVP_BUILD/tests/listen_helper

agentx=$(cvp_free_port tcp 12000 12999) || exit 1
it_start_master || exit 1
printf 'cvpRefresh 1\ncvpTrapHoldDown 1\ncvpIgnore tcp 199\ncvpIgnore tcp %s\n' "$agentx" >"$work/cvpportd.conf"
ASAN_OPTIONS=${ASAN_OPTIONS:-}:quarantine_size_mb=1 \
    it_start_cvpportd "$work/cvpportd.conf"
pid=$!
it_pids+=($pid)
cvp_wait "[ -n \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | grep '^[1-9]')\" ]" 100 || {
    echo "cvpportd did not answer"; cat "$work/cvpportd.log"; exit 1; }

names=($'a\x01b' $'caf\xc3\xa9' 'q"uote' 'back\slash' '%n%n%s' $'new\nline' $'\x1b[31mred' $'\xff\xfe' 'java')
specs() { # one to three random listener specs
    local n=$((RANDOM % 3 + 1)) p proto addr
    for _ in $(seq 1 "$n"); do
        p=$((13000 + RANDOM % 3000))
        proto=$([ $((RANDOM % 2)) = 0 ] && echo tcp || echo udp)
        case $((RANDOM % 6)) in
        0) addr="0.0.0.0/$p" ;; 1) addr="127.0.0.1/$p" ;; 2) addr="::/$p,dual" ;;
        3) addr="::/$p,v6only" ;; 4) addr="::1/$p" ;;
        5) echo "$proto/127.0.0.1/$p,reuseport"; addr="127.0.0.1/$p,reuseport" ;;
        esac
        echo "$proto/$addr"
    done
}
end=$(($(date +%s) + seconds))
churn() {
    while [ "$(date +%s)" -lt "$end" ]; do
        mapfile -t s < <(specs)
        "$helper" -n "${names[RANDOM % ${#names[@]}]}" "${s[@]}" >/dev/null 2>&1 &
        local h=$!
        sleep "0.$((RANDOM % 9 + 1))"
        kill "$h" 2>/dev/null
        wait "$h" 2>/dev/null
    done
}
for _ in 1 2 3 4; do churn & it_pids+=($!); done
# One hostile name that stays for the whole soak, so that every walk meets one to escape,
# however few walks a loaded machine allows.
"$helper" -n $'caf\xc3\xa9\x01' "tcp/127.0.0.1/$((16001 + RANDOM % 999))" >/dev/null 2>&1 &
it_pids+=($!)

sleep 3
fds() { ls "/proc/$pid/fd" | wc -l; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$(cvp_agent_pid "$pid")/status"; } # the agent's
fd0=$(fds) rss0=$(rss)
walks=0 walk_errors=0 bad_values=0 escaped=0 rows_read=0 inconsistent=0 json_bad=0
# SECONDS of churn, and at least 12 walks however slow a loaded machine makes them (at most
# three times as long).
hard_end=$(($(date +%s) + 3 * seconds))
while { [ "$(date +%s)" -lt "$end" ] || [ "$walks" -lt 12 ]; } && [ "$(date +%s)" -lt "$hard_end" ]; do
    for table in cvpPortTable cvpListenerTable; do
        out=$(MIBS="" snmpbulkwalk -v2c -c public -M "$CVP_MIBDIRS" -m CVP-PORT-MIB -t 5 -r 1 \
            -OQn "$target" "CVP-PORT-MIB::$table" 2>"$work/walk.err")
        if [ $? != 0 ] || [ -s "$work/walk.err" ]; then
            walk_errors=$((walk_errors + 1)); cat "$work/walk.err" >&2
        fi
        # Strings: printable ASCII (what the tools print in quotes), at most 255 bytes.
        bad=$(echo "$out" | python3 -c '
import sys
bad = 0
for line in sys.stdin.buffer:
    v = line.rstrip(b"\n").split(b" = ", 1)[-1]
    if any(c < 0x20 or c > 0x7e for c in v) or len(v) > 257:
        bad += 1
print(bad)')
        bad_values=$((bad_values + bad))
        escaped=$((escaped + $(echo "$out" | grep -c '\\x[0-9a-f][0-9a-f]')))
        walks=$((walks + 1))
    done
    # One row read whole in one request (one snapshot): its state, count and verdict agree.
    i=$((RANDOM % CVP_ROWS + 1))
    row=$(cvp_snmp snmpget "$target" -Oqv "CVP-PORT-MIB::cvpPortState.$i" "CVP-PORT-MIB::cvpPortListenCount.$i" \
        "CVP-PORT-MIB::cvpPortCompliance.$i" "CVP-PORT-MIB::cvpPortLow.$i" "CVP-PORT-MIB::cvpPortHigh.$i" \
        "CVP-PORT-MIB::cvpPortStride.$i" | tr '\n' ' ')
    read -r state count verdict low high stride <<<"$row"
    size=$(((high - low) / stride + 1))
    ok=1
    case $state in
    notListening) [ "$count" = 0 ] || ok=0 ;;
    listening) [ "$count" = "$size" ] || ok=0 ;;
    partial) [ "$count" -gt 0 ] && [ "$count" -lt "$size" ] || ok=0 ;;
    *) ok=0 ;;
    esac
    case $verdict in
    forbidden | exposed | wrongOwner) [ "$count" -gt 0 ] || ok=0 ;;
    missing) [ "$count" -lt "$size" ] || ok=0 ;;
    esac
    [ "$ok" = 1 ] || { inconsistent=$((inconsistent + 1)); echo "inconsistent row $i: $row" >&2; }
    rows_read=$((rows_read + 1))
    if [ $((walks % 20)) = 0 ]; then
        "$CVP_BUILD/cvpportd" --check --json -C -c "$work/cvpportd.conf" 2>/dev/null |
            python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null || json_bad=$((json_bad + 1))
    fi
done
echo "# soak: $seconds s, $walks walks, $rows_read rows read whole, scans $(get CVP-PORT-MIB::cvpPortScanCount.0)"
check "cvpportd did not crash" yes "$(kill -0 "$pid" 2>/dev/null && echo yes || echo no)"
check "walks completed" yes "$([ "$walks" -gt 10 ] && echo yes || echo no)"
check "no walk failed or went backwards" 0 "$walk_errors"
check "every value printable ASCII of at most 255 bytes" 0 "$bad_values"
check "hostile names were seen, escaped ($escaped values)" yes "$([ "$escaped" -gt 0 ] && echo yes || echo no)"
check "every row self-consistent" 0 "$inconsistent"
check "--check --json stayed valid JSON" 0 "$json_bad"
sleep 2
fd1=$(fds) rss1=$(rss)
check "fds flat ($fd0 -> $fd1)" yes "$([ "$fd1" -le $((fd0 + 2)) ] && echo yes || echo no)"
# (In a sanitizer build the RSS is its allocator's, quarantine and caches; LeakSanitizer checks
# for leaks there. The plain build checks the RSS.)
if [ -z "$CVP_SANITIZED" ]; then
    check "RSS growth within 5% ($rss0 -> $rss1 kB)" yes "$([ "$rss1" -le $((rss0 * 105 / 100)) ] && echo yes || echo no)"
fi
it_done
