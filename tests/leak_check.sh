#!/usr/bin/env bash
# In the sanitizer build: the daemon, through registration, refreshes, notifications, remote
# hosts polled (one answering, one not, one in the middle of a poll at exit), a reload and
# SIGTERM, and `--check`, end LeakSanitizer-clean (detect_leaks=1): what cvpportd
# registers and allocates, it frees.
# Usage: leak_check.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1

agentx=$(cvp_free_port tcp 12000 16000) || exit 1
it_start_master || exit 1
dead=$(cvp_free_port udp)
printf 'cvpRefresh 1\nagentxPingInterval 1\ncvpTrapOnStart yes\ncvpTrapHoldDown 1\ncvpPortOwner ssh sshd\ncvpHostPoll 1\ncvpHost self %s vxml -v2c -c public -t 1 -r 0\ncvpHost dead 127.0.0.1:%s vxml -t 5 -r 0\n' \
    "$target" "$dead" >"$work/cvpportd.conf"
chmod 600 "$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf" 2>"$work/asan.txt"
pid=$!
cvp_wait "[ -n \"\$(get CVP-PORT-MIB::cvpPortScanCount.0 | grep '^[2-9]')\" ]" 100 || exit 1
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpHostReachability.1)\" = reachable ]" 100
check "a remote host polled (the master's own TCP-MIB)" reachable "$(get CVP-PORT-MIB::cvpHostReachability.1)"
cvp_snmp snmpbulkwalk "$target" CVP-PORT-MIB::cvpPortObjects >/dev/null
kill -HUP "$pid"
sleep 1.5
kill -TERM "$pid"
wait "$pid"
check "the daemon exits 0 after SIGTERM" 0 "$?"
check "no leak at the daemon's exit" 0 "$(grep -c 'LeakSanitizer' "$work/asan.txt")"
"$CVP_BUILD/cvpportd" --check -C -c "$work/cvpportd.conf" >/dev/null 2>"$work/asan-check.txt"
check "no leak in --check" 0 "$(grep -c 'LeakSanitizer' "$work/asan-check.txt")"
[ "$it_failures" = 0 ] || head -40 "$work/asan.txt" "$work/asan-check.txt"
it_done
