// SPDX-License-Identifier: MIT
/*
 * Saving a call chain for mm/ (the port's mm_stack_trace()): the kernel is
 * built with frame pointers, so each frame starts with the caller's frame
 * pointer and the return address. Every word is read through a probe, so
 * a corrupt or ending chain stops the walk instead of faulting.
 */
#include "mm/port.h"
#include "arch/x86_64/probe.h"

unsigned int mm_stack_trace(unsigned long bp, unsigned long *entries,
			    unsigned int max)
{
	unsigned int n = 0;
	u64 next, ret;

	while (n < max && bp >= PAGE_OFFSET && !(bp & 7) && bp < ~0UL - 16) {
		if (probe_read_u64((const void *)bp, &next) ||
		    probe_read_u64((const void *)(bp + 8), &ret) || !ret)
			break;
		entries[n++] = ret;
		/* Frames move up the stack; anything else ends the chain. */
		if (next <= bp)
			break;
		bp = next;
	}
	return n;
}
