// SPDX-License-Identifier: MIT
/*
 * The kernel's gfp and exhaust self-tests (bad GFP flags; exhaust, free,
 * back to the exact baseline), run on the host's fake machine under the
 * sanitizers.
 */
#include "host_mm.h"
#include "mm/slab.h"

static void __attribute__((constructor)) ksuites_gfp_machine(void)
{
	host_mm_setup_default();
	kmem_cache_init();
}

#include "../kernel/test_gfp.c"
#include "../kernel/test_exhaust.c"
