// SPDX-License-Identifier: MIT
/*
 * The host port of libkmm (see host_mm.h for the fake machine's layout):
 * its hooks, through include/kmm/port.h like any kernel's, plus what the
 * kernel would otherwise provide to the test runner: printk with a recorded
 * console, panic, kallsyms_lookup.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mm/port.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "kernel/ktest.h"
#include "host_mm.h"
#include "kernel/logbuf.h"
#include "probe.h"

#define VMEMMAP_BYTES (HOST_PHYS_SIZE / PAGE_SIZE * sizeof(struct page))
#define VMEMMAP_ALIGN (2UL << 20)

unsigned char *host_phys_base;
struct page *host_vmemmap;
unsigned long host_vmalloc_start;
__thread unsigned int kmm_host_cpu_id; /* mm/port.h reads it inline */
unsigned long host_kfence_start;

static int phys_fd = -1;
static unsigned long mapped_pages;

/*
 * What the machine since the last reset has mapped: [lo, hi) offsets into
 * the vmemmap and vmalloc reservations (lo > hi: nothing), so that a reset
 * undoes just that instead of the whole reservations.
 */
struct span {
	unsigned long lo, hi;
};
static struct span vmemmap_used = { ~0UL, 0 }, vmalloc_used = { ~0UL, 0 };

static void span_add(struct span *sp, unsigned long off, unsigned long len)
{
	unsigned long v;

	/* Threads (host CPUs) may map concurrently: widen atomically. */
	for (v = __atomic_load_n(&sp->lo, __ATOMIC_RELAXED); off < v;)
		if (__atomic_compare_exchange_n(&sp->lo, &v, off, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			break;
	for (v = __atomic_load_n(&sp->hi, __ATOMIC_RELAXED); off + len > v;)
		if (__atomic_compare_exchange_n(&sp->hi, &v, off + len, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			break;
}

/* ---- the fake machine ---------------------------------------------------- */

#define HOST_PHYS_ALIGN (1UL << 30)

static void *reserve(size_t size, size_t align)
{
	unsigned char *p = mmap(NULL, size + align, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("host port: mmap reserve");
		abort();
	}
	return (void *)ALIGN_UP((unsigned long)p, align);
}

static void host_port_init(void)
{
	if (host_phys_base)
		return;
	phys_fd = memfd_create("kmm-phys", MFD_CLOEXEC);
	if (phys_fd < 0 || ftruncate(phys_fd, (off_t)HOST_PHYS_SIZE)) {
		perror("host port: memfd");
		abort();
	}
	/*
	 * The direct map of a real kernel is aligned far beyond any block
	 * mm/ hands out, and mm/ relies on it (a slab's start is its object's
	 * address rounded down): align ours to 1 GiB, not just to a page.
	 */
	host_phys_base = mmap(reserve(HOST_PHYS_SIZE, HOST_PHYS_ALIGN),
			      HOST_PHYS_SIZE, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_NORESERVE | MAP_FIXED, phys_fd, 0);
	if (host_phys_base == MAP_FAILED) {
		perror("host port: mmap phys");
		abort();
	}
	ASSERT(IS_ALIGNED((unsigned long)host_phys_base, HOST_PHYS_ALIGN));
	host_vmemmap = reserve(VMEMMAP_BYTES, VMEMMAP_ALIGN);
	host_vmalloc_start = (unsigned long)reserve(HOST_VMALLOC_SIZE, PAGE_SIZE);
	host_kfence_start = (unsigned long)reserve(MM_KFENCE_POOL_SIZE, PAGE_SIZE);
	if (kmm_setup(&(struct kmm_layout){
		    .direct_map_base = (unsigned long)host_phys_base,
		    .direct_map_size = HOST_PHYS_SIZE,
		    .vmemmap_base = (unsigned long)host_vmemmap,
		    .vmalloc_start = host_vmalloc_start,
		    .vmalloc_end = host_vmalloc_start + HOST_VMALLOC_SIZE,
		    .kfence_pool_start = host_kfence_start,
		    .nr_cpus = HOST_NR_CPUS,
	    }))
		abort();
}

/* PROT_NONE over [va, va + size) again, keeping the reservation. */
static void unmap_range(unsigned long va, size_t size)
{
	if (mmap((void *)va, size, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		 0) == MAP_FAILED) {
		perror("host port: unmap");
		abort();
	}
}

/* PROT_NONE again over what @sp says was mapped from @base on; forget it. */
static void unmap_span(unsigned long base, struct span *sp)
{
	if (sp->lo < sp->hi)
		unmap_range(base + sp->lo, sp->hi - sp->lo);
	sp->lo = ~0UL;
	sp->hi = 0;
}

/* Make [start, end) of the fake physical memory read as zero, freeing it. */
static void punch(unsigned long start, unsigned long end)
{
	if (start < end && fallocate(phys_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				     (off_t)start, (off_t)(end - start))) {
		perror("host port: fallocate");
		abort();
	}
}

/*
 * Make [start, end) read as zero but keep its pages: memset the parts that
 * hold data (SEEK_DATA: resident or swapped), since a page punched out
 * costs a fault, and the kernel zeroing it, when the next machine touches
 * it again. Holes read as zero already.
 */
static void zero_in_place(unsigned long start, unsigned long end)
{
	off_t data, hole;

	while (start < end) {
		data = lseek(phys_fd, (off_t)start, SEEK_DATA);
		if (data < 0 || (unsigned long)data >= end)
			return;
		hole = lseek(phys_fd, data, SEEK_HOLE);
		if (hole < 0 || (unsigned long)hole > end)
			hole = (off_t)end;
		memset(host_phys_base + data, 0, (size_t)(hole - data));
		start = (unsigned long)hole;
	}
}

/*
 * Throw the previous machine away: its mappings, and its memory contents,
 * so that every machine starts from zeroed memory whatever ran before (a
 * fuzz input replays the same alone). Only what the machine used is undone:
 * the vmemmap and vmalloc spans it mapped; its RAM (memblock still holds
 * it) is cleared in place; anything written elsewhere is punched out.
 */
static void host_port_reset(void)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long done = 0, base, end;
	unsigned int i;

	host_port_init();
	unmap_span((unsigned long)host_vmemmap, &vmemmap_used);
	unmap_span(host_vmalloc_start, &vmalloc_used);
	mapped_pages = 0;
	for (i = 0; i < mem->cnt; i++) {
		base = max((unsigned long)mem->regions[i].base, done);
		end = min((unsigned long)(mem->regions[i].base + mem->regions[i].size),
			  HOST_PHYS_SIZE);
		if (base >= end)
			continue;
		punch(done, base);
		zero_in_place(base, end);
		done = end;
	}
	punch(done, HOST_PHYS_SIZE);
}

static bool in_range(unsigned long va, unsigned long start, unsigned long size)
{
	return va >= start && va - start < size;
}

static int host_map_page(unsigned long va, phys_addr_t pa, unsigned int prot)
{
	int p = PROT_READ;

	if (!IS_ALIGNED(va | pa, PAGE_SIZE) || pa >= HOST_PHYS_SIZE ||
	    !(in_range(va, (unsigned long)host_vmemmap, VMEMMAP_BYTES) ||
	      in_range(va, host_vmalloc_start, HOST_VMALLOC_SIZE) ||
	      in_range(va, host_kfence_start, MM_KFENCE_POOL_SIZE))) {
		fprintf(stderr, "host port: cannot map va %#lx pa %#lx\n", va,
			(unsigned long)pa);
		return -EINVAL;
	}
	if (prot & MM_PROT_WRITE)
		p |= PROT_WRITE;
	if (in_range(va, (unsigned long)host_vmemmap, VMEMMAP_BYTES))
		span_add(&vmemmap_used, va - (unsigned long)host_vmemmap, PAGE_SIZE);
	else if (in_range(va, host_vmalloc_start, HOST_VMALLOC_SIZE))
		span_add(&vmalloc_used, va - host_vmalloc_start, PAGE_SIZE);
	if (mmap((void *)va, PAGE_SIZE, p, MAP_SHARED | MAP_FIXED, phys_fd,
		 (off_t)pa) == MAP_FAILED)
		return -ENOMEM;
	__atomic_fetch_add(&mapped_pages, 1, __ATOMIC_RELAXED);
	return 0;
}

static void host_unmap_page(unsigned long va)
{
	ASSERT(in_range(va, host_vmalloc_start, HOST_VMALLOC_SIZE) ||
	       in_range(va, host_kfence_start, MM_KFENCE_POOL_SIZE));
	unmap_range(va, PAGE_SIZE);
	__atomic_fetch_sub(&mapped_pages, 1, __ATOMIC_RELAXED);
}

unsigned long host_mapped_pages(void)
{
	return __atomic_load_n(&mapped_pages, __ATOMIC_RELAXED);
}

static u64 random_state = 0x6b6d6d2d686f7374ULL;

/* splitmix64: deterministic, so a failing run repeats. */
static u64 host_random(void)
{
	u64 z = __atomic_add_fetch(&random_state, 0x9e3779b97f4a7c15ULL,
				   __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Host CPUs are threads that may share a core: yield now and then. */
static void host_relax(void)
{
	static __thread unsigned int spins;

	if (++spins % 64 == 0)
		sched_yield();
	else
		__builtin_ia32_pause();
}

static unsigned int host_get_cpu(void)
{
	return kmm_host_cpu_id;
}

void host_set_cpu(unsigned int cpu)
{
	ASSERT(cpu < HOST_NR_CPUS && cpu < MM_NR_CPUS);
	kmm_host_cpu_id = cpu;
}

const struct boot_mem_range host_default_map[] = {
	{ 0x0, 0xa0000, BOOT_MEM_USABLE, 0 },
	{ 0xf0000, 0x10000, BOOT_MEM_RESERVED, 0 },
	{ 0x100000, 0xf00000, BOOT_MEM_USABLE, 0 },       /* DMA */
	{ 0x1000000, 0x2000000, BOOT_MEM_USABLE, 0 },     /* DMA32 */
	{ 0x3000000, 0x100000, BOOT_MEM_ACPI_NVS, 0 },
	{ 0x3100000, 0x1f00000, BOOT_MEM_USABLE, 0 },
	{ 0xfee00000, 0x1000, BOOT_MEM_MMIO, 0 },
	{ 0x100000000ULL, 0x2000000, BOOT_MEM_USABLE, 0 }, /* Normal */
};
const unsigned int host_default_map_len = ARRAY_SIZE(host_default_map);

void host_memblock_reset(void)
{
	host_port_reset();
	memblock_reset();
}

void host_mm_setup(const struct boot_mem_range *map, unsigned int n)
{
	host_memblock_reset();
	host_set_cpu(0);
	memblock_add_map(map, n);
	memblock_reserve(0, 1UL << 20);
	mem_init();
}

void host_mm_setup_default(void)
{
	host_mm_setup(host_default_map, host_default_map_len);
}

u64 host_seed(u64 fallback)
{
	const char *s = getenv("KMM_SEED");

	return s && *s ? strtoull(s, NULL, 0) : fallback;
}

int probe_read_u8(const void *addr, u8 *val)
{
	u8 byte;
	struct iovec local = { &byte, 1 };
	struct iovec remote = { (void *)addr, 1 };

	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
		return -EFAULT;
	if (val)
		*val = byte;
	return 0;
}

/* ---- console ----------------------------------------------------------- */

#define CONSOLE_SIZE (1UL << 20)

int console_loglevel = LOGLEVEL_DEFAULT;

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static char console_storage[CONSOLE_SIZE];
static struct logbuf console = LOGBUF_INIT(console_storage);
static bool console_quiet;

bool host_console_quiet(bool quiet)
{
	bool old = console_quiet;

	console_quiet = quiet;
	return old;
}

/*
 * Record one message (@level -1: it had no KERN_* marker) and show it to the
 * self-tests' report accounting; as the kernel's, the level decides only
 * what is printed (kernel/printk.c). Also libkmm's console hook.
 */
static void host_console_emit(bool always_shown, int level, const char *text,
			      unsigned long len)
{
	bool marked = level >= 0;

	if (!marked)
		level = LOGLEVEL_DEFAULT - 1;
	pthread_mutex_lock(&console_lock);
	logbuf_store(&console, text, len);
	ktest_console_text(text, len);
	if (always_shown || (level <= console_loglevel && (!console_quiet || !marked)))
		fwrite(text, 1, len, stdout);
	pthread_mutex_unlock(&console_lock);
}

static int host_console_write(int level, const char *text, unsigned long len)
{
	host_console_emit(false, level, text, len);
	return (int)len;
}

static int vprintk_console(bool always_shown, const char *fmt, va_list ap)
{
	char buf[1024];
	const char *text = buf;
	bool marked;
	int level, len;

	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	level = printk_strip_level(&text, &len, -1, &marked);
	host_console_emit(always_shown, level, text, (unsigned long)len);
	return len;
}

int vprintk(const char *fmt, va_list ap)
{
	return vprintk_console(false, fmt, ap);
}

int ktest_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_console(true, fmt, ap);
	va_end(ap);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

unsigned long ktest_console_mark(void)
{
	unsigned long pos;

	pthread_mutex_lock(&console_lock);
	pos = console.pos;
	pthread_mutex_unlock(&console_lock);
	return pos;
}

unsigned int host_console_count(unsigned long mark, const char *text)
{
	unsigned int n;

	pthread_mutex_lock(&console_lock);
	n = logbuf_count(&console, mark, text);
	pthread_mutex_unlock(&console_lock);
	return n;
}

bool ktest_console_contains(unsigned long mark, const char *text)
{
	return host_console_count(mark, text) > 0;
}

/* ---- panic and symbols ---------------------------------------------------- */

static __noreturn void host_panic(const char *msg)
{
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	fflush(stdout);
	abort();
}

void panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	host_panic(buf);
}

/* Only symbols the dynamic linker knows (those exported by the binary). */
bool kallsyms_lookup(unsigned long addr, const char **name,
		     unsigned long *offset, unsigned long *size)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;

	if (!dladdr1((void *)addr, &info, (void **)&sym, RTLD_DL_SYMENT) ||
	    !info.dli_sname || !info.dli_saddr)
		return false;
	*name = info.dli_sname;
	*offset = addr - (unsigned long)info.dli_saddr;
	*size = sym ? sym->st_size : 0;
	return true;
}

/* ---- the hooks libkmm calls ---------------------------------------------- */

#define KMM_HOOK_MAP_PAGE      host_map_page
#define KMM_HOOK_UNMAP_PAGE    host_unmap_page
#define KMM_HOOK_CONSOLE_WRITE (void)host_console_write
#define KMM_HOOK_PANIC         host_panic
#define KMM_HOOK_CPU_ID        host_get_cpu
#define KMM_HOOK_RANDOM        host_random
#define KMM_HOOK_SYMBOL        kallsyms_lookup
#define KMM_HOOK_RELAX         host_relax
#include "kmm/port.h"
