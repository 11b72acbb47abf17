#!/usr/bin/env bash
# Builds the Debian package into build-deb/ (prefix /usr, the /etc/snmp/cvpportd.conf conffile,
# the IETF MIB modules CVP-PORT-MIB imports) and prints its path.
# Usage: scripts/package.sh [BUILD_DIR]      (default build-deb)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
dir=${1:-build-deb}
bash scripts/deps.sh
bash scripts/build.sh "$dir" -DCVP_PACKAGE=ON -DCVP_TESTS=OFF -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX=/usr
rm -f "$dir"/*.deb
if ! out=$(cd "$dir" && cpack -G DEB 2>&1); then
    echo "$out" >&2
    echo "package.sh: cpack failed" >&2
    exit 1
fi
ls "$dir"/*.deb
