#!/usr/bin/env bash
# Integration: a process that names itself with a terminal escape sequence and non-ASCII bytes
# (prctl PR_SET_NAME) holds a listener; its name comes out of SNMP, `--check` and
# `--check --json` as printable ASCII, escaped as \xNN.
# Usage: integration_names.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

it_start_master || exit 1
port=$(cvp_free_port tcp 12000 16000)
name=$'caf\xc3\xa9\x1b[31mX'
escaped='caf\xc3\xa9\x1b[31mX'
"$CVP_BUILD/tests/listen_helper" -n "$name" "tcp/127.0.0.1/$port" >"$work/helper.out" 2>&1 &
it_pids+=($!)
cvp_wait "grep -q ready '$work/helper.out'" 50 || { cat "$work/helper.out"; exit 1; }
check "the kernel holds the raw name" "$(printf '%s' "$name" | od -An -tx1)" \
    "$(head -c -1 /proc/$!/comm | od -An -tx1)"

printf 'cvpRefresh 1\ncvpPortMove vxml-http %s\n' "$port" >"$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortState.5)\" = listening ]" 100 || {
    echo "cvpportd did not answer; its log:"; cat "$work/cvpportd.log"; exit 1; }

# The value as the tools print it: the escaped form exactly, nothing but printable ASCII.
value() { cvp_snmp snmpget "$target" -Oqv "$1" | sed 's/^"//; s/"$//'; }
v_port=$(value CVP-PORT-MIB::cvpPortProcessName.5)
v_listener=$(value ".1.3.6.1.4.1.8072.9999.9999.7161.1.3.1.6.1.1.4.127.0.0.1.$port")
check "cvpPortProcessName is the escaped name" "$escaped" "$v_port"
check "cvpListenerProcessName is the escaped name" "$escaped" "$v_listener"
check "the values are printable ASCII" 0 "$(printf '%s\n%s\n' "$v_port" "$v_listener" | LC_ALL=C grep -c '[^[:print:]]')"

# --check: the table line of the row, printable, with the escaped name.
"$CVP_BUILD/cvpportd" --check -C -c "$work/cvpportd.conf" >"$work/check.txt" 2>&1
check "--check prints only printable ASCII" 0 "$(LC_ALL=C grep -c '[^[:print:]]' "$work/check.txt")"
check "--check shows the escaped name" 1 "$(grep -cF "$escaped/" "$work/check.txt")"

"$CVP_BUILD/cvpportd" --check --json -C -c "$work/cvpportd.conf" >"$work/check.json" 2>/dev/null
check "--check --json prints only printable ASCII" 0 "$(LC_ALL=C grep -c '[^[:print:]]' "$work/check.json")"
check "--check --json is valid JSON and holds the escaped name" yes "$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
names = [l["process"] for l in doc["listeners"] if l["port"] == int(sys.argv[2])]
print("yes" if names == [sys.argv[3]] else "no: %r" % names)' "$work/check.json" "$port" "$escaped")"
it_done
