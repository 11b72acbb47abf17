#!/usr/bin/env bash
# The man pages render without a warning (groff -ww) and with man -l; cmake --install puts them,
# the example configuration and the rest where operators look; the example configuration is
# valid for cvpportd --check-config.
# Usage: man_pages.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
top=$(cd "$(dirname "$0")/.." && pwd)

for page in cvpportd.8 cvpportd.conf.5; do
    check "$page renders without warnings" "" "$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$top/agent/dist/$page" 2>&1)"
    check "$page reads with man -l" yes \
        "$(MANWIDTH=80 man -l "$top/agent/dist/$page" 2>/dev/null | grep -q '^NAME' && echo yes || echo no)"
done
out=$("$CVP_BUILD/cvpportd" --check-config -C -c "$top/agent/dist/cvpportd.conf.example" 2>&1)
check "the example configuration is valid" 0 "$?"
check "and sets an owner rule" 1 "$(echo "$out" | grep -cE '^ +11  callserver-http .* java\*')"

DESTDIR=$work/root cmake --install "$CVP_BUILD" --prefix /usr >/dev/null
for f in usr/sbin/cvpportd usr/share/man/man8/cvpportd.8 usr/share/man/man5/cvpportd.conf.5 \
    usr/share/doc/cvpportd/cvpportd.conf.example usr/share/snmp/mibs/CVP-PORT-MIB.txt \
    usr/share/cvpportd/traphandle.sh usr/lib/systemd/system/cvpportd.service; do
    check "installed: /$f" yes "$([ -e "$work/root/$f" ] && echo yes || echo no)"
done
check "installed: the dlmod module" 1 "$(find "$work/root/usr/lib" -path '*/cvpportd/cvpPortMIB.so' | wc -l)"
it_done
