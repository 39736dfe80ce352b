// SPDX-License-Identifier: MIT
/*
 * kmm_setup(): the kernel's layout, checked once and kept in kmm_ variables
 * that mm/port.h turns into __va, vmemmap, VMALLOC_START and the zone
 * limits. Variables, not constants, so that one libkmm.a serves any layout
 * (and a kernel that randomises its own). The conversions a kernel may call
 * (page_address and friends) are exported here too; mm/ itself inlines them.
 */
#include "mm/port.h"
#include "mm/memblock.h"

unsigned long kmm_page_offset_base, kmm_vmemmap_base;
unsigned long kmm_vmalloc_start, kmm_vmalloc_end;
unsigned long kmm_image_base, kmm_image_size;
phys_addr_t kmm_image_base_pa;
phys_addr_t kmm_max_phys_addr;
phys_addr_t kmm_zone_dma_end = 16ULL << 20;
phys_addr_t kmm_zone_dma32_end = 4ULL << 30;
unsigned int kmm_nr_cpus = 1;
unsigned long kmm_kfence_pool_start;

_Static_assert(sizeof(struct page) == KMM_STRUCT_PAGE_SIZE,
	       "kmm/kmm.h tells porters the size of struct page");
_Static_assert(sizeof(kmm_phys_addr_t) == sizeof(phys_addr_t),
	       "the public and the internal physical address agree");

/* Do [a, a + alen) and [b, b + blen) share a byte? */
static bool overlaps(unsigned long a, unsigned long alen, unsigned long b,
		     unsigned long blen)
{
	return a < b + blen && b < a + alen;
}

/* Does [base, base + size) fit below 2^64? */
static bool fits(unsigned long base, unsigned long size)
{
	return size <= ~0UL - base + 1 || !base;
}

static int layout_error(const char *what)
{
	pr_err("kmm: kmm_setup: %s (see docs/porting.md#the-layout)\n", what);
	return -EINVAL;
}

int kmm_setup(const struct kmm_layout *l)
{
	unsigned long vmemmap_size, vmalloc_size;
	phys_addr_t dma = l->zone_dma_end ? l->zone_dma_end : 16ULL << 20;
	phys_addr_t dma32 = l->zone_dma32_end ? l->zone_dma32_end : 4ULL << 30;
	unsigned int cpus = l->nr_cpus ? l->nr_cpus : 1;

	if (!l->direct_map_base || !l->direct_map_size || !l->vmemmap_base ||
	    !l->vmalloc_start || !l->vmalloc_end)
		return layout_error("a required field is 0");
	if (!IS_ALIGNED(l->direct_map_base | l->direct_map_size | l->vmemmap_base |
			l->vmalloc_start | l->vmalloc_end, PAGE_SIZE))
		return layout_error("bases and sizes must be multiples of 4 KiB");
	if (!fits(l->direct_map_base, l->direct_map_size))
		return layout_error("the direct map wraps past 2^64");
	if (l->vmalloc_end <= l->vmalloc_start)
		return layout_error("vmalloc_end is not above vmalloc_start");
	vmemmap_size = l->direct_map_size / PAGE_SIZE * sizeof(struct page);
	vmalloc_size = l->vmalloc_end - l->vmalloc_start;
	if (!fits(l->vmemmap_base, vmemmap_size))
		return layout_error("the vmemmap wraps past 2^64");
	if (overlaps(l->direct_map_base, l->direct_map_size, l->vmemmap_base, vmemmap_size) ||
	    overlaps(l->direct_map_base, l->direct_map_size, l->vmalloc_start, vmalloc_size) ||
	    overlaps(l->vmemmap_base, vmemmap_size, l->vmalloc_start, vmalloc_size))
		return layout_error("direct map, vmemmap (direct_map_size / 64) and vmalloc overlap");
	if (l->image_size && (!fits(l->image_base, l->image_size) ||
			      overlaps(l->image_base, l->image_size, l->direct_map_base,
				       l->direct_map_size)))
		return layout_error("the kernel image range wraps or overlaps the direct map");
	if (l->kfence_pool_start &&
	    (!IS_ALIGNED(l->kfence_pool_start, PAGE_SIZE) ||
	     !fits(l->kfence_pool_start, KMM_KFENCE_POOL_SIZE) ||
	     overlaps(l->kfence_pool_start, KMM_KFENCE_POOL_SIZE, l->direct_map_base,
		      l->direct_map_size) ||
	     overlaps(l->kfence_pool_start, KMM_KFENCE_POOL_SIZE, l->vmemmap_base,
		      vmemmap_size) ||
	     overlaps(l->kfence_pool_start, KMM_KFENCE_POOL_SIZE, l->vmalloc_start,
		      vmalloc_size)))
		return layout_error("the KFENCE pool must be page aligned, apart from the other regions");
	if (dma > dma32 || !IS_ALIGNED(dma | dma32, PAGE_SIZE))
		return layout_error("zone limits: need zone_dma_end <= zone_dma32_end, page aligned");
	if (cpus > MM_NR_CPUS) {
		pr_err("kmm: kmm_setup: nr_cpus %u, but this libkmm keeps state for %u (KMM_MAX_CPUS)\n",
		       cpus, (unsigned int)MM_NR_CPUS);
		return -EINVAL;
	}
#ifndef KMM_PERCPU_GS_CPU_ID
	if (cpus > 1 && kmm_port_cpu_id() >= cpus)
		return layout_error("nr_cpus > 1 needs KMM_HOOK_CPU_ID (kmm/port.h) answering below nr_cpus");
#endif
	if (memblock_is_retired())
		return layout_error("called after mem_init()");

	kmm_page_offset_base = l->direct_map_base;
	kmm_max_phys_addr = l->direct_map_size;
	kmm_vmemmap_base = l->vmemmap_base;
	kmm_vmalloc_start = l->vmalloc_start;
	kmm_vmalloc_end = l->vmalloc_end;
	kmm_image_base = l->image_base;
	kmm_image_base_pa = l->image_base_pa;
	kmm_image_size = l->image_size;
	kmm_zone_dma_end = dma;
	kmm_zone_dma32_end = dma32;
	kmm_nr_cpus = cpus;
	kmm_kfence_pool_start = l->kfence_pool_start;
	return 0;
}

unsigned int kmm_max_cpus(void)
{
	return MM_NR_CPUS;
}
