// SPDX-License-Identifier: MIT
/*
 * kmm-bench: every allocator, every workload, one run (see bench.h and
 * docs/benchmarks.md).
 *
 *   kmm-bench [--reps N] [--quick] [--out DIR] [--traces DIR]
 *   kmm-bench --callgrind BACKEND WORKLOAD [N]   (under valgrind, from bench.mk)
 *   kmm-bench --list
 *   kmm-bench-<malloc> --child NAME SLOT TRACE FD   (run by kmm-bench only)
 *
 * kmm-bench links kmm and the seed allocators; each malloc is linked
 * directly into a program of its own, kmm-bench-glibc, -jemalloc,
 * -mimalloc and -tcmalloc (backend_malloc.c), built from this same file.
 * Each backend runs in a child process of its own (a sibling program for
 * a malloc, exec'd with the shared table's memfd); footprint replays of the
 * traces run in yet another fresh child each, so no earlier workload has
 * left memory behind that would hide what the trace costs. Children write
 * into a shared table; the parent prints it, with every figure also as a
 * ratio to mimalloc, and writes CSV files to the output directory:
 *
 *   results.csv   backend,workload,ns_per_op_median,ns_min,ns_max,ratio_to_mimalloc,reps,ops
 *   traces.csv    backend,trace,ns_per_op,ratio_to_mimalloc,peak_live_bytes,
 *                 peak_footprint_bytes,footprint_at_live_peak,overhead_pct
 *   ops_wide.csv, traces_wide.csv   the same, one row per workload (for gnuplot)
 *   targets.csv   target,goal,measured,verdict
 *
 * Times are medians over the repetitions of wall-clock ns per op (one op =
 * one alloc+free pair). They are measurements, not pass/fail criteria.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "bench.h"

#define MAX_BACKENDS 16
#define MAX_TRACES 8
#define MIMALLOC "mimalloc"

const struct bench_workload_info bench_workloads[W_NR] = {
	[W_PAIR64] = { "pair64", "alloc(64)+free, hot", 2000000, false },
	[W_BATCH1K] = { "batch1k", "1,000 allocs then 1,000 frees", 1000000, false },
	[W_BATCH100K] = { "batch100k", "100,000 allocs then 100,000 frees", 1000000, false },
	[W_MIXED] = { "mixed", "random slots, sizes 8 B..16 KiB", 1000000, false },
	[W_PRODCONS] = { "prodcons", "alloc on thread 0, free on thread 1", 1000000, true },
	[W_SCALE1] = { "scale1", "batches of 16, 1 thread", 4000000, true },
	[W_SCALE2] = { "scale2", "batches of 16, 2 threads", 4000000, true },
	[W_PAGE0] = { "page0", "order-0 page pair", 1000000, false },
	[W_PAGE3] = { "page3", "order-3 page pair", 200000, false },
	[W_PAGEBULK] = { "pagebulk", "1,000 order-0 allocs then frees", 200000, false },
	[W_MEMINIT] = { "meminit", "mem_init() per page of RAM", 0, false },
};

struct cell {
	int status; /* 0 not run, 1 measured, -1 not supported / failed */
	double median, min, max;
	long ops;
};

struct tcell {
	int status;
	double ns_per_op;
	struct trace_footprint fp;
};

/* What the machine gives two threads of pure arithmetic: the ceiling for scale2. */
static void *spin_loop(void *arg)
{
	volatile unsigned long x = 0;
	long i;

	for (i = 0; i < (long)arg; i++)
		x += (unsigned long)i;
	return NULL;
}

static double cpu_scaling(void)
{
	const long n = 200000000;
	pthread_t a, b;
	uint64_t t0 = bench_now_ns(), t1, t2;

	spin_loop((void *)n);
	t1 = bench_now_ns();
	pthread_create(&a, NULL, spin_loop, (void *)(n / 2));
	pthread_create(&b, NULL, spin_loop, (void *)(n / 2));
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	t2 = bench_now_ns();
	return (double)(t1 - t0) / (double)(t2 - t1);
}

static double machine_scaling;

struct shared {
	char skip[MAX_BACKENDS][160];
	struct cell cell[MAX_BACKENDS][W_NR];
	struct tcell tr[MAX_BACKENDS][MAX_TRACES];
	double memmap_pct;
	long ram_pages;
};

/* Filled by backend_kmm.c in the kmm child (absent from the malloc programs). */
extern long bench_kmm_ram_pages __attribute__((weak));
extern double bench_kmm_memmap_pct __attribute__((weak));

/* Never called: a sibling program replays (it only says that one can). */
static double remote_replay(const struct trace *t, struct trace_footprint *fp)
{
	(void)t;
	(void)fp;
	return -1;
}

/* The mallocs, each in a program of its own beside kmm-bench. */
static const struct bench_backend remote_backends[] = {
	{ .name = "glibc", .replay = remote_replay, .exe = "kmm-bench-glibc" },
	{ .name = "jemalloc", .replay = remote_replay, .exe = "kmm-bench-jemalloc" },
	{ .name = "mimalloc", .replay = remote_replay, .exe = "kmm-bench-mimalloc" },
	{ .name = "tcmalloc", .replay = remote_replay, .exe = "kmm-bench-tcmalloc" },
};

static const struct bench_backend *backends[MAX_BACKENDS];
static unsigned int nr_backends;
static struct trace traces[MAX_TRACES];
static unsigned int nr_traces;
static struct shared *sh;
static int sh_fd = -1;
static const char *trace_dir = "tests/traces";
static int reps = 5;
static long scale_div = 1;

bool bench_callgrind;
struct mixed_step *bench_mixed;
long bench_mixed_len;

/* ---- helpers shared with the backends ----------------------------------------- */

static uint64_t measure_t0;

void bench_measure_start(void)
{
	if (bench_callgrind)
		CALLGRIND_START_INSTRUMENTATION;
	measure_t0 = bench_now_ns();
}

double bench_measure_stop(void)
{
	uint64_t t = bench_now_ns();

	if (bench_callgrind)
		CALLGRIND_STOP_INSTRUMENTATION;
	return (double)(t - measure_t0);
}

size_t bench_rss_bytes(void)
{
	static int fd = -1;
	unsigned long size = 0, resident = 0;
	char buf[128];
	ssize_t n;

	if (fd < 0)
		fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	sscanf(buf, "%lu %lu", &size, &resident);
	return resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* Spin briefly, then yield: the other side may not be on a CPU right now. */
static void spin_wait(unsigned int *spins)
{
	/* Under callgrind, a spin would be counted: let the other side run. */
	if (++*spins % 64 == 0 || bench_callgrind)
		sched_yield();
	else
		__builtin_ia32_pause();
}

void bench_prefault(void *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		((volatile char *)p)[i] = 0;
}

void ring_push(struct bench_ring *r, void *p)
{
	unsigned long head = r->head;

	unsigned int spins = 0;

	while (head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) == RING_SIZE)
		spin_wait(&spins);
	r->slot[head % RING_SIZE] = p;
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
}

void *ring_pop(struct bench_ring *r)
{
	unsigned long tail = r->tail;
	unsigned int spins = 0;
	void *p;

	while (__atomic_load_n(&r->head, __ATOMIC_ACQUIRE) == tail)
		spin_wait(&spins);
	p = r->slot[tail % RING_SIZE];
	__atomic_store_n(&r->tail, tail + 1, __ATOMIC_RELEASE);
	return p;
}

struct thread_start {
	void (*fn)(void *arg, unsigned int idx);
	void *arg;
	unsigned int idx;
	unsigned int *ready;
	int *go;
};

static void *thread_main(void *p)
{
	struct thread_start *s = p;
	unsigned int spins = 0;

	__atomic_add_fetch(s->ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(s->go, __ATOMIC_ACQUIRE))
		spin_wait(&spins);
	s->fn(s->arg, s->idx);
	return NULL;
}

double bench_run_threads(unsigned int nr, void (*fn)(void *arg, unsigned int idx), void *arg)
{
	struct thread_start start[4];
	pthread_t tid[4];
	unsigned int ready = 0, i;
	int go = 0;
	double ns;

	if (nr > 4)
		return -1;
	for (i = 0; i < nr; i++) {
		start[i] = (struct thread_start){ fn, arg, i, &ready, &go };
		if (pthread_create(&tid[i], NULL, thread_main, &start[i]))
			return -1;
	}
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < nr)
		__builtin_ia32_pause();
	bench_measure_start();
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < nr; i++)
		pthread_join(tid[i], NULL);
	ns = bench_measure_stop();
	return ns;
}

/* ---- setup ----------------------------------------------------------------------- */

static uint64_t rng = 0x6b6d6d2d62656e63ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Sizes: 90 % log-uniform in 8..2048, 10 % uniform in 2 KiB..16 KiB. */
static void make_mixed(long steps)
{
	long i;

	bench_mixed = malloc(steps * sizeof(*bench_mixed));
	if (!bench_mixed) {
		perror("kmm-bench");
		exit(1);
	}
	for (i = 0; i < steps; i++) {
		uint32_t slot = rnd() % MIXED_SLOTS, size;

		if (rnd() % 10)
			size = (uint32_t)(8u << (rnd() % 8)) + rnd() % (8u << (rnd() % 8));
		else
			size = 2049 + rnd() % (16384 - 2048);
		bench_mixed[i] = (struct mixed_step){ slot, size };
	}
	bench_mixed_len = steps;
}

static void add_backends(const struct bench_backend *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && nr_backends < MAX_BACKENDS; i++)
		backends[nr_backends++] = &b[i];
}

static int backend_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_backends; i++)
		if (!strcmp(backends[i]->name, name))
			return (int)i;
	return -1;
}

static int workload_index(const char *name)
{
	unsigned int w;

	for (w = 0; w < W_NR; w++)
		if (!strcmp(bench_workloads[w].name, name))
			return (int)w;
	return -1;
}

static void load_traces(const char *dir)
{
	char pattern[512];
	glob_t g;
	size_t i;

	snprintf(pattern, sizeof(pattern), "%s/*.trace", dir);
	if (glob(pattern, 0, NULL, &g)) {
		fprintf(stderr, "kmm-bench: no traces in %s\n", dir);
		return;
	}
	for (i = 0; i < g.gl_pathc && nr_traces < MAX_TRACES; i++)
		if (!trace_load(g.gl_pathv[i], &traces[nr_traces]))
			nr_traces++;
	globfree(&g);
}

/* ---- running ---------------------------------------------------------------------- */

/* Allocations among the first @steps steps of the mixed workload. */
static long mixed_allocs_in(long steps)
{
	char full[MIXED_SLOTS] = { 0 };
	long k, allocs = 0;

	for (k = 0; k < steps && k < bench_mixed_len; k++) {
		allocs += !full[bench_mixed[k].slot];
		full[bench_mixed[k].slot] ^= 1;
	}
	return allocs;
}

static long ops_of(enum bench_workload w, long n)
{
	if (w == W_MIXED)
		return mixed_allocs_in(n);
	if (w == W_BATCH1K)
		return n / 1000 * 1000;
	if (w == W_BATCH100K)
		return n / 100000 * 100000;
	if (w == W_PAGEBULK)
		return n / 1000 * 1000;
	if (w == W_SCALE1 || w == W_SCALE2)
		return n / 16 * 16;
	return n;
}

static long n_of(enum bench_workload w)
{
	long n = bench_workloads[w].n / scale_div;

	if (w == W_BATCH100K && n < 100000)
		n = 100000;
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Run every workload of @be; figures into slot @b of the shared table. */
static void run_workloads(const struct bench_backend *be, unsigned int b)
{
	double v[64];
	unsigned int w, t;
	int r;

	for (w = 0; w < W_MEMINIT; w++) {
		struct cell *c = &sh->cell[b][w];
		long n = n_of(w), ops = ops_of(w, n);

		for (r = 0; r < reps; r++) {
			double ns;

			if (be->reset)
				be->reset();
			ns = be->run(w, n);
			if (ns < 0)
				break;
			v[r] = ns / (double)ops;
		}
		if (r < reps) {
			c->status = -1;
			continue;
		}
		qsort(v, reps, sizeof(v[0]), cmp_double);
		*c = (struct cell){ 1, v[reps / 2], v[0], v[reps - 1], ops };
	}
	for (t = 0; t < nr_traces && be->replay; t++) {
		for (r = 0; r < reps; r++) {
			double ns;

			if (be->reset)
				be->reset();
			ns = be->replay(&traces[t], NULL);
			if (ns < 0)
				break;
			v[r] = ns / (double)traces[t].nr_allocs;
		}
		if (r < reps)
			continue;
		qsort(v, reps, sizeof(v[0]), cmp_double);
		sh->tr[b][t].ns_per_op = v[reps / 2];
	}
}

/* In the child: backend @be (of this program) fills slot @b of the table. */
static void run_child(const struct bench_backend *be, unsigned int b, int trace)
{
	const char *why = be->setup();

	if (why) {
		snprintf(sh->skip[b], sizeof(sh->skip[b]), "%s", why);
		_exit(0);
	}
	if (trace >= 0) {
		struct tcell *c = &sh->tr[b][trace];

		if (be->reset)
			be->reset();
		if (be->before_footprint)
			be->before_footprint();
		c->status = be->replay(&traces[trace], &c->fp) < 0 ? -1 : 1;
		_exit(0);
	}
	if (&bench_kmm_memmap_pct && !strcmp(be->name, "kmalloc")) {
		sh->memmap_pct = bench_kmm_memmap_pct;
		sh->ram_pages = bench_kmm_ram_pages;
	}
	run_workloads(be, b);
	_exit(0);
}

/* Replace this child by the program that links backend @b. */
static void exec_sibling(unsigned int b, int trace)
{
	char self[512], path[640], slot[16], tr[16], fd[16], rp[16], sc[16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0) {
		snprintf(sh->skip[b], sizeof(sh->skip[b]), "cannot find /proc/self/exe");
		_exit(0);
	}
	self[n] = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	snprintf(path, sizeof(path), "%s/%s", slash ? self : ".", backends[b]->exe);
	snprintf(slot, sizeof(slot), "%u", b);
	snprintf(tr, sizeof(tr), "%d", trace);
	snprintf(fd, sizeof(fd), "%d", sh_fd);
	snprintf(rp, sizeof(rp), "%d", reps);
	snprintf(sc, sizeof(sc), "%ld", scale_div);
	execl(path, path, "--reps", rp, "--scale", sc, "--traces", trace_dir, "--child",
	      backends[b]->name, slot, tr, fd, (char *)NULL);
	snprintf(sh->skip[b], sizeof(sh->skip[b]), "%.60s: %.40s (make bench builds it)",
		 backends[b]->exe, strerror(errno));
	_exit(0);
}

static void in_child(unsigned int b, int trace)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("kmm-bench: fork");
		exit(1);
	}
	if (pid == 0) {
		if (backends[b]->exe)
			exec_sibling(b, trace);
		run_child(backends[b], b, trace);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		snprintf(sh->skip[b], sizeof(sh->skip[b]), "child died (status %#x)", status);
}

/* ---- callgrind mode ------------------------------------------------------------------ */

static int callgrind_main(const char *bname, const char *wname, long n)
{
	int b = backend_index(bname), w = workload_index(wname);
	const char *why;
	double ns;

	if (b < 0 || w < 0) {
		fprintf(stderr, "kmm-bench: unknown backend %s or workload %s\n", bname, wname);
		return 2;
	}
	if (backends[b]->exe) {
		fprintf(stderr, "kmm-bench: %s is measured by %s\n", bname, backends[b]->exe);
		return 2;
	}
	why = backends[b]->setup();
	if (why) {
		fprintf(stderr, "kmm-bench: %s: %s\n", bname, why);
		return 1;
	}
	if (w == W_MEMINIT) {
		bench_callgrind = true;
		ns = backends[b]->run(w, 0);
		printf("callgrind %s %s ops %ld\n", bname, wname, bench_kmm_ram_pages);
		return ns < 0;
	}
	if (n <= 0)
		n = 200000;
	/* Warm up: the first pass fills caches and magazines; measure the steady state. */
	if (backends[b]->run(w, n / 4 < 100000 ? 100000 : n / 4) < 0) {
		fprintf(stderr, "kmm-bench: %s does not run %s\n", bname, wname);
		return 1;
	}
	bench_callgrind = true;
	ns = backends[b]->run(w, n);
	printf("callgrind %s %s ops %ld\n", bname, wname, ops_of(w, n));
	return ns < 0;
}

/* ---- reporting -------------------------------------------------------------------------- */

struct cg_row {
	char backend[32], workload[32];
	double per_op;
};
static struct cg_row cg[64];
static unsigned int nr_cg;

static void load_callgrind(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && nr_cg < 64) {
		struct cg_row *r = &cg[nr_cg];
		char *s = line, *tok[5];
		int i;

		for (i = 0; i < 5 && (tok[i] = strsep(&s, ",\n")); i++)
			;
		if (i < 5 || !strcmp(tok[0], "backend"))
			continue;
		snprintf(r->backend, sizeof(r->backend), "%s", tok[0]);
		snprintf(r->workload, sizeof(r->workload), "%s", tok[1]);
		r->per_op = strtod(tok[4], NULL);
		nr_cg++;
	}
	fclose(f);
}

static double callgrind_of(const char *backend, const char *workload)
{
	unsigned int i;

	for (i = 0; i < nr_cg; i++)
		if (!strcmp(cg[i].backend, backend) && !strcmp(cg[i].workload, workload))
			return cg[i].per_op;
	return -1;
}

static const struct cell *cell_of(const char *backend, enum bench_workload w)
{
	int b = backend_index(backend);

	return b >= 0 && sh->cell[b][w].status == 1 ? &sh->cell[b][w] : NULL;
}

static double overhead_pct(const struct trace_footprint *fp)
{
	return fp->peak_live ? 100.0 * ((double)fp->peak_footprint / (double)fp->peak_live - 1)
			     : 0;
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		perror(path);
	return f;
}

static void print_ops_table(FILE *csv, FILE *wide, unsigned int w0, unsigned int w1)
{
	int mi = backend_index(MIMALLOC);
	unsigned int b, w;

	printf("\n%-12s", "ns/op (x mi)");
	for (w = w0; w < w1; w++)
		printf(" %17s", bench_workloads[w].name);
	printf("\n");
	for (b = 0; b < nr_backends; b++) {
		printf("%-12s", backends[b]->name);
		for (w = w0; w < w1; w++) {
			const struct cell *c = &sh->cell[b][w];
			const struct cell *m = mi >= 0 ? &sh->cell[mi][w] : NULL;
			double ratio = m && m->status == 1 && c->status == 1 ? c->median / m->median : 0;

			if (c->status != 1) {
				printf(" %17s", "-");
				continue;
			}
			printf(" %9.1f (%4.2fx)", c->median, ratio);
			if (csv)
				fprintf(csv, "%s,%s,%.3f,%.3f,%.3f,%.4f,%d,%ld\n", backends[b]->name,
					bench_workloads[w].name, c->median, c->min, c->max, ratio,
					reps, c->ops);
		}
		printf("\n");
	}
	if (!wide)
		return;
	for (w = w0; w < w1; w++) {
		fprintf(wide, "%s", bench_workloads[w].name);
		for (b = 0; b < nr_backends; b++) {
			const struct cell *c = &sh->cell[b][w];

			if (c->status == 1)
				fprintf(wide, ",%.3f", c->median);
			else
				fprintf(wide, ",");
		}
		fprintf(wide, "\n");
	}
}

static void print_traces(FILE *csv, FILE *wide)
{
	int mi = backend_index(MIMALLOC);
	unsigned int b, t;

	if (!nr_traces)
		return;
	printf("\ntraces: ns per alloc+free (x mimalloc) | peak live KiB | peak footprint KiB | overhead\n");
	for (t = 0; t < nr_traces; t++) {
		printf("%s (%ld events, peak live %zu KiB)\n", traces[t].name,
		       traces[t].nr_events, traces[t].peak_live / 1024);
		for (b = 0; b < nr_backends; b++) {
			const struct tcell *c = &sh->tr[b][t];
			double ratio = mi >= 0 && sh->tr[mi][t].ns_per_op > 0 && c->ns_per_op > 0
					       ? c->ns_per_op / sh->tr[mi][t].ns_per_op : 0;

			if (c->status != 1)
				continue;
			printf("  %-12s %8.1f (%5.2fx) %10zu %10zu %8.1f %%\n", backends[b]->name,
			       c->ns_per_op, ratio, c->fp.peak_live / 1024,
			       c->fp.peak_footprint / 1024, overhead_pct(&c->fp));
			if (csv)
				fprintf(csv, "%s,%s,%.3f,%.4f,%zu,%zu,%zu,%.2f\n", backends[b]->name,
					traces[t].name, c->ns_per_op, ratio, c->fp.peak_live,
					c->fp.peak_footprint, c->fp.at_live_peak, overhead_pct(&c->fp));
		}
	}
	if (!wide)
		return;
	fprintf(wide, "trace");
	for (b = 0; b < nr_backends; b++)
		if (backends[b]->replay)
			fprintf(wide, ",%s", backends[b]->name);
	fprintf(wide, "\n");
	for (t = 0; t < nr_traces; t++) {
		fprintf(wide, "%s", traces[t].name);
		for (b = 0; b < nr_backends; b++)
			if (backends[b]->replay)
				fprintf(wide, sh->tr[b][t].status == 1 ? ",%.2f" : ",",
					overhead_pct(&sh->tr[b][t].fp));
		fprintf(wide, "\n");
	}
}

static void target(FILE *csv, const char *name, const char *goal, double measured,
		   const char *unit, int met)
{
	const char *verdict = met < 0 ? "not measured" : met > 1 ? "info" : met ? "met" : "MISSED";

	if (met < 0)
		printf("  %-46s %-14s %12s   %s\n", name, goal, "-", verdict);
	else
		printf("  %-46s %-14s %10.2f%-2s   %s\n", name, goal, measured, unit, verdict);
	if (csv)
		fprintf(csv, "%s,%s,%.3f,%s\n", name, goal, met < 0 ? 0 : measured, verdict);
}

static void print_targets(FILE *csv)
{
	const struct cell *k = cell_of("kmalloc", W_PAIR64), *m = cell_of(MIMALLOC, W_PAIR64);
	int seg = backend_index("segregated"), km = backend_index("kmalloc");
	const char *names[] = { "kmalloc", "kmem_cache" };
	double v;
	unsigned int t, i;
	char label[96];

	printf("\ntargets (from the issue)\n");
	if (csv)
		fprintf(csv, "target,goal,measured,verdict\n");
	target(csv, "kmalloc(64) hot pair / mimalloc", "<= 1.00x", k && m ? k->median / m->median : 0,
	       "x", k && m ? k->median <= m->median : -1);
	v = callgrind_of("kmem_cache", "pair64");
	target(csv, "kmem_cache pair, instructions", "<= 30", v, "", v < 0 ? -1 : v <= 30);
	v = callgrind_of("kmalloc", "page0");
	target(csv, "order-0 page pair, instructions", "<= 60", v, "", v < 0 ? -1 : v <= 60);
	v = callgrind_of("kmalloc", "meminit");
	target(csv, "boot: mem_init() instructions per page", "<= 40", v, "", v < 0 ? -1 : v <= 40);
	target(csv, "(control) pure arithmetic, 2 threads / 1", "~2.0x", machine_scaling, "x", 2);
	target(csv, "memmap overhead, % of RAM", "<= 1.5625", sh->memmap_pct, "%",
	       sh->ram_pages ? sh->memmap_pct <= 1.5625 + 0.01 : -1);
	for (i = 0; i < 2; i++) {
		const struct cell *one = cell_of(names[i], W_SCALE1), *two = cell_of(names[i], W_SCALE2);

		snprintf(label, sizeof(label), "%s: 2-thread / 1-thread throughput", names[i]);
		target(csv, label, ">= 1.9x", one && two ? one->median / two->median : 0, "x",
		       one && two ? one->median / two->median >= 1.9 : -1);
	}
	for (t = 0; t < nr_traces && km >= 0; t++) {
		const struct tcell *c = &sh->tr[km][t];

		snprintf(label, sizeof(label), "%.40s: slab footprint over peak live", traces[t].name);
		target(csv, label, "<= 15 %", overhead_pct(&c->fp), "%",
		       c->status == 1 ? overhead_pct(&c->fp) <= 15 : -1);
	}
	for (t = 0; t < nr_traces && km >= 0 && seg >= 0; t++) {
		const struct tcell *c = &sh->tr[km][t], *p = &sh->tr[seg][t];

		snprintf(label, sizeof(label), "%.40s: kmm footprint / power-of-two's", traces[t].name);
		target(csv, label, "< 1.00x",
		       p->fp.peak_footprint ? (double)c->fp.peak_footprint / p->fp.peak_footprint : 0,
		       "x", c->status == 1 && p->status == 1 ?
				     c->fp.peak_footprint < p->fp.peak_footprint : -1);
	}
}

static void report(const char *out)
{
	FILE *csv = open_out(out, "results.csv"), *wide = open_out(out, "ops_wide.csv");
	FILE *tcsv = open_out(out, "traces.csv"), *twide = open_out(out, "traces_wide.csv");
	FILE *targets = open_out(out, "targets.csv");
	unsigned int b;
	char path[512];

	for (b = 0; b < nr_backends; b++)
		if (sh->skip[b][0])
			printf("skipped %s: %s\n", backends[b]->name, sh->skip[b]);
	if (csv)
		fprintf(csv, "backend,workload,ns_per_op_median,ns_min,ns_max,ratio_to_mimalloc,reps,ops\n");
	if (wide) {
		fprintf(wide, "workload");
		for (b = 0; b < nr_backends; b++)
			fprintf(wide, ",%s", backends[b]->name);
		fprintf(wide, "\n");
	}
	if (tcsv)
		fprintf(tcsv, "backend,trace,ns_per_op,ratio_to_mimalloc,peak_live_bytes,"
			      "peak_footprint_bytes,footprint_at_live_peak,overhead_pct\n");
	printf("\nmedian of %d repetitions; one op = one alloc+free pair; (x mi) = ratio to mimalloc\n",
	       reps);
	print_ops_table(csv, wide, W_PAIR64, W_PRODCONS);
	print_ops_table(csv, wide, W_PRODCONS, W_PAGE0);
	printf("\npage allocator (kmalloc row: alloc_pages/__free_pages; mallocs: aligned_alloc 4 KiB / 32 KiB)");
	print_ops_table(csv, wide, W_PAGE0, W_MEMINIT);
	print_traces(tcsv, twide);
	snprintf(path, sizeof(path), "%s/callgrind.csv", out);
	load_callgrind(path);
	if (nr_cg) {
		unsigned int i;

		printf("\ncallgrind: instructions per op of the measured loop (%s)\n", path);
		for (i = 0; i < nr_cg; i++)
			printf("  %-12s %-10s %10.1f\n", cg[i].backend, cg[i].workload, cg[i].per_op);
	} else {
		printf("\n(no %s: run `make bench` for the instruction counts)\n", path);
	}
	print_targets(targets);
	printf("\nCSV: %s/{results,traces,ops_wide,traces_wide,targets}.csv\n", out);
	if (csv)
		fclose(csv);
	if (wide)
		fclose(wide);
	if (tcsv)
		fclose(tcsv);
	if (twide)
		fclose(twide);
	if (targets)
		fclose(targets);
}

/* --child: run backend @name into slot @slot of the table in memfd @fd. */
static int child_main(const char *name, unsigned int slot, int trace, int fd)
{
	int b = backend_index(name);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (sh == MAP_FAILED || b < 0 || slot >= MAX_BACKENDS) {
		fprintf(stderr, "kmm-bench: --child %s: bad table or backend\n", name);
		return 1;
	}
	load_traces(trace_dir);
	if (trace >= (int)nr_traces) {
		snprintf(sh->skip[slot], sizeof(sh->skip[slot]), "trace %d missing", trace);
		return 0;
	}
	run_child(backends[b], slot, trace);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: kmm-bench [--reps N] [--quick] [--out DIR] [--traces DIR]\n"
			"       kmm-bench --callgrind BACKEND WORKLOAD [N]\n"
			"       kmm-bench --list\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = "build/bench";
	unsigned int b, t;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (bench_malloc_backends)
		add_backends(bench_malloc_backends, bench_nr_malloc_backends);
	else
		add_backends(remote_backends, sizeof(remote_backends) / sizeof(remote_backends[0]));
	if (bench_kmm_backends)
		add_backends(bench_kmm_backends, bench_nr_kmm_backends);
	if (bench_seed_backends)
		add_backends(bench_seed_backends, bench_nr_seed_backends);
	make_mixed(bench_workloads[W_MIXED].n);

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = atoi(argv[++i]);
			if (reps < 1 || reps > 64)
				usage();
		} else if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
			scale_div = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--child") && i + 4 < argc) {
			return child_main(argv[i + 1], (unsigned int)atoi(argv[i + 2]),
					  atoi(argv[i + 3]), atoi(argv[i + 4]));
		} else if (!strcmp(argv[i], "--quick")) {
			scale_div = 10;
			reps = 3;
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--traces") && i + 1 < argc) {
			trace_dir = argv[++i];
		} else if (!strcmp(argv[i], "--callgrind") && i + 2 < argc) {
			return callgrind_main(argv[i + 1], argv[i + 2],
					      i + 3 < argc ? atol(argv[i + 3]) : 0);
		} else if (!strcmp(argv[i], "--list")) {
			for (b = 0; b < nr_backends; b++)
				printf("backend %s\n", backends[b]->name);
			for (b = 0; b < W_NR; b++)
				printf("workload %-10s %s\n", bench_workloads[b].name,
				       bench_workloads[b].what);
			return 0;
		} else {
			usage();
		}
	}
	mkdir(out, 0755);
	load_traces(trace_dir);
	/* A memfd, so that exec'd sibling programs can map the table too. */
	sh_fd = memfd_create("kmm-bench-table", 0);
	if (sh_fd < 0 || ftruncate(sh_fd, sizeof(*sh))) {
		perror("kmm-bench: memfd");
		return 1;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED, sh_fd, 0);
	if (sh == MAP_FAILED) {
		perror("kmm-bench: mmap");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));

	machine_scaling = cpu_scaling();
	for (b = 0; b < nr_backends; b++) {
		fprintf(stderr, "kmm-bench: %s ...\n", backends[b]->name);
		for (t = 0; t < nr_traces && backends[b]->replay; t++)
			in_child(b, (int)t);
		in_child(b, -1);
	}
	report(out);
	return 0;
}
