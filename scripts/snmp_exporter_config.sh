#!/usr/bin/env bash
# Regenerates mib/prometheus/snmp.yml (the snmp_exporter module cvp_port) from
# mib/prometheus/generator.yml with Debian's prometheus-snmp-generator, against CVP-PORT-MIB and
# only the modules it imports; any MIB parse error fails it.
# Usage: scripts/snmp_exporter_config.sh [OUTPUT]      (default mib/prometheus/snmp.yml)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
out=${1:-$top/mib/prometheus/snmp.yml}
gen=$(command -v prometheus-snmp-generator) || {
    echo "prometheus-snmp-generator not found (apt install prometheus-snmp-exporter)" >&2
    exit 1
}
mibs=$(mktemp -d)
trap 'rm -rf "$mibs"' EXIT
for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF INET-ADDRESS-MIB; do
    cp "$CVP_IETF_MIBS/$m.mib" "$mibs/$m.txt"
done
cp /usr/share/snmp/mibs/NET-SNMP-MIB.txt "$top/mib/CVP-PORT-MIB.txt" "$mibs/"
cd "$top/mib/prometheus"
MIBDIRS=$mibs "$gen" --fail-on-parse-errors --log.level=warn generate -o "$out"
# The generator drops the MIB's UNITS clauses: each such metric's HELP says its unit.
python3 - "$top/mib/CVP-PORT-MIB.txt" "$out" <<'PY'
import re, sys, yaml
mib, out = sys.argv[1], sys.argv[2]
units = dict(re.findall(r'^(\w+)\s+OBJECT-TYPE\b(?:(?!OBJECT-TYPE).)*?\bUNITS\s+"([^"]+)"', open(mib).read(), re.M | re.S))
doc = yaml.safe_load(open(out))
for module in doc.values():
    for metric in module.get("metrics", []):
        unit = units.get(metric["name"])
        if unit and f"(unit: {unit})" not in metric["help"]:
            metric["help"] = metric["help"].replace(" - 1.3.6", f" (unit: {unit}) - 1.3.6", 1)
open(out, "w").write(yaml.safe_dump(doc, sort_keys=False, width=1000))
PY
