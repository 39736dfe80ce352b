// SPDX-License-Identifier: MIT
/*
 * kmm's allocators as backends, on the host port (tests/host/port.c): the
 * same mm/ code as the kernel, compiled -O2 without KMM_DEBUG like the
 * kernel, over a fake machine whose "physical memory" is a memfd.
 *
 *   kmalloc     kmalloc(size) / kfree; its page columns are alloc_pages /
 *               __free_pages, the allocator under the slabs
 *   kmem_cache  one cache of 64-byte objects: kmem_cache_alloc / _free
 *
 * Threads are CPUs: worker i says host_set_cpu(i), so it has its own
 * per-CPU magazines and per-CPU page list, as a CPU of the kernel would.
 * Footprint is what the allocators took from the buddy allocator: every
 * page not free (slabs, large kmallocs, magazines, caches), in bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "host_mm.h"

/* The bench machine: 1 GiB in DMA + DMA32, 1 GiB of Normal above 4 GiB. */
static const struct boot_mem_range bench_map[] = {
	{ 0x0, 0x9f000, BOOT_MEM_USABLE, 0 },
	{ 0x9f000, 0x61000, BOOT_MEM_RESERVED, 0 },
	{ 0x100000, 0x3ff00000, BOOT_MEM_USABLE, 0 },
	{ 0x100000000ULL, 0x40000000, BOOT_MEM_USABLE, 0 },
};

static struct kmem_cache *bench_cache;

long bench_kmm_ram_pages;
double bench_kmm_memmap_pct;

static size_t kmm_used_bytes(void)
{
	return (size_t)(totalram_pages - nr_free_pages()) * PAGE_SIZE;
}

static void *page_alloc_addr(unsigned int order)
{
	struct page *pg = alloc_pages(GFP_KERNEL, order);

	return pg ? page_address(pg) : NULL;
}

static void page_free_addr(void *p, unsigned int order)
{
	__free_pages(virt_to_page(p), order);
}

#define BK(x) kmalloc_##x
#define BK_ALLOC(size) kmalloc(size, GFP_KERNEL)
#define BK_FREE(p) kfree(p)
#define BK_THREAD_ENTER(idx) host_set_cpu(idx)
#define BK_FOOTPRINT() kmm_used_bytes()
#define BK_PAGE_ALLOC(order) page_alloc_addr(order)
#define BK_PAGE_FREE(p, order) page_free_addr(p, order)
#include "workloads.h"
#undef BK
#undef BK_ALLOC
#undef BK_FREE
#undef BK_PAGE_ALLOC
#undef BK_PAGE_FREE

#define BK(x) cache_##x
#define BK_ALLOC(size) kmem_cache_alloc(bench_cache, GFP_KERNEL)
#define BK_FREE(p) kmem_cache_free(bench_cache, p)
#define BK_FIXED_SIZE
#include "workloads.h"

static void machine_reset(void)
{
	unsigned int i;

	host_memblock_reset();
	host_set_cpu(0);
	/*
	 * KMM_BENCH_NODES=2: the same RAM as two NUMA nodes, the low GiB and
	 * the high one, CPU 0 on node 0 (the multi-node cost in
	 * docs/bench-kernel.md).
	 */
	numa_reset();
	if (getenv("KMM_BENCH_NODES") && atoi(getenv("KMM_BENCH_NODES")) == 2) {
		numa_add_memblk(0, 0, 0x40000000);
		numa_add_memblk(1, 0x100000000ULL, 0x140000000ULL);
	}
	memblock_add_map(bench_map, ARRAY_SIZE(bench_map));
	memblock_reserve(0, 1UL << 20);
	bench_kmm_ram_pages = 0;
	for (i = 0; i < ARRAY_SIZE(bench_map); i++)
		if (bench_map[i].type == BOOT_MEM_USABLE)
			bench_kmm_ram_pages += bench_map[i].size / PAGE_SIZE;
}

static const char *kmm_backend_setup(void)
{
	host_console_quiet(true);
	machine_reset();
	mem_init();
	kmem_cache_init();
	bench_kmm_memmap_pct = 100.0 * (double)memmap_pages / (double)bench_kmm_ram_pages;
	bench_cache = kmem_cache_create("bench-64", 64, 0, 0, NULL);
	return bench_cache ? NULL : "kmem_cache_create failed";
}

/* Boot cost: mem_init() over the bench machine, per page of RAM. */
static double meminit(void)
{
	double ns;

	machine_reset();
	bench_measure_start();
	mem_init();
	ns = bench_measure_stop();
	kmem_cache_init();
	bench_cache = kmem_cache_create("bench-64", 64, 0, 0, NULL);
	return ns;
}

static double kmm_run(enum bench_workload w, long n)
{
	if (w == W_MEMINIT)
		return meminit();
	return kmalloc_run(w, n);
}

const struct bench_backend bench_kmm_backends[] = {
	{ "kmalloc", kmm_backend_setup, kmm_run, kmalloc_replay, NULL },
	{ "kmem_cache", kmm_backend_setup, cache_run, NULL, NULL },
};
const unsigned int bench_nr_kmm_backends = ARRAY_SIZE(bench_kmm_backends);
