// SPDX-License-Identifier: MIT
/*
 * The runner itself (kernel/ktest.c): a case during which a report is
 * printed that it did not announce fails, so does one whose announced report
 * never comes, and the console log level changes neither. Each check runs an
 * inner case with ktest_run_case() and looks at its failure count; the inner
 * cases' diagnostics are expected output.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "kernel/ktest.h"
#include "host_mm.h"

static int run_inner(void (*fn)(struct ktest *t))
{
	struct ktest inner = { .name = "inner" };

	ktest_run_case(&inner, fn);
	return inner.failures;
}

static void quiet(struct ktest *t)
{
	pr_info("an ordinary message\n");
}

static void unannounced_bug(struct ktest *t)
{
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
}

static void unannounced_bad_free(struct ktest *t)
{
	printk(KERN_ERR "page_alloc: BUG: bad free refused: double free; pfn 0x10\n");
}

static void unannounced_warning(struct ktest *t)
{
	printk(KERN_WARNING "WARNING: CPU: 0 PID: 0 at kmalloc+0x10/0x20\n");
}

static void unannounced_gfp(struct ktest *t)
{
	printk(KERN_WARNING "kmalloc: Unexpected gfp: 0x8000, caller foo\n");
}

static void unannounced_alloc_failure(struct ktest *t)
{
	printk(KERN_WARNING "page_alloc: page allocation failure: order:0, gfp:0\n");
}

/* Printed in two pieces, as pr_cont does: still one report line. */
static void unannounced_in_pieces(struct ktest *t)
{
	printk(KERN_ERR "BU");
	printk(KERN_CONT "G dbg: Poison overwritten\n");
}

static void announced_and_printed(struct ktest *t)
{
	ktest_expect_report(t, "Object already free");
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
	printk(KERN_ERR "Object 0x1000 offset 0 caller kfree+0x10/0x20\n");
}

static void announced_never_printed(struct ktest *t)
{
	ktest_expect_report(t, "Object already free");
}

static void announced_once_printed_twice(struct ktest *t)
{
	ktest_expect_report(t, "Object already free");
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
}

static void announced_other_text(struct ktest *t)
{
	ktest_expect_report(t, "Wrong cache");
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
}

/* Announced after the report: counts, as long as it comes before the end. */
static void announced_after_printed(struct ktest *t)
{
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
	ktest_expect_report(t, "Object already free");
}

/* A late announcement takes one report, not two. */
static void announced_late_once_printed_twice(struct ktest *t)
{
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
	printk(KERN_ERR "BUG kmalloc-64: Object already free\n");
	ktest_expect_report(t, "Object already free");
}

/* KTAP diagnostics quoting a report are not reports. */
static void diagnostic_quotes_report(struct ktest *t)
{
	printk("        # was: BUG kmalloc-64: bad free refused\n");
}

static void runner_counts_reports(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run_inner(quiet), 0);
	KTEST_EXPECT_EQ(t, run_inner(unannounced_bug), 1);
	KTEST_EXPECT_EQ(t, run_inner(unannounced_bad_free), 1);
	KTEST_EXPECT_EQ(t, run_inner(unannounced_warning), 1);
	KTEST_EXPECT_EQ(t, run_inner(unannounced_gfp), 1);
	KTEST_EXPECT_EQ(t, run_inner(unannounced_alloc_failure), 1);
	KTEST_EXPECT_EQ(t, run_inner(unannounced_in_pieces), 1);
	KTEST_EXPECT_EQ(t, run_inner(diagnostic_quotes_report), 0);
}

static void runner_matches_announcements(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run_inner(announced_and_printed), 0);
	KTEST_EXPECT_EQ(t, run_inner(announced_never_printed), 1);
	KTEST_EXPECT_EQ(t, run_inner(announced_once_printed_twice), 1);
	KTEST_EXPECT_EQ(t, run_inner(announced_other_text), 2);
	KTEST_EXPECT_EQ(t, run_inner(announced_after_printed), 0);
	KTEST_EXPECT_EQ(t, run_inner(announced_late_once_printed_twice), 1);
}

/* The outer case's own account survives an inner case. */
static void runner_nests(struct ktest *t)
{
	ktest_expect_report(t, "BUG outer: announced");
	KTEST_EXPECT_EQ(t, run_inner(unannounced_bug), 1);
	printk(KERN_ERR "BUG outer: announced\n");
}

static void *report_from_other_cpu(void *arg)
{
	host_set_cpu(1);
	printk(KERN_ERR "BUG kmalloc-32: Object already free\n");
	return NULL;
}

static void other_thread_reports(struct ktest *t)
{
	pthread_t th;

	pthread_create(&th, NULL, report_from_other_cpu, NULL);
	pthread_join(th, NULL);
}

static void runner_counts_every_cpu(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run_inner(other_thread_reports), 1);
}

/* loglevel=0: reports are still counted, KTAP and the ring still complete. */
static void runner_ignores_loglevel(struct ktest *t)
{
	int saved = console_loglevel;
	unsigned long mark = ktest_console_mark();
	int unannounced, announced;

	console_loglevel = 0;
	unannounced = run_inner(unannounced_bug);
	announced = run_inner(announced_and_printed);
	pr_info("an info line the console does not show\n");
	console_loglevel = saved;
	KTEST_EXPECT_EQ(t, unannounced, 1);
	KTEST_EXPECT_EQ(t, announced, 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "an info line the console does not show"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "# inner: EXPECTATION FAILED"));
}

static void report_shapes(struct ktest *t)
{
	static const char *const yes[] = {
		"BUG kmalloc-64: Object already free",
		"BUG: unable to handle page fault for address: 0000000000000010",
		"page_alloc: BUG: bad free refused: wrong order",
		"vmalloc: BUG: vfree of 0x1000 refused: not a vmalloc address",
		"WARNING: CPU: 1 PID: 0 at foo+0x1/0x2",
		"Kernel panic - not syncing: oops",
		"slab: refusing to destroy gone",
		"buddy_check: zone Normal: free_pages 7 but the lists hold 6",
	};
	static const char *const no[] = {
		"    ok 1 double_free_refused", "BUGS", "kmalloc-64: ok",
		"        # BUG kmalloc: quoted", "DEBUG: fine",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		if (!ktest_is_report(yes[i], strlen(yes[i])))
			KTEST_FAIL(t, "not taken for a report: %s", yes[i]);
	for (i = 0; i < ARRAY_SIZE(no); i++)
		if (ktest_is_report(no[i], strlen(no[i])))
			KTEST_FAIL(t, "taken for a report: %s", no[i]);
}

static const struct ktest_case ktest_runner_cases[] = {
	KTEST_CASE(report_shapes),
	KTEST_CASE(runner_counts_reports),
	KTEST_CASE(runner_matches_announcements),
	KTEST_CASE(runner_nests),
	KTEST_CASE(runner_counts_every_cpu),
	KTEST_CASE(runner_ignores_loglevel),
};
KTEST_SUITE(ktest_runner, ktest_runner_cases);
