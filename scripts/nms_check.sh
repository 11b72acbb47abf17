#!/usr/bin/env bash
# The shipped NMS definitions run by the real servers, on this machine, as root:
#  - Nagios 4 (nagios4-core): mib/nagios/cvpportd.cfg validated (`nagios4 -v`), then a running
#    instance checks a host with the shipped commands (the local `cvpportd --check` through
#    sudo, as documented; the remote `--check --host`; check_snmp on CVP-PORT-MIB's globals):
#    OK and CRITICAL results with their perfdata, read from its status file.
#  - Icinga 2 (icinga2-bin): mib/icinga2/cvpportd.conf validated (`icinga2 daemon -C`), then a
#    running instance the same, read from its status data through its own object list.
# A private snmpd master and cvpportd serve CVP-PORT-MIB; a required row is moved to a port
# nothing listens on (CRITICAL), and then opened (OK). Installs what is
# missing (Debian packages; their own services are not started) and stops everything it started.
# Usage: scripts/nms_check.sh [BUILD_DIR]   (default build)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
t_start=$(date +%s)

# --- packages, without starting their services ---
need=()
for p in nagios4-core icinga2-bin icinga2-common monitoring-plugins-standard sudo; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
fi
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

# --- the agent: snmpd master + cvpportd, a required row on a port nothing listens on ---
udp=$(cvp_free_port udp) agentx=$(cvp_free_port tcp 12000 12999) row_port=$(cvp_free_port tcp 12000 12999)
cvp_start_snmpd "$work" "udp:127.0.0.1:$udp" "tcp:127.0.0.1:$agentx"
chmod 755 "$work"
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
cvpIgnore tcp 1-65535
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
# a service's state and perfdata from status.dat
nagios_service() { # nagios_service DESCRIPTION FIELD
    awk -v d="$1" -v f="$2" '/^servicestatus \{/ {s = 1; m = 0} s && $0 ~ "service_description=" d "$" {m = 1}
        s && m && index($0, "\t" f "=") == 1 {sub("\t" f "=", ""); print; exit} /^\t\}/ {s = 0}' "$n/status.dat"
}
wait_nagios() { # wait_nagios DESCRIPTION STATE (0 OK, 2 CRITICAL)
    cvp_wait "[ \"\$(nagios_service $1 current_state)\" = $2 ] && [ \"\$(nagios_service $1 has_been_checked)\" = 1 ]" 900
}
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
kill "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
pids=()

echo "== Icinga 2"
# the row on another free port (snmpd keeps its TCP-MIB tables 60 s: the old one may still
# show as listening to the remote check)
row_port=$(cvp_free_port tcp 12000 12999)
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
pids+=($!)
cvp_wait "[ -f '$i/status.dat' ]" 300 || {
    echo "icinga2 did not start:"
    tail -n 20 "$i/log/out.txt" "$i/log/error.log"
    exit 1
}
icinga_service() { nagios_service_file "$i/status.dat" "$@"; }
nagios_service_file() { # FILE DESCRIPTION FIELD
    awk -v d="$2" -v f="$3" '/^servicestatus \{/ {s = 1; m = 0} s && $0 ~ "service_description=" d "$" {m = 1}
        s && m && index($0, "\t" f "=") == 1 {sub("\t" f "=", ""); print; exit} /^\t\}/ {s = 0}' "$1"
}
wait_icinga() {
    cvp_wait "[ \"\$(icinga_service $1 current_state)\" = $2 ] && [ \"\$(icinga_service $1 has_been_checked)\" = 1 ]" 900
}
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

echo
echo "install: $((t_installed - t_start)) s; Nagios 4: first results in ${nagios_first} s, OK ${nagios_ok} s after the listener opened; Icinga 2: ${icinga_first} s, ${icinga_ok} s"
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" = 0 ]
