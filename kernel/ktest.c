// SPDX-License-Identifier: MIT
/*
 * The self-test runner: runs registered suites and prints KTAP version 1.
 *
 * The same runner serves the kernel (suites collected by the linker in the
 * ktest_suites section) and the host tests (suites registered from
 * constructors, see kernel/ktest.h). Selection is the value of ktest=:
 * "all", "none", or a comma-separated list of suite names with '*' and '?'
 * globs. Suites marked default_off (deliberate failures, benchmarks) run only
 * when named explicitly or matched by a glob, never by "all" or by default.
 */
#include "kernel/ktest.h"
#include "kernel/cmdline.h"
#include "kmm/string.h"
#include "kmm/assert.h"

#ifdef KMM_HOST
#define KTEST_MAX_HOST_SUITES 64
static const struct ktest_suite *host_suites[KTEST_MAX_HOST_SUITES];
static unsigned int nr_host_suites;

void ktest_register(const struct ktest_suite *suite)
{
	ASSERT(nr_host_suites < KTEST_MAX_HOST_SUITES);
	host_suites[nr_host_suites++] = suite;
}

static unsigned int suite_count(void)
{
	return nr_host_suites;
}

static const struct ktest_suite *suite_at(unsigned int i)
{
	return host_suites[i];
}
#else
extern const struct ktest_suite __start_ktest_suites[];
extern const struct ktest_suite __stop_ktest_suites[];

static unsigned int suite_count(void)
{
	return (unsigned int)(__stop_ktest_suites - __start_ktest_suites);
}

static const struct ktest_suite *suite_at(unsigned int i)
{
	return &__start_ktest_suites[i];
}
#endif


void ktest_fail_at(struct ktest *t, const char *file, int line,
		   const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	const char *p, *nl;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->failures++;
	/* Each line of the message becomes a KTAP diagnostic line. */
	printk("        # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
	for (p = msg; *p; p = nl + 1) {
		while (*p == ' ' || *p == '#')
			p++;
		nl = strchr(p, '\n');
		if (!nl) {
			printk("        # %s\n", p);
			break;
		}
		printk("        # %.*s\n", (int)(nl - p), p);
	}
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	strlcpy(t->skip_reason, reason, sizeof(t->skip_reason));
}

/* Is @name selected by @sel? Globs make default-off suites eligible too. */
static bool suite_selected(const struct ktest_suite *s, const char *sel)
{
	char item[64];
	const char *p = sel, *end;
	size_t len;

	if (!sel || !*sel || !strcmp(sel, "all"))
		return !s->default_off;
	if (!strcmp(sel, "none"))
		return false;
	while (*p) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 && len < sizeof(item)) {
			memcpy(item, p, len);
			item[len] = '\0';
			if (!strcmp(item, "all") && !s->default_off)
				return true;
			if (glob_match(item, s->name)) {
				/* "*" alone should not pull in deliberate failures. */
				if (!s->default_off || strcmp(item, "*"))
					return true;
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

static int run_suite(const struct ktest_suite *s, unsigned int index)
{
	unsigned int i, failed = 0, skipped = 0;
	int err;

	printk("    KTAP version 1\n");
	printk("    # Subtest: %s\n", s->name);
	if (s->init) {
		err = s->init();
		if (err) {
			printk("    1..0 # SKIP init returned %d\n", err);
			printk("ok %u %s # SKIP init returned %d\n", index, s->name, err);
			return 0;
		}
	}
	printk("    1..%u\n", s->nr_cases);
	for (i = 0; i < s->nr_cases; i++) {
		struct ktest t = { .name = s->cases[i].name };

		s->cases[i].run(&t);
		if (t.failures) {
			failed++;
			printk("    not ok %u %s\n", i + 1, t.name);
		} else if (t.skipped) {
			skipped++;
			printk("    ok %u %s # SKIP %s\n", i + 1, t.name,
			       t.skip_reason);
		} else {
			printk("    ok %u %s\n", i + 1, t.name);
		}
	}
	if (failed)
		printk("not ok %u %s\n", index, s->name);
	else if (skipped == s->nr_cases && skipped)
		printk("ok %u %s # SKIP all cases skipped\n", index, s->name);
	else
		printk("ok %u %s\n", index, s->name);
	return failed ? 1 : 0;
}

unsigned int ktest_nr_selected(const char *selection)
{
	unsigned int i, n = 0;

	for (i = 0; i < suite_count(); i++)
		if (suite_selected(suite_at(i), selection))
			n++;
	return n;
}

int ktest_run_all(const char *selection)
{
	unsigned int i, n = 0, idx = 0;
	int failed_suites = 0;

	for (i = 0; i < suite_count(); i++)
		if (suite_selected(suite_at(i), selection))
			n++;
	printk("KTAP version 1\n");
	printk("1..%u\n", n);
	for (i = 0; i < suite_count(); i++) {
		const struct ktest_suite *s = suite_at(i);

		if (!suite_selected(s, selection))
			continue;
		failed_suites += run_suite(s, ++idx);
	}
	return failed_suites;
}
