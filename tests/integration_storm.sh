#!/usr/bin/env bash
# Integration: notifications converge after a storm. 500 unexpected listeners and 10 required
# rows' listeners flap (each opens and closes every 0.3-3 s) for 60 s with the default rate
# limit (20 in 10 s) and hold-down 2 at a 1 s refresh, then everything closes and the test waits (at most
# 4 minutes) until the notifications have settled. Then, through a real master and snmptrapd: the notifications received equal
# cvpPortNotificationsSent; no listener got the same kind twice in a row; every listener's last
# notification is its clear; every row's last cvpPortComplianceChange carries its current
# verdict. Prints how long after the storm the last notification came (README's figure).
# Usage: integration_storm.sh BUILD_DIR [STORM_SECONDS QUIET_SECONDS]
. "$(dirname "$0")/it_lib.sh" "$1"
storm=${2:-60} quiet=${3:-240}

it_start_trapd || exit 1
agentx=$(cvp_free_port tcp 16001 19000) || exit 1
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$trapport public" it_start_master || exit 1

# 510 ports in 12000-16000 (no catalogue row there, not ephemeral): the first 10 carry ten
# required single-port rows, the rest are unexpected listeners.
base=$((12000 + RANDOM % 3400))
rows="vxml-http vxml-https vxml-jmx wsm-8110 wsm-8111 wsm-10001 wsm-10002 callserver-jmx sip-tcp vxml-was"
{
    printf 'cvpRefresh 1\ncvpRoles callserver,vxml,common\nagentxPingInterval 1\n'
    printf 'cvpIgnore tcp 199\ncvpIgnore tcp %s\n' "$agentx"
    i=0
    for r in $rows; do printf 'cvpPortMove %s %s\n' "$r" $((base + i)); i=$((i + 1)); done
} >"$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | tr -dc 0-9)\" -ge 3 ]" 100 || {
    echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }

# What is unexpected before the storm (snmptrapd's port, say) is what is left after it.
unexpected_before=$(get CVP-PORT-MIB::cvpPortUnexpectedCount.0)
# The storm: one process, every port on its own random cadence; ports it cannot bind are left
# out. Ends with every listener closed.
python3 -c '
import random, socket, sys, time
base, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks, due = {}, {}
now = time.monotonic()
for p in range(base, base + count):
    due[p] = now + random.uniform(0, 3)
end = now + seconds
while time.monotonic() < end:
    now = time.monotonic()
    for p, t in due.items():
        if t > now:
            continue
        if p in socks:
            socks.pop(p).close()
        else:
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", p)); s.listen(1); socks[p] = s
            except OSError:
                s.close()
        due[p] = now + random.uniform(0.3, 3)
    time.sleep(0.05)
for s in socks.values():
    s.close()
print("over", flush=True)' "$base" 510 "$storm" >"$work/storm.out" 2>&1 &
it_pids+=($!)
storm_pid=$!
wait "$storm_pid"
ended=$(date +%s)
# Converged: every notification sent has arrived, no listener of the storm's is left, and nothing more
# was sent for longer than a rate-limit window (10 s) and the hold-down: a backlog still held by
# the limit would have gone out by then. Bounded by QUIET_SECONDS.
settled() {
    local sent now_sent stable=0
    while [ $((SECONDS - t_start)) -lt "$quiet" ]; do
        now_sent=$(get CVP-PORT-MIB::cvpPortNotificationsSent.0)
        if [ "$now_sent" = "${sent:-}" ] && [ "$(get CVP-PORT-MIB::cvpPortUnexpectedCount.0)" = "$unexpected_before" ] &&
            [ "$(grep -c '^CVP-PORT-MIB::cvpPort' "$traps")" = "$now_sent" ]; then
            stable=$((stable + 1))
            [ "$stable" -ge 15 ] && return 0
        else
            stable=0
        fi
        sent=$now_sent
        sleep 1
    done
    return 1
}
t_start=$SECONDS
settled
check "converged within $quiet s of the storm's end" 0 "$?"

sent=$(get CVP-PORT-MIB::cvpPortNotificationsSent.0)
suppressed=$(get CVP-PORT-MIB::cvpPortNotificationsSuppressed.0)
received=$(grep -c '^CVP-PORT-MIB::cvpPort' "$traps")
check "the storm reached the rate limit" yes "$([ "${suppressed:-0}" -gt 0 ] && echo yes || echo "no ($suppressed)")"
check "notifications received = cvpPortNotificationsSent" "$sent" "$received"
# Per object: the sequence of kinds (listeners, by port) and the last verdict sent (rows).
python3 - "$traps" "$base" >"$work/verdict.txt" <<'PY'
import re, sys
traps, base = sys.argv[1], int(sys.argv[2])
last, twice, rows = {}, [], {}
for line in open(traps):
    kind = line.split(" ", 1)[0].split("::")[-1]
    if kind in ("cvpPortUnexpectedListener", "cvpPortUnexpectedListenerGone"):
        m = re.search(r"cvpListenerProcessId\.tcp\.ipv4\.\"127\.0\.0\.1\"\.(\d+)=", line)
        port = int(m.group(1))
        if last.get(port) == kind:
            twice.append(port)
        last[port] = kind
    elif kind == "cvpPortComplianceChange":
        m = re.search(r"cvpPortCompliance\.(\d+)=(\w+)", line)
        rows[int(m.group(1))] = m.group(2).split("(")[0]
stale = [p for p, k in last.items() if k != "cvpPortUnexpectedListenerGone"]
print("twice", len(twice))
print("stale_listeners", len(stale))
print("announced_listeners", len(last))
for r, v in sorted(rows.items()):
    print("row", r, v)
PY
check "no listener got the same kind twice in a row" 0 "$(awk '$1 == "twice" {print $2}' "$work/verdict.txt")"
check "every announced listener got its clear" 0 "$(awk '$1 == "stale_listeners" {print $2}' "$work/verdict.txt")"
stale_rows=0 nrows=0
while read -r _ row value; do
    nrows=$((nrows + 1))
    now=$(get "CVP-PORT-MIB::cvpPortCompliance.$row")
    [ "$now" = "$value" ] || { echo "row $row: last sent $value, now $now"; stale_rows=$((stale_rows + 1)); }
done < <(grep '^row ' "$work/verdict.txt")
check "every row's last notification is its verdict" 0 "$stale_rows"
check "rows were announced too" yes "$([ "$nrows" -ge 1 ] && echo yes || echo "no ($nrows)")"
last_at=$(stat -c %Y "$traps")
echo "# storm: $received notifications ($(awk '$1 == "announced_listeners" {print $2}' "$work/verdict.txt") listeners" \
    "and $nrows rows announced), $suppressed held back by the limit; the last arrived" \
    "$((last_at - ended)) s after the storm ended"
it_done
