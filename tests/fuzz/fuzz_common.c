// SPDX-License-Identifier: MIT
/* Shared by the fuzz targets: see fuzz_common.h. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "host_mm.h"
#include "kernel/ktest.h"
#include "boot/boot_info.h"

void fuzz_setup_console(void)
{
	const char *v = getenv("KMM_FUZZ_VERBOSE");
	int fd;

	if (v && *v && *v != '0')
		return;
	host_console_quiet(true);
	/* Unmarked lines (KTAP, continuations) would still print: drop them. */
	fflush(stdout);
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
}

bool fuzz_reported(unsigned long mark, const char *text)
{
	return ktest_console_contains(mark, text);
}

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "FUZZ CHECK FAILED at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ---- struct boot_info ------------------------------------------------------ */

/* The order boot/boot_info.c documents: usable loses to everything. */
static int rank(u32 type)
{
	static const int ranks[] = {
		[BOOT_MEM_USABLE] = 0, [BOOT_MEM_BOOTLOADER] = 1,
		[BOOT_MEM_ACPI_RECLAIM] = 2, [BOOT_MEM_RESERVED] = 3,
		[BOOT_MEM_MMIO] = 4, [BOOT_MEM_FIRMWARE_RUNTIME] = 5,
		[BOOT_MEM_ACPI_NVS] = 6, [BOOT_MEM_BAD] = 7,
	};

	return type >= 1 && type < ARRAY_SIZE(ranks) ? ranks[type] : -1;
}

void fuzz_check_boot_info(const struct boot_info *bi)
{
	u32 i;

	FUZZ_CHECK(bi->nr_mem <= BOOT_MAX_MEM_RANGES, "nr_mem %u", bi->nr_mem);
	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		FUZZ_CHECK(r->size && r->base + r->size > r->base,
			   "range %u [%#llx+%#llx] empty or wrapping", i,
			   (unsigned long long)r->base, (unsigned long long)r->size);
		FUZZ_CHECK(rank(r->type) >= 0, "range %u has type %u", i, r->type);
		if (!i)
			continue;
		FUZZ_CHECK(r[-1].base + r[-1].size <= r->base,
			   "ranges %u and %u unsorted or overlapping", i - 1, i);
		FUZZ_CHECK(r[-1].base + r[-1].size < r->base || r[-1].type != r->type,
			   "ranges %u and %u touch with one type (%u): not merged", i - 1, i,
			   r->type);
	}
	FUZZ_CHECK(memchr(bi->cmdline, 0, sizeof(bi->cmdline)), "cmdline not terminated");
	FUZZ_CHECK(memchr(bi->loader_name, 0, sizeof(bi->loader_name)),
		   "loader name not terminated");
}

void fuzz_paint_add(struct fuzz_paint *p, u64 base, u64 size, u32 type)
{
	FUZZ_CHECK(p->n < FUZZ_PAINT_MAX, "paint model full");
	p->r[p->n].base = base;
	p->r[p->n].end = base + size;
	p->r[p->n].type = type;
	p->n++;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void expect_range(const struct boot_info *bi, unsigned int k, u64 base,
			 u64 end, u32 type)
{
	const struct boot_mem_range *r = &bi->mem[k];

	FUZZ_CHECK(k < bi->nr_mem, "the model has more ranges than boot_info's %u", bi->nr_mem);
	FUZZ_CHECK(r->base == base && r->base + r->size == end && r->type == type,
		   "range %u is [%#llx, %#llx) type %u, the model [%#llx, %#llx) type %u",
		   k, (unsigned long long)r->base, (unsigned long long)(r->base + r->size),
		   r->type, (unsigned long long)base, (unsigned long long)end, type);
}

void fuzz_paint_expect(const struct fuzz_paint *p, const struct boot_info *bi)
{
	static u64 cut[2 * FUZZ_PAINT_MAX];
	unsigned int n = 0, i, j, k = 0;
	u64 cur_base = 0, cur_end = 0;
	int cur_type = -1;

	for (i = 0; i < p->n; i++) {
		cut[n++] = p->r[i].base;
		cut[n++] = p->r[i].end;
	}
	qsort(cut, n, sizeof(cut[0]), cmp_u64);
	/* Walk the elementary intervals, merging equal neighbours as we go. */
	for (i = 0; i + 1 < n; i++) {
		u64 b = cut[i], e = cut[i + 1];
		int best = -1;
		u32 type = 0;

		if (b == e)
			continue;
		for (j = 0; j < p->n; j++) {
			if (p->r[j].base <= b && p->r[j].end >= e && rank(p->r[j].type) > best) {
				best = rank(p->r[j].type);
				type = p->r[j].type;
			}
		}
		if (best < 0)
			continue;
		if (cur_type == (int)type && cur_end == b) {
			cur_end = e;
			continue;
		}
		if (cur_type >= 0)
			expect_range(bi, k++, cur_base, cur_end, (u32)cur_type);
		cur_base = b;
		cur_end = e;
		cur_type = (int)type;
	}
	if (cur_type >= 0)
		expect_range(bi, k++, cur_base, cur_end, (u32)cur_type);
	FUZZ_CHECK(k == bi->nr_mem, "boot_info has %u ranges, the model %u", bi->nr_mem, k);
}
