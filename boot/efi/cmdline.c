// SPDX-License-Identifier: MIT
/*
 * The kernel command line, from one of two places, first match wins:
 *
 *  1. The loader's LoadOptions, when they are text (UCS-2, printable ASCII):
 *     what a Boot#### variable or the UEFI shell passes. The shell puts the
 *     program's own name first ("BOOTX64.EFI ktest=all"); a first word ending
 *     in ".efi" is dropped. OVMF's automatic boot entries pass a binary GUID
 *     instead, which is not text and is ignored.
 *  2. kmm-cmdline.txt in the directory kernel.elf was found in: ASCII or
 *     UTF-8 (a byte-order mark is skipped), line breaks and tabs become
 *     spaces, leading and trailing blanks are trimmed.
 *
 * Otherwise the command line is empty. The line is converted whole into a
 * buffer as large as its source, so its length is known exactly. A line that
 * does not fit in the hand-off (4095 bytes) is never cut short: the loader
 * warns, hands over an empty line and its length, and the kernel refuses to
 * boot with the same message and exit status as on the GRUB paths.
 */
#include "boot/efi/loader.h"

#define CMDLINE_FILE_MAX 65536

/* Append byte @c at *@n in @out, which has room for it and a NUL. */
static void put(char *out, UINTN *n, char c)
{
	out[(*n)++] = c;
	out[*n] = 0;
}

/* Remove leading and trailing spaces from @s in place. */
static void trim(char *s)
{
	UINTN len = strlena((CHAR8 *)s), start = 0;

	while (len > 0 && s[len - 1] == ' ')
		s[--len] = 0;
	while (s[start] == ' ')
		start++;
	if (start)
		CopyMem(s, s + start, len - start + 1);
}

static BOOLEAN ends_with_efi(const char *word, UINTN len)
{
	const char *ext = ".efi";
	UINTN i;

	if (len < 4)
		return FALSE;
	for (i = 0; i < 4; i++) {
		char c = word[len - 4 + i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != ext[i])
			return FALSE;
	}
	return TRUE;
}

/*
 * LoadOptions as ASCII in a new pool buffer *@out. Returns EFI_NOT_FOUND when
 * there are none or they are not text.
 */
static EFI_STATUS from_load_options(EFI_LOADED_IMAGE *li, char **out)
{
	const CHAR16 *opt = li->LoadOptions;
	UINTN chars = li->LoadOptionsSize / sizeof(CHAR16);
	UINTN i, n = 0, first_len;
	char *buf;

	*out = NULL;
	if (!opt || chars == 0 || li->LoadOptionsSize % sizeof(CHAR16))
		return EFI_NOT_FOUND;
	buf = AllocatePool(chars + 1);
	if (!buf)
		return EFI_OUT_OF_RESOURCES;
	buf[0] = 0;
	for (i = 0; i < chars && opt[i]; i++) {
		CHAR16 c = opt[i];

		if (c == L'\t' || c == L'\r' || c == L'\n')
			c = L' ';
		if (c < 0x20 || c > 0x7e) {
			FreePool(buf);
			return EFI_NOT_FOUND;
		}
		put(buf, &n, (char)c);
	}
	trim(buf);
	for (first_len = 0; buf[first_len] && buf[first_len] != ' '; first_len++)
		;
	if (ends_with_efi(buf, first_len)) {
		CopyMem(buf, buf + first_len, strlena((CHAR8 *)buf + first_len) + 1);
		trim(buf);
	}
	if (!buf[0]) {
		FreePool(buf);
		return EFI_NOT_FOUND;
	}
	*out = buf;
	return EFI_SUCCESS;
}

/* The text of kmm-cmdline.txt (@len bytes) as one line in a new pool buffer. */
static EFI_STATUS from_file(const UINT8 *text, UINTN len, char **out)
{
	UINTN i = 0, n = 0;
	char *buf = AllocatePool(len + 1);

	*out = buf;
	if (!buf)
		return EFI_OUT_OF_RESOURCES;
	buf[0] = 0;
	if (len >= 3 && text[0] == 0xef && text[1] == 0xbb && text[2] == 0xbf)
		i = 3;
	for (; i < len && text[i]; i++)
		put(buf, &n, text[i] < 0x20 || text[i] == 0x7f ? ' ' : (char)text[i]);
	trim(buf);
	return EFI_SUCCESS;
}

/*
 * Copy @line (from @source) into @out, or, when it does not fit, leave @out
 * empty and set *@refused to its length for the kernel to refuse.
 */
static void hand_over(const char *line, const CHAR16 *source, char *out,
		      UINTN outlen, UINT32 *refused)
{
	UINTN len = strlena((CHAR8 *)line);

	*refused = 0;
	out[0] = 0;
	if (len >= outlen) {
		*refused = (UINT32)len;
		loader_warn(L"the command line from %s (%d bytes) is longer than the %d-byte limit; the kernel will refuse to boot",
			    source, (INT32)len, (INT32)outlen - 1);
		return;
	}
	CopyMem(out, line, len + 1);
	loader_info(L"command line from %s: \"%a\"", source, out);
}

EFI_STATUS cmdline_get(EFI_LOADED_IMAGE *li, struct esp *esp,
		       const CHAR16 *kernel_path, char *out, UINTN outlen,
		       UINT32 *refused)
{
	UINT8 *text;
	UINTN len;
	char *line;
	EFI_STATUS st;

	*refused = 0;
	out[0] = 0;
	st = from_load_options(li, &line);
	if (st == EFI_SUCCESS) {
		hand_over(line, L"LoadOptions", out, outlen, refused);
		FreePool(line);
		return EFI_SUCCESS;
	}
	if (st != EFI_NOT_FOUND) {
		loader_error(L"cannot convert the LoadOptions: %r", st);
		return st;
	}

	st = esp_read_beside(esp, kernel_path, CMDLINE_FILE_NAME, CMDLINE_FILE_MAX,
			     &text, &len);
	if (st == EFI_NOT_FOUND) {
		loader_info(L"no %s beside the kernel: empty command line", CMDLINE_FILE_NAME);
		return EFI_SUCCESS;
	}
	if (st == EFI_BAD_BUFFER_SIZE) {
		/* Far beyond the limit: refused by the kernel like any long line. */
		*refused = len > 0xffffffff ? 0xffffffff : (UINT32)len;
		loader_warn(L"%s is %lu bytes, longer than the %d-byte command line limit; the kernel will refuse to boot",
			    CMDLINE_FILE_NAME, (UINT64)len, (INT32)outlen - 1);
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(st))
		return st;
	st = from_file(text, len, &line);
	FreePool(text);
	if (EFI_ERROR(st)) {
		loader_error(L"cannot convert %s: %r", CMDLINE_FILE_NAME, st);
		return st;
	}
	hand_over(line, CMDLINE_FILE_NAME, out, outlen, refused);
	FreePool(line);
	return EFI_SUCCESS;
}
