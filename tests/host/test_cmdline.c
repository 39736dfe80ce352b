// SPDX-License-Identifier: MIT
/* kernel/cmdline.c: option tables, single lookups and glob matching. */
#include <string.h>
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kmm/errno.h"
#include "kmm/string.h"

/* ---- glob_match ---------------------------------------------------------- */

static void glob_literals(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, glob_match("", ""));
	KTEST_EXPECT_FALSE(t, glob_match("", "a"));
	KTEST_EXPECT_FALSE(t, glob_match("a", ""));
	KTEST_EXPECT_TRUE(t, glob_match("buddy", "buddy"));
	KTEST_EXPECT_FALSE(t, glob_match("buddy", "budd"));
	KTEST_EXPECT_FALSE(t, glob_match("buddy", "buddy2"));
	KTEST_EXPECT_FALSE(t, glob_match("Buddy", "buddy"));
}

static void glob_star(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, glob_match("*", ""));
	KTEST_EXPECT_TRUE(t, glob_match("*", "anything at all"));
	KTEST_EXPECT_TRUE(t, glob_match("**", "x"));
	KTEST_EXPECT_TRUE(t, glob_match("slab*", "slab"));
	KTEST_EXPECT_TRUE(t, glob_match("slab*", "slab_debug"));
	KTEST_EXPECT_FALSE(t, glob_match("slab*", "kslab"));
	KTEST_EXPECT_TRUE(t, glob_match("*_fail", "should_fail"));
	KTEST_EXPECT_FALSE(t, glob_match("*_fail", "should_fail2"));
	KTEST_EXPECT_TRUE(t, glob_match("*mem*", "memblock"));
	KTEST_EXPECT_TRUE(t, glob_match("*mem*", "vmem"));
	KTEST_EXPECT_TRUE(t, glob_match("a*b*c", "aXXbYYc"));
	KTEST_EXPECT_TRUE(t, glob_match("a*b*c", "abc"));
	KTEST_EXPECT_FALSE(t, glob_match("a*b*c", "acb"));
	/* Needs backtracking: the first 'a' tried for "ab" is the wrong one. */
	KTEST_EXPECT_TRUE(t, glob_match("*ab", "aab"));
	KTEST_EXPECT_TRUE(t, glob_match("*aab", "aaab"));
	KTEST_EXPECT_FALSE(t, glob_match("a*a", "a"));
	KTEST_EXPECT_TRUE(t, glob_match("a*a", "aa"));
	/* Many stars against a long near-miss must finish (and fail). */
	KTEST_EXPECT_FALSE(t, glob_match("a*a*a*a*a*a*a*b",
					 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

static void glob_question(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, glob_match("?", "x"));
	KTEST_EXPECT_FALSE(t, glob_match("?", ""));
	KTEST_EXPECT_FALSE(t, glob_match("?", "xy"));
	KTEST_EXPECT_TRUE(t, glob_match("slab?", "slab2"));
	KTEST_EXPECT_FALSE(t, glob_match("slab?", "slab"));
	KTEST_EXPECT_TRUE(t, glob_match("?*", "a"));
	KTEST_EXPECT_FALSE(t, glob_match("*?", ""));
	KTEST_EXPECT_TRUE(t, glob_match("b?d*y", "buddy"));
	KTEST_EXPECT_TRUE(t, glob_match("*?*", "z"));
}

/* ---- cmdline_get --------------------------------------------------------- */

static void get_values(struct ktest *t)
{
	const char *cl = "/boot/kernel.elf loglevel=7 ktest=buddy,slab* quiet mem= x=a=b";
	char val[64];

	KTEST_EXPECT_TRUE(t, cmdline_get(cl, "loglevel", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "7");
	KTEST_EXPECT_TRUE(t, cmdline_get(cl, "ktest", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "buddy,slab*");
	strcpy(val, "stale");
	KTEST_EXPECT_TRUE(t, cmdline_get(cl, "quiet", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "");
	KTEST_EXPECT_TRUE(t, cmdline_get(cl, "mem", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "");
	KTEST_EXPECT_TRUE(t, cmdline_get(cl, "x", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "a=b");
	KTEST_EXPECT_TRUE(t, cmdline_get(cl, "/boot/kernel.elf", NULL, 0));
}

static void get_absent_and_prefixes(struct ktest *t)
{
	const char *cl = "loglevelx=1 log=2 quiet";
	char val[16] = "untouched";

	KTEST_EXPECT_FALSE(t, cmdline_get(cl, "loglevel", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "untouched");
	KTEST_EXPECT_FALSE(t, cmdline_get(cl, "lo", val, sizeof(val)));
	KTEST_EXPECT_FALSE(t, cmdline_get(cl, "quie", val, sizeof(val)));
	KTEST_EXPECT_FALSE(t, cmdline_get(cl, "2", val, sizeof(val)));
	KTEST_EXPECT_FALSE(t, cmdline_get("", "quiet", val, sizeof(val)));
	KTEST_EXPECT_FALSE(t, cmdline_get(NULL, "quiet", val, sizeof(val)));
	KTEST_EXPECT_FALSE(t, cmdline_get("   \t ", "quiet", val, sizeof(val)));
}

static void get_last_wins_and_truncates(struct ktest *t)
{
	char val[4];

	KTEST_EXPECT_TRUE(t, cmdline_get("a=1 b=x a=2", "a", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "2");
	KTEST_EXPECT_TRUE(t, cmdline_get("a=123456", "a", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "123");
	KTEST_EXPECT_TRUE(t, cmdline_get("a=1 a", "a", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "");
}

static void get_quotes_and_spacing(struct ktest *t)
{
	char val[32];

	KTEST_EXPECT_TRUE(t, cmdline_get("x opt=\"a b  c\" y", "opt", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "a b  c");
	KTEST_EXPECT_TRUE(t, cmdline_get("\"opt=a b\" y", "opt", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "a b");
	KTEST_EXPECT_TRUE(t, cmdline_get("opt=\"\"", "opt", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "");
	/* An unterminated quote runs to the end of the line. */
	KTEST_EXPECT_TRUE(t, cmdline_get("opt=\"a b", "opt", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "a b");
	/* Tabs and newlines separate words too. */
	KTEST_EXPECT_TRUE(t, cmdline_get("a=1\tb=2\nc=3\r\n", "b", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "2");
	KTEST_EXPECT_TRUE(t, cmdline_get("a=1\tb=2\nc=3\r\n", "c", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "3");
	/* '-' and '_' are one character in names. */
	KTEST_EXPECT_TRUE(t, cmdline_get("no-smp=1", "no_smp", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "1");
	KTEST_EXPECT_TRUE(t, cmdline_get("no_smp=2", "no-smp", val, sizeof(val)));
	KTEST_EXPECT_STREQ(t, val, "2");
}

/* ---- cmdline_parse ------------------------------------------------------- */

static int calls, level_value;
static const char *quiet_value;
static bool quiet_seen;
static char ktest_value[64];

static int set_level(const char *v)
{
	calls++;
	if (!v || *v < '0' || *v > '9' || v[1])
		return -EINVAL;
	level_value = *v - '0';
	return 0;
}

static int set_quiet(const char *v)
{
	calls++;
	quiet_seen = true;
	quiet_value = v;
	return 0;
}

static int set_ktest(const char *v)
{
	calls++;
	strlcpy(ktest_value, v ? v : "(bare)", sizeof(ktest_value));
	return 0;
}

static const struct cmdline_option options[] = {
	{ "loglevel", set_level },
	{ "quiet", set_quiet },
	{ "ktest", set_ktest },
};

static void reset_handlers(void)
{
	calls = 0;
	level_value = -1;
	quiet_seen = false;
	quiet_value = "not called";
	ktest_value[0] = '\0';
}

static void parse_known_options(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();

	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse("loglevel=4 quiet ktest=\"buddy slab\"",
					 options, ARRAY_SIZE(options)), 0);
	KTEST_EXPECT_EQ(t, calls, 3);
	KTEST_EXPECT_EQ(t, level_value, 4);
	KTEST_EXPECT_TRUE(t, quiet_seen);
	KTEST_EXPECT_TRUE(t, quiet_value == NULL); /* bare word: NULL value */
	KTEST_EXPECT_STREQ(t, ktest_value, "buddy slab");
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "Unknown"));

	/* Given twice: handled twice, in order. */
	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse("loglevel=1 loglevel=6", options,
					 ARRAY_SIZE(options)), 0);
	KTEST_EXPECT_EQ(t, calls, 2);
	KTEST_EXPECT_EQ(t, level_value, 6);

	/* name= gives an empty value, not NULL. */
	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse("ktest=", options, ARRAY_SIZE(options)), 0);
	KTEST_EXPECT_STREQ(t, ktest_value, "");
}

static void parse_empty(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();

	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse("", options, ARRAY_SIZE(options)), 0);
	KTEST_EXPECT_EQ(t, cmdline_parse(NULL, options, ARRAY_SIZE(options)), 0);
	KTEST_EXPECT_EQ(t, cmdline_parse("  \t  ", options, ARRAY_SIZE(options)), 0);
	KTEST_EXPECT_EQ(t, cmdline_parse("quiet", NULL, 0), 1);
	KTEST_EXPECT_EQ(t, calls, 0);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"Unknown kernel command line parameters \"quiet\", will be ignored"));
}

static void parse_unknown_warned_once(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();

	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse("/boot/kernel.elf foo=bar quiet \"baz=x y\" loglevel=3",
					 options, ARRAY_SIZE(options)), 3);
	KTEST_EXPECT_EQ(t, calls, 2);
	KTEST_EXPECT_EQ(t, level_value, 3);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"Unknown kernel command line parameters \"/boot/kernel.elf foo=bar \"baz=x y\"\", will be ignored"));
}

static void parse_handler_rejects(struct ktest *t)
{
	unsigned long mark = ktest_console_mark();

	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse("loglevel=x quiet loglevel", options,
					 ARRAY_SIZE(options)), 2);
	KTEST_EXPECT_EQ(t, calls, 3);
	KTEST_EXPECT_EQ(t, level_value, -1);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"Malformed kernel command line parameter \"loglevel=x\" (error -22), ignored"));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark,
		"Malformed kernel command line parameter \"loglevel\" (error -22), ignored"));
	KTEST_EXPECT_FALSE(t, ktest_console_contains(mark, "Unknown"));
}

static void parse_dash_underscore(struct ktest *t)
{
	static const struct cmdline_option opt[] = { { "no_smp", set_quiet } };

	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse("no-smp", opt, 1), 0);
	KTEST_EXPECT_TRUE(t, quiet_seen);
}

static void parse_long_words(struct ktest *t)
{
	static char line[3 * CMDLINE_WORD_MAX];
	unsigned long mark = ktest_console_mark();
	size_t i;

	/* One word too long for the word buffer: ignored, not truncated. */
	memcpy(line, "ktest=", 6);
	memset(line + 6, 'k', CMDLINE_WORD_MAX);
	strcpy(line + 6 + CMDLINE_WORD_MAX, " quiet");
	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse(line, options, ARRAY_SIZE(options)), 1);
	KTEST_EXPECT_STREQ(t, ktest_value, "");
	KTEST_EXPECT_TRUE(t, quiet_seen);
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "is longer than 511 bytes, ignored"));

	/* A word of exactly CMDLINE_WORD_MAX - 1 bytes still fits. */
	memset(line, 0, sizeof(line));
	memcpy(line, "ktest=", 6);
	memset(line + 6, 'k', CMDLINE_WORD_MAX - 1 - 6);
	reset_handlers();
	KTEST_EXPECT_EQ(t, cmdline_parse(line, options, ARRAY_SIZE(options)), 0);
	KTEST_EXPECT_EQ(t, strlen(ktest_value), sizeof(ktest_value) - 1);

	/* So many unknown words that the warning is cut with "...". */
	memset(line, 0, sizeof(line));
	for (i = 0; i + 10 < sizeof(line); i += 10)
		memcpy(line + i, "unknown=1 ", 10);
	mark = ktest_console_mark();
	KTEST_EXPECT_EQ(t, cmdline_parse(line, options, ARRAY_SIZE(options)),
			(int)(i / 10));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "unknown=1 unknown=1..."));
	KTEST_EXPECT_TRUE(t, ktest_console_contains(mark, "...\", will be ignored"));
}

static const struct ktest_case cmdline_cases[] = {
	KTEST_CASE(glob_literals),
	KTEST_CASE(glob_star),
	KTEST_CASE(glob_question),
	KTEST_CASE(get_values),
	KTEST_CASE(get_absent_and_prefixes),
	KTEST_CASE(get_last_wins_and_truncates),
	KTEST_CASE(get_quotes_and_spacing),
	KTEST_CASE(parse_known_options),
	KTEST_CASE(parse_empty),
	KTEST_CASE(parse_unknown_warned_once),
	KTEST_CASE(parse_handler_rejects),
	KTEST_CASE(parse_dash_underscore),
	KTEST_CASE(parse_long_words),
};

KTEST_SUITE(cmdline, cmdline_cases);
