#!/bin/bash
# SPDX-License-Identifier: MIT
# The symbol test of libkmm, in KTAP: usage: symbols.sh LIBKMM.A [NM [CC]]
#
#  1 every global symbol the library defines is public (tests/lib/public-symbols.txt)
#    or starts with kmm_ / __kmm_, so it cannot collide with a kernel's own
#  2 every public name is declared in include/kmm/kmm.h (the list is the API)
#  3 the library needs nothing from outside but the three required hooks: no
#    C library, no file of kmm's kernel
#  4 the check catches a slip: the archive plus one object with a generic
#    global fails check 1
set -u
lib=${1:?usage: symbols.sh LIBKMM.A [NM [CC]]}
NM=${2:-nm}
CC=${3:-gcc}
here=$(dirname "$0")
list="$here/public-symbols.txt"
header="$here/../../include/kmm/kmm.h"
required="kmm_port_map_page kmm_port_unmap_page kmm_port_console_write"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

public() { grep -v '^#' "$list" | grep -v '^$'; }

# Globals defined in $1 that are neither public nor prefixed, one a line.
strays() {
	"$NM" -g --defined-only "$1" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u |
		grep -v -E '^(__)?kmm_' | grep -v -x -F -f <(public)
}

echo "KTAP version 1"
echo "1..4"
fail=0

if [ ! -f "$lib" ]; then
	echo "# $lib: no such archive (make lib)"
	for i in 1 2 3 4; do echo "not ok $i symbols"; done
	exit 1
fi

bad=$(strays "$lib")
if [ -z "$bad" ]; then
	echo "ok 1 globals_public_or_prefixed"
else
	for s in $bad; do echo "# $s: global, neither public nor kmm_-prefixed (add it to mm/namespace.h)"; done
	echo "not ok 1 globals_public_or_prefixed"
	fail=1
fi

missing=
for s in $(public); do
	case $s in memcpy|memset|memmove|memcmp) continue ;; esac
	grep -q -w -- "$s" "$header" || missing="$missing $s"
done
if [ -z "$missing" ]; then
	echo "ok 2 public_list_is_declared"
else
	for s in $missing; do echo "# $s: in public-symbols.txt but not declared in include/kmm/kmm.h"; done
	echo "not ok 2 public_list_is_declared"
	fail=1
fi

"$NM" -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort -u > "$tmp/defined"
"$NM" -g --undefined-only "$lib" | awk '{ print $NF }' | grep -v ':$' | sort -u > "$tmp/undefined"
outside=$(comm -23 "$tmp/undefined" "$tmp/defined" | grep -v -x -F -f <(tr ' ' '\n' <<< "$required"))
if [ -z "$outside" ]; then
	echo "ok 3 needs_only_the_required_hooks"
else
	for s in $outside; do echo "# $s: undefined in libkmm.a and not a required hook"; done
	echo "not ok 3 needs_only_the_required_hooks"
	fail=1
fi

cp "$lib" "$tmp/slip.a"
echo 'int helper_count;' > "$tmp/slip.c"
if "$CC" -c "$tmp/slip.c" -o "$tmp/slip.o" && ar q "$tmp/slip.a" "$tmp/slip.o" 2>/dev/null &&
	[ "$(strays "$tmp/slip.a")" = "helper_count" ]; then
	echo "ok 4 catches_a_generic_global"
else
	echo "# a generic global (helper_count) added to a copy of the archive was not reported alone"
	echo "not ok 4 catches_a_generic_global"
	fail=1
fi
exit $fail
