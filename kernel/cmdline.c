// SPDX-License-Identifier: MIT
/*
 * Kernel command-line parsing: split into words, match words against a
 * table of known options, look single options up, and glob matching for
 * selections such as ktest=buddy,slab*.
 *
 * The command line is never modified: each word is copied, quotes removed,
 * into a bounded buffer on the stack (CMDLINE_WORD_MAX), so handlers get a
 * NUL-terminated value without the parser needing a writable copy of the
 * whole line. Nothing here allocates; it runs before any allocator exists.
 */
#include "kernel/cmdline.h"
#include "kmm/printk.h"
#include "kmm/string.h"

struct word {
	char text[CMDLINE_WORD_MAX]; /* quotes removed, NUL-terminated */
	const char *raw;             /* the word as written, for messages */
	size_t raw_len;
	bool too_long;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Read the word starting at or after @p into @w. Returns the position just
 * past it, or NULL when only spaces remain.
 */
static const char *next_word(const char *p, struct word *w)
{
	bool quoted = false;
	size_t n = 0;

	while (is_space(*p))
		p++;
	if (!*p)
		return NULL;

	w->raw = p;
	w->too_long = false;
	for (; *p && (quoted || !is_space(*p)); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < sizeof(w->text))
			w->text[n++] = *p;
		else
			w->too_long = true;
	}
	w->text[n] = '\0';
	w->raw_len = (size_t)(p - w->raw);
	return p;
}

/* Split "name=value" in place; the value is NULL for a bare name. */
static const char *split_value(char *text)
{
	char *eq = strchr(text, '=');

	if (!eq)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

static char name_char(char c)
{
	return c == '-' ? '_' : c;
}

/* Option names compare equal with '-' and '_' interchangeable. */
static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (name_char(*a) != name_char(*b))
			return false;
	return *a == '\0' && *b == '\0';
}

/* Append @w to the space-separated list of unknown words, "..." if full. */
static void note_unknown(char *list, size_t size, bool *truncated,
			 const struct word *w)
{
	size_t used = strlen(list);
	size_t need = w->raw_len + (used ? 1 : 0);

	if (*truncated)
		return;
	if (used + need + 4 >= size) { /* keep room for "..." and the NUL */
		memcpy(list + used, "...", 4);
		*truncated = true;
		return;
	}
	if (used)
		list[used++] = ' ';
	memcpy(list + used, w->raw, w->raw_len);
	list[used + w->raw_len] = '\0';
}

/* Hand each known word to its handler; returns how many words were ignored. */
int cmdline_parse(const char *cmdline, const struct cmdline_option *opts,
		  size_t n)
{
	char unknown[CMDLINE_WORD_MAX] = "";
	bool truncated = false;
	struct word w;
	const char *p = cmdline ? cmdline : "";
	int ignored = 0;

	while ((p = next_word(p, &w))) {
		const char *value;
		size_t i;
		int err;

		if (w.too_long) {
			pr_warn("Kernel command line parameter \"%.32s...\" is longer than %d bytes, ignored\n",
				w.raw, CMDLINE_WORD_MAX - 1);
			ignored++;
			continue;
		}
		value = split_value(w.text);
		for (i = 0; i < n; i++)
			if (name_eq(w.text, opts[i].name))
				break;
		if (i == n) {
			note_unknown(unknown, sizeof(unknown), &truncated, &w);
			ignored++;
			continue;
		}
		err = opts[i].handler(value);
		if (err) {
			pr_warn("Malformed kernel command line parameter \"%.*s\" (error %d), ignored\n",
				(int)w.raw_len, w.raw, err);
			ignored++;
		}
	}
	if (unknown[0])
		pr_warn("Unknown kernel command line parameters \"%s\", will be ignored\n",
			unknown);
	return ignored;
}

/* The value of the last @name in @cmdline, copied into @val; false if absent. */
bool cmdline_get(const char *cmdline, const char *name, char *val, size_t len)
{
	struct word w;
	const char *p = cmdline ? cmdline : "";
	bool found = false;

	while ((p = next_word(p, &w))) {
		const char *value = split_value(w.text);

		if (!name_eq(w.text, name))
			continue;
		found = true;
		if (val && len)
			strlcpy(val, value ? value : "", len);
	}
	return found;
}

/*
 * Iterative matcher with one backtrack point: on a mismatch, the last '*'
 * swallows one more character and matching resumes after it. Linear in
 * practice, O(len(pattern) * len(str)) at worst, no recursion.
 */
bool glob_match(const char *pattern, const char *str)
{
	const char *star = NULL, *resume = NULL;

	while (*str) {
		if (*pattern == '*') {
			star = ++pattern;
			resume = str;
		} else if (*pattern == '?' || *pattern == *str) {
			pattern++;
			str++;
		} else if (star) {
			pattern = star;
			str = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}
