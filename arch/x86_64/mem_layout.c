// SPDX-License-Identifier: MIT
/*
 * This boot's address-space layout: paging depth and region bases.
 *
 * Theory of operation. entry.S starts on boot page tables that map only the
 * low 4 GiB identity and the kernel image, so until layout_init() runs,
 * page_offset_base is 0 and __va() is that identity map (boot/ reads the
 * loader's data through it; nothing keeps such a pointer). layout_init():
 *
 *   1. depth: 5-level if the CPU has LA57 and `no5lvl` is absent. A change
 *      goes through paging_mode_switch() (entry.S), with paging briefly
 *      off; the boot tables then get a PML5 on top of boot_pml4.
 *   2. bases: Linux's fixed ones under `nokaslr`; otherwise, as Linux's
 *      kernel_randomize_memory(), the direct map, vmalloc and vmemmap are
 *      placed in that order inside [fixed direct-map base, cpu_entry_area),
 *      each 1 GiB aligned, each sized for this machine (the direct map for
 *      its RAM plus 10 TiB of padding, vmemmap for the struct pages of that,
 *      vmalloc its full documented size), with a random share of the spare
 *      room before each and at least 1 GiB between them:
 *
 *        window start                                      cpu_entry_area
 *        |--rand--[direct map]-1G+rand--[vmalloc]-1G+rand--[vmemmap]--...|
 *
 *   3. the low 4 GiB is mapped at the chosen page_offset_base in the boot
 *      tables (from a small static pool, copying a shared boot table before
 *      changing it), and page_offset_base takes its value. paging_init()
 *      then builds the real direct map there.
 *
 * The bases never change afterwards. Everything that needs them (mm/'s
 * port, pgtable.c, ptdump.c) reads the variables.
 */
#include "arch/x86_64/mem_layout.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "boot/boot_info.h"
#include "mm/port.h"
#include "mm/mm_types.h"
#include "kmm/printk.h"
#include "kmm/string.h"

bool __pgtable_l5_enabled;
unsigned long page_offset_base;              /* 0: the boot identity map */
unsigned long direct_map_size = 4UL << 30;   /* the boot identity map's reach */
unsigned long vmalloc_base = __VMALLOC_BASE_L4;
unsigned long vmalloc_size = VMALLOC_SIZE_L4;
unsigned long vmemmap_base = __VMEMMAP_BASE_L4;
unsigned long vmemmap_size = VMEMMAP_SIZE_L4;

bool layout_no5lvl, layout_nokaslr;
const char *paging_mode_reason = "LA57 not yet considered";
bool kaslr_memory_enabled;
const char *kaslr_entropy_source = "none";

/* Linux's CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING default: 10 TiB. */
#define KASLR_PHYS_PADDING_TB 10UL

extern u64 boot_pml4[], boot_pml5[], boot_pd[];
extern u32 boot_pgtable_phys, boot_cr4_la57;

/* ---- entropy --------------------------------------------------------------- */

static bool rdrand64(u64 *v)
{
	unsigned int tries;
	bool ok;

	for (tries = 0; tries < 10; tries++) {
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static bool rdseed64(u64 *v)
{
	unsigned int tries;
	bool ok;

	for (tries = 0; tries < 100; tries++) {
		__asm__ __volatile__("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
		cpu_relax();
	}
	return false;
}

/* A 64-bit finaliser (splitmix64's): every input bit moves every output bit. */
static u64 mix64(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 mix_bytes(u64 h, const void *p, size_t n)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return mix64(h);
}

/*
 * One random word: RDSEED, else RDRAND, else nothing hardware-random; in
 * every case mixed with the TSC and the boot data (command line, memory
 * map), as Linux's kaslr_get_random_long() mixes boot_params.
 */
static u64 kaslr_get_random_long(void)
{
	u64 h = 0xcbf29ce484222325ULL, r;

	h = mix_bytes(h, &boot_info, sizeof(boot_info));
	if (boot_cpu.rdseed && rdseed64(&r)) {
		kaslr_entropy_source = "RDSEED";
		h ^= r;
	} else if (boot_cpu.rdrand && rdrand64(&r)) {
		kaslr_entropy_source = "RDRAND";
		h ^= r;
	} else {
		kaslr_entropy_source = "TSC and boot data";
	}
	return mix64(h ^ rdtsc());
}

/* ---- placement --------------------------------------------------------------- */

/* The end of RAM the direct map must reach, clipped to the CPU's reach. */
static u64 ram_end(void)
{
	u64 end = 0, limit = 1ULL << boot_cpu.phys_addr_bits;
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];

		if (boot_mem_is_ram(r->type) && r->base + r->size > end)
			end = r->base + r->size;
	}
	return end < limit ? end : limit;
}

static void fixed_bases(void)
{
	bool l5 = pgtable_l5_enabled();

	page_offset_base = l5 ? __PAGE_OFFSET_BASE_L5 : __PAGE_OFFSET_BASE_L4;
	direct_map_size = l5 ? DIRECT_MAP_SIZE_L5 : DIRECT_MAP_SIZE_L4;
	vmalloc_base = l5 ? __VMALLOC_BASE_L5 : __VMALLOC_BASE_L4;
	vmalloc_size = l5 ? VMALLOC_SIZE_L5 : VMALLOC_SIZE_L4;
	vmemmap_base = l5 ? __VMEMMAP_BASE_L5 : __VMEMMAP_BASE_L4;
	vmemmap_size = l5 ? VMEMMAP_SIZE_L5 : VMEMMAP_SIZE_L4;
}

/*
 * Place @n regions of @sizes in [@vaddr, @vaddr_end), in order, each at a
 * PUD-aligned base a random distance past the previous one's end plus a gap
 * of at most one PUD. @pick(@ctx, share) chooses each distance, at most
 * share (the spare space left over the regions still to place). Returns
 * where the last region's gap ends: never past @vaddr_end (each size and
 * gap comes off the spare space before anything is drawn), whatever the
 * picks, as tests/kernel/test_paging.c checks with the largest ones.
 */
unsigned long kaslr_place_regions(unsigned long vaddr, unsigned long vaddr_end,
				  const unsigned long *sizes, unsigned long *bases,
				  unsigned int n,
				  unsigned long (*pick)(void *ctx, unsigned long share),
				  void *ctx)
{
	unsigned long remain = vaddr_end - vaddr;
	unsigned int i;

	for (i = 0; i < n; i++)
		remain -= sizes[i] + PUD_SIZE;
	for (i = 0; i < n; i++) {
		unsigned long share = remain / (n - i);
		unsigned long step = pick(ctx, share) & ~(PUD_SIZE - 1);

		vaddr += step;
		bases[i] = vaddr;
		vaddr = ALIGN_UP(vaddr + sizes[i] + 1, PUD_SIZE);
		remain -= step;
	}
	return vaddr;
}

/* A random distance in [0, share], from the boot's seed. */
static unsigned long kaslr_pick(void *ctx, unsigned long share)
{
	u64 *seed = ctx;

	*seed += 0x9e3779b97f4a7c15ULL;
	return mix64(*seed) % (share + 1);
}

/* Linux's kernel_randomize_memory(), in its order and with its sizes. */
static void randomize_bases(void)
{
	bool l5 = pgtable_l5_enabled();
	unsigned long vaddr = l5 ? __PAGE_OFFSET_BASE_L5 : __PAGE_OFFSET_BASE_L4;
	unsigned long vaddr_end = CPU_ENTRY_AREA_BASE;
	unsigned long max_direct = l5 ? DIRECT_MAP_SIZE_L5 : DIRECT_MAP_SIZE_L4;
	unsigned long memory_tb, pages, end, sizes[3], bases[3];
	u64 seed;

	memory_tb = DIV_ROUND_UP(ram_end(), 1UL << TB_SHIFT) + KASLR_PHYS_PADDING_TB;
	direct_map_size = memory_tb << TB_SHIFT;
	if (direct_map_size > max_direct)
		direct_map_size = max_direct;
	vmalloc_size = l5 ? VMALLOC_SIZE_L5 : VMALLOC_SIZE_L4;
	pages = direct_map_size >> PAGE_SHIFT;
	vmemmap_size = ALIGN_UP(pages * sizeof(struct page), 1UL << TB_SHIFT);

	sizes[0] = direct_map_size;
	sizes[1] = vmalloc_size;
	sizes[2] = vmemmap_size;
	seed = kaslr_get_random_long();
	end = kaslr_place_regions(vaddr, vaddr_end, sizes, bases, 3, kaslr_pick, &seed);
	if (end > vaddr_end)
		panic("KASLR: the regions end at %#lx, past cpu_entry_area", end);
	page_offset_base = bases[0];
	vmalloc_base = bases[1];
	vmemmap_base = bases[2];
}

/* ---- the early direct map ------------------------------------------------------ */

#define EARLY_POOL_PAGES 8
static u64 early_pool[EARLY_POOL_PAGES][PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static unsigned int early_pool_used;

/* Boot tables all live in the image: reach them at __START_KERNEL_map + pa. */
static u64 *image_table(phys_addr_t pa)
{
	return (u64 *)(unsigned long)(pa + __START_KERNEL_map);
}

static phys_addr_t image_pa(const void *p)
{
	return (unsigned long)p - __START_KERNEL_map;
}

static bool in_pool(const u64 *t)
{
	return t >= early_pool[0] && t < early_pool[EARLY_POOL_PAGES];
}

/* The table below @e, private to us: allocated, or copied from a shared one. */
static u64 *early_next_table(u64 *e)
{
	u64 *next = NULL;

	if (*e & _PAGE_PRESENT) {
		next = image_table(*e & PTE_ADDR_MASK);
		if (in_pool(next))
			return next;
	}
	if (early_pool_used == EARLY_POOL_PAGES)
		panic("layout: out of early page-table pages");
	if (next)
		memcpy(early_pool[early_pool_used], next, PAGE_SIZE);
	next = early_pool[early_pool_used++];
	*e = image_pa(next) | _PAGE_PRESENT | _PAGE_RW;
	return next;
}

/* Map [0, 4 GiB) at @base (1 GiB aligned) in the boot tables, through boot_pd. */
static void early_map_low4g(unsigned long base)
{
	u64 *top = image_table(boot_pgtable_phys);
	unsigned int gb;

	for (gb = 0; gb < 4; gb++) {
		unsigned long va = base + ((unsigned long)gb << 30);
		enum pg_level l = pgtable_top_level();
		u64 *t = top;

		for (; l > PG_LEVEL_1G; l--)
			t = early_next_table(&t[pt_index(va, l)]);
		t[pt_index(va, PG_LEVEL_1G)] = image_pa(boot_pd + gb * PTRS_PER_TABLE) |
					       _PAGE_PRESENT | _PAGE_RW;
	}
	write_cr3(read_cr3());
}

/* ---- the depth ------------------------------------------------------------------ */

static void set_paging_depth(bool l5)
{
	unsigned long flags, gs = rdmsr(MSR_GS_BASE), fs = rdmsr(MSR_FS_BASE);
	u32 top = l5 ? image_pa(boot_pml5) : image_pa(boot_pml4);

	if (!!(read_cr4() & X86_CR4_LA57) != l5) {
		flags = local_irq_save();
		paging_mode_switch(top, l5 ? X86_CR4_LA57 : 0);
		wrmsr(MSR_GS_BASE, gs);
		wrmsr(MSR_FS_BASE, fs);
		local_irq_restore(flags);
		boot_pgtable_phys = top;
		boot_cr4_la57 = l5 ? X86_CR4_LA57 : 0;
	}
	__pgtable_l5_enabled = !!(read_cr4() & X86_CR4_LA57);
}

void layout_init(void)
{
	bool l5;

#ifdef KMM_KASAN
	/* The shadow covers the 4-level layout's fixed regions only. */
	if (!layout_no5lvl || !layout_nokaslr)
		pr_info("x86/mm: KASAN build: 4-level paging and fixed bases (no5lvl nokaslr)\n");
	layout_no5lvl = layout_nokaslr = true;
#endif
	l5 = boot_cpu.la57 && !layout_no5lvl;

	if (!boot_cpu.la57)
		paging_mode_reason = "CPU lacks LA57";
	else if (layout_no5lvl)
		paging_mode_reason = "no5lvl given";
	else
		paging_mode_reason = "LA57 enabled";
	set_paging_depth(l5);

	/* Nothing may call __va() from here until the early map is in. */
	if (layout_nokaslr) {
		fixed_bases();
	} else {
		kaslr_memory_enabled = true;
		randomize_bases();
	}
	early_map_low4g(page_offset_base);

	pr_info("x86/mm: %d-level paging, %d-bit virtual addresses: %s\n",
		pgtable_l5_enabled() ? 5 : 4, pgtable_l5_enabled() ? 57 : 48,
		paging_mode_reason);
	if (kaslr_memory_enabled)
		pr_info("x86/mm: KASLR: memory regions randomised, entropy from %s\n",
			kaslr_entropy_source);
	else
		pr_info("x86/mm: KASLR disabled (nokaslr): Linux's fixed region bases\n");
	pr_info("x86/mm:   direct map 0x%016lx-0x%016lx (page_offset_base)\n",
		page_offset_base, page_offset_base + direct_map_size - 1);
	pr_info("x86/mm:   vmalloc    0x%016lx-0x%016lx (vmalloc_base)\n",
		vmalloc_base, vmalloc_base + vmalloc_size - 1);
	pr_info("x86/mm:   vmemmap    0x%016lx-0x%016lx (vmemmap_base)\n",
		vmemmap_base, vmemmap_base + vmemmap_size - 1);
}
