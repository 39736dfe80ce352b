#!/bin/bash
# SPDX-License-Identifier: MIT
# The clash test of libkmm's public headers, in KTAP: usage: clash.sh INCLUDE_DIR
#
# The umbrella header <kmm/kmm.h> and the glue header <kmm/port.h> must
# compile, with every warning an error, under GCC and clang, after and before
# a header full of a hobby kernel's usual definitions (tests/lib/hobby.h)
# and after <stdint.h>/<stddef.h>/<stdbool.h>; every macro they define is
# KMM_/kmm_ prefixed or a Linux API name. The last cases prove the test
# can fail: a generic typedef added to a copy of the header must clash, and
# the glue header without a required hook must stop with an #error naming it.
set -u
inc=${1:?usage: clash.sh INCLUDE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-std=gnu11 -ffreestanding -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -fsyntax-only"
compilers="gcc clang"

glue='static int m(unsigned long v, unsigned long p, unsigned int f) { (void)v; (void)p; (void)f; return 0; }
static void u(unsigned long v) { (void)v; }
static void w(int l, const char *t, unsigned long n) { (void)l; (void)t; (void)n; }
#define KMM_HOOK_MAP_PAGE m
#define KMM_HOOK_UNMAP_PAGE u
#define KMM_HOOK_CONSOLE_WRITE w'
use='void use(void);
void use(void) { void *p = kmalloc(64, GFP_KERNEL); kfree(p); (void)KMM_PAGE_SIZE; }'

write_case() {
	case $1 in
	hobby_first)   printf '#include "hobby.h"\n%s\n#include <kmm/port.h>\n%s\n' "$glue" "$use" ;;
	hobby_after)   printf '%s\n#include <kmm/port.h>\n#include "hobby.h"\n%s\n' "$glue" "$use" ;;
	libc_first)    printf '#include <stdint.h>\n#include <stddef.h>\n#include <stdbool.h>\n%s\n#include <kmm/port.h>\n%s\n' "$glue" "$use" ;;
	umbrella_only) printf '#include "hobby.h"\n#include <kmm/kmm.h>\n%s\n' "$use" ;;
	esac
}

cases="hobby_first hobby_after libc_first umbrella_only"
n=0
total=$(( $(wc -w <<< "$cases") * $(wc -w <<< "$compilers") + 3 ))
echo "KTAP version 1"
echo "1..$total"
fail=0
for cc in $compilers; do
	for c in $cases; do
		n=$((n + 1))
		write_case "$c" > "$tmp/$c.c"
		if $cc $flags -I"$inc" -I"$here" -c "$tmp/$c.c" > "$tmp/out" 2>&1; then
			echo "ok $n ${cc}_$c"
		else
			sed 's/^/# /' "$tmp/out" | head -20
			echo "not ok $n ${cc}_$c"
			fail=1
		fi
	done
done

# Every macro the headers define is prefixed or one of Linux's API names.
n=$((n + 1))
gcc -E -dM -ffreestanding -x c /dev/null | sort > "$tmp/macros.base"
printf '%s\n#include <kmm/port.h>\n' "$glue" > "$tmp/macros.c"
gcc -E -dM -ffreestanding -I"$inc" "$tmp/macros.c" | sort > "$tmp/macros.all"
stray=$(comm -13 "$tmp/macros.base" "$tmp/macros.all" | awk '{ sub(/\(.*/, "", $2); print $2 }' |
	grep -v -E '^(KMM_|kmm_|__GFP_|GFP_|SLAB_|ZERO_SIZE_PTR$|ZERO_OR_NULL_PTR$|MAX_NUMNODES$|NUMA_NO_NODE$|LOCAL_DISTANCE$|REMOTE_DISTANCE$)')
if [ -z "$stray" ]; then
	echo "ok $n macros_prefixed"
else
	for m in $stray; do echo "# $m: a macro of the public headers without a kmm or Linux API name"; done
	echo "not ok $n macros_prefixed"
	fail=1
fi

# A generic name put back into a copy of the header must be caught.
n=$((n + 1))
mkdir -p "$tmp/bad/kmm"
cp "$inc"/kmm/*.h "$tmp/bad/kmm/"
sed -i 's|^typedef unsigned long kmm_phys_addr_t;|&\ntypedef unsigned long u64;|' "$tmp/bad/kmm/kmm.h"
write_case hobby_first > "$tmp/bad.c"
if grep -q '^typedef unsigned long u64;' "$tmp/bad/kmm/kmm.h" &&
	! gcc $flags -I"$tmp/bad" -I"$here" -c "$tmp/bad.c" > /dev/null 2>&1; then
	echo "ok $n catches_a_generic_typedef"
else
	echo "# a header with 'typedef unsigned long u64' compiled after hobby.h"
	echo "not ok $n catches_a_generic_typedef"
	fail=1
fi

# The glue header without KMM_HOOK_UNMAP_PAGE: a compile error naming it.
n=$((n + 1))
printf '%s\n#undef KMM_HOOK_UNMAP_PAGE\n#include <kmm/port.h>\n' "$glue" > "$tmp/nohook.c"
if ! gcc $flags -I"$inc" -c "$tmp/nohook.c" > "$tmp/out" 2>&1 &&
	grep -q 'kmm: KMM_HOOK_UNMAP_PAGE not defined, see docs/porting.md#hooks' "$tmp/out"; then
	echo "ok $n missing_hook_is_a_compile_error"
else
	sed 's/^/# /' "$tmp/out" | head -5
	echo "not ok $n missing_hook_is_a_compile_error"
	fail=1
fi
exit $fail
