// SPDX-License-Identifier: MIT
/* All of the example kernel's kmm glue: hooks, layout, start-up. */
#include "minimal.h"
#include <kmm/kmm.h>

static void console_write(int level, const char *text, unsigned long len)
{
	(void)level;
	serial_write(text, len);
}

#define KMM_HOOK_MAP_PAGE      map_page
#define KMM_HOOK_UNMAP_PAGE    unmap_page
#define KMM_HOOK_CONSOLE_WRITE console_write
#define KMM_HOOK_PANIC         panic
#include <kmm/port.h>

extern char _start[], kernel_end[];

static void add_ram(u64 base, u64 len)
{
	memblock_add(base, len);
}

void kmm_start(u64 mbi)
{
	static const struct kmm_layout layout = {
		.direct_map_base = DIRECT_MAP,
		.direct_map_size = DIRECT_MAP_SIZE,
		.vmemmap_base = VMEMMAP_BASE,
		.vmalloc_start = VMALLOC_START,
		.vmalloc_end = VMALLOC_END,
		.image_base = KERNEL_VMA,
		.image_size = 1UL << 30,
	};

	if (kmm_setup(&layout))
		panic("kmm_setup refused our layout");
	mb2_each_ram(mbi, add_ram);
	memblock_reserve(0, 1UL << 20);                  /* BIOS, boot.S */
	memblock_reserve(0x100000, (u64)kernel_end - KERNEL_VMA - 0x100000);
	memblock_reserve(mbi, *(u32 *)phys_to_virt(mbi)); /* the boot info */
	mem_init();
	kmem_cache_init();
}
