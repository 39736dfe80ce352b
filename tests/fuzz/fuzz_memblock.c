// SPDX-License-Identifier: MIT
/*
 * fuzz_memblock: the boot-time memory tables under hostile ranges, against
 * a reference model.
 *
 * Operations: memblock_add, _reserve, _remove, _free, _phys_alloc, _alloc,
 * memblock_add_map with up to 40 hostile entries (unsorted, overlapping,
 * empty, unaligned, wrapping past 2^64, beyond the physical limit), and a
 * new memblock.limit. Addresses come mostly from a small window so ranges
 * collide, sometimes from the edges of the address space.
 *
 * The model keeps both tables as plain sorted interval lists, applies the
 * documented rounding (memory trimmed inward, everything else widened
 * outward, clipped at MM_MAX_PHYS_ADDR) and the table limit, and must agree
 * with memblock after every operation. Checked each time: both tables
 * sorted, merged (no two ranges touch), page-aligned, non-empty, inside the
 * limit, equal to the model; the free-range iterator yields memory minus
 * reserved; point queries and totals agree. An allocation must be aligned,
 * inside memory, outside what was reserved, below memblock.limit, and the
 * highest such place (memblock allocates top-down).
 */
#include <string.h>

#include "fuzz_common.h"
#include "host_mm.h"
#include "boot/boot_info.h"
#include "mm/memblock.h"

#define MAX_OPS 256
#define MODEL_MAX (2 * MEMBLOCK_MAX_REGIONS + 4)
#define PHYS_MAX ((u64)MM_MAX_PHYS_ADDR)

struct iv {
	u64 base, end;
};

struct set {
	unsigned int n;
	struct iv r[MODEL_MAX];
};

static struct set mem, res;
static u64 limit;

/* Union of @s and [b, e), merging what overlaps or touches. */
static void set_add(struct set *s, u64 b, u64 e)
{
	struct set out = { 0 };
	unsigned int i;
	bool placed = false;

	for (i = 0; i < s->n; i++) {
		struct iv r = s->r[i];

		if (r.end < b) {
			out.r[out.n++] = r;
		} else if (r.base > e) {
			if (!placed) {
				out.r[out.n++] = (struct iv){ b, e };
				placed = true;
			}
			out.r[out.n++] = r;
		} else {
			b = r.base < b ? r.base : b;
			e = r.end > e ? r.end : e;
		}
	}
	if (!placed)
		out.r[out.n++] = (struct iv){ b, e };
	*s = out;
}

static void set_remove(struct set *s, u64 b, u64 e)
{
	struct set out = { 0 };
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct iv r = s->r[i];

		if (r.end <= b || r.base >= e) {
			out.r[out.n++] = r;
			continue;
		}
		if (r.base < b)
			out.r[out.n++] = (struct iv){ r.base, b };
		if (r.end > e)
			out.r[out.n++] = (struct iv){ e, r.end };
	}
	*s = out;
}

/* Apply to a copy; keep it only if it fits memblock's table. */
static int model_op(struct set *s, bool add, u64 b, u64 e)
{
	struct set t = *s;

	if (b >= e)
		return 0;
	if (add)
		set_add(&t, b, e);
	else
		set_remove(&t, b, e);
	if (t.n > MEMBLOCK_MAX_REGIONS)
		return -ENOSPC;
	*s = t;
	return 0;
}

/* clip_range() of memblock.c, as documented: false when nothing is left. */
static bool clip(u64 base, u64 size, u64 *end)
{
	if (base >= PHYS_MAX || size == 0)
		return false;
	*end = size > PHYS_MAX - base ? PHYS_MAX : base + size;
	return true;
}

static u64 down(u64 x)
{
	return x & ~(u64)(PAGE_SIZE - 1);
}

static u64 up(u64 x)
{
	return (x + PAGE_SIZE - 1) & ~(u64)(PAGE_SIZE - 1);
}

static int model_add_memory(u64 base, u64 size)
{
	u64 end;

	if (!clip(base, size, &end))
		return size ? -ERANGE : 0;
	return model_op(&mem, true, up(base), down(end));
}

static int model_widened(struct set *s, bool add, u64 base, u64 size, bool erange)
{
	u64 end;

	if (!clip(base, size, &end))
		return size && erange ? -ERANGE : 0;
	return model_op(s, add, down(base), up(end));
}

static u64 pick_addr(struct fuzz_input *in)
{
	u8 c = fz_u8(in);
	u64 off = (c & 0x40) ? fz_u16(in) % PAGE_SIZE : 0;

	switch (c & 0x7) {
	case 0:
		return fz_u64(in);
	case 1:
		return PHYS_MAX - ((u64)fz_u16(in) << 12) - off;
	case 2:
		return ~(u64)0 - ((u64)fz_u16(in) << 12) - off;
	default: /* a 64 MiB window where ranges collide */
		return ((u64)(fz_u16(in) & 0x3fff) << 12) + off;
	}
}

static u64 pick_size(struct fuzz_input *in)
{
	u8 c = fz_u8(in);
	u64 off = (c & 0x40) ? fz_u16(in) % PAGE_SIZE : 0;

	switch (c & 0x7) {
	case 0:
		return fz_u64(in);
	case 1:
		return 0;
	case 2:
		return ~(u64)0 - fz_u16(in);
	default:
		return ((u64)(fz_u8(in) & 0x7f) << 12) + off;
	}
}

static void check_type(const struct memblock_type *t, const struct set *s)
{
	unsigned int i;

	FUZZ_CHECK(t->cnt <= MEMBLOCK_MAX_REGIONS, "%s.cnt = %u", t->name, t->cnt);
	for (i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		FUZZ_CHECK(r->size && !(r->base % PAGE_SIZE) && !(r->size % PAGE_SIZE),
			   "%s[%u] = %#llx+%#llx: empty or unaligned", t->name, i,
			   (unsigned long long)r->base, (unsigned long long)r->size);
		FUZZ_CHECK(r->base + r->size > r->base && r->base + r->size <= PHYS_MAX,
			   "%s[%u] = %#llx+%#llx past the limit", t->name, i,
			   (unsigned long long)r->base, (unsigned long long)r->size);
		if (i)
			FUZZ_CHECK(t->regions[i - 1].base + t->regions[i - 1].size < r->base,
				   "%s[%u] and [%u] unsorted, overlapping or touching", t->name,
				   i - 1, i);
	}
	FUZZ_CHECK(t->cnt == s->n, "%s has %u ranges, the model %u", t->name, t->cnt, s->n);
	for (i = 0; i < t->cnt; i++)
		FUZZ_CHECK(t->regions[i].base == s->r[i].base &&
				   t->regions[i].base + t->regions[i].size == s->r[i].end,
			   "%s[%u] = [%#llx, %#llx), the model [%#llx, %#llx)", t->name, i,
			   (unsigned long long)t->regions[i].base,
			   (unsigned long long)(t->regions[i].base + t->regions[i].size),
			   (unsigned long long)s->r[i].base, (unsigned long long)s->r[i].end);
}

static bool set_contains(const struct set *s, u64 a)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (a >= s->r[i].base && a < s->r[i].end)
			return true;
	return false;
}

static u64 set_total(const struct set *s)
{
	u64 t = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++)
		t += s->r[i].end - s->r[i].base;
	return t;
}

static void check_all(struct fuzz_input *in)
{
	struct set free_model = mem, got = { 0 };
	unsigned int idx = 0, i;
	u64 s, e;

	check_type(&memblock.memory, &mem);
	check_type(&memblock.reserved, &res);
	for (i = 0; i < res.n; i++)
		set_remove(&free_model, res.r[i].base, res.r[i].end);
	while (memblock_next_free_range(&idx, &s, &e)) {
		FUZZ_CHECK(got.n < free_model.n, "free-range iterator yields too many ranges");
		FUZZ_CHECK(s < e, "free range [%#llx, %#llx) empty", (unsigned long long)s,
			   (unsigned long long)e);
		got.r[got.n++] = (struct iv){ s, e };
	}
	FUZZ_CHECK(got.n == free_model.n, "free-range iterator: %u ranges, the model %u",
		   got.n, free_model.n);
	for (i = 0; i < got.n; i++)
		FUZZ_CHECK(got.r[i].base == free_model.r[i].base &&
				   got.r[i].end == free_model.r[i].end,
			   "free range %u differs from the model", i);
	FUZZ_CHECK(memblock_phys_mem_size() == set_total(&mem), "memory size");
	FUZZ_CHECK(memblock_reserved_size() == set_total(&res), "reserved size");
	FUZZ_CHECK(memblock_start_of_DRAM() == (mem.n ? mem.r[0].base : 0), "start of DRAM");
	FUZZ_CHECK(memblock_end_of_DRAM() == (mem.n ? mem.r[mem.n - 1].end : 0), "end of DRAM");
	for (i = 0; i < 4; i++) {
		u64 a = pick_addr(in);

		FUZZ_CHECK(memblock_is_memory(a) == set_contains(&mem, a),
			   "memblock_is_memory(%#llx)", (unsigned long long)a);
		FUZZ_CHECK(memblock_is_reserved(a) == set_contains(&res, a),
			   "memblock_is_reserved(%#llx)", (unsigned long long)a);
	}
}

/* The highest place memblock may put @size bytes aligned to @align, or 0. */
static u64 model_top_down(u64 size, u64 align)
{
	struct set f = mem;
	u64 lim = limit ? limit : PHYS_MAX, best = 0;
	unsigned int i;

	for (i = 0; i < res.n; i++)
		set_remove(&f, res.r[i].base, res.r[i].end);
	set_remove(&f, 0, PAGE_SIZE);
	set_remove(&f, lim, ~(u64)0);
	for (i = 0; i < f.n; i++) {
		u64 cand;

		if (f.r[i].end - f.r[i].base < size)
			continue;
		cand = (f.r[i].end - size) & ~(align - 1);
		if (cand >= f.r[i].base && cand > best)
			best = cand;
	}
	return best;
}

static void op_alloc(struct fuzz_input *in, bool zeroed)
{
	u8 c = fz_u8(in);
	u64 size = (c & 0x80) ? pick_size(in) : 1 + fz_u16(in) % (64 * PAGE_SIZE);
	u64 align = (c & 0x40) ? fz_u64(in) : (u64)1 << (c & 0x1f);
	u64 a, want = 0, pa;

	if (zeroed && size > 16 * PAGE_SIZE)
		size = 16 * PAGE_SIZE; /* it is written: keep the host's memory small */
	if (size && size <= PHYS_MAX && !(align & (align - 1))) {
		a = align < PAGE_SIZE ? PAGE_SIZE : align;
		want = model_top_down(up(size), a);
		if (want && model_op(&res, true, want, want + up(size)))
			want = 0;
	}
	if (zeroed) {
		void *p = memblock_alloc(size, align);

		pa = p ? __pa(p) : 0;
		if (p) {
			const u8 *b = p;
			u64 i;

			for (i = 0; i < size; i++)
				FUZZ_CHECK(b[i] == 0, "memblock_alloc: byte %llu not zero",
					   (unsigned long long)i);
		}
	} else {
		pa = memblock_phys_alloc(size, align);
	}
	FUZZ_CHECK(pa == want, "alloc(%#llx, align %#llx) = %#llx, the model says %#llx",
		   (unsigned long long)size, (unsigned long long)align,
		   (unsigned long long)pa, (unsigned long long)want);
}

static void op_add_map(struct fuzz_input *in)
{
	struct boot_mem_range map[40];
	unsigned int n = fz_u8(in) % (ARRAY_SIZE(map) + 1), i;

	for (i = 0; i < n; i++) {
		map[i].base = pick_addr(in);
		map[i].size = pick_size(in);
		map[i].type = fz_u8(in) % 10;
		map[i].reserved = 0;
	}
	memblock_add_map(map, n);
	for (i = 0; i < n; i++)
		if (map[i].type == BOOT_MEM_USABLE && map[i].size)
			model_add_memory(map[i].base, map[i].size);
	for (i = 0; i < n; i++)
		if (map[i].type != BOOT_MEM_USABLE && map[i].size)
			model_widened(&mem, false, map[i].base, map[i].size, false);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_console();
	host_memblock_reset(); /* the fake machine exists: memblock_alloc writes */
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in;
	unsigned int ops = 0;

	fz_init(&in, data, size);
	memblock_reset();
	memblock.debug = fz_u8(&in) & 1;
	mem.n = res.n = 0;
	limit = 0;

	while (!fz_done(&in) && ops++ < MAX_OPS) {
		u8 op = fz_u8(&in);
		u64 base, len;
		int ret, want;

		switch (op % 9) {
		case 0: case 1:
			base = pick_addr(&in);
			len = pick_size(&in);
			want = model_add_memory(base, len);
			ret = memblock_add(base, len);
			FUZZ_CHECK(ret == want, "memblock_add(%#llx, %#llx) = %d, the model %d",
				   (unsigned long long)base, (unsigned long long)len, ret, want);
			break;
		case 2: case 3:
			base = pick_addr(&in);
			len = pick_size(&in);
			want = model_widened(&res, true, base, len, true);
			ret = memblock_reserve(base, len);
			FUZZ_CHECK(ret == want, "memblock_reserve(%#llx, %#llx) = %d, the model %d",
				   (unsigned long long)base, (unsigned long long)len, ret, want);
			break;
		case 4:
			base = pick_addr(&in);
			len = pick_size(&in);
			if (op & 0x10) {
				want = model_widened(&mem, false, base, len, false);
				ret = memblock_remove(base, len);
			} else {
				want = model_widened(&res, false, base, len, false);
				ret = memblock_free(base, len);
			}
			FUZZ_CHECK(ret == want, "memblock_%s(%#llx, %#llx) = %d, the model %d",
				   op & 0x10 ? "remove" : "free", (unsigned long long)base,
				   (unsigned long long)len, ret, want);
			break;
		case 5: case 6:
			op_alloc(&in, (op & 0x30) == 0x30);
			break;
		case 7:
			op_add_map(&in);
			break;
		default:
			limit = (op & 0x10) ? 0 : down(pick_addr(&in));
			memblock.limit = limit;
			break;
		}
		check_all(&in);
	}
	return 0;
}
