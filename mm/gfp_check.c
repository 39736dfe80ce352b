// SPDX-License-Identifier: MIT
/*
 * GFP flags that mean nothing or contradict each other, caught on the slow
 * paths of the page allocator and the slab.
 *
 * Rules (Linux's, with Linux's report):
 *   - a bit outside GFP_VALID_MASK means nothing: it is stripped;
 *   - __GFP_DMA with __GFP_DMA32 contradicts itself: __GFP_DMA32 is
 *     stripped (memory below 16 MiB satisfies both);
 * and the call goes on with the fixed flags after one line
 *   Unexpected gfp: 0x<bad> (<names>). Fixing up to gfp: 0x<fixed> (<names>).
 *   Fix your code! caller <fn>
 *   - a zone modifier (GFP_DMA, GFP_DMA32) on kmem_cache_alloc(): no
 *     cache here is created with SLAB_CACHE_DMA/DMA32, so none can honour
 *     it. Linux BUG()s; here one line
 *       Unexpected gfp: 0x<bits> (<names>): cache <name> cannot honour a
 *       zone modifier, returning NULL. Fix your code! caller <fn>
 *     and the result is NULL (never memory from the wrong zone).
 *     kmalloc(GFP_DMA) is fine: it goes to the page allocator.
 *
 * The fast paths cost nothing more: the one GFP test each already has
 * (__GFP_ZERO, zone bits) uses GFP_SLOW_MASK instead, a different immediate
 * in the same instruction, so such calls always take a slow path.
 */
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/slab_internal.h"

static const char *const gfp_bit_names[] = {
	"__GFP_DMA", "__GFP_DMA32", "__GFP_HIGH", "__GFP_ZERO",
	"__GFP_NOWARN", "__GFP_ATOMIC", "__GFP_COMP", "__GFP_NOFAIL",
	"__GFP_THISNODE",
};

/* @gfp's bits as "__GFP_DMA|__GFP_ZERO|0x100" (Linux's %pGg), or "none". */
static void gfp_names(char *buf, size_t len, gfp_t gfp)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(gfp_bit_names) / sizeof(gfp_bit_names[0]); i++) {
		if (!(gfp & (1u << i)) || n >= len)
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", gfp_bit_names[i]);
	}
	if ((gfp & ~GFP_VALID_MASK) && n < len)
		n += snprintf(buf + n, len - n, "%s%#x", n ? "|" : "", gfp & ~GFP_VALID_MASK);
	if (!n)
		snprintf(buf, len, "none");
}

gfp_t __cold gfp_fixup(gfp_t gfp, unsigned long caller)
{
	gfp_t bad = gfp & ~GFP_VALID_MASK;
	char b[160], f[160];

	if ((gfp & GFP_ZONE_MASK) == GFP_ZONE_MASK)
		bad |= __GFP_DMA32;
	if (likely(!bad))
		return gfp;
	gfp &= ~bad;
	gfp_names(b, sizeof(b), bad);
	gfp_names(f, sizeof(f), gfp);
	pr_warn("Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code! caller %pS\n",
		bad, b, gfp, f, (void *)caller);
	return gfp;
}

bool __cold slab_gfp_refused(struct kmem_cache *s, gfp_t *gfp, unsigned long caller)
{
	gfp_t bad = *gfp & GFP_ZONE_MASK;
	char b[160];

	if (bad) {
		gfp_names(b, sizeof(b), bad);
		pr_warn("Unexpected gfp: %#x (%s): cache %s cannot honour a zone modifier, "
			"returning NULL. Fix your code! caller %pS\n",
			bad, b, s->name, (void *)caller);
		return true;
	}
	*gfp = gfp_fixup(*gfp, caller);
	return false;
}
