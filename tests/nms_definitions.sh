#!/usr/bin/env bash
# The shipped NMS definitions agree with CVP-PORT-MIB and hold together, without the servers
# (scripts/nms_check.sh runs them in the real Zabbix, Nagios 4 and Icinga 2):
#  - the Zabbix template is YAML of Zabbix 6.0's export, every uuid a UUIDv4 and unique, every
#    OID under CVP-PORT-MIB's root one the MIB defines, every trigger's items in the template,
#    every value map an item names present and equal to the MIB's enumeration;
#  - the Nagios and Icinga definitions call only options cvpportd has and OIDs the MIB defines.
# Usage: nms_definitions.sh BUILD_DIR
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
oids=$(mktemp)
trap 'rm -f "$oids"' EXIT
SMIPATH="$CVP_IETF_MIBS:/usr/share/snmp/mibs:$top/mib" smidump -f identifiers "$top/mib/CVP-PORT-MIB.txt" 2>/dev/null |
    awk '{print $2, $3, $4}' >"$oids"
[ -s "$oids" ] || { echo "smidump gave no identifiers"; exit 1; }
python3 - "$top" "$oids" <<'PY'
import re, sys, yaml
top, oidfile = sys.argv[1], sys.argv[2]
root = "1.3.6.1.4.1.8072.9999.9999.7161"
known = {}
for line in open(oidfile):
    f = line.split()
    if len(f) == 3:
        known[f[2]] = f[1]  # OID -> its kind (scalar, column, node, table, ...)
fails = 0
def check(what, ok, detail=""):
    global fails
    print(("ok - " if ok else "FAIL - ") + what + ("" if ok else ": " + detail))
    fails += not ok

# enumerations from the MIB text: OBJECT -> {value: label}
mib = open(top + "/mib/CVP-PORT-MIB.txt").read()
enums = {}
for m in re.finditer(r"^(\w+) OBJECT-TYPE\s+SYNTAX\s+INTEGER\s*\{([^}]*)\}", mib, re.M):
    enums[m.group(1)] = {int(v): k for k, v in re.findall(r"(\w+)\((\d+)\)", m.group(2))}

d = yaml.safe_load(open(top + "/mib/zabbix/cvpportd_template.yaml"))["zabbix_export"]
check("Zabbix export version 6.0", d["version"] == "6.0", d["version"])
t = d["templates"][0]
uuids = []
def walk(o):
    if isinstance(o, dict):
        if "uuid" in o:
            uuids.append(o["uuid"])
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(d)
v4 = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$")
check("every uuid a UUIDv4", all(v4.match(u) for u in uuids), str([u for u in uuids if not v4.match(u)]))
check("no uuid twice", len(uuids) == len(set(uuids)))
items = t.get("items", [])
protos = [p for r in t.get("discovery_rules", []) for p in r.get("item_prototypes", [])]
keys = {i["key"] for i in items} | {p["key"] for p in protos}
oids_used = [i.get("snmp_oid", "") for i in items + protos] + [r["snmp_oid"] for r in t["discovery_rules"]]
bad = []
for o in oids_used:
    for n in re.findall(r"\d+(?:\.\d+)+", o):
        n = n.split(".{#")[0]
        if n.startswith(root):
            base = n
            while base not in known and base.count(".") > root.count("."):
                base = base.rsplit(".", 1)[0]
            # an instance: a scalar's or a column's OID followed by its index
            if known.get(base) not in ("scalar", "column"):
                bad.append(n)
check("every CVP-PORT-MIB OID the template polls is in the MIB", not bad, str(bad))
expr_keys = []
for i in items:
    for tr in i.get("triggers", []):
        expr_keys += re.findall(r"/CVP Port Compliance by SNMP/([^)]+?)[,)]", tr["expression"])
for p in protos:
    for tr in p.get("trigger_prototypes", []):
        expr_keys += re.findall(r"/CVP Port Compliance by SNMP/([^)]+?)[,)]", tr["expression"])
check("every trigger's item is in the template", all(k in keys for k in expr_keys),
      str([k for k in expr_keys if k not in keys]))
vmaps = {v["name"]: {int(m["value"]): m["newvalue"] for m in v["mappings"]} for v in t["valuemaps"]}
used = {x["valuemap"]["name"] for x in items + protos if "valuemap" in x}
check("every value map named is defined", used <= set(vmaps), str(used - set(vmaps)))
for name, maps in vmaps.items():
    obj = name.split("::")[1]
    check("value map %s = the MIB's enumeration" % obj, enums.get(obj) == maps, "%s vs %s" % (maps, enums.get(obj)))
rows = [r for r in t["discovery_rules"] if r["key"] == "cvp.rows.discovery"]
check("rows are discovered by cvpPortName", rows and root + ".1.2.1.2," in rows[0]["snmp_oid"])
check("no host in the template", "hosts" not in d)

# Nagios and Icinga: OIDs in the MIB, options cvpportd has
for f in ("nagios/cvpportd.cfg", "icinga2/cvpportd.conf"):
    text = open(top + "/mib/" + f).read()
    found = re.findall(r"\.(" + re.escape(root) + r"[.\d]*)", text)
    check(f + ": its OIDs are the MIB's scalars", found and all(o.endswith(".0") and known.get(o[:-2]) == "scalar" for o in found),
          str(found))
    opts = set(re.findall(r"(--[a-z-]+)", text))
    check(f + ": cvpportd options it uses exist", opts <= {"--check", "--host", "--snmp", "--roles"}, str(opts))
sys.exit(1 if fails else 0)
PY
