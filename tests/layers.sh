#!/usr/bin/env bash
# The layers hold (agent/README.md): agent/lib < agent/core (include/) < agent/privsep <
# agent/snmp < agent/cli < agent/main.c.
#  - no file of lib, core or privsep includes a net-snmp header (the include path would find
#    one: only this check stands between them), and the check is shown to fail on a file that
#    does;
#  - the compiler refuses an upward include: a core file compiled with the core's own flags
#    cannot include an SNMP-layer header, nor lib one of the core's, nor privsep an SNMP one;
#  - no command-line mode reaches into the MIB module's internals (mib_*.h, agentx_direct.h);
#  - one struct-tag rule.
# Usage: layers.sh BUILD_DIR (configured with compile_commands.json)
. "$(dirname "$0")/it_lib.sh" "$1"
top=$CVP_TOP

netsnmp_includes() { # netsnmp_includes DIR...: the lines that include a net-snmp header
    grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]net-snmp/' "$@" 2>/dev/null
}
found=$(netsnmp_includes "$top/agent/lib" "$top/agent/core" "$top/include" "$top/agent/privsep")
[ -z "$found" ] || echo "$found"
check "no net-snmp header in lib, core or privsep" "" "$found"
mkdir -p "$work/probe"
cp "$top/agent/core/enums.c" "$work/probe/"
printf '#include <net-snmp/net-snmp-config.h>\n' >>"$work/probe/enums.c"
check "the check fails on a core file that includes one" 1 "$(netsnmp_includes "$work/probe" | wc -l)"

# compile_probe SOURCE_OF_LAYER HEADER: compiles "#include HEADER" with the flags the build
# gives SOURCE_OF_LAYER; prints ok or refused.
compile_probe() {
    local cmd
    cmd=$(python3 - "$CVP_BUILD/compile_commands.json" "$1" <<'PY'
import json, shlex, sys
for e in json.load(open(sys.argv[1])):
    if e["file"].endswith(sys.argv[2]):
        args = shlex.split(e["command"])
        out = [a for a in args if a.startswith(("-I", "-isystem", "-D", "-std", "-f")) or a == args[0]]
        print(" ".join(shlex.quote(a) for a in out))
        break
PY
)
    [ -n "$cmd" ] || { echo "no-command"; return; }
    printf '#include "%s"\n' "$2" >"$work/probe/probe.c"
    if eval "$cmd -c -o /dev/null $work/probe/probe.c" >/dev/null 2>&1; then echo ok; else echo refused; fi
}
check "a core file's flags find the core's headers (the probe works)" ok "$(compile_probe agent/core/enums.c catalog.h)"
check "a core file cannot include an SNMP-layer header" refused "$(compile_probe agent/core/enums.c snmp_peer.h)"
check "a core file cannot include privsep's" refused "$(compile_probe agent/core/enums.c privsep.h)"
check "a lib file cannot include the core's" refused "$(compile_probe agent/lib/text.c catalog.h)"
check "a privsep file cannot include an SNMP-layer header" refused "$(compile_probe agent/privsep/sandbox.c mib_table.h)"
check "an SNMP-layer file cannot include a command-line mode's" refused "$(compile_probe agent/snmp/app.c serve.h)"
check "no command-line mode includes the MIB module's internals" "" \
    "$(grep -lE '#include "(mib_[a-z_]*|agentx_direct|cvpPortMIB)\.h"' "$top"/agent/cli/*.c "$top"/agent/cli/*.h)"
# One struct-tag rule: a struct a header defines carries the module's name, or its first word
# (row_fields.h: struct row_view; host_state.h: struct host_state), or cvp_ for the data every layer shares (struct cvp_socket).
bad_tags=$(for h in "$top"/include/*.h "$top"/agent/*/*.h; do
    m=$(basename "$h" .h)
    grep -oE '^struct [a-z_0-9]+ \{' "$h" | awk -v m="$m" -v h="${h#"$top"/}" '{
        t = $2; w = m; sub(/_.*/, "", w); one = w; sub(/s$/, "", one)
        if (index(t, "cvp_") != 1 && index(t, m) != 1 && index(t, w "_") != 1 && t != w &&
            index(t, one "_") != 1) print h ": struct " t }'
done)
[ -z "$bad_tags" ] || echo "$bad_tags"
check "every struct a header defines is named for its module (or cvp_)" "" "$bad_tags"
it_done
