/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line: "word word name=value name="quoted value" ...".
 *
 * Words are separated by spaces (or tabs/newlines) outside double quotes.
 * A word is `name` or `name=value`; double quotes anywhere in a word group
 * characters and are removed, so `opt="a b"` and `"opt=a b"` both give
 * opt -> `a b`. In names, '-' and '_' are the same character (as in Linux).
 * A word longer than CMDLINE_WORD_MAX - 1 bytes is ignored with a warning.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kmm/types.h"

#define CMDLINE_WORD_MAX 512

struct cmdline_option {
	const char *name;
	/*
	 * Called with the value of `name=value` ("" for `name=`), or NULL for a
	 * bare `name`. The value lives only for the call: copy what you keep.
	 * Return 0, or a negative errno to have the word reported and ignored.
	 */
	int (*handler)(const char *value);
};

/*
 * Run the handler of each known option, in command-line order (an option
 * given twice is handled twice). Unknown words are collected and reported in
 * one warning, `Unknown kernel command line parameters "a b=c", will be
 * ignored`. Returns the number of words ignored (unknown, rejected by their
 * handler, or too long); 0 when everything was taken. A NULL @cmdline is empty.
 */
int cmdline_parse(const char *cmdline, const struct cmdline_option *opts,
		  size_t n);

/*
 * Look @name up in @cmdline; the last occurrence wins. Returns false when
 * absent. Otherwise copies its value, quotes removed, into @val (truncated
 * to @len - 1 bytes and NUL-terminated; "" for a bare `name`). @val may be
 * NULL and @len 0 to test presence only.
 */
bool cmdline_get(const char *cmdline, const char *name, char *val, size_t len);

/*
 * Shell-style match of all of @str against @pattern: '*' matches any run of
 * characters (also none), '?' exactly one, anything else itself. There are
 * no character classes and no escapes.
 */
bool glob_match(const char *pattern, const char *str);

#endif /* KERNEL_CMDLINE_H */
