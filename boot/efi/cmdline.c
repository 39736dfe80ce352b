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
 * Otherwise the command line is empty. A command line that does not fit in
 * the hand-off (4095 bytes) stops the boot rather than being cut short.
 */
#include "boot/efi/loader.h"

#define CMDLINE_FILE_MAX 65536

/* Append byte @c at *@n; FALSE when @out is full. */
static BOOLEAN put(char *out, UINTN outlen, UINTN *n, char c)
{
	if (*n + 1 >= outlen)
		return FALSE;
	out[(*n)++] = c;
	out[*n] = 0;
	return TRUE;
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
 * LoadOptions as ASCII into @out. Returns EFI_NOT_FOUND when there are none
 * or they are not text, EFI_BUFFER_TOO_SMALL when they do not fit.
 */
static EFI_STATUS from_load_options(EFI_LOADED_IMAGE *li, char *out, UINTN outlen)
{
	const CHAR16 *opt = li->LoadOptions;
	UINTN chars = li->LoadOptionsSize / sizeof(CHAR16);
	UINTN i, n = 0, first_len;

	out[0] = 0;
	if (!opt || chars == 0 || li->LoadOptionsSize % sizeof(CHAR16))
		return EFI_NOT_FOUND;
	for (i = 0; i < chars && opt[i]; i++) {
		CHAR16 c = opt[i];

		if (c == L'\t' || c == L'\r' || c == L'\n')
			c = L' ';
		if (c < 0x20 || c > 0x7e)
			return EFI_NOT_FOUND;
		if (!put(out, outlen, &n, (char)c))
			return EFI_BUFFER_TOO_SMALL;
	}
	trim(out);
	for (first_len = 0; out[first_len] && out[first_len] != ' '; first_len++)
		;
	if (ends_with_efi(out, first_len)) {
		CopyMem(out, out + first_len, strlena((CHAR8 *)out + first_len) + 1);
		trim(out);
	}
	return out[0] ? EFI_SUCCESS : EFI_NOT_FOUND;
}

/* The text of kmm-cmdline.txt (@len bytes) as one line into @out. */
static EFI_STATUS from_file(const UINT8 *text, UINTN len, char *out, UINTN outlen)
{
	UINTN i = 0, n = 0;

	out[0] = 0;
	if (len >= 3 && text[0] == 0xef && text[1] == 0xbb && text[2] == 0xbf)
		i = 3;
	for (; i < len && text[i]; i++) {
		char c = (char)text[i];

		if (text[i] < 0x20 || text[i] == 0x7f)
			c = ' ';
		if (!put(out, outlen, &n, c)) {
			/* Trailing blanks would be trimmed: only text counts. */
			for (; i < len && text[i] && text[i] <= ' '; i++)
				;
			if (i == len || !text[i])
				break;
			return EFI_BUFFER_TOO_SMALL;
		}
	}
	trim(out);
	return EFI_SUCCESS;
}

EFI_STATUS cmdline_get(EFI_LOADED_IMAGE *li, struct esp *esp,
		       const CHAR16 *kernel_path, char *out, UINTN outlen)
{
	UINT8 *text;
	UINTN len;
	EFI_STATUS st;

	st = from_load_options(li, out, outlen);
	if (st == EFI_SUCCESS) {
		loader_info(L"command line from LoadOptions: \"%a\"", out);
		return st;
	}
	if (st == EFI_BUFFER_TOO_SMALL) {
		loader_error(L"LoadOptions are longer than the %d-byte command line limit",
			     (INT32)outlen - 1);
		return st;
	}

	st = esp_read_beside(esp, kernel_path, CMDLINE_FILE_NAME, CMDLINE_FILE_MAX,
			     &text, &len);
	if (st == EFI_NOT_FOUND) {
		out[0] = 0;
		loader_info(L"no %s beside the kernel: empty command line", CMDLINE_FILE_NAME);
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(st))
		return st;
	st = from_file(text, len, out, outlen);
	FreePool(text);
	if (st == EFI_BUFFER_TOO_SMALL) {
		loader_error(L"%s is longer than the %d-byte command line limit",
			     CMDLINE_FILE_NAME, (INT32)outlen - 1);
		return st;
	}
	loader_info(L"command line from %s: \"%a\"", CMDLINE_FILE_NAME, out);
	return EFI_SUCCESS;
}
