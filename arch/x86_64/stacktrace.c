// SPDX-License-Identifier: MIT
/*
 * Saving a call chain for libkmm (its KMM_HOOK_STACK_TRACE): the kernel is
 * built with frame pointers, so each frame starts with the caller's frame
 * pointer and the return address. Every word is read through a probe, so
 * a corrupt or ending chain stops the walk instead of faulting.
 */
#include "mm/port.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/probe.h"
#include "arch/x86_64/stacktrace.h"

unsigned int arch_stack_trace(unsigned long bp, unsigned long *entries,
			    unsigned int max)
{
	unsigned int n = 0;
	u64 next, ret;

	while (n < max && bp >= KERNEL_SPACE_START && !(bp & 7) && bp < ~0UL - 16) {
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
