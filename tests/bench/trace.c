// SPDX-License-Identifier: MIT
/* The trace loader (format in trace.h): checks as it reads, never trusts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

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
	live = calloc(TRACE_MAX_ID, 1);
	sizes = calloc(TRACE_MAX_ID, sizeof(*sizes));
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
			ev = realloc(t->ev, cap * sizeof(*ev));
			if (!ev)
				goto err_close;
			t->ev = ev;
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
	free(live);
	free(sizes);
	fclose(f);
	if (ret)
		trace_free(t);
	return ret;
}

void trace_free(struct trace *t)
{
	free(t->ev);
	t->ev = NULL;
	t->nr_events = 0;
}
