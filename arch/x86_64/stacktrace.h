/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_64_STACKTRACE_H
#define ARCH_X86_64_STACKTRACE_H

/*
 * Up to @max return addresses of the frame-pointer chain from frame
 * pointer @bp; every frame is read with a probe, so a bad chain ends the
 * walk instead of faulting. Returns how many were stored.
 */
unsigned int arch_stack_trace(unsigned long bp, unsigned long *entries,
			      unsigned int max);

#endif /* ARCH_X86_64_STACKTRACE_H */
