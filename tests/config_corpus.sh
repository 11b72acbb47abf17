#!/usr/bin/env bash
# The malformed-line corpus: every line of tests/fixtures/malformed.conf has one problem, and
# `cvpportd --check-config` must report each with its own message, file and line (listed in
# malformed.expected), and nothing else. Then a file of 10,000 valid rows is accepted (and
# timed), and a file cvpportd may not read is refused with a clear error.
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
check "and listed" 10059 "$(echo "$out" | grep -cE '^ *[0-9]+  ')"
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
it_done
