#!/usr/bin/env bash
# Integration, as a hostile local user would plant files: cvpportd's state and pid files.
# - A FIFO where the index map's temporary file used to be named: start-up is not held up (the
#   MIB is served) and the map is written.
# - A state directory others can write (mode 1777): refused with a clear error, no map written
#   there, the MIB still served.
# - A pid file that is a symbolic link, or a FIFO: refused with exit 1, the link's target
#   untouched, nothing hangs.
# Usage: integration_state_files.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
it_start_master || exit 1
printf 'cvpRefresh 1\n' >"$work/c.conf"

# a FIFO at the old temporary name
export SNMP_PERSISTENT_DIR=$work/state
mkdir -m 700 "$SNMP_PERSISTENT_DIR"
mkfifo "$SNMP_PERSISTENT_DIR/cvpportd-index.new"
it_start_cvpportd "$work/c.conf"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ]" 100
check "a FIFO in the state directory does not hold start-up up" "$CVP_ROWS" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"
check "the map is written" yes "$([ -f "$SNMP_PERSISTENT_DIR/cvpportd-index" ] && echo yes || echo no)"
cvp_kill_pidfile "$work/cvpportd.pid"

# a state directory others can write
export SNMP_PERSISTENT_DIR=$work/open
mkdir -m 1777 "$SNMP_PERSISTENT_DIR"
it_start_cvpportd "$work/c.conf" "$work/open.log"
cvp_wait "[ \"\$(get CVP-PORT-MIB::cvpPortCatalogSize.0)\" = $CVP_ROWS ]" 100
check "a state directory others can write: the MIB is still served" "$CVP_ROWS" "$(get CVP-PORT-MIB::cvpPortCatalogSize.0)"
check "... refused, saying why" 1 "$(grep -c "$SNMP_PERSISTENT_DIR: the state directory can be written by others (owner 0, mode 1777)" "$work/open.log")"
check "... and nothing written there" 0 "$(find "$SNMP_PERSISTENT_DIR" -name 'cvpportd-index*' | wc -l)"
cvp_kill_pidfile "$work/cvpportd.pid"
export SNMP_PERSISTENT_DIR=$work/state

# pid files planted as a link and as a FIFO
echo "keep me" >"$work/victim"
ln -s "$work/victim" "$work/link.pid"
timeout 20 "$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$agentx" -C -c "$work/c.conf" -Lf "$work/link.log" \
    -p "$work/link.pid"
check "a pid file that is a link: exit 1" 1 "$?"
check "... saying so" 1 "$(grep -c "cannot write $work/link.pid: it is a symbolic link" "$work/link.log")"
check "... its target untouched" "keep me" "$(cat "$work/victim")"
mkfifo "$work/fifo.pid"
timeout 20 "$CVP_BUILD/cvpportd" -f -x "tcp:127.0.0.1:$agentx" -C -c "$work/c.conf" -Lf "$work/fifo.log" \
    -p "$work/fifo.pid"
check "a pid file that is a FIFO: exit 1, not hung" 1 "$?"
check "... saying so" 1 "$(grep -c "cannot write $work/fifo.pid: not a regular file" "$work/fifo.log")"
it_done
