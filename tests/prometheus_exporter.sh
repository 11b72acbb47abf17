#!/usr/bin/env bash
# Integration: Prometheus through Debian's snmp_exporter. The real exporter, with the shipped
# module cvp_port (mib/prometheus/snmp.yml), scrapes the test master: a listening row, an
# exposed row and an unexpected listener carry the right values and labels (row names and
# roles, the listener's address rendered readably), units in HELP. A real Prometheus with the
# shipped scrape job (prometheus.yml, targets and exporter address filled in) shows a dual-stack
# listener's address readably, and with cvpportd stopped the CvpPortMibAbsent rule's expression
# finds the target. promtool checks the rules and runs their tests (cvpportd down included).
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
p_odd=$(cvp_free_port tcp 12000 16000) p_dual=$(cvp_free_port tcp 12000 16000)
p_v6=$(cvp_free_port tcp 12000 16000)
printf 'cvpRefresh 1\ncvpPortMove vxml-http %s\ncvpPortMove vxml-tomcat %s\ncvpIgnore tcp %s\ncvpIgnore tcp 199\n' \
    "$p_http" "$p_tomcat" "$agentx" >"$conf"
for spec in "tcp/0.0.0.0/$p_http" "tcp/0.0.0.0/$p_tomcat" "tcp/127.0.0.1/$p_odd" \
    "tcp/::/$p_dual,dual" "tcp/::/$p_v6,v6only"; do
    "$CVP_BUILD/tests/listen_helper" "$spec" >"$work/l-${spec##*/}.out" 2>&1 &
    it_pids+=($!)
    cvp_wait "grep -q ready '$work/l-${spec##*/}.out'" 50 || exit 1
done
it_start_cvpportd "$conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortState.5)\" = listening ]" 100

web=$(cvp_free_port tcp 12000 16000)
"$exporter" --config.file="$prom/snmp.yml" --web.listen-address="127.0.0.1:$web" \
    >"$work/exporter.log" 2>&1 &
it_pids+=($!)
cvp_wait "ss -ltnH 'sport = :$web' | grep -q ." 100 || { cat "$work/exporter.log"; exit 1; }
it_scans_after 2 # the exporter's own listener is in what cvpportd publishes, before and after the scrape
scrape() {
    python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' \
        "http://127.0.0.1:$web/snmp?module=cvp_port&target=$target"
}
scrape >"$work/metrics" || { echo "scrape failed"; cat "$work/exporter.log"; exit 1; }
[ -z "${CVP_DEBUG:-}" ] || cp "$work/metrics" /tmp/cvp-metrics.txt
series() { grep -c "^$1 $2\$" "$work/metrics"; } # series 'NAME{LABELS}' VALUE: how many lines
check "the scrape has every row's compliance" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)" \
    "$(grep '^cvpPortCompliance{cvpPortCompliance="compliant"' "$work/metrics" | grep -c .)"
check "a listening row, by name and role" 1 \
    "$(series 'cvpPortState{cvpPortIndex="5",cvpPortName="vxml-http",cvpPortRole="vxml",cvpPortState="listening"}' 1)"
check "its compliance" 1 \
    "$(series 'cvpPortCompliance{cvpPortCompliance="compliant",cvpPortIndex="5",cvpPortName="vxml-http",cvpPortRole="vxml"}' 1)"
check "an exposed row" 1 \
    "$(series 'cvpPortCompliance{cvpPortCompliance="exposed",cvpPortIndex="7",cvpPortName="vxml-tomcat",cvpPortRole="vxml"}' 1)"
check "and not compliant" 1 \
    "$(series 'cvpPortCompliance{cvpPortCompliance="compliant",cvpPortIndex="7",cvpPortName="vxml-tomcat",cvpPortRole="vxml"}' 0)"
check "the role is no enumeration" 0 "$(grep -c '^cvpPortRole_info' "$work/metrics")"
check "the host's roles, as a label" 1 \
    "$(series 'cvpPortRoles{cvpPortRoles="callserver,vxml,media,common,snmp,mgmt"}' 1)"
check "units in HELP" 2 "$(grep -cE '^# HELP cvpPortScan(Duration|Age) .*\(unit: (microseconds|seconds)\)' "$work/metrics")"
check "an unexpected listener, a finding by address and process" 1 \
    "$(grep -c "^cvpFindingKind_info{cvpFindingAddress=\"127.0.0.1\",cvpFindingKind=\"unexpected\",cvpFindingPort=\"$p_odd\",cvpFindingProcessName=\"listen_helper\",cvpFindingProtocol=\"[^\"]*\"} 1\$" "$work/metrics")"
check "every finding cvpportd has is in the scrape" "$(get CVP-PORT-MIB::cvpPortUnexpectedCount.0)" \
    "$(grep -c '^cvpFindingKind_info{.*cvpFindingKind="unexpected"' "$work/metrics")"
check "the listener table is not scraped" 0 "$(grep -c '^cvpListener' "$work/metrics")"
check "the globals" 1 "$(grep -c "^cvpPortCatalogSize $CVP_ROWS\$" "$work/metrics")"
check "cvpPortUnattributedCount" 1 "$(grep -c '^cvpPortUnattributedCount ' "$work/metrics")"

# A real Prometheus with the shipped scrape job, scraping every second.
command -v prometheus >/dev/null || { echo "prometheus missing (scripts/deps.sh)"; exit 1; }
pport=$(cvp_free_port tcp 12000 16000)
sed -e "s/cvp-host-1.example.net/$target/; s/127.0.0.1:9116/127.0.0.1:$web/" \
    -e 's/scrape_interval: 60s/scrape_interval: 1s/; s/scrape_timeout: 30s/scrape_timeout: 1s/' \
    -e "s|- cvpportd.rules.yml|- $prom/cvpportd.rules.yml|" "$prom/prometheus.yml" >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$work/prometheus.log" 2>&1 &
it_pids+=($!)
query() { # query PROMQL: the number of series it returns
    python3 -c 'import json, sys, urllib.parse, urllib.request
u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
print(len(json.load(urllib.request.urlopen(u, timeout=5))["data"]["result"]))' "$pport" "$1" 2>/dev/null || echo error
}
dual="cvpFindingKind_info{cvpFindingAddress=\"::,0.0.0.0\",cvpFindingPort=\"$p_dual\"}"
# (scrapes every second; under a sanitizer on a loaded machine some time out: a minute)
cvp_wait "[ \"\$(query '$dual')\" = 1 ]" 600
check "Prometheus: a dual-stack listener's address reads ::,0.0.0.0" 1 "$(query "$dual")"
check "Prometheus: a v6only one's reads as IPv6" 1 \
    "$(query "cvpFindingKind_info{cvpFindingAddress=\"0000:0000:0000:0000:0000:0000:0000:0000\",cvpFindingPort=\"$p_v6\"}" | sed 's/^0$/none/')"
absent_expr='snmp_scrape_duration_seconds{job="cvp_port"} unless on (job, instance) cvpPortCatalogSize'
check "Prometheus: cvpportd running, CvpPortMibAbsent's expression finds nothing" 0 "$(query "$absent_expr")"
cvp_kill_pidfile "$work/cvpportd.pid"
# the last samples go stale after Prometheus's 5-minute lookback, or at once when a scrape
# no longer returns the series (staleness markers)
cvp_wait "[ \"\$(query '$absent_expr')\" = 1 ]" 300
check "Prometheus: cvpportd stopped, the agent still answers: CvpPortMibAbsent's expression finds the target" 1 "$(query "$absent_expr")"
it_done
