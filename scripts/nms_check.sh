#!/usr/bin/env bash
# The shipped NMS definitions run by the real servers, on this machine, as root:
#  - Nagios 4 (nagios4-core): mib/nagios/cvpportd.cfg validated (`nagios4 -v`), then a running
#    instance checks a host with the shipped commands (the local `cvpportd --check` through
#    sudo, as documented; the remote `--check --host`; check_snmp on CVP-PORT-MIB's globals):
#    OK and CRITICAL results with their perfdata, read from its status file.
#  - Icinga 2 (icinga2-bin): mib/icinga2/cvpportd.conf validated (`icinga2 daemon -C`), then a
#    running instance the same, read from its status data.
#  - Zabbix 6.0 (zabbix-server-pgsql on a PostgreSQL of its own, the frontend's API under PHP's
#    web server): mib/zabbix/cvpportd_template.yaml imported through the API, a host added with
#    only its address and the template; the rows discovered with their values, a required row's
#    trigger raised and cleared when its listener opens, an unexpected listener's raised and
#    cleared when it closes, cvpportd's notification recorded in its SNMP trap item (snmptrapd
#    feeding Zabbix's trap file through traphandle.sh --zabbix).
# A private snmpd master and cvpportd serve CVP-PORT-MIB; a required row is moved to a port
# nothing listens on (CRITICAL), and then opened (OK). Installs what is
# missing (Debian packages; their own services are not started) and stops everything it started.
# Usage: scripts/nms_check.sh [BUILD_DIR]   (default build)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
t_start=$(date +%s)

# --- packages (deps.sh: what is missing, their services not started) ---
bash scripts/deps.sh --nms
t_installed=$(date +%s)
cvp_bench_build "${1:-}"
cvp_bench_start nms
export SNMP_PERSISTENT_DIR=$work/persist
mkdir -p "$SNMP_PERSISTENT_DIR"
failures=0 checks=0
check() { # check DESCRIPTION EXPECTED ACTUAL
    checks=$((checks + 1))
    if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "FAIL - $1: expected '$2', got '$3'"; failures=$((failures + 1)); fi
}

# --- the agent: snmpd master (its notifications to an snmptrapd that feeds Zabbix's trap file)
# and cvpportd; a required row on a port nothing listens on (12000-12499); 12500-12999 the only
# ports whose listeners are not ignored ---
chmod 755 "$work"
trapport=$(cvp_free_port udp)
ztraps=$work/zabbix_traps.tmp
: >"$ztraps"
chmod 644 "$ztraps"
cat >"$work/snmptrapd.conf" <<CONF
authCommunity log,execute public
traphandle default /bin/sh $top/scripts/traphandle.sh --zabbix $ztraps
CONF
MIBS="" snmptrapd -f -C -c "$work/snmptrapd.conf" -Lf "$work/snmptrapd.log" -X -M "$CVP_MIBDIRS" \
    -m SNMPv2-MIB:CVP-PORT-MIB "udp:127.0.0.1:$trapport" </dev/null &
pids+=($!)
udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp) row_port=$(cvp_free_port tcp 12000 12499)
CVP_SNMPD_EXTRA="trap2sink 127.0.0.1:$trapport public" \
    cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx"
get_global() { cvp_snmp snmpget "127.0.0.1:$udp" -Oqv "CVP-PORT-MIB::$1.0"; }
conf=$work/cvpportd.conf
# one required row (vxml-http, moved to a free port); every other listener of this machine ignored
cat >"$conf" <<CONF
cvpRefresh 1
cvpRoles vxml
cvpPortMove vxml-http $row_port
cvpPortRequire vxml-https optional
cvpPortRequire vxml-tomcat optional
cvpPortRequire vxml-ajp optional
cvpPortRequire vxml-jmx optional
cvpPortRequire vxml-admin optional
cvpIgnore tcp 1-12499
cvpIgnore tcp 13000-65535
cvpIgnore udp 1-65535
CONF
"$build/cvpportd" -x "tcp:127.0.0.1:$agentx" -C -c "$conf" -Lf "$work/cvpportd.log" -p "$work/cvpportd.pid"
cvp_wait "cvp_snmp snmpget 127.0.0.1:$udp -Oqv CVP-PORT-MIB::cvpPortScanCount.0 | grep -q '^[2-9]'" 100
# sudo for the local check, as mib/nagios/cvpportd.cfg documents it (this run's configuration)
sudoers=/etc/sudoers.d/cvpportd-nms-check
echo "nagios ALL=(root) NOPASSWD: /usr/sbin/cvpportd --check, $build/cvpportd --check -C -c $conf" >"$sudoers"
chmod 440 "$sudoers"
trap 'rm -f "$sudoers"; cvp_bench_cleanup' EXIT
local_cmd="/usr/bin/sudo -n $build/cvpportd --check -C -c $conf"

# The shipped definitions, with this run's paths: the binary from the build, the local check
# with this run's configuration.
shipped_nagios() {
    sed -e "s#/usr/bin/sudo -n /usr/sbin/cvpportd --check#$local_cmd#" \
        -e "s#/usr/sbin/cvpportd --check --host#$build/cvpportd --check -C -c $conf --host#" mib/nagios/cvpportd.cfg
}
shipped_icinga() {
    sed -e "s#\"/usr/bin/sudo\", \"-n\", \"/usr/sbin/cvpportd\", \"--check\"#\"/usr/bin/sudo\", \"-n\", \"$build/cvpportd\", \"--check\", \"-C\", \"-c\", \"$conf\"#" \
        -e "s#command = \[ \"/usr/sbin/cvpportd\", \"--check\" \]#command = [ \"$build/cvpportd\", \"--check\", \"-C\", \"-c\", \"$conf\" ]#" \
        mib/icinga2/cvpportd.conf
}

# A service's field in a status file (Nagios' status.dat; Icinga 2 writes the same format).
status_field() { # status_field FILE DESCRIPTION FIELD
    awk -v d="$2" -v f="$3" '/^servicestatus \{/ {s = 1; m = 0} s && $0 ~ "service_description=" d "$" {m = 1}
        s && m && index($0, "\t" f "=") == 1 {sub("\t" f "=", ""); print; exit} /^\t\}/ {s = 0}' "$1"
}
# Waits (up to 90 s) for a service to have been checked and be in STATE (0 OK, 1 WARNING, 2 CRITICAL).
wait_state() { # wait_state GETTER DESCRIPTION STATE
    cvp_wait "[ \"\$($1 $2 current_state)\" = $3 ] && [ \"\$($1 $2 has_been_checked)\" = 1 ]" 900
}

echo "== Nagios 4"
n=$work/nagios
mkdir -p "$n/var/spool/checkresults" "$n/var/rw"
shipped_nagios >"$n/cvpportd.cfg"
cat >"$n/objects.cfg" <<CFG
define timeperiod {
    timeperiod_name 24x7
    alias 24x7
    monday 00:00-24:00
    tuesday 00:00-24:00
    wednesday 00:00-24:00
    thursday 00:00-24:00
    friday 00:00-24:00
    saturday 00:00-24:00
    sunday 00:00-24:00
}
define contact {
    contact_name nobody
    host_notifications_enabled 0
    service_notifications_enabled 0
    host_notification_period 24x7
    service_notification_period 24x7
    host_notification_options n
    service_notification_options n
    host_notification_commands notify-none
    service_notification_commands notify-none
}
define command {
    command_name notify-none
    command_line /bin/true
}
define command {
    command_name check-host-alive
    command_line /bin/true
}
define service {
    name generic-service
    check_period 24x7
    notification_period 24x7
    notifications_enabled 0
    contacts nobody
    register 0
}
define host {
    host_name cvp1
    address 127.0.0.1
    check_command check-host-alive
    max_check_attempts 1
    check_period 24x7
    notification_period 24x7
    contacts nobody
}
define service {
    use cvpportd-service
    host_name cvp1
    service_description cvp-port
    check_command check_cvpportd
}
define service {
    use cvpportd-service
    host_name cvp1
    service_description cvp-port-remote
    check_command check_cvpportd_host!-v2c -c public -t 2 -r 1!vxml
}
define service {
    use cvpportd-service
    host_name cvp1
    service_description cvp-port-snmp-overall
    check_command check_cvpportd_snmp_overall!public
}
define service {
    use cvpportd-service
    host_name cvp1
    service_description cvp-port-snmp-scan-age
    check_command check_cvpportd_snmp_scan_age!public
}
CFG
# the snmp checks reach the master on its private port
sed -i "s#-H '\$HOSTADDRESS\$' -P 2c#-H '\$HOSTADDRESS\$' -p $udp -P 2c#; s#--host '\$HOSTADDRESS\$'#--host '\$HOSTADDRESS\$:$udp'#" "$n/cvpportd.cfg"
cat >"$n/nagios.cfg" <<CFG
log_file=$n/nagios.log
cfg_file=$n/objects.cfg
cfg_file=$n/cvpportd.cfg
resource_file=$n/resource.cfg
status_file=$n/status.dat
status_update_interval=1
object_cache_file=$n/objects.cache
precached_object_file=$n/objects.precache
temp_file=$n/nagios.tmp
temp_path=$n
lock_file=$n/nagios.lock
command_file=$n/var/rw/nagios.cmd
check_result_path=$n/var/spool/checkresults
state_retention_file=$n/retention.dat
retain_state_information=0
nagios_user=nagios
nagios_group=nagios
check_external_commands=0
enable_notifications=0
process_performance_data=1
illegal_macro_output_chars=\`~\$&|'"<>
CFG
echo "\$USER1\$=/usr/lib/nagios/plugins" >"$n/resource.cfg"
chown -R nagios:nagios "$n"
check "nagios4 -v accepts the shipped definitions" 0 "$(nagios4 -v "$n/nagios.cfg" >"$n/verify.txt" 2>&1; echo $?)"
[ "$failures" = 0 ] || cat "$n/verify.txt"
nagios4 -d "$n/nagios.cfg"
cvp_wait "[ -s '$n/nagios.lock' ] && [ -f '$n/status.dat' ]" 100 || {
    echo "nagios4 did not start:"
    tail -n 20 "$n/nagios.log" "$n/verify.txt"
    exit 1
}
echo "$(cat "$n/nagios.lock")" >"$work/nagios.pid"
nagios_service() { status_field "$n/status.dat" "$@"; }
wait_nagios() { wait_state nagios_service "$@"; }
t0=$(date +%s)
wait_nagios cvp-port-remote 2 || true
check "Nagios: the remote check CRITICAL (a required row missing)" 2 "$(nagios_service cvp-port-remote current_state)"
check "Nagios: its perfdata" yes "$(nagios_service cvp-port-remote performance_data | grep -qE '^compliant=[0-9]+;;;0;[0-9]+ violations=[1-9]' && echo yes || nagios_service cvp-port-remote performance_data)"
wait_nagios cvp-port-snmp-overall 2 || true
check "Nagios: check_snmp on cvpPortOverallStatus CRITICAL" 2 "$(nagios_service cvp-port-snmp-overall current_state)"
wait_nagios cvp-port-snmp-scan-age 0 || true
check "Nagios: check_snmp on cvpPortScanAge OK" 0 "$(nagios_service cvp-port-snmp-scan-age current_state)"
check "Nagios: its perfdata" yes "$(nagios_service cvp-port-snmp-scan-age performance_data | grep -q '^scan_age=' && echo yes || nagios_service cvp-port-snmp-scan-age performance_data)"
wait_nagios cvp-port 2 || true
check "Nagios: the local check through sudo, CRITICAL" 2 "$(nagios_service cvp-port current_state)"
check "Nagios: its output" yes "$(nagios_service cvp-port plugin_output | grep -q '^CVP-PORT CRITICAL' && echo yes || nagios_service cvp-port plugin_output)"
nagios_first=$(($(date +%s) - t0))
# the row's listener opens: the remote check turns OK
"$build/tests/listen_helper" "tcp/0.0.0.0/$row_port" >"$work/listen.out" 2>&1 &
pids+=($!)
t0=$(date +%s)
wait_nagios cvp-port-remote 0 || true
check "Nagios: the row's listener open, the remote check OK" 0 "$(nagios_service cvp-port-remote current_state)"
wait_nagios cvp-port 0 || true
check "Nagios: and the local check OK" 0 "$(nagios_service cvp-port current_state)"
nagios_ok=$(($(date +%s) - t0))
cvp_kill_pidfiles "$work/nagios.pid"
for p in $(pgrep -f "listen_helper tcp/0.0.0.0/$row_port" || true); do kill "$p"; done

echo "== Icinga 2"
# the row on another free port (snmpd keeps its TCP-MIB tables 60 s: the old one may still
# show as listening to the remote check)
row_port=$(cvp_free_port tcp 12000 12499)
sed -i "s/^cvpPortMove vxml-http .*/cvpPortMove vxml-http $row_port/" "$conf"
kill -HUP "$(cat "$work/cvpportd.pid")"
i=$work/icinga2
mkdir -p "$i/lib" "$i/cache" "$i/log" "$i/run" "$i/spool"
shipped_icinga >"$i/cvpportd.conf"
sed -i "s#vars.cvpportd_address = \"\$address\$\"#vars.cvpportd_address = \"\$address\$:$udp\"#" "$i/cvpportd.conf"
cat >"$i/icinga2.conf" <<CFG
include <itl>
include <plugins>
const PluginDir = "/usr/lib/nagios/plugins"
object CheckerComponent "checker" { }
include "$i/cvpportd.conf"
object Host "cvp1" {
	address = "127.0.0.1"
	check_command = "dummy"
	vars.cvpportd = true
	vars.cvpportd_remote = true
	vars.cvpportd_roles = "vxml"
	vars.cvpportd_snmp = "-v2c -c public -t 2 -r 1"
	vars.cvpportd_community = "public"
	vars.snmp_port = $udp
}
object StatusDataWriter "status" {
	status_path = "$i/status.dat"
	objects_path = "$i/objects.cache"
	update_interval = 1s
}
CFG
chown -R nagios:nagios "$i"
icinga_args=(-c "$i/icinga2.conf" -DConfiguration.DataDir="$i/lib" -DConfiguration.CacheDir="$i/cache"
    -DConfiguration.LogDir="$i/log" -DConfiguration.InitRunDir="$i/run" -DConfiguration.SpoolDir="$i/spool"
    -DConfiguration.RunAsUser=nagios -DConfiguration.RunAsGroup=nagios)
check "icinga2 daemon -C accepts the shipped definitions" 0 "$(icinga2 daemon -C "${icinga_args[@]}" >"$i/verify.txt" 2>&1; echo $?)"
[ "$failures" = 0 ] || tail -n 20 "$i/verify.txt"
icinga2 daemon "${icinga_args[@]}" -e "$i/log/error.log" >"$i/log/out.txt" 2>&1 &
icinga_pid=$!
pids+=($!)
cvp_wait "[ -f '$i/status.dat' ]" 300 || {
    echo "icinga2 did not start:"
    tail -n 20 "$i/log/out.txt" "$i/log/error.log"
    exit 1
}
icinga_service() { status_field "$i/status.dat" "$@"; }
wait_icinga() { wait_state icinga_service "$@"; }
t0=$(date +%s)
wait_icinga cvp-port-remote 2 || true
check "Icinga 2: the remote check CRITICAL" 2 "$(icinga_service cvp-port-remote current_state)"
check "Icinga 2: its perfdata parsed" yes "$(icinga_service cvp-port-remote performance_data | grep -qE 'compliant=[0-9]+;;;0;[0-9]+ violations=[1-9]' && echo yes || icinga_service cvp-port-remote performance_data)"
wait_icinga cvp-port-snmp-overall 2 || true
check "Icinga 2: check_snmp on cvpPortOverallStatus CRITICAL" 2 "$(icinga_service cvp-port-snmp-overall current_state)"
wait_icinga cvp-port 2 || true
check "Icinga 2: the local check through sudo, CRITICAL" 2 "$(icinga_service cvp-port current_state)"
icinga_first=$(($(date +%s) - t0))
"$build/tests/listen_helper" "tcp/0.0.0.0/$row_port" >"$work/listen2.out" 2>&1 &
pids+=($!)
t0=$(date +%s)
wait_icinga cvp-port-remote 0 || true
check "Icinga 2: the row's listener open, the remote check OK" 0 "$(icinga_service cvp-port-remote current_state)"
wait_icinga cvp-port-snmp-counts 0 || true
check "Icinga 2: check_snmp on the counts OK (no violation, no unexpected listener)" 0 "$(icinga_service cvp-port-snmp-counts current_state)"
wait_icinga cvp-port 0 || true
check "Icinga 2: the local check OK" 0 "$(icinga_service cvp-port current_state)"
icinga_ok=$(($(date +%s) - t0))

kill "$icinga_pid"
for p in $(pgrep -f "listen_helper tcp/0.0.0.0/$row_port" || true); do kill "$p"; done

echo "== Zabbix 6.0"
# PostgreSQL and the Zabbix server of this run, on private ports, as their own users
pgbin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
pgport=$(cvp_free_port tcp) zport=$(cvp_free_port tcp 20000 32000) web=$(cvp_free_port tcp)
install -d -o postgres "$work/pg" "$work/pgsock" "$work/pglog"
su postgres -s /bin/sh -c "$pgbin/initdb -D $work/pg -A trust -U postgres" >"$work/initdb.log" 2>&1
zconf=/etc/zabbix/zabbix.conf.php
[ -e "$zconf" ] && cp -p "$zconf" "$work/zabbix.conf.php.saved"
# Stops the Zabbix server (its whole process group: its workers go with it) and PostgreSQL, and
# puts back the frontend's configuration file as it was.
zabbix_stop() {
    local pid pgid
    pid=$(cat "$work/zabbix_server.pid" 2>/dev/null) || pid=
    pgid=$(ps -o pgid= -p "${pid:-0}" 2>/dev/null | tr -d ' ') || pgid=
    if [ -n "$pgid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do pgrep -g "$pgid" >/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
    rm -f "$work/zabbix_server.pid"
    su postgres -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg -m fast -w stop" >/dev/null 2>&1 || true
    rm -f "$zconf"
    [ -e "$work/zabbix.conf.php.saved" ] && cp -p "$work/zabbix.conf.php.saved" "$zconf"
    return 0
}
trap 'zabbix_stop; rm -f "$sudoers"; cvp_bench_cleanup' EXIT
su postgres -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg -l $work/pglog/pg.log -w -o '-p $pgport -k $work/pgsock -c listen_addresses=' start" >/dev/null
psql() { command psql -q -X -v ON_ERROR_STOP=1 -h "$work/pgsock" -p "$pgport" -U postgres "$@"; }
psql -c "create database zabbix"
t0=$(date +%s)
for f in schema images data; do zcat "/usr/share/zabbix-server-pgsql/$f.sql.gz"; done | psql -d zabbix >/dev/null
t_schema=$(($(date +%s) - t0))
install -d -o zabbix "$work/zsock"
cat >"$work/zabbix_server.conf" <<CONF
ListenIP=127.0.0.1
ListenPort=$zport
PidFile=$work/zabbix_server.pid
LogFile=$work/zabbix_server.log
SocketDir=$work/zsock
DBHost=$work/pgsock
DBPort=$pgport
DBName=zabbix
DBUser=postgres
CacheUpdateFrequency=1
StartSNMPTrapper=1
SNMPTrapperFile=$ztraps
Timeout=5
CONF
touch "$work/zabbix_server.log"
chown zabbix "$work/zabbix_server.log"
chmod 777 "$work" # the server's pid file, written as zabbix
zabbix_server -c "$work/zabbix_server.conf"
cvp_wait "[ -s '$work/zabbix_server.pid' ]" 100 || { tail -n 20 "$work/zabbix_server.log"; exit 1; }
# the frontend's API (PHP's own web server), on the configuration file Debian's frontend reads
sed -e "s#^\$DB\['TYPE'\].*#\$DB['TYPE'] = 'POSTGRESQL';#" -e "s#^\$DB\['SERVER'\].*#\$DB['SERVER'] = '$work/pgsock';#" \
    -e "s#^\$DB\['PORT'\].*#\$DB['PORT'] = '$pgport';#" -e "s#^\$DB\['USER'\].*#\$DB['USER'] = 'postgres';#" \
    /usr/share/zabbix/conf/zabbix.conf.php.example >"$zconf"
printf '$ZBX_SERVER = "127.0.0.1";\n$ZBX_SERVER_PORT = "%s";\n' "$zport" >>"$zconf"
php -S "127.0.0.1:$web" -t /usr/share/zabbix >"$work/php.log" 2>&1 &
pids+=($!)
cat >"$work/zapi.py" <<'PY'
import json, sys, urllib.request
url, token, method = sys.argv[1:4]
params = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
if "file" in params:
    params["source"] = open(params.pop("file")).read()
req = {"jsonrpc": "2.0", "method": method, "params": params, "id": 1}
if token != "-":
    req["auth"] = token
r = json.load(urllib.request.urlopen(urllib.request.Request(
    url, json.dumps(req).encode(), {"Content-Type": "application/json-rpc"})))
if "error" in r:
    sys.exit("%s: %s" % (method, json.dumps(r["error"])))
print(json.dumps(r["result"]))
PY
api() { python3 "$work/zapi.py" "http://127.0.0.1:$web/api_jsonrpc.php" "${token:--}" "$@"; }
jq_py() { python3 -c "import json, sys; r = json.load(sys.stdin); print($1)"; }
cvp_wait "api apiinfo.version '{}' >/dev/null 2>&1" 100 || { tail -n 5 "$work/php.log"; exit 1; }
token=$(api user.login '{"username": "Admin", "password": "zabbix"}' | jq_py r)
check "Zabbix: the template imports through the API" true \
    "$(api configuration.import "{\"format\": \"yaml\", \"file\": \"$top/mib/zabbix/cvpportd_template.yaml\", \"rules\": {\"groups\": {\"createMissing\": true}, \"templates\": {\"createMissing\": true, \"updateExisting\": true}, \"items\": {\"createMissing\": true, \"updateExisting\": true}, \"triggers\": {\"createMissing\": true, \"updateExisting\": true}, \"discoveryRules\": {\"createMissing\": true, \"updateExisting\": true}, \"valueMaps\": {\"createMissing\": true, \"updateExisting\": true}}}" | jq_py 'str(r).lower()')"
tid=$(api template.get '{"filter": {"host": ["CVP Port Compliance by SNMP"]}}' | jq_py 'r[0]["templateid"]')
gid=$(api hostgroup.get '{"filter": {"name": ["Linux servers"]}}' | jq_py 'r[0]["groupid"]')
t0=$(date +%s)
# a host: its address and SNMP port, the template, faster intervals for the run
hid=$(api host.create "{\"host\": \"cvp1\", \"groups\": [{\"groupid\": \"$gid\"}], \"templates\": [{\"templateid\": \"$tid\"}],
    \"interfaces\": [{\"type\": 2, \"main\": 1, \"useip\": 1, \"ip\": \"127.0.0.1\", \"dns\": \"\", \"port\": \"$udp\",
        \"details\": {\"version\": 2, \"bulk\": 1, \"community\": \"{\$SNMP_COMMUNITY}\"}}],
    \"macros\": [{\"macro\": \"{\$CVP.POLL}\", \"value\": \"5s\"}, {\"macro\": \"{\$CVP.LLD.INTERVAL}\", \"value\": \"1h\"}]}" | jq_py 'r["hostids"][0]')
rules=$(api discoveryrule.get "{\"hostids\": [\"$hid\"], \"output\": [\"itemid\", \"key_\"]}")
rule_id() { echo "$rules" | jq_py "[x['itemid'] for x in r if x['key_'] == '$1'][0]"; }
discover() { api task.create "[{\"type\": 6, \"request\": {\"itemid\": \"$(rule_id "$1")\"}}]" >/dev/null; }
item_value() { # item_value KEY: its last value, or "" before the first
    api item.get "{\"hostids\": [\"$hid\"], \"filter\": {\"key_\": \"$1\"}, \"output\": [\"lastclock\", \"lastvalue\"]}" |
        jq_py "r[0]['lastvalue'] if r and r[0]['lastclock'] != '0' else ''"
}
problem() { # problem NAME: 1 while a trigger of that (expanded) name is in problem state
    api trigger.get "{\"hostids\": [\"$hid\"], \"expandDescription\": true, \"filter\": {\"value\": 1}, \"output\": [\"description\"]}" |
        jq_py "int(any(x['description'] == '''$1''' for x in r))"
}
# discovery forced once the server knows the host (its configuration cache, every second)
cvp_wait "discover cvp.rows.discovery; sleep 2; [ -n \"\$(item_value 'cvp.row.compliance[5]')\" ]" 600 || true
t_discovered=$(($(date +%s) - t0))
check "Zabbix: the rows discovered" "$(cvp_snmp snmpwalk "127.0.0.1:$udp" -Oqv CVP-PORT-MIB::cvpPortName | wc -l)" \
    "$(api item.get "{\"hostids\": [\"$hid\"], \"search\": {\"key_\": \"cvp.row.compliance[\"}, \"countOutput\": true}" | jq_py r)"
check "Zabbix: vxml-http's compliance read: missing (2)" 2 "$(item_value 'cvp.row.compliance[5]')"
check "Zabbix: the overall status read: nonCompliant (2)" 2 "$(cvp_wait "[ -n \"\$(item_value cvp.overall)\" ]" 300; item_value cvp.overall)"
t0=$(date +%s)
cvp_wait "[ \"\$(problem 'CVP row vxml-http is not compliant')\" = 1 ]" 600 || true
check "Zabbix: the row's trigger raised" 1 "$(problem 'CVP row vxml-http is not compliant')"
t_raise=$(($(date +%s) - t0))
"$build/tests/listen_helper" "tcp/0.0.0.0/$row_port" >"$work/listen3.out" 2>&1 &
pids+=($!)
t0=$(date +%s)
cvp_wait "[ \"\$(problem 'CVP row vxml-http is not compliant')\" = 0 ]" 600 || true
check "Zabbix: the row's listener open, its trigger cleared" 0 "$(problem 'CVP row vxml-http is not compliant')"
t_clear=$(($(date +%s) - t0))
trap_clock() { # when the compliance change trap item last got a value ("" before)
    api item.get "{\"hostids\": [\"$hid\"], \"search\": {\"key_\": \"cvpPortComplianceChange\"}, \"output\": [\"lastclock\"]}" |
        jq_py "r[0]['lastclock'] if r and r[0]['lastclock'] != '0' else ''"
}
cvp_wait "[ -n \"\$(trap_clock)\" ]" 300 || tail -n 4 "$ztraps"
check "Zabbix: the compliance change trap recorded in its item" yes "$([ -n "$(trap_clock)" ] && echo yes || echo no)"
# an unexpected listener: discovered as a finding, its trigger raised; closed: cleared
unx=$(cvp_free_port tcp 12500 12999)
"$build/tests/listen_helper" "tcp/0.0.0.0/$unx" >"$work/listen4.out" 2>&1 &
unx_pid=$!
pids+=($!)
uname="CVP unexpected listener 1.1.4.0.0.0.0.$unx (listen_helper)"
cvp_wait "[ \"\$(get_global cvpPortUnexpectedCount)\" != 0 ]" 100
t0=$(date +%s)
cvp_wait "discover cvp.findings.discovery; sleep 2; [ \"\$(problem '$uname')\" = 1 ]" 600 || true
check "Zabbix: an unexpected listener's trigger raised" 1 "$(problem "$uname")"
t_unx=$(($(date +%s) - t0))
kill "$unx_pid"
t0=$(date +%s)
cvp_wait "discover cvp.findings.discovery; sleep 2; [ \"\$(problem '$uname')\" = 0 ]" 600 || true
check "Zabbix: closed, its trigger cleared (the finding gone at the next discovery)" 0 "$(problem "$uname")"
t_unx_clear=$(($(date +%s) - t0))

echo
echo "install: $((t_installed - t_start)) s; Nagios 4: first results in ${nagios_first} s, OK ${nagios_ok} s after the listener opened; Icinga 2: ${icinga_first} s, ${icinga_ok} s"
echo "Zabbix: schema ${t_schema} s; rows discovered ${t_discovered} s after the host was added; the row's trigger raised in ${t_raise} s, cleared ${t_clear} s after its listener opened; an unexpected listener's trigger ${t_unx} s, cleared ${t_unx_clear} s"
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" = 0 ]
