// SPDX-License-Identifier: MIT
/*
 * The kernel's page allocator and vmalloc self-tests, run on the host's fake
 * machine under the sanitizers before they ever run in QEMU.
 */
#include "host_mm.h"

static void __attribute__((constructor)) ksuites_machine(void)
{
	host_mm_setup_default();
}

#include "../kernel/test_buddy.c"
#include "../kernel/test_vmalloc.c"
