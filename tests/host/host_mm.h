/* SPDX-License-Identifier: MIT */
/*
 * Helpers for host tests of mm/: a fake machine in a few calls.
 *
 *   host_mm_setup_default();           a 3-zone machine (host_default_map)
 *   host_mm_setup(map, n);             a machine of your own memory map
 *   host_set_cpu(2);                   this thread is CPU 2 from now on
 *   mark = ktest_console_mark(); ...; host_console_count(mark, "BUG")
 *
 * host_mm_setup() throws away the previous machine entirely: memory
 * contents, struct pages, mappings and every allocator state in mm/page_alloc,
 * memblock and vmalloc. Objects from before (pages, vmalloc areas, slab
 * caches) are invalid afterwards; a slab test must create its caches again.
 */
#ifndef TESTS_HOST_HOST_MM_H
#define TESTS_HOST_HOST_MM_H

#include "kmm/types.h"
#include "boot/boot_info.h"

/*
 * The fake machine (tests/host/port.c), handed to libkmm with kmm_setup():
 *
 *   host_phys_base  one MAP_SHARED mapping of a memfd, HOST_PHYS_SIZE bytes:
 *                   "physical" address pa lives at host_phys_base + pa (the
 *                   direct map). Untouched pages cost nothing.
 *   host_vmemmap    a PROT_NONE reservation for HOST_PHYS_SIZE / PAGE_SIZE
 *                   struct pages; mem_init() maps backing into it from
 *                   memblock, exactly as the kernel does.
 *   vmalloc area    a PROT_NONE reservation of HOST_VMALLOC_SIZE bytes.
 *
 * The map-page hook maps the memfd page at offset pa at va with
 * mmap(MAP_FIXED), so the same physical page is reachable through both
 * addresses; unmapping puts PROT_NONE back, so guard pages and unmapped
 * struct pages really fault. CPUs are threads: each says which CPU it is
 * with host_set_cpu(). Interrupts do not exist.
 */
#define HOST_PHYS_SIZE    (8ULL << 30)
#define HOST_VMALLOC_SIZE (1UL << 30)
#define HOST_NR_CPUS      8

extern unsigned char *host_phys_base;
extern struct page *host_vmemmap;
extern unsigned long host_vmalloc_start;
extern unsigned long host_kfence_start; /* the KFENCE pool: a PROT_NONE reservation */

/*
 * The default machine: 640 KiB + 15 MiB of DMA, 112 MiB of DMA32 with a hole
 * in it, 64 MiB of Normal above 4 GiB; a reserved entry inside the RAM.
 */
extern const struct boot_mem_range host_default_map[];
extern const unsigned int host_default_map_len;

/*
 * Start a fresh machine from @map: memblock_add_map(), reserve the first
 * MiB (as the kernel does for firmware), mem_init(). Ranges must lie below
 * HOST_PHYS_SIZE to be usable.
 */
void host_mm_setup(const struct boot_mem_range *map, unsigned int n);
void host_mm_setup_default(void);

/* Only start memblock afresh (empty tables); for memblock's own tests. */
void host_memblock_reset(void);

/* Declare that the calling thread is CPU @cpu (< MM_NR_CPUS). */
void host_set_cpu(unsigned int cpu);

/* How many times @text was printed since @mark (see ktest_console_mark). */
unsigned int host_console_count(unsigned long mark, const char *text);

/*
 * Keep messages with a KERN_* level off stdout (they are still recorded for
 * the checks); KTAP lines, which have none, still print. Returns the old value.
 */
bool host_console_quiet(bool quiet);

/* A seed from env KMM_SEED (decimal or 0x hex) or @fallback. */
u64 host_seed(u64 fallback);

/* Pages currently mapped through mm_map_kernel_page(). */
unsigned long host_mapped_pages(void);

#endif /* TESTS_HOST_HOST_MM_H */
