// SPDX-License-Identifier: MIT
/*
 * The slab's NUMA side: per-node slab lists, and frees that go home.
 *
 * Theory of operation
 * -------------------
 * A slab is one buddy block, so all its objects are of one node's memory,
 * page_to_nid(head). Each cache keeps its slab lists per node, as SLUB's
 * struct kmem_cache_node does:
 *
 *   struct kmem_cache
 *     node[0]: partial, full, empty  <- slabs of node 0's memory only
 *     node[1]: partial, full, empty  <- slabs of node 1's memory only
 *     ...
 *     nr_partial, nr_full, nr_empty, nr_slabs, free_objects: totals
 *
 * slab_set_state() (slab.c) files a slab on its own node's list, so no
 * search ever looks at another node's slabs, and each node keeps its own
 * reserve of SLAB_MIN_EMPTY empty slabs. On a machine of one node,
 * node[0] is the whole cache and nothing here costs anything more than
 * the old single set of lists did.
 *
 * Allocation. A refill (slab_next_source() in slab.c) takes from this
 * CPU's memory node (cpu_mem_node[]) first: its partial list, its empty
 * list, then a new slab of its memory only (__GFP_THISNODE). Only when the
 * node has no memory left does slab_node_fallback() serve it: the other
 * nodes in node_distance() order, nearest first, each with its lists then
 * a new slab of its memory (the page allocator's order). kmem_cache_alloc_node()
 * and kmalloc_node() take from the asked node's lists or a new slab of its
 * memory, past the magazines (slab_alloc_node()), and with __GFP_THISNODE
 * fail rather than fall back.
 *
 * Frees go home. A magazine is this CPU's, and serves its allocations, so
 * it must hold only its node's objects. An object whose slab is another
 * node's bypasses the magazine, in both free fast paths, through one check
 * (slab_free_remote() in slab_internal.h): with one node with memory it is
 * a compare of nr_memory_nodes, a global fixed at boot, and costs the
 * fast path nothing else; with several, the node of the object's page
 * (whose struct page the fast path has in hand) is compared with this
 * CPU's memory node. A remote object then goes through slab_free_slow(), which
 * checks it like any other and puts it straight back on its slab, so on
 * its own node's lists. (Linux 6.18's sheaves do the same.) The depot
 * keeps its full magazines per node too (slab_depot.c): a magazine filled
 * by a CPU of one node never loads on a CPU of another. The only remote
 * objects a magazine can hold are those a refill took from another node
 * because this CPU's node had no memory.
 *
 * Locking: everything here is under the cache lock (s->lock), like the
 * rest of the slab lists; the lists are per node, the lock is not.
 */
#include "mm/slab.h"
#include "mm/slab_internal.h"

/* Empty lists for every node of a new cache. */
void slab_nodes_init(struct kmem_cache *s)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct kmem_cache_node *n = &s->node[nid];

		INIT_LIST_HEAD(&n->partial);
		INIT_LIST_HEAD(&n->full);
		INIT_LIST_HEAD(&n->empty);
		n->nr_partial = n->nr_full = n->nr_empty = 0;
	}
}

/*
 * A slab of node @nid with a free object: its partial list first, then its
 * empty list; NULL when it has neither. A partial slab with no free object
 * (a free list the checker truncated) moves to the full list. Lock held.
 */
struct page *slab_node_get(struct kmem_cache *s, int nid)
{
	struct kmem_cache_node *n = &s->node[nid];
	struct page *head;

	while (!list_empty(&n->partial)) {
		head = list_first_entry(&n->partial, struct page, slab_list);
		if (likely(head->freelist))
			return head;
		slab_set_state(s, head, SLAB_STATE_FULL);
	}
	list_for_each_entry(head, &n->empty, slab_list)
		if (head->freelist)
			return head;
	return NULL;
}

/*
 * Node @nid (this CPU's memory node) has no slab with a free object: a new
 * slab of its memory, else each other node in node_distance() order (ties:
 * the lower id), its lists then a new slab of its memory; else a new slab
 * of any node (the page allocator's last try, which reclaims and warns);
 * NULL when memory runs out. Lock held.
 */
struct page *slab_node_fallback(struct kmem_cache *s, gfp_t gfp, int nid)
{
	unsigned long tried = 1UL << nid;
	struct page *head = slab_new(s, gfp, nid);

	while (!head) {
		int best = -1;

		for (int m = 0; m < MAX_NUMNODES; m++)
			if (!((tried >> m) & 1) && node_online(m) &&
			    (best < 0 || node_distance(nid, m) < node_distance(nid, best)))
				best = m;
		if (best < 0)
			return slab_new(s, gfp, NUMA_NO_NODE);
		tried |= 1UL << best;
		head = slab_node_get(s, best);
		if (!head && node_managed_pages(best))
			head = slab_new(s, gfp, best);
	}
	return head;
}
