// SPDX-License-Identifier: MIT
/*
 * vsnprintf/snprintf: the one formatter behind printk, panic and the tests.
 *
 * Freestanding (no C library): the kernel and the host builds compile this
 * very file. The format language is C99's integer, character and string
 * subset, plus %p and %pS (see include/kmm/printk.h):
 *
 *   %[flags][width][.precision][length]conversion
 *   flags      '-' '+' ' ' '#' '0'
 *   width      digits or '*' (a negative '*' width means '-')
 *   precision  '.' then digits or '*' (a negative '*' precision is ignored)
 *   length     hh h l ll z (and j t, which are ll and l on x86_64)
 *   conversion d i u x X o c s p %
 *
 * Output goes through struct outbuf, which counts every byte the full result
 * would have but stores only what fits, so the C99 return value (the length
 * of the untruncated output) falls out for free. There is no %n and no
 * floating point; an unknown conversion is printed as written. %c, %s, %p
 * and %pS honour the width and '-' and always pad with spaces. Widths and
 * precisions are clamped to FMT_FIELD_MAX.
 */
#include "kmm/compiler.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/types.h"

/* The port's symbol lookup (KMM_HOOK_SYMBOL, include/kmm/port.h). */
bool kmm_port_symbol(unsigned long addr, const char **name,
		     unsigned long *offset, unsigned long *size);

#define FL_LEFT  0x01 /* '-': pad on the right */
#define FL_PLUS  0x02 /* '+': sign for non-negative signed values */
#define FL_SPACE 0x04 /* ' ': space for non-negative signed values */
#define FL_ALT   0x08 /* '#': 0x prefix for %x, leading 0 for %o */
#define FL_ZERO  0x10 /* '0': pad numbers with zeros */

/* Width and precision beyond this are clamped: no caller needs more. */
#define FMT_FIELD_MAX 4096

enum length_mod { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct outbuf {
	char *buf;
	size_t size; /* capacity including the terminating NUL */
	size_t pos;  /* bytes the full output has so far */
};

struct spec {
	unsigned int flags;
	int width;     /* 0 when absent */
	int precision; /* -1 when absent */
};

static void put_char(struct outbuf *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_repeat(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		put_char(o, c);
}

static void put_mem(struct outbuf *o, const char *s, size_t n)
{
	while (n--)
		put_char(o, *s++);
}

/* @s (of length @len) padded with spaces to the field width. */
static void put_padded(struct outbuf *o, const struct spec *sp,
		       const char *s, size_t len)
{
	int pad = sp->width > (int)len ? sp->width - (int)len : 0;

	if (!(sp->flags & FL_LEFT))
		put_repeat(o, ' ', pad);
	put_mem(o, s, len);
	if (sp->flags & FL_LEFT)
		put_repeat(o, ' ', pad);
}

/* Digits of @v in @base, least significant first; returns their count. */
static int to_digits(char *tmp, unsigned long long v, unsigned int base,
		     bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

/*
 * One integer conversion. @mag is the magnitude, @negative its sign (only
 * for signed conversions). Follows C99 7.19.6.1: the precision is a minimum
 * digit count (0 with precision 0 prints no digits), '0' is ignored when a
 * precision is given or with '-', '+' beats ' '.
 */
static void put_number(struct outbuf *o, const struct spec *sp,
		       unsigned long long mag, bool negative, bool is_signed,
		       unsigned int base, bool upper)
{
	char tmp[24]; /* 22 octal digits hold 2^64 - 1 */
	char prefix[2];
	int nprefix = 0, ndigits, zeros, total, pad;
	int precision = sp->precision;

	if (mag == 0 && precision == 0)
		ndigits = 0;
	else
		ndigits = to_digits(tmp, mag, base, upper);

	if (is_signed) {
		if (negative)
			prefix[nprefix++] = '-';
		else if (sp->flags & FL_PLUS)
			prefix[nprefix++] = '+';
		else if (sp->flags & FL_SPACE)
			prefix[nprefix++] = ' ';
	} else if ((sp->flags & FL_ALT) && base == 16 && mag != 0) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = upper ? 'X' : 'x';
	} else if ((sp->flags & FL_ALT) && base == 8) {
		/* '#' raises the precision so the first digit is a zero. */
		if (ndigits == 0 || tmp[ndigits - 1] != '0')
			precision = max(precision, ndigits + 1);
	}

	zeros = precision > ndigits ? precision - ndigits : 0;
	if ((sp->flags & FL_ZERO) && !(sp->flags & FL_LEFT) &&
	    sp->precision < 0 && sp->width > nprefix + ndigits)
		zeros = sp->width - nprefix - ndigits;

	total = nprefix + zeros + ndigits;
	pad = sp->width > total ? sp->width - total : 0;

	if (!(sp->flags & FL_LEFT))
		put_repeat(o, ' ', pad);
	put_mem(o, prefix, nprefix);
	put_repeat(o, '0', zeros);
	while (ndigits > 0)
		put_char(o, tmp[--ndigits]);
	if (sp->flags & FL_LEFT)
		put_repeat(o, ' ', pad);
}

static int hex_len(unsigned long v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

static void put_hex(struct outbuf *o, unsigned long v)
{
	char tmp[24];
	int n = to_digits(tmp, v, 16, false);

	while (n > 0)
		put_char(o, tmp[--n]);
}

/* %p: "0x" and 16 hex digits, padded to the width. */
static void put_pointer(struct outbuf *o, const struct spec *sp,
			unsigned long addr)
{
	char tmp[2 + 16];
	int i;

	tmp[0] = '0';
	tmp[1] = 'x';
	for (i = 0; i < 16; i++)
		tmp[2 + i] = "0123456789abcdef"[(addr >> (60 - 4 * i)) & 0xf];
	put_padded(o, sp, tmp, sizeof(tmp));
}

/* %pS: "name+0xoff/0xsize", or the plain %p form for an unknown address. */
static void put_symbol(struct outbuf *o, const struct spec *sp,
		       unsigned long addr)
{
	const char *name = NULL;
	unsigned long offset = 0, size = 0;
	size_t name_len;
	int len, pad;

	if (!kmm_port_symbol(addr, &name, &offset, &size) || !name) {
		put_pointer(o, sp, addr);
		return;
	}

	name_len = strlen(name);
	len = (int)min(name_len, (size_t)FMT_FIELD_MAX) + 3 + hex_len(offset) +
	      3 + hex_len(size);
	pad = sp->width > len ? sp->width - len : 0;

	if (!(sp->flags & FL_LEFT))
		put_repeat(o, ' ', pad);
	put_mem(o, name, name_len);
	put_mem(o, "+0x", 3);
	put_hex(o, offset);
	put_mem(o, "/0x", 3);
	put_hex(o, size);
	if (sp->flags & FL_LEFT)
		put_repeat(o, ' ', pad);
}

/* Read a decimal field at *@fmt, clamped to FMT_FIELD_MAX. */
static int parse_field(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (v <= FMT_FIELD_MAX)
			v = v * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return min(v, FMT_FIELD_MAX);
}

static long long get_signed(va_list *ap, enum length_mod len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		/* The signed type of size_t's width (ssize_t). */
		return (long)va_arg(*ap, size_t);
	case LEN_INT:
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long get_unsigned(va_list *ap, enum length_mod len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_INT:
	default:
		return va_arg(*ap, unsigned int);
	}
}

static enum length_mod parse_length(const char **fmt)
{
	switch (**fmt) {
	case 'h':
		(*fmt)++;
		if (**fmt == 'h') {
			(*fmt)++;
			return LEN_CHAR;
		}
		return LEN_SHORT;
	case 'l':
		(*fmt)++;
		if (**fmt == 'l') {
			(*fmt)++;
			return LEN_LLONG;
		}
		return LEN_LONG;
	case 'j': /* intmax_t: long long */
		(*fmt)++;
		return LEN_LLONG;
	case 'z':
	case 't': /* ptrdiff_t: the same width as size_t */
		(*fmt)++;
		return LEN_SIZE;
	default:
		return LEN_INT;
	}
}

/*
 * Format @fmt with @ap into @buf, storing at most @size bytes including the
 * terminating NUL (always written when @size > 0). Returns the length the
 * complete output has, even when truncated (C99); @buf may be NULL when
 * @size is 0, to measure.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { .buf = buf, .size = size, .pos = 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { .flags = 0, .width = 0, .precision = -1 };
		enum length_mod len;
		unsigned long long uv;
		long long sv;
		char c;

		if (*fmt != '%') {
			put_char(&o, *fmt++);
			continue;
		}
		fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				sp.flags |= FL_LEFT;
			else if (*fmt == '+')
				sp.flags |= FL_PLUS;
			else if (*fmt == ' ')
				sp.flags |= FL_SPACE;
			else if (*fmt == '#')
				sp.flags |= FL_ALT;
			else if (*fmt == '0')
				sp.flags |= FL_ZERO;
			else
				break;
		}

		if (*fmt == '*') {
			int w = va_arg(args, int);

			fmt++;
			if (w < 0) {
				sp.flags |= FL_LEFT;
				w = w < -FMT_FIELD_MAX ? FMT_FIELD_MAX : -w;
			}
			sp.width = min(w, FMT_FIELD_MAX);
		} else {
			sp.width = parse_field(&fmt);
		}

		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				int p = va_arg(args, int);

				fmt++;
				sp.precision = p < 0 ? -1 : min(p, FMT_FIELD_MAX);
			} else {
				sp.precision = parse_field(&fmt);
			}
		}

		len = parse_length(&fmt);

		switch ((c = *fmt)) {
		case 'd':
		case 'i':
			sv = get_signed(&args, len);
			uv = sv < 0 ? 0ULL - (unsigned long long)sv
				    : (unsigned long long)sv;
			put_number(&o, &sp, uv, sv < 0, true, 10, false);
			break;
		case 'u':
			put_number(&o, &sp, get_unsigned(&args, len), false,
				   false, 10, false);
			break;
		case 'x':
		case 'X':
			put_number(&o, &sp, get_unsigned(&args, len), false,
				   false, 16, c == 'X');
			break;
		case 'o':
			put_number(&o, &sp, get_unsigned(&args, len), false,
				   false, 8, false);
			break;
		case 'c': {
			char ch = (char)va_arg(args, int);

			put_padded(&o, &sp, &ch, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t max_len = sp.precision < 0 ? (size_t)-1
							  : (size_t)sp.precision;

			if (!s)
				s = "(null)";
			put_padded(&o, &sp, s, strnlen(s, max_len));
			break;
		}
		case 'p': {
			unsigned long addr = (unsigned long)va_arg(args, void *);

			if (fmt[1] == 'S') {
				fmt++;
				put_symbol(&o, &sp, addr);
			} else {
				put_pointer(&o, &sp, addr);
			}
			break;
		}
		case '%':
			put_char(&o, '%');
			break;
		default:
			/* Unknown or truncated: print the directive as written. */
			put_mem(&o, start, (size_t)(fmt - start));
			if (!c)
				continue;
			put_char(&o, c);
			break;
		}
		fmt++;
	}
	va_end(args);

	if (size > 0)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > 0x7fffffff ? 0x7fffffff : (int)o.pos;
}

/* snprintf(): vsnprintf() with the arguments inline. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
