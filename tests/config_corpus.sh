#!/usr/bin/env bash
# The malformed-line corpus: every line of tests/fixtures/malformed.conf has one problem, and
# `cvpportd --check-config` must report each with its own message, file and line (listed in
# malformed.expected), and nothing else. Then a file of 10,000 valid rows is accepted (and
# timed), and a file cvpportd may not read is refused with a clear error. Then what lies
# outside the strict reader: includeFile/includeDir/includeSearch are refused (a FIFO, a loop
# or a root-only file are never opened, nothing of them is logged); a file or directory that
# another user may write is refused (StrictModes); net-snmp's own persistent cvpportd.conf is
# never read. A cvpHost line that holds an SNMP secret is refused in a file others can read, and
# the secret never shows in --check-config's output or its messages.
# Usage: config_corpus.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
bin=$CVP_BUILD/cvpportd
fixtures=$(cd "$(dirname "$0")/fixtures" && pwd)
corpus=$fixtures/malformed.conf

out=$("$bin" --check-config -C -c "$corpus" 2>&1)
check "the corpus is refused: exit 1" 1 "$?"
expected=$(grep -c . "$fixtures/malformed.expected")
check "at least 30 malformed lines" yes "$([ "$expected" -ge 30 ] && echo yes || echo no)"
while IFS=$'\t' read -r line msg; do
    check "line $line: $msg" 1 "$(echo "$out" | grep -cF "$corpus:$line: $msg")"
done <"$fixtures/malformed.expected"
check "one error per malformed line, and no other" "$expected" "$(echo "$out" | grep -c "^$corpus:")"
check "the summary counts them" 1 "$(echo "$out" | grep -c "^cvpportd: $expected configuration error(s)$")"
check "nothing but printable ASCII comes back" 0 "$(echo "$out" | LC_ALL=C grep -c '[^[:print:]]')"

# 10,000 valid rows: accepted.
big=$work/big.conf
for i in $(seq 1 10000); do
    echo "cvpPort gen$i tcp $((10000 + i)) all optional inbound mgmt \"generated row $i\" \"\" \"\""
done >"$big"
t0=$(date +%s%N)
out=$("$bin" --check-config -C -c "$big" 2>&1)
rc=$?
t1=$(date +%s%N)
check "10,000 valid rows are accepted" 0 "$rc"
check "and listed" "$((10000 + CVP_ROWS))" "$(echo "$out" | grep -cE '^ *[0-9]+  ')"
echo "# --check-config of 10,000 rows: $(((t1 - t0) / 1000000)) ms"

# A file cvpportd may not read.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chmod 755 "$work"
    cp "$bin" "$work/cvpportd-copy"
    printf 'cvpRefresh 5\n' >"$work/secret.conf"
    chmod 600 "$work/secret.conf"
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ SNMP_PERSISTENT_DIR="$work" \
        "$work/cvpportd-copy" --check-config -C -c "$work/secret.conf" 2>&1)
    check "an unreadable file: exit 1" 1 "$?"
    check "with a clear error" 1 "$(echo "$out" | grep -c "^$work/secret.conf: cannot open: Permission denied")"
fi
# Inclusions: refused with file and line, before anything is opened.
mkfifo "$work/fifo.conf"
printf 'secret-hash $6$abc$def\n' >"$work/shadow-like"
chmod 600 "$work/shadow-like"
printf 'cvpRefresh 5\nincludeFile %s\nincludeDir %s\nINCLUDEFILE %s\nincludeSearch snmpd.conf\n' \
    "$work/fifo.conf" "$work" "$work/shadow-like" >"$work/incl.conf"
out=$(timeout 10 "$bin" --check-config -C -c "$work/incl.conf" 2>&1)
check "inclusions: exit 1" 1 "$?"
for l in 2 3 4 5; do
    check "inclusion at line $l refused with file and line" 1 \
        "$(echo "$out" | grep -c "^$work/incl.conf:$l: [iI][nN][cC][lL][uU][dD][eE][a-zA-Z]*: cvpportd's configuration files may not include others")"
done
check "nothing of an included file is echoed" 0 "$(echo "$out" | grep -c 'secret-hash')"
port=$(cvp_free_port tcp)
timeout 10 "$bin" -f -x "tcp:127.0.0.1:$port" -C -c "$work/incl.conf" -Lf "$work/incl.log" -p "$work/incl.pid"
check "the daemon refuses to start on an inclusion (no FIFO wait)" 1 "$?"
check "and logs nothing of the included file" 0 "$(grep -c 'secret-hash' "$work/incl.log")"
out=$(printf 'cvpRefresh 5\nincludeFile %s\n' "$work/incl.conf" >"$work/loop.conf"; "$bin" --check -C -c "$work/loop.conf" 2>&1)
check "an include loop: --check unknown" 3 "$?"

# StrictModes: a file or a directory above it that others may write is refused.
mkdir -m 700 "$work/strict"
printf 'cvpRefresh 5\n' >"$work/strict/ok.conf"
chmod 644 "$work/strict/ok.conf"
"$bin" --check-config -C -c "$work/strict/ok.conf" >/dev/null 2>&1
check "a file of root's, mode 0644, in a 0700 directory: accepted" 0 "$?"
chmod 666 "$work/strict/ok.conf"
out=$("$bin" --check-config -C -c "$work/strict/ok.conf" 2>&1)
check "mode 0666: refused" 1 "$?"
check "with why" 1 "$(echo "$out" | grep -c "^$work/strict/ok.conf: owned by uid 0 with mode 0666: writable by others")"
chmod 644 "$work/strict/ok.conf"
chmod 777 "$work/strict"
out=$("$bin" --check-config -C -c "$work/strict/ok.conf" 2>&1)
check "a 0777 directory: refused" 1 "$?"
check "naming the directory" 1 "$(echo "$out" | grep -c "^$work/strict/ok.conf: directory $work/strict is writable by others")"
chmod 700 "$work/strict"
if [ "$(id -u)" = 0 ]; then
    chown 65534 "$work/strict/ok.conf"
    out=$("$bin" --check-config -C -c "$work/strict/ok.conf" 2>&1)
    check "a file owned by nobody: refused" 1 "$?"
    check "with its owner" 1 "$(echo "$out" | grep -c "owned by uid 65534 with mode 0644")"
    chown 0 "$work/strict/ok.conf"
    "$bin" -f -x "tcp:127.0.0.1:$port" -C -c "$work/strict/ok.conf" -Lf "$work/strict.log" \
        -p "$work/strict.pid" &
    it_pids+=($!)
    # started (its configuration read), then the file opened up, then a reload
    cvp_wait "[ -s '$work/strict.pid' ] && grep -q 'cvpportd .* started' '$work/strict.log'" 100
    chmod 666 "$work/strict/ok.conf"
    kill -HUP "$(cat "$work/strict.pid")"
    cvp_wait "grep -q 'reload refused' '$work/strict.log'" 100
    check "a reload of a file made writable by others is refused" 1 "$(grep -c 'reload refused' "$work/strict.log")"
    cvp_kill_pidfile "$work/strict.pid"
fi

# net-snmp's persistent cvpportd.conf (its own state file, in a directory the service writes)
# is not read: only the configuration path and -c files are.
mkdir -p "$work/home" "$work/persist2"
echo "cvpRoles windows" >"$work/persist2/cvpportd.conf"
check "a persistent cvpportd.conf is not applied" no "$(HOME=$work/home SNMP_PERSISTENT_DIR=$work/persist2 \
    "$bin" --check --json 2>/dev/null | grep -q '"roles": "windows"' && echo yes || echo no)"
# Secrets (cvpHost's SNMP options): only in a file others cannot read, never shown.
printf 'cvpHost cs1 10.0.0.5 callserver,windows -v2c -c s3cr3tcomm\ncvpHost cs2 udp:10.0.0.6:1161 vxml -v3 -u mon -l authPriv -a SHA -Aauthpass99 -x AES -X privpass99\ncvpHost open1 10.0.0.7 vxml -v2c\ncvpHostPoll 120\ncvpHostPoll 30 cs2\ncvpHostRowLimit 5000 cs1\ncvpHostEphemeral cs1 1025-5000\ncvpHostIgnore open1 tcp 4444\ncvpHostIgnore open1 udp 1900 10.0.0.7\n' \
    >"$work/strict/hosts.conf"
chmod 644 "$work/strict/hosts.conf"
out=$("$bin" --check-config -C -c "$work/strict/hosts.conf" 2>&1)
check "secrets in a file others can read (0644): refused" 1 "$?"
check "each line with a secret, with file and line" 2 \
    "$(echo "$out" | grep -cE "^$work/strict/hosts.conf:[12]: cvpHost holds an SNMP secret, and the file can be read by others \(mode 0644")"
check "a host without a secret is not an error" 0 "$(echo "$out" | grep -c "hosts.conf:3:")"
check "no secret in the messages" 0 "$(echo "$out" | grep -cE 's3cr3tcomm|authpass99|privpass99')"
chmod 600 "$work/strict/hosts.conf"
out=$("$bin" --check-config -C -c "$work/strict/hosts.conf" 2>&1)
check "mode 0600: accepted" 0 "$?"
check "the hosts listed with their poll intervals and row limits, secrets masked" "host cs1 10.0.0.5 callserver,windows every 120s, at most 5000 rows, ephemeral 1025-5000 -v2c -c ****|host cs2 udp:10.0.0.6:1161 vxml every 30s, at most 100000 rows -v3 -u mon -l authPriv -a SHA -A**** -x AES -X ****|host open1 10.0.0.7 vxml every 120s, at most 100000 rows -v2c" \
    "$(echo "$out" | grep '^host ' | grep -v ' ignores ' | paste -sd'|')"
check "a host's own ignores listed" "host open1 ignores tcp 4444|host open1 ignores udp 1900 10.0.0.7" \
    "$(echo "$out" | grep '^host open1 ignores' | paste -sd'|')"
check "no secret in --check-config" 0 "$(echo "$out" | grep -cE 's3cr3tcomm|authpass99|privpass99')"
# a secret is what net-snmp's parser takes as one, in any spelling; options that change the
# whole daemon (logging, debugging, net-snmp's defaults) or words that are no option are refused
printf 'cvpHost k1 10.0.0.8 vxml -v3 -u mon -l authNoPriv -a SHA -3 k 0xfeedfacefeedfacefeedfacefeedface01020304\ncvpHost k2 10.0.0.9 vxml -v2c -dc hidden99\ncvpHost k3 10.0.0.10 vxml -v2c -c x -Lf /etc/shadow\ncvpHost k4 10.0.0.11 vxml -v2c --defCommunity=hidden98\n' \
    >"$work/strict/spell.conf"
chmod 644 "$work/strict/spell.conf"
out=$("$bin" --check-config -C -c "$work/strict/spell.conf" 2>&1)
check "a key given as -3 k VALUE, in a file others can read: refused" 1 \
    "$(echo "$out" | grep -c "spell.conf:1: cvpHost holds an SNMP secret, and the file can be read by others")"
chmod 600 "$work/strict/spell.conf"
out=$("$bin" --check-config -C -c "$work/strict/spell.conf" 2>&1)
check "-dc (a cluster): refused, -d changes the whole process" 1 "$(echo "$out" | grep -c "spell.conf:2: cvpHost k2: its SNMP options: -d: an option that changes the whole process")"
check "-Lf FILE: refused" 1 "$(echo "$out" | grep -c "spell.conf:3: cvpHost k3: its SNMP options: -L: an option that changes the whole process")"
check "--defCommunity=: refused" 1 "$(echo "$out" | grep -c "spell.conf:4: cvpHost k4: its SNMP options: --: --NAME options set net-snmp's defaults for every session")"
check "no secret in those messages" 0 "$(echo "$out" | grep -cE 'hidden9|feedface')"
printf 'cvpHost cs1 10.0.0.5 callserver\ncvpHost cs1 10.0.0.6 vxml\ncvpHost bad/name 10.0.0.7 vxml\ncvpHost cs3 10.0.0.8 nosuchrole\ncvpHost cs4 10.0.0.9\ncvpHostPoll 30 nosuchhost\ncvpHostPoll 0\ncvpHostIgnore nosuchhost tcp 1\ncvpHostIgnore cs1 tcp 70000\ncvpHostRowLimit 5\ncvpHostRowLimit 500 nosuchhost\ncvpHostEphemeral 5000-1025\ncvpHost f1 file:relative vxml\ncvpHost f2 file:/tmp/x vxml -v2c\n' >"$work/strict/badhosts.conf"
chmod 600 "$work/strict/badhosts.conf"
out=$("$bin" --check-config -C -c "$work/strict/badhosts.conf" 2>&1)
check "cvpHost errors: exit 1" 1 "$?"
check "a name defined twice" 1 "$(echo "$out" | grep -c "badhosts.conf:2: cvpHost cs1 is already defined")"
check "a bad name" 1 "$(echo "$out" | grep -c "badhosts.conf:3: cvpHost: a name is letters")"
check "an unknown role" 1 "$(echo "$out" | grep -c "badhosts.conf:4: cvpHost cs3: ")"
check "too few words" 1 "$(echo "$out" | grep -c "badhosts.conf:5: cvpHost takes NAME ADDRESS")"
check "cvpHostPoll of a host not defined" 1 "$(echo "$out" | grep -c "badhosts.conf:6: cvpHostPoll: no cvpHost nosuchhost above")"
check "cvpHostIgnore of a host not defined" 1 "$(echo "$out" | grep -c "badhosts.conf:8: cvpHostIgnore: no cvpHost nosuchhost above")"
check "cvpHostIgnore with a bad port" 1 "$(echo "$out" | grep -c "badhosts.conf:9: cvpHostIgnore cs1: ")"
check "cvpHostPoll below its range" 1 "$(echo "$out" | grep -c "badhosts.conf:7: cvpHostPoll takes SECONDS (1 to 86400)")"
check "cvpHostRowLimit below its range" 1 "$(echo "$out" | grep -c "badhosts.conf:10: cvpHostRowLimit takes ROWS (10 to 1000000)")"
check "cvpHostRowLimit of a host not defined" 1 "$(echo "$out" | grep -c "badhosts.conf:11: cvpHostRowLimit: no cvpHost nosuchhost above")"
check "cvpHostEphemeral upside down" 1 "$(echo "$out" | grep -c "badhosts.conf:12: cvpHostEphemeral takes LOW-HIGH (1 to 65535)")"
check "a file: host: an absolute path, no SNMP options" 2 "$(echo "$out" | grep -cE "badhosts.conf:1[34]: cvpHost f[12]: file: takes an absolute path and no SNMP options")"

# "[app] directive" lines: net-snmp applies them, the strict reader must not let them by.
printf 'cvpRoles callserver\n[cvpportd] cvpPortRequire ssh forbidden\n[cvpportd] cvpRefresh 999999\n' \
    >"$work/strict/section.conf"
chmod 600 "$work/strict/section.conf"
out=$("$bin" --check-config -C -c "$work/strict/section.conf" 2>&1)
check "[section] lines: refused, exit 1" 1 "$?"
check "... each named with its line" 2 "$(echo "$out" | grep -cE "section.conf:[23]: a \[section\] prefix")"
printf 'cvpRefresh 1\n' >"$work/strict/ok.conf"
chmod 600 "$work/strict/ok.conf"
"$bin" -f -x tcp:127.0.0.1:1 -C -c "$work/strict/section.conf" -Lf "$work/section.log" -p "$work/section.pid" \
    >/dev/null 2>&1 </dev/null
check "... and the daemon does not start on them" 1 "$?"

# A file of root's reached through a link someone else planted: refused, its lines never shown.
mkdir -m 1777 "$work/sticky"
printf 'root:$6$s3cr3thash:19000:0:99999:7:::\n' >"$work/strict/shadowlike"
chmod 600 "$work/strict/shadowlike"
setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$work/strict/shadowlike" "$work/sticky/planted.conf"
out=$("$bin" --check-config -C -c "$work/sticky/planted.conf" 2>&1)
check "a link planted by another user: refused" 1 "$?"
check "... saying why" 1 "$(echo "$out" | grep -c 'planted.conf: a symbolic link owned by uid 65534: refused')"
check "... and nothing of the target shown" 0 "$(echo "$out" | grep -c 's3cr3thash')"
ln -s "$work/strict/ok.conf" "$work/strict/rootlink.conf"
check "root's link in root's directory: followed" 0 "$("$bin" --check-config -C -c "$work/strict/rootlink.conf" >/dev/null 2>&1; echo $?)"
# A line that is no directive is not repeated (a password hash, say).
out=$("$bin" --check-config -C -c "$work/strict/shadowlike" 2>&1)
check "a line that is no directive: refused by line" 1 "$(echo "$out" | grep -c 'shadowlike:1: not a directive$')"
check "... and not repeated" 0 "$(echo "$out" | grep -c 's3cr3thash')"
it_done
