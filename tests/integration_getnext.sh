#!/usr/bin/env bash
# Integration: GETNEXT is monotonic for every request OID. Through a real master, every answer
# to a GETNEXT of an OID in, between and around CVP-PORT-MIB's subtrees (its own instances, their
# prefixes and extensions, neighbours one below and above, huge subidentifiers up to 4294967295,
# truncated and over-long indexes, random ones) is the lexicographic successor that a full walk
# of the module gives, or, past the module's last instance, something after the request outside
# the module. Catches an answer that goes backwards (net-snmp's scalar-group helper answered
# X.4294967295.0 with an earlier scalar) or skips an instance.
# Usage: integration_getnext.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
it_private_net "$0" "$1"

# The tools speak TCP: a UDP client's socket is an unconnected bound one, a listener cvpportd
# would list while the test walks.
tport=$(cvp_free_port tcp 12000 16000) udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp 16001 19000)
target=127.0.0.1:$udp
cvp_start_snmpd "$work" "udp:127.0.0.1:$udp,tcp:127.0.0.1:$tport" "tcp:127.0.0.1:$agentx" || exit 1
p_http=$(cvp_free_port tcp 12000 16000) p_odd=$(cvp_free_port tcp 12000 16000)
printf 'cvpRefresh 1\ncvpPortMove vxml-http %s\ncvpHost self 127.0.0.1:%s common,snmp -v2c -c public\ncvpHostPoll 1\n' \
    "$p_http" "$udp" >"$work/cvpportd.conf"
chmod 600 "$work/cvpportd.conf"
for spec in "tcp/0.0.0.0/$p_http" "tcp/127.0.0.1/$p_odd" "udp/::/$p_odd,dual"; do
    "$CVP_BUILD/tests/listen_helper" "$spec" >"$work/l-${spec//\//_}.out" 2>&1 &
    it_pids+=($!)
done
it_start_cvpportd "$work/cvpportd.conf"
root=.1.3.6.1.4.1.8072.9999.9999.7161
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpHostReachability.1)\" = reachable ]" 150 || {
    echo "cvpportd did not poll its host"; cat "$work/cvpportd.log"; exit 1; }
it_scans_after 2

python3 - "tcp:127.0.0.1:$tport" "$root" >"$work/result.txt" 2>&1 <<'PY'
import random, subprocess, sys
target, root = sys.argv[1], sys.argv[2]
def oid(s): return tuple(int(x) for x in s.strip(".").split("."))
def text(o): return "." + ".".join(map(str, o))
def snmp(tool, *args):
    r = subprocess.run([tool, "-v2c", "-c", "public", "-On", "-t", "5", "-r", "1", target, *args],
                       capture_output=True, text=True, env={"MIBS": ""})
    return r.stdout.splitlines()
walk = [oid(l.split(" = ")[0]) for l in snmp("snmpbulkwalk", "-Cr50", root) if " = " in l]
walk.sort()
R = oid(root)
MAX = 4294967295
random.seed(7161)
cands = set()
for w in walk:
    cands.add(w)
    cands.add(w + (0,))
    cands.add(w + (MAX,))
    for k in range(len(R), len(w)):
        cands.add(w[:k])                                   # truncated
        cands.add(w[:k] + (MAX,))                          # huge in place of the rest
        cands.add(w[:k] + (w[k] + 1,))                     # one above at that depth
        if w[k] > 0:
            cands.add(w[:k] + (w[k] - 1,) + (MAX, MAX))   # just below, over-long
must = set()  # every subtree's edges, always asked
for w in walk:
    for k in range(len(R), len(w)):
        must.add(w[:k] + (MAX,))
        must.add(w[:k] + (MAX, 0))
for base in (R, R[:-1], R + (0,), R + (1,), R + (2,), R + (3,)):
    for tail in ((), (0,), (MAX,), (MAX, 0), (1, MAX), (1, MAX, 0), (2, 1, MAX), (3, 1, 1, MAX)):
        must.add(base + tail)
for _ in range(300):
    w = random.choice(walk)
    k = random.randrange(len(R), len(w) + 1)
    cands.add(w[:k] + tuple(random.choice((0, 1, 2, 127, 255, 65535, MAX, random.randrange(MAX)))
                            for _ in range(random.randrange(0, 4))))
cands = sorted(c for c in cands - must if len(c) <= 128)
sample = sorted(must | set(random.sample(cands, min(len(cands), 2000))))
bad = 0
for i in range(0, len(sample), 20):
    batch = sample[i:i + 20]
    lines = [l for l in snmp("snmpgetnext", *map(text, batch)) if " = " in l]
    if len(lines) != len(batch):
        print("FAILED batch", text(batch[0]), len(lines), "answers for", len(batch)); bad += 1; continue
    for req, line in zip(batch, lines):
        got = oid(line.split(" = ")[0])
        succ = next((w for w in walk if w > req), None)   # walk is sorted
        ok = got == succ if succ else (got > req and got[:len(R)] != R)
        if not ok:
            bad += 1
            if bad <= 10:
                print("WRONG", text(req), "->", text(got), "expected", text(succ) if succ else "past the module")
print("walked", len(walk), "checked", len(sample), "wrong", bad)
PY
cat "$work/result.txt"
check "the walk found the module's tables" yes "$(awk '/^walked/ {print ($2 > 500) ? "yes" : "no ("$2")"}' "$work/result.txt")"
check "every GETNEXT answer is the request's successor in the walk" 0 "$(awk '/^walked/ {print $6}' "$work/result.txt")"
it_done
