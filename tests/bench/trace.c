// SPDX-License-Identifier: MIT
/*
 * The trace loader (format in trace.h): checks as it reads, never trusts.
 *
 * Its memory comes from mmap, not malloc: in the programs that link a
 * malloc directly (bench.mk), malloc is the allocator under test, and
 * memory the loader freed would sit in its heap and hide part of what a
 * footprint replay costs.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "trace.h"

/* Zeroed pages, or NULL. */
static void *map_zeroed(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int bad(const char *path, long line, const char *why)
{
	fprintf(stderr, "%s:%ld: %s\n", path, line, why);
	return -1;
}

int trace_load(const char *path, struct trace *t)
{
	FILE *f = fopen(path, "r");
	char buf[256], op, *live = NULL;
	long line = 0, cap = 0;
	size_t live_bytes = 0;
	uint32_t *sizes = NULL;
	const char *base;
	int ret = -1;

	memset(t, 0, sizeof(*t));
	if (!f) {
		perror(path);
		return -1;
	}
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(t->name, sizeof(t->name), "%.*s", (int)strcspn(base, "."), base);
	live = map_zeroed(TRACE_MAX_ID);
	sizes = map_zeroed(TRACE_MAX_ID * sizeof(*sizes));
	if (!live || !sizes)
		goto err_close;
	while (fgets(buf, sizeof(buf), f)) {
		unsigned long id, size = 0;
		int n;

		line++;
		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		n = sscanf(buf, "%c %lu %lu", &op, &id, &size);
		if (n < 2 || (op != 'a' && op != 'f') || (op == 'a' && (n != 3 || !size)) ||
		    (op == 'f' && n != 2)) {
			bad(path, line, "expected 'a <id> <size>' or 'f <id>'");
			goto err_close;
		}
		if (id >= TRACE_MAX_ID || size > UINT32_MAX) {
			bad(path, line, "id or size out of range");
			goto err_close;
		}
		if (live[id] == (op == 'a')) {
			bad(path, line, op == 'a' ? "id already live" : "id not live");
			goto err_close;
		}
		if (t->nr_events == cap) {
			struct trace_event *ev;

			cap = cap ? cap * 2 : 4096;
			ev = t->ev ? mremap(t->ev, t->ev_bytes, cap * sizeof(*ev), MREMAP_MAYMOVE)
				   : mmap(NULL, cap * sizeof(*ev), PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (ev == MAP_FAILED)
				goto err_close;
			t->ev = ev;
			t->ev_bytes = cap * sizeof(*ev);
		}
		live[id] = op == 'a';
		if (op == 'a') {
			sizes[id] = (uint32_t)size;
			live_bytes += size;
			t->nr_allocs++;
			if (live_bytes > t->peak_live)
				t->peak_live = live_bytes;
		} else {
			live_bytes -= sizes[id];
		}
		t->ev[t->nr_events].id = (uint32_t)id;
		t->ev[t->nr_events].size = op == 'a' ? (uint32_t)size : 0;
		t->nr_events++;
		if (id + 1 > t->nr_ids)
			t->nr_ids = (uint32_t)id + 1;
	}
	if (!t->nr_events) {
		bad(path, line, "no events");
		goto err_close;
	}
	ret = 0;
err_close:
	if (live)
		munmap(live, TRACE_MAX_ID);
	if (sizes)
		munmap(sizes, TRACE_MAX_ID * sizeof(*sizes));
	fclose(f);
	if (ret)
		trace_free(t);
	return ret;
}

void trace_free(struct trace *t)
{
	if (t->ev)
		munmap(t->ev, t->ev_bytes);
	t->ev = NULL;
	t->ev_bytes = 0;
	t->nr_events = 0;
}
