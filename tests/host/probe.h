/* SPDX-License-Identifier: MIT */
/*
 * The host's stand-in for arch/x86_64/probe.h, so that suites written for
 * the kernel also build as host tests: the read is done by the kernel on our
 * behalf (process_vm_readv), which fails with EFAULT instead of a signal.
 */
#ifndef TESTS_HOST_PROBE_H
#define TESTS_HOST_PROBE_H

#include "kmm/types.h"

/* Read a byte at @addr into *@val (if non-NULL). 0 or -EFAULT. */
int probe_read_u8(const void *addr, u8 *val);

#endif /* TESTS_HOST_PROBE_H */
