// SPDX-License-Identifier: MIT
/*
 * The shell's memmap command: every page frame's state as one character,
 * for tools/memmap.py to draw. The format, line by line (all prefixed
 * "memmap: " so a tool can pick them out of a whole console log):
 *
 *   memmap: begin start_pfn=0x0 end_pfn=0x8000 row=128
 *   memmap: zone DMA32 0x1000-0x8000             one per populated zone
 *   memmap: key R reserved                       one per character used
 *   memmap: 0x00001000 RRRR00001111pppp...       ROW pages from that pfn
 *   memmap: end pages=32768
 *
 * Rows that are all holes are left out (a tool draws them as holes).
 * Characters: '.' hole, 'R' reserved, 'K' kernel image, '0'..'9','a' free
 * in a zone list by block order 0..10, 'p' free on a per-CPU list, 'T' page
 * table, 'V' vmalloc, 'L' large kmalloc, 'A' alloc_pages with no owner,
 * '?' in no block, and one letter per slab cache, named by its key line
 * ('*' for caches beyond the letters).
 */
#include "kernel/shell.h"
#include "kernel/shell_internal.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "mm/gfp.h"
#include "mm/inspect.h"

#define MEMMAP_ROW 128

static const char slab_letters[] = "bcdefghijklmnoqrstuvwxyzBCDEFGHIJMNOQSUWXYZ";
#define NR_SLAB_LETTERS (sizeof(slab_letters) - 1)

struct memmap_state {
	const void *caches[NR_SLAB_LETTERS];
	const char *cache_names[NR_SLAB_LETTERS];
	unsigned int nr_caches;
	bool other_slab;
	bool used[128]; /* characters that occurred */
	phys_addr_t image_start, image_end;
};

static char slab_char(struct memmap_state *st, const struct page_info *pi)
{
	unsigned int i;

	for (i = 0; i < st->nr_caches; i++)
		if (st->caches[i] == pi->cache)
			return slab_letters[i];
	if (st->nr_caches == NR_SLAB_LETTERS) {
		st->other_slab = true;
		return '*';
	}
	st->caches[st->nr_caches] = pi->cache;
	st->cache_names[st->nr_caches] = pi->cache_name ? pi->cache_name : "?";
	return slab_letters[st->nr_caches++];
}

static char page_char(struct memmap_state *st, unsigned long pfn)
{
	struct page_info pi;

	page_inspect(pfn, &pi);
	switch (pi.kind) {
	case PAGE_KIND_HOLE:
		return '.';
	case PAGE_KIND_RESERVED:
		return PFN_PHYS(pfn) >= st->image_start && PFN_PHYS(pfn) < st->image_end ?
		       'K' : 'R';
	case PAGE_KIND_FREE:
		return pi.order < 10 ? (char)('0' + pi.order) : 'a';
	case PAGE_KIND_PCP:
		return 'p';
	case PAGE_KIND_SLAB:
		return slab_char(st, &pi);
	case PAGE_KIND_LARGE_KMALLOC:
		return 'L';
	case PAGE_KIND_VMALLOC:
		return 'V';
	case PAGE_KIND_PTABLE:
		return 'T';
	case PAGE_KIND_ALLOCATED:
		return 'A';
	default:
		return '?';
	}
}

extern char _kernel_start[], _kernel_end[];

static const struct { char c; const char *what; } fixed_keys[] = {
	{ '.', "hole" }, { 'R', "reserved" }, { 'K', "kernel image" },
	{ '0', "free order 0" }, { '1', "free order 1" }, { '2', "free order 2" },
	{ '3', "free order 3" }, { '4', "free order 4" }, { '5', "free order 5" },
	{ '6', "free order 6" }, { '7', "free order 7" }, { '8', "free order 8" },
	{ '9', "free order 9" }, { 'a', "free order 10" },
	{ 'p', "per-cpu free" }, { 'T', "page table" }, { 'V', "vmalloc" },
	{ 'L', "large kmalloc" }, { 'A', "allocated pages" }, { '?', "unknown" },
	{ '*', "slab (other caches)" },
};

int shell_cmd_memmap(int argc, char **argv)
{
	static struct memmap_state st;
	unsigned long start, end, pfn;
	char row[MEMMAP_ROW + 1];
	unsigned int zi, i;

	if (argc != 1)
		return shell_usage(shell_find(argv[0]));
	memset(&st, 0, sizeof(st));
	st.image_start = __pa(_kernel_start);
	st.image_end = __pa(_kernel_end);
	page_inspect_span(&start, &end);
	start &= ~(unsigned long)(MEMMAP_ROW - 1);
	printk(KERN_INFO "memmap: begin start_pfn=0x%lx end_pfn=0x%lx row=%u\n",
	       start, end, MEMMAP_ROW);
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		const char *name;
		unsigned long zs, ze;

		if (page_inspect_zone(zi, &name, &zs, &ze))
			printk(KERN_INFO "memmap: zone %s 0x%lx-0x%lx\n", name, zs, ze);
	}
	for (pfn = start; pfn < end; pfn += MEMMAP_ROW) {
		bool any = false;

		for (i = 0; i < MEMMAP_ROW; i++) {
			char c = pfn + i < end ? page_char(&st, pfn + i) : '.';

			row[i] = c;
			st.used[(unsigned char)c] = true;
			any |= c != '.';
		}
		row[MEMMAP_ROW] = '\0';
		if (any)
			printk(KERN_INFO "memmap: 0x%08lx %s\n", pfn, row);
	}
	for (i = 0; i < ARRAY_SIZE(fixed_keys); i++)
		if (st.used[(unsigned char)fixed_keys[i].c])
			printk(KERN_INFO "memmap: key %c %s\n", fixed_keys[i].c,
			       fixed_keys[i].what);
	for (i = 0; i < st.nr_caches; i++)
		printk(KERN_INFO "memmap: key %c slab %s\n", slab_letters[i],
		       st.cache_names[i]);
	printk(KERN_INFO "memmap: end pages=%lu\n", end - start);
	return 0;
}
