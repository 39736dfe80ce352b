/* SPDX-License-Identifier: MIT */
/*
 * ktest: in-kernel self-tests, reported in KTAP version 1 on the console.
 *
 * A suite is a table of cases registered with KTEST_SUITE(); the runner
 * (kernel/ktest.c) finds every registered suite, runs the
 * ones the ktest= command-line option selects, and prints:
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: buddy
 *       1..3
 *       ok 1 alloc_every_order
 *       not ok 2 zero_flag
 *       ...
 *   ok 1 buddy
 *
 * A case is a function taking the test context. KTEST_EXPECT_* record a
 * failure and carry on; KTEST_ASSERT_* record it and return from the case.
 * Failed expectations print the expression and both values as diagnostics.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include "kmm/compiler.h"
#include "kmm/printk.h"

#define KTEST_MAX_EXPECTED 16
#define KTEST_MAX_UNEXPECTED 8
#define KTEST_REPORT_LEN 160

struct ktest {
	const char *name;
	int failures;
	bool skipped;
	char skip_reason[96];
	/* Reports announced with ktest_expect_report() and those seen. */
	char expected[KTEST_MAX_EXPECTED][KTEST_REPORT_LEN / 2];
	bool expected_seen[KTEST_MAX_EXPECTED];
	unsigned int nr_expected;
	unsigned int nr_unexpected;
	char unexpected[KTEST_MAX_UNEXPECTED][KTEST_REPORT_LEN];
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	unsigned int nr_cases;
	bool default_off; /* run only when ktest= names it */
	/* Optional: runs before the cases; a non-zero return skips the suite. */
	int (*init)(void);
};

#define KTEST_CASE(fn) { #fn, fn }

/*
 * In the kernel, suites are collected by the linker in section ktest_suites.
 * Host builds (KMM_HOST) register them from constructors instead, because
 * AddressSanitizer pads globals and would break walking a section as an array.
 */
#ifdef KMM_HOST
void ktest_register(const struct ktest_suite *suite);
#define __KTEST_PLACE(sname)
#define __KTEST_REGISTER(sname)                                               \
	static void __attribute__((constructor)) __ktest_reg_##sname(void)    \
	{                                                                     \
		ktest_register(&__ktest_suite_##sname);                       \
	}
#else
#define __KTEST_PLACE(sname) __section("ktest_suites") __used __aligned(8)
#define __KTEST_REGISTER(sname)
#endif

#define KTEST_SUITE(sname, case_table, ...)                                   \
	static const struct ktest_suite __ktest_suite_##sname                 \
	__KTEST_PLACE(sname) = {                                              \
		.name = #sname,                                               \
		.cases = case_table,                                          \
		.nr_cases = ARRAY_SIZE(case_table),                           \
		__VA_ARGS__                                                   \
	};                                                                    \
	__KTEST_REGISTER(sname)

void ktest_fail_at(struct ktest *t, const char *file, int line,
		   const char *fmt, ...) __printf(4, 5);
void ktest_skip(struct ktest *t, const char *reason);

#define KTEST_FAIL(t, fmt, ...) \
	ktest_fail_at(t, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define KTEST_EXPECT_TRUE(t, cond)                                           \
	do {                                                                 \
		if (!(cond))                                                 \
			KTEST_FAIL(t, "Expected %s to be true", #cond);      \
	} while (0)

#define KTEST_EXPECT_FALSE(t, cond)                                          \
	do {                                                                 \
		if (cond)                                                    \
			KTEST_FAIL(t, "Expected %s to be false", #cond);     \
	} while (0)

#define __KTEST_CMP(t, a, op, b, on_fail)                                    \
	do {                                                                 \
		long long __a = (long long)(a), __b = (long long)(b);        \
		if (!(__a op __b)) {                                         \
			KTEST_FAIL(t, "Expected %s " #op " %s, but\n"        \
				   "    # %s == %lld (0x%llx)\n"              \
				   "    # %s == %lld (0x%llx)",               \
				   #a, #b, #a, __a, (unsigned long long)__a,  \
				   #b, __b, (unsigned long long)__b);         \
			on_fail;                                             \
		}                                                            \
	} while (0)

#define KTEST_EXPECT_EQ(t, a, b) __KTEST_CMP(t, a, ==, b, (void)0)
#define KTEST_EXPECT_NE(t, a, b) __KTEST_CMP(t, a, !=, b, (void)0)
#define KTEST_EXPECT_LT(t, a, b) __KTEST_CMP(t, a, <, b, (void)0)
#define KTEST_EXPECT_LE(t, a, b) __KTEST_CMP(t, a, <=, b, (void)0)
#define KTEST_EXPECT_GT(t, a, b) __KTEST_CMP(t, a, >, b, (void)0)
#define KTEST_EXPECT_GE(t, a, b) __KTEST_CMP(t, a, >=, b, (void)0)
#define KTEST_ASSERT_EQ(t, a, b) __KTEST_CMP(t, a, ==, b, return)
#define KTEST_ASSERT_NE(t, a, b) __KTEST_CMP(t, a, !=, b, return)
#define KTEST_ASSERT_GE(t, a, b) __KTEST_CMP(t, a, >=, b, return)
#define KTEST_ASSERT_LE(t, a, b) __KTEST_CMP(t, a, <=, b, return)

#define KTEST_ASSERT_TRUE(t, cond)                                           \
	do {                                                                 \
		if (!(cond)) {                                               \
			KTEST_FAIL(t, "Expected %s to be true", #cond);      \
			return;                                              \
		}                                                            \
	} while (0)

#define KTEST_ASSERT_NOT_NULL(t, p)                                          \
	do {                                                                 \
		if ((p) == NULL) {                                           \
			KTEST_FAIL(t, "Expected %s to be non-NULL", #p);     \
			return;                                              \
		}                                                            \
	} while (0)

#define KTEST_EXPECT_STREQ(t, a, b)                                          \
	do {                                                                 \
		const char *__sa = (a), *__sb = (b);                         \
		if (strcmp(__sa, __sb) != 0)                                 \
			KTEST_FAIL(t, "Expected %s == %s, but\n"             \
				   "    # %s == \"%s\"\n    # %s == \"%s\"",  \
				   #a, #b, #a, __sa, #b, __sb);               \
	} while (0)

/*
 * Reports: a line printed in one of the kernel's report shapes (see
 * ktest_is_report(): "BUG ...", "WARNING: ...", "Kernel panic", a refused
 * free, ...) while a case runs fails that case, unless the case announced it
 * first: ktest_expect_report(t, text) announces exactly one report line
 * containing @text (before the report, or after it: what counts is that by
 * the end of the case each report printed was announced). An announced
 * report that is not printed fails the case too. Reports count whatever the console log level shows, and from every
 * CPU, as KUnit and slub_kunit count expected errors.
 */
void ktest_expect_report(struct ktest *t, const char *text);

/*
 * Run one case on @t (zeroed but for its name) with its reports counted:
 * what the runner does for each case, and how tests of the runner run one
 * inside another (the outer case's count resumes afterwards).
 */
void ktest_run_case(struct ktest *t, void (*run)(struct ktest *t));

/*
 * Is @line (@len bytes, no newline) the headline of a report? Everything
 * printk stores also goes to ktest_console_text(), which cuts it into lines
 * and counts reports against the running case. printk implementations call
 * it with their console lock held, whatever the console log level.
 */
bool ktest_is_report(const char *line, size_t len);
void ktest_console_text(const char *s, size_t n);

/*
 * printk for the runner's KTAP lines: always written to the console,
 * whatever loglevel= says, because KTAP is how the self-tests report.
 * Provided by the printk implementation (kernel/printk.c, the host port).
 */
int ktest_printk(const char *fmt, ...) __printf(1, 2);

/*
 * Counting console output: tests that expect a misuse report check that the
 * report was printed. ktest_console_mark() returns a position; after the
 * operation, ktest_console_contains(mark, "BUG kmalloc-64") tells whether
 * that text was printed since.
 */
unsigned long ktest_console_mark(void);
bool ktest_console_contains(unsigned long mark, const char *text);

/* How many suites @selection (ktest= syntax) selects. */
unsigned int ktest_nr_selected(const char *selection);
/*
 * Run the selected suites; returns the number of failed suites plus the
 * number of names in @selection that match no suite (each reported).
 */
int ktest_run_all(const char *selection);

#endif /* KERNEL_KTEST_H */
