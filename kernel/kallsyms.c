// SPDX-License-Identifier: MIT
/*
 * Symbol lookup for %pS and backtraces. The table is generated at link time
 * by tools/gen-kallsyms.sh from the kernel's own symbols (see Makefile):
 * kallsyms_addrs[] sorted ascending, names in one string blob.
 */
#include "kmm/printk.h"
#include "kmm/types.h"

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_name_offs[];
extern const char kallsyms_names[];
extern const char _etext[];

bool kallsyms_lookup(unsigned long addr, const char **name,
		     unsigned long *offset, unsigned long *size)
{
	u64 lo = 0, hi = kallsyms_num, mid, end;

	if (!kallsyms_num || addr < kallsyms_addrs[0] ||
	    addr >= (unsigned long)_etext)
		return false;
	/* The last symbol whose address is <= addr. */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	end = lo + 1 < kallsyms_num ? kallsyms_addrs[lo + 1] : (u64)_etext;
	*name = &kallsyms_names[kallsyms_name_offs[lo]];
	*offset = addr - kallsyms_addrs[lo];
	*size = end - kallsyms_addrs[lo];
	return true;
}
