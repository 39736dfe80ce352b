// SPDX-License-Identifier: MIT
/*
 * The monitor shell: a `kmm> ` prompt on the serial console once the boot
 * and the self-tests are done (command-line option init=shell; `make run`
 * passes it). It exists to poke at the allocators: reports in /proc
 * formats, allocations by hand, checks, a stress run.
 *
 * Theory of operation
 * -------------------
 * There are no device interrupts (IF stays clear), so input is polled:
 * serial_getc() in a `pause` loop on the boot CPU; the other CPUs wait in
 * their mailboxes (smp.c) until a command posts them work. Echo goes
 * straight to the UART; what commands print goes through printk, so it
 * is in the console log like everything else.
 *
 * The line editor understands printable ASCII, backspace (BS or DEL),
 * Ctrl-U (erase the line), Ctrl-C (abandon it), Tab (complete a command
 * name), and the VT100 arrows ESC [ A / ESC [ B (also ESC O A / B) to walk
 * the history of the last SHELL_HISTORY lines. Other control bytes and
 * escape sequences are ignored. A line that would outgrow SHELL_LINE_MAX
 * is refused with a bell, byte by byte, never cut silently. CR, LF or
 * CR LF ends a line.
 *
 * Each line is split at spaces into at most SHELL_MAX_ARGS words; the
 * first names a command in shell_cmds[] (kernel/shell_cmds.c).
 */
#include "kernel/shell.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/cpu.h"

#define SHELL_LINE_MAX 160 /* bytes, the NUL included */
#define SHELL_HISTORY  16
#define SHELL_PROMPT   "kmm> "

int shell_tests_failed;

static char history[SHELL_HISTORY][SHELL_LINE_MAX];
static unsigned int history_len;  /* lines stored, <= SHELL_HISTORY */
static unsigned int history_next; /* slot the next line goes to */

static void out(const char *s)
{
	serial_write(s, strlen(s));
}

static int getc_blocking(void)
{
	int c;

	while ((c = serial_getc()) < 0)
		cpu_relax();
	return c;
}

/* The @back'th most recent history line (1 = the last), or NULL. */
static const char *history_get(unsigned int back)
{
	if (back == 0 || back > history_len)
		return NULL;
	return history[(history_next + SHELL_HISTORY - back) % SHELL_HISTORY];
}

static void history_add(const char *line)
{
	const char *last = history_get(1);

	if (!line[0] || (last && !strcmp(last, line)))
		return;
	strlcpy(history[history_next], line, SHELL_LINE_MAX);
	history_next = (history_next + 1) % SHELL_HISTORY;
	if (history_len < SHELL_HISTORY)
		history_len++;
}

/* Erase @n echoed characters. */
static void erase(size_t n)
{
	while (n--)
		out("\b \b");
}

/* Replace the edited line (of @*len bytes) with @text. */
static void replace_line(char *buf, size_t *len, const char *text)
{
	erase(*len);
	*len = strlcpy(buf, text, SHELL_LINE_MAX);
	if (*len >= SHELL_LINE_MAX)
		*len = SHELL_LINE_MAX - 1;
	serial_write(buf, *len);
}

static bool has_prefix(const char *s, const char *prefix, size_t n)
{
	return !strncmp(s, prefix, n);
}

/* Tab: complete the command name being typed, or list the candidates. */
static void complete(char *buf, size_t *len)
{
	const char *first = NULL;
	size_t common = 0, i;
	unsigned int k, matches = 0;

	buf[*len] = '\0';
	if (strchr(buf, ' '))
		return; /* only command names complete */
	for (k = 0; k < shell_nr_cmds; k++) {
		const char *name = shell_cmds[k].name;

		if (!has_prefix(name, buf, *len))
			continue;
		if (!matches++) {
			first = name;
			common = strlen(name);
		} else {
			for (i = 0; i < common && name[i] == first[i]; i++)
				;
			common = i;
		}
	}
	if (!matches) {
		out("\a");
		return;
	}
	if (common > *len) {
		serial_write(first + *len, common - *len);
		memcpy(buf + *len, first + *len, common - *len);
		*len = common;
		if (matches == 1 && *len + 1 < SHELL_LINE_MAX) {
			buf[(*len)++] = ' ';
			out(" ");
		}
		return;
	}
	if (matches == 1)
		return;
	out("\n");
	for (k = 0; k < shell_nr_cmds; k++)
		if (has_prefix(shell_cmds[k].name, buf, *len)) {
			out(shell_cmds[k].name);
			out("  ");
		}
	out("\n" SHELL_PROMPT);
	serial_write(buf, *len);
}

/* Read one line into @buf (SHELL_LINE_MAX bytes); returns its length. */
static size_t read_line(char *buf)
{
	size_t len = 0;
	unsigned int back = 0; /* history position: 0 = the line being typed */
	static bool after_cr;
	int c;

	out(SHELL_PROMPT);
	for (;;) {
		c = getc_blocking();
		if (c == '\n' && after_cr) {
			after_cr = false;
			continue; /* the LF of a CR LF */
		}
		after_cr = c == '\r';
		switch (c) {
		case '\r':
		case '\n':
			out("\n");
			buf[len] = '\0';
			return len;
		case '\b':
		case 0x7f:
			if (len) {
				len--;
				erase(1);
			}
			continue;
		case 0x15: /* Ctrl-U */
			erase(len);
			len = 0;
			continue;
		case 0x03: /* Ctrl-C */
			out("^C\n" SHELL_PROMPT);
			len = 0;
			back = 0;
			continue;
		case '\t':
			complete(buf, &len);
			continue;
		case 0x1b: {
			int c1 = getc_blocking(), c2;
			const char *h;

			if (c1 != '[' && c1 != 'O')
				continue;
			c2 = getc_blocking();
			/* Skip the parameters of longer sequences (ESC [ 3 ~). */
			while (c2 >= '0' && c2 <= '9')
				c2 = getc_blocking();
			if (c2 == 'A' && back < history_len) {
				h = history_get(++back);
				buf[len] = '\0';
				replace_line(buf, &len, h);
			} else if (c2 == 'B' && back > 0) {
				h = --back ? history_get(back) : "";
				replace_line(buf, &len, h);
			}
			continue;
		}
		default:
			break;
		}
		if (c < ' ' || c > '~')
			continue;
		if (len + 1 >= SHELL_LINE_MAX) {
			out("\a");
			continue;
		}
		buf[len++] = (char)c;
		serial_write(buf + len - 1, 1);
	}
}

/* Split @line in place; returns the word count, or -1 if there are too many. */
static int split(char *line, char **argv)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			return argc;
		if (argc == SHELL_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
}

const struct shell_cmd *shell_find(const char *name)
{
	unsigned int k;

	for (k = 0; k < shell_nr_cmds; k++)
		if (!strcmp(shell_cmds[k].name, name))
			return &shell_cmds[k];
	return NULL;
}

int shell_usage(const struct shell_cmd *c)
{
	printk(KERN_INFO "%s: usage: %s%s%s\n", c->name, c->name,
	       c->args[0] ? " " : "", c->args);
	return -EINVAL;
}

int shell_parse_ulong(const char *s, bool suffixes, unsigned long *v)
{
	unsigned long n = 0, base = 10, mul = 1, d;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = (unsigned long)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned long)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned long)(*p - 'A' + 10);
		else
			break;
		if (n > (~0UL - d) / base)
			return -ERANGE;
		n = n * base + d;
	}
	if (*p && suffixes && !p[1]) {
		if (*p == 'K' || *p == 'k')
			mul = 1UL << 10;
		else if (*p == 'M' || *p == 'm')
			mul = 1UL << 20;
		else if (*p == 'G' || *p == 'g')
			mul = 1UL << 30;
		else
			return -EINVAL;
		p++;
	}
	if (*p)
		return -EINVAL;
	if (n > ~0UL / mul)
		return -ERANGE;
	*v = n * mul;
	return 0;
}

int shell_arg_ulong(const char *cmd, const char *what, const char *s,
		    bool suffixes, unsigned long *v)
{
	int ret = shell_parse_ulong(s, suffixes, v);

	if (ret == -ERANGE)
		printk(KERN_INFO "%s: %s: '%s' is out of range\n", cmd, what, s);
	else if (ret)
		printk(KERN_INFO "%s: %s: '%s' is not a number\n", cmd, what, s);
	return ret ? -EINVAL : 0;
}

static void run_line(char *line)
{
	char *argv[SHELL_MAX_ARGS];
	const struct shell_cmd *c;
	int argc = split(line, argv);

	if (argc < 0) {
		printk(KERN_INFO "kmm: too many words (at most %d)\n", SHELL_MAX_ARGS);
		return;
	}
	if (argc == 0)
		return;
	c = shell_find(argv[0]);
	if (!c) {
		printk(KERN_INFO "kmm: unknown command '%s' (try help)\n", argv[0]);
		return;
	}
	c->run(argc, argv);
}

__noreturn void shell_run(int tests_failed)
{
	char line[SHELL_LINE_MAX];

	shell_tests_failed = tests_failed;
	printk(KERN_INFO "kmm: monitor shell on the serial console; type help\n");
	for (;;) {
		read_line(line);
		history_add(line);
		run_line(line);
	}
}
