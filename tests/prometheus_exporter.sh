#!/usr/bin/env bash
# Integration: Prometheus through Debian's snmp_exporter. The real exporter, with the shipped
# module cvp_port (mib/prometheus/snmp.yml), scrapes the test master: a listening row, an
# exposed row and an unexpected listener carry the right values and labels (row names, the
# listener's address rendered readably). promtool checks the alert rules and runs their tests.
# Usage: prometheus_exporter.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
top=$(cd "$(dirname "$0")/.." && pwd)
prom=$top/mib/prometheus
exporter=$(command -v prometheus-snmp-exporter) || { echo "prometheus-snmp-exporter missing (scripts/deps.sh)"; exit 1; }
command -v promtool >/dev/null || { echo "promtool missing (scripts/deps.sh)"; exit 1; }

check "promtool check rules" 0 "$(promtool check rules "$prom/cvpportd.rules.yml" >"$work/check.out" 2>&1; echo $?)"
check "promtool test rules" 0 "$(cd "$prom" && promtool test rules cvpportd.rules.test.yml >"$work/test.out" 2>&1; echo $?)"
grep -q FAILED "$work/test.out" && cat "$work/test.out"

it_start_master || exit 1
conf=$work/cvpportd.conf
p_http=$(cvp_free_port tcp 12000 16000) p_tomcat=$(cvp_free_port tcp 12000 16000)
p_odd=$(cvp_free_port tcp 12000 16000)
printf 'cvpRefresh 1\ncvpPortMove vxml-http %s\ncvpPortMove vxml-tomcat %s\ncvpIgnore tcp %s\ncvpIgnore tcp 199\n' \
    "$p_http" "$p_tomcat" "$agentx" >"$conf"
for spec in "tcp/0.0.0.0/$p_http" "tcp/0.0.0.0/$p_tomcat" "tcp/127.0.0.1/$p_odd"; do
    "$CVP_BUILD/tests/listen_helper" "$spec" >"$work/l-${spec##*/}.out" 2>&1 &
    it_pids+=($!)
    cvp_wait "grep -q ready '$work/l-${spec##*/}.out'" 50 || exit 1
done
"$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$agentx" -C -c "$conf" -Lf "$work/cvpportd.log" \
    -p "$work/cvpportd.pid" &
it_pids+=($!)
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortState.5)\" = listening ]" 100

web=$(cvp_free_port tcp 12000 16000)
"$exporter" --config.file="$prom/snmp.yml" --web.listen-address="127.0.0.1:$web" \
    >"$work/exporter.log" 2>&1 &
it_pids+=($!)
cvp_wait "ss -ltnH 'sport = :$web' | grep -q ." 100 || { cat "$work/exporter.log"; exit 1; }
scrape() {
    python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' \
        "http://127.0.0.1:$web/snmp?module=cvp_port&target=$target"
}
scrape >"$work/metrics" || { echo "scrape failed"; cat "$work/exporter.log"; exit 1; }
series() { grep -c "^$1 $2\$" "$work/metrics"; } # series 'NAME{LABELS}' VALUE: how many lines
check "the scrape has every row's compliance" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)" \
    "$(grep '^cvpPortCompliance{cvpPortCompliance="compliant"' "$work/metrics" | grep -c .)"
check "a listening row, by name" 1 \
    "$(series 'cvpPortState{cvpPortIndex="5",cvpPortName="vxml-http",cvpPortState="listening"}' 1)"
check "its compliance" 1 \
    "$(series 'cvpPortCompliance{cvpPortCompliance="compliant",cvpPortIndex="5",cvpPortName="vxml-http"}' 1)"
check "an exposed row" 1 \
    "$(series 'cvpPortCompliance{cvpPortCompliance="exposed",cvpPortIndex="7",cvpPortName="vxml-tomcat"}' 1)"
check "and not compliant" 1 \
    "$(series 'cvpPortCompliance{cvpPortCompliance="compliant",cvpPortIndex="7",cvpPortName="vxml-tomcat"}' 0)"
check "an unexpected listener, its address readable" 1 \
    "$(grep -c "^cvpListenerClass{cvpListenerAddress=\"127.0.0.1\",cvpListenerClass=\"unexpected\",cvpListenerPort=\"$p_odd\",cvpListenerProtocol=\"[^\"]*\"} 1\$" "$work/metrics")"
check "its process" 1 \
    "$(grep -c "^cvpListenerProcessName{cvpListenerAddress=\"127.0.0.1\",cvpListenerPort=\"$p_odd\",cvpListenerProcessName=\"listen_helper\",cvpListenerProtocol=\"[^\"]*\"} 1\$" "$work/metrics")"
check "the globals" 1 "$(grep -c '^cvpPortCatalogSize 59$' "$work/metrics")"
check "cvpPortUnattributedCount" 1 "$(grep -c '^cvpPortUnattributedCount ' "$work/metrics")"
it_done
