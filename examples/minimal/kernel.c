// SPDX-License-Identifier: MIT
/*
 * A minimal foreign kernel that uses libkmm: its own serial port, panic,
 * Multiboot2 parsing and page tables (boot.S), a layout that is not
 * Linux's (minimal.h). kmain() starts kmm through kmm_glue.c, exercises
 * pages, caches, kmalloc and vmalloc, runs kmm's checkers, prints KTAP and
 * leaves QEMU through isa-debug-exit: 33 all passed, 35 a check failed,
 * 37 panic. "fail" on the command line adds a check that fails, to prove
 * that a failure is seen.
 */
#include "minimal.h"
#include <kmm/kmm.h>

/* ---- the machine --------------------------------------------------------- */

static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define COM1 0x3f8

static void serial_init(void)
{
	outb(COM1 + 1, 0x00);   /* no interrupts */
	outb(COM1 + 3, 0x80);   /* divisor latch */
	outb(COM1 + 0, 0x01);   /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);   /* 8N1 */
	outb(COM1 + 2, 0xc7);   /* FIFO */
}

void serial_write(const char *s, size_t n)
{
	while (n--) {
		while (!(inb(COM1 + 5) & 0x20))
			;
		outb(COM1, (u8)*s++);
	}
}

void puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	serial_write(s, n);
}

void put_num(unsigned long v)
{
	char buf[21];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	serial_write(buf + i, sizeof(buf) - i);
}

__attribute__((noreturn)) void qemu_exit(u8 code)
{
	outb(0xf4, code);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

__attribute__((noreturn)) void panic(const char *msg)
{
	puts("minimal: panic: ");
	puts(msg);
	puts("\n");
	qemu_exit(0x12);
}

void *memset(void *d, int c, size_t n)
{
	u8 *p = d;

	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *p = d;
	const u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

/* ---- paging: 4 KiB mappings in our own tables ---------------------------- */

#define PTE_P  0x001ULL
#define PTE_W  0x002ULL
#define PTE_G  0x100ULL
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

extern u64 pml4[512];

/* A zeroed page-table page: from memblock at boot, from kmm afterwards. */
static u64 table_alloc(void)
{
	u64 pa;

	if (!memblock_is_retired()) {
		pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
		if (pa)
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
		return pa;
	}
	pa = get_zeroed_page(GFP_KERNEL);
	return pa ? virt_to_phys(pa) : 0;
}

/* The PTE slot of @va, creating the tables above it when @create. */
static u64 *pte_slot(unsigned long va, bool create)
{
	u64 *table = pml4;
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		u64 *e = &table[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			u64 pa = create ? table_alloc() : 0;

			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[(va >> 12) & 511];
}

int map_page(unsigned long va, u64 pa, unsigned int prot)
{
	u64 *pte = pte_slot(va, true);

	if (!pte)
		return -12;
	*pte = pa | PTE_P | PTE_G | (prot & KMM_PROT_WRITE ? PTE_W : 0) |
	       (prot & KMM_PROT_EXEC ? 0 : PTE_NX);
	return 0;
}

void unmap_page(unsigned long va)
{
	u64 *pte = pte_slot(va, false);

	if (pte)
		*pte = 0;
}

/* ---- Multiboot2 ------------------------------------------------------------ */

struct mb2_tag {
	u32 type, size;
};

static const struct mb2_tag *mb2_find(u64 mbi, u32 type)
{
	const u8 *p = (const u8 *)phys_to_virt(mbi) + 8;
	const u8 *end = (const u8 *)phys_to_virt(mbi) + *(const u32 *)phys_to_virt(mbi);

	while (p + 8 <= end) {
		const struct mb2_tag *t = (const struct mb2_tag *)p;

		if (t->type == 0)
			break;
		if (t->type == type)
			return t;
		p += ALIGN_UP(t->size, 8);
	}
	return NULL;
}

void mb2_each_ram(u64 mbi, void (*fn)(u64 base, u64 len))
{
	const struct mb2_tag *t = mb2_find(mbi, 6);
	const u8 *p, *end;
	u32 entry_size;

	if (!t)
		panic("no Multiboot2 memory map");
	entry_size = ((const u32 *)t)[2];
	end = (const u8 *)t + t->size;
	for (p = (const u8 *)t + 16; p + entry_size <= end; p += entry_size) {
		const u64 *e = (const u64 *)p;

		if (((const u32 *)p)[4] == 1)
			fn(e[0], e[1]);
	}
}

const char *mb2_cmdline(u64 mbi)
{
	const struct mb2_tag *t = mb2_find(mbi, 1);

	return t ? (const char *)(t + 1) : "";
}

/* ---- the checks -------------------------------------------------------------- */

static unsigned int case_nr;
static bool all_ok = true;

static void report(const char *name, bool ok)
{
	puts(ok ? "ok " : "not ok ");
	put_num(++case_nr);
	puts(" ");
	puts(name);
	puts("\n");
	all_ok = all_ok && ok;
}

static bool check_pages(void)
{
	unsigned long before = nr_free_pages();
	struct page *pages[6];
	bool ok = true;
	unsigned int order;
	unsigned long z;

	for (order = 0; order < 6; order++) {
		pages[order] = alloc_pages(GFP_KERNEL, order);
		if (!pages[order])
			return false;
		memset(page_address(pages[order]), 0x5a, PAGE_SIZE << order);
		ok = ok && virt_to_page(page_address(pages[order])) == pages[order];
	}
	for (order = 0; order < 6; order++)
		__free_pages(pages[order], order);
	z = get_zeroed_page(GFP_KERNEL);
	for (order = 0; z && order < PAGE_SIZE; order++)
		ok = ok && ((u8 *)z)[order] == 0;
	free_pages(z, 0);
	z = __get_free_pages(GFP_DMA, 0);
	ok = ok && z && virt_to_phys(z) < (16UL << 20);
	free_pages(z, 0);
	return ok && nr_free_pages() == before;
}

struct thing {
	u64 magic;
	char name[40];
};

static void thing_ctor(void *p)
{
	((struct thing *)p)->magic = 0x7468696e67ULL;
}

static bool check_cache(void)
{
	struct kmem_cache *c = kmem_cache_create("thing", sizeof(struct thing), 0, 0,
						 thing_ctor);
	struct thing *t[200];
	bool ok = c != NULL;
	int i, j;

	for (i = 0; ok && i < 200; i++) {
		t[i] = kmem_cache_alloc(c, GFP_KERNEL);
		ok = t[i] && t[i]->magic == 0x7468696e67ULL;
		for (j = 0; ok && j < i; j++)
			ok = t[j] != t[i];
	}
	while (i--)
		if (t[i])
			kmem_cache_free(c, t[i]);
	ok = ok && slab_check(c) == 0;
	if (c)
		kmem_cache_destroy(c);
	return ok;
}

static bool check_kmalloc(void)
{
	static const unsigned long sizes[] = { 1, 8, 13, 64, 100, 500, 1000, 4096,
					       8192, 8193, 100000, 1UL << 20 };
	bool ok = true;
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);

		if (!p || ksize(p) < sizes[i])
			return false;
		memset(p, (int)i, sizes[i]);
		ok = ok && p[sizes[i] - 1] == (u8)i;
		kfree(p);
	}
	ok = ok && kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR;
	ok = ok && kmalloc(64, GFP_KERNEL | __GFP_NOWARN) != NULL; /* leaked on purpose */
	return ok;
}

static bool check_vmalloc(void)
{
	unsigned long size = 5 * PAGE_SIZE + 100, i;
	u8 *p = vmalloc(size);
	bool ok = p && is_vmalloc_addr(p) && (unsigned long)p >= VMALLOC_START &&
		  (unsigned long)p < VMALLOC_END;

	for (i = 0; ok && i < size; i++)
		p[i] = (u8)i;
	for (i = 0; ok && i < size; i++)
		ok = p[i] == (u8)i;
	ok = ok && vmalloc_to_page(p + 3 * PAGE_SIZE) != NULL;
	vfree(p);
	return ok;
}

static bool check_checkers(void)
{
	return buddy_check() == 0 && slab_check_all() == 0 && vmalloc_check() == 0;
}

static bool has_word(const char *s, const char *w)
{
	size_t n = 0, i;

	while (w[n])
		n++;
	for (; *s; s++) {
		for (i = 0; i < n && s[i] == w[i]; i++)
			;
		if (i == n && (s[n] == ' ' || !s[n]))
			return true;
	}
	return false;
}

void kmain(u64 mbi);

void kmain(u64 mbi)
{
	bool fail = has_word(mb2_cmdline(mbi), "fail");

	serial_init();
	puts("minimal: a foreign kernel on libkmm\n");
	kmm_start(mbi);
	puts("KTAP version 1\n1..");
	put_num(fail ? 6 : 5);
	puts("\n");
	report("pages", check_pages());
	report("kmem_cache", check_cache());
	report("kmalloc_sizes", check_kmalloc());
	report("vmalloc", check_vmalloc());
	report("checkers", check_checkers());
	if (fail)
		report("deliberate_failure", false);
	show_buddyinfo();
	qemu_exit(all_ok ? 0x10 : 0x11);
}
