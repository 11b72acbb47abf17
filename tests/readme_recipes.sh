#!/usr/bin/env bash
# Every recipe the README gives is run by a test: each ```sh block is marked
# `<!-- recipe: NAME -->` and some test runs `recipe NAME` or `it_recipe NAME`; no test names a
# recipe the README lacks; each recipe is valid shell.
# Usage: readme_recipes.sh BUILD_DIR
. "$(dirname "$0")/it_lib.sh" "$1"
readme=$CVP_TOP/README.md
check "every sh block is a marked recipe" 0 \
    "$(awk '/^```sh$/ && prev !~ /^<!-- recipe: [a-z0-9-]+ -->$/ { n++ } { prev = $0 } END { print n + 0 }' "$readme")"
names=$(sed -n 's/^<!-- recipe: \([a-z0-9-]*\) -->$/\1/p' "$readme")
check "the README has recipes" yes "$([ -n "$names" ] && echo yes || echo no)"
for n in $names; do
    check "recipe $n is run by a test" yes \
        "$(grep -qE "(^ *|\\\$\()(it_)?recipe $n( |\$|\))" "$CVP_TOP"/tests/*.sh && echo yes || echo no)"
    check "recipe $n is valid shell" 0 "$(it_recipe "$n" | bash -n; echo $?)"
done
for n in $(grep -ohE '(^ *|\$\()(it_)?recipe [a-z0-9-]+' "$CVP_TOP"/tests/*.sh | awk '{print $NF}' | sort -u); do
    check "tests' recipe $n is in the README" yes "$(echo "$names" | grep -qx "$n" && echo yes || echo no)"
done
check "README is under 400 lines" yes "$([ "$(wc -l <"$readme")" -lt 400 ] && echo yes || echo no)"
it_done
