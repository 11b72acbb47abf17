#!/usr/bin/env bash
# Every enumeration label of CVP-PORT-MIB survives net-snmp's MIB parser: for each object whose
# SYNTAX is an enumerated INTEGER, `snmptranslate -Td` lists exactly the labels and numbers the
# MIB text gives. (net-snmp drops an ASN.1 keyword used as a label: optional(2) printed as a
# bare 2 until it became optionalPort(2).) A copy with such a label is shown to fail.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
mib=$top/mib/CVP-PORT-MIB.txt
check_labels() { # check_labels MIB_FILE: prints the objects whose labels differ, one a line
    local dir
    dir=$(mktemp -d)
    cp "$1" "$dir/CVP-PORT-MIB.txt"
    python3 - "$dir/CVP-PORT-MIB.txt" "$CVP_IETF_MIBS:$dir:/usr/share/snmp/mibs" <<'PY'
import re, subprocess, sys
text, dirs = open(sys.argv[1]).read(), sys.argv[2]
enum = re.compile(r'^(\w+)\s+OBJECT-TYPE\s+SYNTAX\s+INTEGER\s*\{([^}]*)\}', re.M)
for name, body in enum.findall(text):
    want = sorted((int(n), l) for l, n in re.findall(r'(\w+)\s*\(\s*(\d+)\s*\)', body))
    out = subprocess.run(["snmptranslate", "-M", dirs, "-m", "CVP-PORT-MIB", "-Td",
                          "CVP-PORT-MIB::" + name], capture_output=True, text=True,
                         env={"MIBS": ""}).stdout
    m = re.search(r'SYNTAX\s+INTEGER\s*\{([^}]*)\}', out)
    got = sorted((int(n), l) for l, n in re.findall(r'(\w+)\s*\(\s*(\d+)\s*\)', m.group(1))) if m else []
    if got != want:
        print("%s: the MIB says %s, snmptranslate %s" % (name, want, got))
print("checked", len(enum.findall(text)))
PY
    rm -rf "$dir"
}
out=$(check_labels "$mib")
echo "$out"
fail=0
echo "$out" | grep -q '^checked [1-9]' || { echo "no enumerated object found"; fail=1; }
echo "$out" | grep -q ': the MIB says' && fail=1
broken=$(mktemp)
sed 's/optionalPort(2)/optional(2)/' "$mib" >"$broken"
bad=$(check_labels "$broken")
echo "$bad" | grep -q '^cvpPortRequirement: the MIB says' ||
    { echo "a keyword label was not caught: the check would prove nothing"; fail=1; }
rm -f "$broken"
[ $fail = 0 ] && echo "every enumeration label survives net-snmp's parser"
exit $fail
