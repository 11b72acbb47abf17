#!/usr/bin/env bash
# The options are documented once, three times alike: `cvpportd --help`, README's options table
# and cvpportd(8)'s OPTIONS name the same set of options.
# Usage: options_doc.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
# --help: the lines that start with an option.
"$CVP_BUILD/cvpportd" --help | grep -oE '^  --?[A-Za-z][A-Za-z-]*(, --?[A-Za-z][A-Za-z-]*)?' |
    sed 's/^  //; s/, /\n/' | sort -u >"$work/help"
# README: the first cell of each row of the table under "| option | meaning |".
awk '/^\| option \| meaning \|/ { t = 1; next } t && !/^\|/ { exit } t && /^\| `-/ { print }' \
    "$CVP_TOP/README.md" | cut -d'|' -f2 | grep -oE '`--?[A-Za-z][A-Za-z-]*' | tr -d '`' |
    sort -u >"$work/readme"
# cvpportd(8): the tags of OPTIONS (the line after each .TP).
awk '/^\.SH OPTIONS/ { s = 1; next } s && /^\.SH/ { exit } s && prev == ".TP" { print } { prev = $0 }' \
    "$CVP_TOP/agent/dist/cvpportd.8" | sed 's/\\-/-/g' | grep -oE '(^|[ "])--?[A-Za-z][A-Za-z-]*' |
    tr -d ' "' | sort -u >"$work/man"
check "--help names options" yes "$([ "$(wc -l <"$work/help")" -ge 10 ] && echo yes || echo no)"
check "README's table = --help" "" "$(diff "$work/help" "$work/readme" | grep '^[<>]' | tr '\n' ' ')"
check "cvpportd(8) = --help" "" "$(diff "$work/help" "$work/man" | grep '^[<>]' | tr '\n' ' ')"
it_done
