/* SPDX-License-Identifier: MIT */
/*
 * Allocation traces: a small text format and its loader.
 *
 *   # comment (to the end of the line; blank lines are ignored)
 *   a <id> <size>     allocate <size> bytes (> 0) and call the object <id>
 *   f <id>            free the object <id>
 *
 * An id is a decimal integer below 2^24, live at most once at a time (it may
 * be reused after its free). Objects still live at the end are freed by the
 * replayer after the measurement. The generator is tests/traces/gen_traces.py.
 */
#ifndef TESTS_BENCH_TRACE_H
#define TESTS_BENCH_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define TRACE_MAX_ID (1u << 24)

struct trace_event {
	uint32_t id;
	uint32_t size; /* 0 for a free */
};

struct trace {
	char name[64];
	struct trace_event *ev;
	long nr_events;
	long nr_allocs;
	uint32_t nr_ids; /* largest id + 1 */
	size_t peak_live; /* most requested bytes live at once */
	size_t ev_bytes;  /* mapped for ev[] */
};

/* What a footprint replay measured. */
struct trace_footprint {
	size_t peak_live;      /* most requested bytes live at once */
	size_t peak_footprint; /* most memory the allocator held, sampled after every alloc */
	size_t at_live_peak;   /* what it held when live bytes peaked */
};

/* Load @path into @t. 0, or -1 with a message on stderr (file:line: why). */
int trace_load(const char *path, struct trace *t);
void trace_free(struct trace *t);

#endif /* TESTS_BENCH_TRACE_H */
