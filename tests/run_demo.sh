#!/usr/bin/env bash
# scripts/run.sh as a newcomer meets it, in a private network namespace (nothing of the host's
# listening) with a state directory of the test's: its own snmpd makes no finding (no SMUX
# listener), the table shows address and process for what listens, there is no unexpected
# listener, and it ends with the configuration file it uses and the next steps. A listener of
# the test's on vxml-tomcat's port on 0.0.0.0 is shown exposed, with address and process.
# Usage: run_demo.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
[ "$(id -u)" = 0 ] || { echo "1..0 # skip: needs root (network namespace)"; exit 0; }
it_private_net "$0" "$1"
export CVP_RUN_STATE=$work/run
trap 'bash "$CVP_TOP/scripts/run.sh" stop >/dev/null 2>&1; it_cleanup' EXIT

bash "$CVP_TOP/scripts/run.sh" >"$work/out" 2>&1
check "run.sh: exit 0" 0 "$?"
[ -z "${CVP_DEBUG:-}" ] || cat "$work/out"
table=$(sed -n '/^INDEX NAME/,/^$/p' "$work/out")
check "the table has every row" "$CVP_ROWS" "$(echo "$table" | grep -cE '^[0-9]+ ')"
check "no finding of its own: nothing exposed, forbidden or held by the wrong owner" 0 \
    "$(echo "$table" | grep -cE ' (exposed|forbidden|wrongOwner) ')"
check "no unexpected listener" 1 "$(sed -n '/^== Unexpected listeners/,/^$/p' "$work/out" | grep -c '^(none)$')"
check "its snmpd's port with address and process" 1 \
    "$(echo "$table" | grep -cE '^39 +snmp-agent +udp +161 +listening +compliant +127\.0\.0\.1 +snmpd/[0-9]+$')"
check "it names the configuration file it uses" 1 "$(grep -c "reads $CVP_RUN_STATE/cvpportd.conf" "$work/out")"
check "and the next steps: roles, reload, --doctor" 3 \
    "$(grep -cE "cvpRoles callserver|kill -HUP|--doctor" "$work/out")"

"$CVP_BUILD/tests/listen_helper" tcp/0.0.0.0/7005 >/dev/null &
it_pids+=($!)
target=127.0.0.1:$(cat "$CVP_RUN_STATE/ports")
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCompliance.7)\" = exposed ]" 150
bash "$CVP_TOP/scripts/run.sh" >"$work/out2" 2>&1
check "run again: exposed, with the address and process" 1 \
    "$(grep -cE '^7 +vxml-tomcat +tcp +7005 +listening +exposed +0\.0\.0\.0 +listen_helper/[0-9]+$' "$work/out2")"
it_done
