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
#include "mm/port.h"

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

/*
 * Report accounting. The console feeds every line to ktest_console_text()
 * under its own lock; report_lock (taken inside it, never around a printk)
 * guards the running case's expectations against other CPUs' reports.
 */
static mm_spinlock_t report_lock = MM_SPINLOCK_INIT;
static struct ktest *report_case;        /* the case running, or NULL */
static unsigned int reports_outside;     /* reports between cases, in a run */
static bool run_active;
static char report_outside_line[KTEST_REPORT_LEN];
static char line_buf[KTEST_REPORT_LEN];
static size_t line_len;

/* Report headlines: at the start of a line, or after one "subsystem: ". */
static const char *const report_heads[] = {
	"BUG ", "BUG:", "WARNING:", "Kernel panic",
};

/* mm/'s other reports of misuse and corruption, wherever in the line. */
static const char *const report_texts[] = {
	"bad free refused",
	"page allocation failure",
	"Unexpected gfp",
	"refusing to destroy",
	"not initialised or destroyed",
	"more than the largest allocation",
	"buddy_check: zone ",
	"after mem_init() refused",
	"bad allocation request",
	"Objects remaining",
	"insecure W+X mapping",
};

static bool mem_contains(const char *s, size_t len, const char *text)
{
	size_t tlen = strlen(text), i;

	for (i = 0; i + tlen <= len; i++)
		if (!memcmp(s + i, text, tlen))
			return true;
	return false;
}

static bool starts_with(const char *s, size_t len, const char *text)
{
	size_t tlen = strlen(text);

	return len >= tlen && !memcmp(s, text, tlen);
}

bool ktest_is_report(const char *line, size_t len)
{
	size_t i, prefix = 0;

	/* KTAP and its diagnostics (which may quote a report) are indented. */
	if (!len || line[0] == ' ' || line[0] == '#')
		return false;
	/* "page_alloc: BUG: ..." counts: skip one lower-case pr_fmt prefix. */
	while (prefix < len && ((line[prefix] >= 'a' && line[prefix] <= 'z') ||
				(line[prefix] >= '0' && line[prefix] <= '9') ||
				line[prefix] == '_' || line[prefix] == '/'))
		prefix++;
	if (prefix && prefix + 1 < len && line[prefix] == ':' && line[prefix + 1] == ' ')
		prefix += 2;
	else
		prefix = 0;
	for (i = 0; i < ARRAY_SIZE(report_heads); i++)
		if (starts_with(line, len, report_heads[i]) ||
		    starts_with(line + prefix, len - prefix, report_heads[i]))
			return true;
	for (i = 0; i < ARRAY_SIZE(report_texts); i++)
		if (mem_contains(line, len, report_texts[i]))
			return true;
	return false;
}

static void copy_line(char *dst, const char *line, size_t len)
{
	if (len >= KTEST_REPORT_LEN)
		len = KTEST_REPORT_LEN - 1;
	memcpy(dst, line, len);
	dst[len] = '\0';
}

static void count_report(const char *line, size_t len)
{
	struct ktest *t;
	unsigned int i;

	mm_spin_lock(&report_lock);
	t = report_case;
	if (!t) {
		if (run_active && !reports_outside++)
			copy_line(report_outside_line, line, len);
		mm_spin_unlock(&report_lock);
		return;
	}
	for (i = 0; i < t->nr_expected; i++) {
		if (!t->expected_seen[i] && mem_contains(line, len, t->expected[i])) {
			t->expected_seen[i] = true;
			mm_spin_unlock(&report_lock);
			return;
		}
	}
	if (t->nr_unexpected < KTEST_MAX_UNEXPECTED)
		copy_line(t->unexpected[t->nr_unexpected], line, len);
	t->nr_unexpected++;
	mm_spin_unlock(&report_lock);
}

void ktest_console_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\n') {
			if (line_len < sizeof(line_buf))
				line_buf[line_len++] = s[i];
			continue;
		}
		if (ktest_is_report(line_buf, line_len))
			count_report(line_buf, line_len);
		line_len = 0;
	}
}

void ktest_expect_report(struct ktest *t, const char *text)
{
	unsigned long flags;
	unsigned int i;

	if (t->nr_expected == KTEST_MAX_EXPECTED) {
		KTEST_FAIL(t, "more than %d reports announced", KTEST_MAX_EXPECTED);
		return;
	}
	flags = mm_irq_save();
	mm_spin_lock(&report_lock);
	strlcpy(t->expected[t->nr_expected], text, sizeof(t->expected[0]));
	t->expected_seen[t->nr_expected] = false;
	/*
	 * A report the case already printed counts too: a test may check a
	 * report after provoking it, as long as each report it printed is
	 * announced by the time the case ends.
	 */
	for (i = 0; i < t->nr_unexpected && i < KTEST_MAX_UNEXPECTED; i++) {
		if (!mem_contains(t->unexpected[i], strlen(t->unexpected[i]), text))
			continue;
		memmove(t->unexpected[i], t->unexpected[i + 1],
			(KTEST_MAX_UNEXPECTED - 1 - i) * sizeof(t->unexpected[0]));
		t->nr_unexpected--;
		t->expected_seen[t->nr_expected] = true;
		break;
	}
	t->nr_expected++;
	mm_spin_unlock(&report_lock);
	mm_irq_restore(flags);
}

static struct ktest *set_report_case(struct ktest *t)
{
	unsigned long flags = mm_irq_save();
	struct ktest *old;

	mm_spin_lock(&report_lock);
	old = report_case;
	report_case = t;
	mm_spin_unlock(&report_lock);
	mm_irq_restore(flags);
	return old;
}

void ktest_run_case(struct ktest *t, void (*run)(struct ktest *t))
{
	struct ktest *outer = set_report_case(t);
	unsigned int i;

	run(t);
	set_report_case(outer);
	/* Unannounced or missing reports fail the case. */
	for (i = 0; i < t->nr_unexpected; i++) {
		if (i == KTEST_MAX_UNEXPECTED) {
			KTEST_FAIL(t, "%u more unannounced reports", t->nr_unexpected - i);
			break;
		}
		KTEST_FAIL(t, "unannounced report: %s", t->unexpected[i]);
	}
	for (i = 0; i < t->nr_expected; i++)
		if (!t->expected_seen[i])
			KTEST_FAIL(t, "announced report not printed: \"%s\"", t->expected[i]);
}

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
	ktest_printk("        # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
	for (p = msg; *p; p = nl + 1) {
		while (*p == ' ' || *p == '#')
			p++;
		nl = strchr(p, '\n');
		if (!nl) {
			ktest_printk("        # %s\n", p);
			break;
		}
		ktest_printk("        # %.*s\n", (int)(nl - p), p);
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

/* Reports printed outside any case since the last call: fail @what. */
static bool reports_between_cases(const char *what)
{
	unsigned long flags = mm_irq_save();
	unsigned int n;

	mm_spin_lock(&report_lock);
	n = reports_outside;
	reports_outside = 0;
	mm_spin_unlock(&report_lock);
	mm_irq_restore(flags);
	if (n)
		ktest_printk("    # %s: %u unannounced report(s) outside any case, first: %s\n",
			     what, n, report_outside_line);
	return n != 0;
}

static int run_suite(const struct ktest_suite *s, unsigned int index)
{
	unsigned int i, failed = 0, skipped = 0;
	int err;

	ktest_printk("    KTAP version 1\n");
	ktest_printk("    # Subtest: %s\n", s->name);
	/* A late report from the previous suite's CPUs fails this one. */
	if (reports_between_cases(s->name))
		failed++;
	if (s->init) {
		err = s->init();
		if (reports_between_cases(s->name) || failed) {
			ktest_printk("    1..0\n");
			ktest_printk("not ok %u %s\n", index, s->name);
			return 1;
		}
		if (err) {
			ktest_printk("    1..0 # SKIP init returned %d\n", err);
			ktest_printk("ok %u %s # SKIP init returned %d\n", index, s->name, err);
			return 0;
		}
	}
	ktest_printk("    1..%u\n", s->nr_cases);
	for (i = 0; i < s->nr_cases; i++) {
		struct ktest t = { .name = s->cases[i].name };

		ktest_run_case(&t, s->cases[i].run);
		if (t.failures) {
			failed++;
			ktest_printk("    not ok %u %s\n", i + 1, t.name);
		} else if (t.skipped) {
			skipped++;
			ktest_printk("    ok %u %s # SKIP %s\n", i + 1, t.name,
				     t.skip_reason);
		} else {
			ktest_printk("    ok %u %s\n", i + 1, t.name);
		}
	}
	if (failed)
		ktest_printk("not ok %u %s\n", index, s->name);
	else if (skipped == s->nr_cases && skipped)
		ktest_printk("ok %u %s # SKIP all cases skipped\n", index, s->name);
	else
		ktest_printk("ok %u %s\n", index, s->name);
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

/*
 * Each name or glob in @sel that matches no registered suite is an error: a
 * typo must not run nothing and pass. Counts them; with @idx, also reports
 * each as a failed KTAP result numbered from *@idx on.
 */
static int unknown_suites(const char *sel, unsigned int *idx)
{
	const char *p = sel, *end;
	char item[64];
	unsigned int i;
	size_t len;
	int bad = 0;

	if (!sel)
		return 0;
	for (; *p; p = end + 1) {
		bool found = false;

		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len) {
			if (len >= sizeof(item))
				len = sizeof(item) - 1;
			memcpy(item, p, len);
			item[len] = '\0';
			found = !strcmp(item, "all") || !strcmp(item, "none");
			for (i = 0; !found && i < suite_count(); i++)
				found = glob_match(item, suite_at(i)->name);
			if (!found && idx) {
				ktest_printk("# ktest=: no suite matches \"%s\"\n", item);
				ktest_printk("not ok %u %s # no such suite\n", ++*idx, item);
			}
			bad += !found;
		}
		if (!end)
			break;
	}
	return bad;
}

int ktest_run_all(const char *selection)
{
	unsigned int i, n = 0, idx = 0;
	int failed_suites = 0;

	for (i = 0; i < suite_count(); i++)
		if (suite_selected(suite_at(i), selection))
			n++;
	n += unknown_suites(selection, NULL);
	run_active = true;
	ktest_printk("KTAP version 1\n");
	ktest_printk("1..%u\n", n);
	for (i = 0; i < suite_count(); i++) {
		const struct ktest_suite *s = suite_at(i);

		if (!suite_selected(s, selection))
			continue;
		failed_suites += run_suite(s, ++idx);
	}
	failed_suites += unknown_suites(selection, &idx);
	if (reports_between_cases("ktest"))
		failed_suites++;
	run_active = false;
	return failed_suites;
}
