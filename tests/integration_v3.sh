#!/usr/bin/env bash
# Integration: the README's SNMPv3 recipe. A master with an authPriv user whose view holds
# CVP-PORT-MIB only: the user reads cvpportd's objects through the master; the same user sees
# nothing outside the view; a wrong passphrase and an unauthenticated request are refused.
# Usage: integration_v3.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"

agentx=$(cvp_free_port tcp 12000 16000) || exit 1
CVP_SNMPD_EXTRA='createUser cvpmon SHA "cvp-auth-pass" AES "cvp-priv-pass"
view cvpPortView included .1.3.6.1.4.1.8072.9999.9999.7161
rouser -s usm cvpmon priv -V cvpPortView' it_start_master || exit 1
printf 'cvpRefresh 1\n' >"$work/cvpportd.conf"
it_start_cvpportd "$work/cvpportd.conf"
v3() { # v3 TOOL [ARGS]: as cvpmon, authPriv
    local tool=$1
    shift
    MIBS="" "$tool" -v3 -l authPriv -u cvpmon -a SHA -A cvp-auth-pass -x AES -X cvp-priv-pass \
        -M "$CVP_MIBDIRS" -m CVP-PORT-MIB -t 2 -r 0 "$target" "$@" 2>&1
}
cvp_wait "v3 snmpget -Oqv CVP-PORT-MIB::cvpPortCatalogSize.0 | grep -qx $CVP_ROWS" 100
check "the v3 user reads CVP-PORT-MIB" "$CVP_ROWS" "$(v3 snmpget -Oqv CVP-PORT-MIB::cvpPortCatalogSize.0)"
rows=$(v3 snmpbulkwalk -Oqv CVP-PORT-MIB::cvpPortName | grep -c .)
check "and walks cvpPortTable" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)" "$rows"
check "nothing outside its view: sysDescr" 1 \
    "$(v3 snmpget -On .1.3.6.1.2.1.1.1.0 | grep -c 'No Such Object')"
outside=$(v3 snmpwalk -On .1.3.6.1.2.1 | grep -c '^\.1\.3\.6\.1\.2\.1\.')
check "nothing outside its view: a walk of mib-2 returns no value" 0 "$outside"
check "a wrong privacy passphrase is refused" 0 "$(MIBS="" snmpget -v3 -l authPriv -u cvpmon -a SHA \
    -A cvp-auth-pass -x AES -X wrong-priv-pass -t 1 -r 0 "$target" \
    .1.3.6.1.4.1.8072.9999.9999.7161.1.1.1.0 2>&1 | grep -c "Gauge32: $CVP_ROWS")"
check "noAuthNoPriv as the same user is refused" 0 "$(MIBS="" snmpget -v3 -l noAuthNoPriv -u cvpmon \
    -t 1 -r 0 "$target" .1.3.6.1.4.1.8072.9999.9999.7161.1.1.1.0 2>&1 | grep -c "Gauge32: $CVP_ROWS")"
it_done
