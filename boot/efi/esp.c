// SPDX-License-Identifier: MIT
/*
 * Files on the EFI system partition the loader itself was read from.
 *
 * The firmware tells us where we came from in our LoadedImage protocol:
 * DeviceHandle carries the Simple File System of that partition, FilePath
 * the loader's path on it (e.g. \EFI\BOOT\BOOTX64.EFI). Files are looked up
 * first in the loader's directory, then in the root of the partition, so both
 *
 *   \EFI\BOOT\BOOTX64.EFI  \EFI\BOOT\kernel.elf  \EFI\BOOT\kmm-cmdline.txt
 *   \EFI\BOOT\BOOTX64.EFI  \kernel.elf           \kmm-cmdline.txt
 *
 * work. Paths use '\' as UEFI file paths do.
 */
#include "boot/efi/loader.h"

/* Append @s to @out at *@n; FALSE when it would not fit with its NUL. */
static BOOLEAN path_append(CHAR16 out[LOADER_MAX_PATH], UINTN *n,
			   const CHAR16 *s)
{
	for (; *s; s++) {
		if (*n + 1 >= LOADER_MAX_PATH)
			return FALSE;
		out[(*n)++] = (*s == L'/') ? L'\\' : *s;
	}
	out[*n] = 0;
	return TRUE;
}

/* @dir + "\" + @name into @out; FALSE when too long. */
static BOOLEAN path_join(CHAR16 out[LOADER_MAX_PATH], const CHAR16 *dir,
			 const CHAR16 *name)
{
	UINTN n = 0;

	out[0] = 0;
	return path_append(out, &n, dir) && path_append(out, &n, L"\\") &&
	       path_append(out, &n, name);
}

/* Cut @path at its last '\': the directory part, "" for the root. */
static void path_strip_name(CHAR16 *path)
{
	CHAR16 *slash = NULL;

	for (CHAR16 *p = path; *p; p++)
		if (*p == L'\\')
			slash = p;
	if (slash)
		*slash = 0;
	else
		path[0] = 0;
}

/*
 * The directory of the loader: the concatenated file-path nodes of
 * li->FilePath without the last component. Stays "" (the root) when the
 * firmware gave no file path.
 */
static void loader_dir_from_image(EFI_LOADED_IMAGE *li,
				  CHAR16 dir[LOADER_MAX_PATH])
{
	EFI_DEVICE_PATH *dp = li->FilePath;
	UINTN n = 0;

	dir[0] = 0;
	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		FILEPATH_DEVICE_PATH *fp = (FILEPATH_DEVICE_PATH *)dp;
		UINTN len = DevicePathNodeLength(dp);
		CHAR16 part[LOADER_MAX_PATH];
		UINTN chars, i;

		if (len < 4)
			break; /* malformed: stop rather than loop forever */
		if (DevicePathType(dp) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(dp) != MEDIA_FILEPATH_DP)
			continue;
		chars = (len - SIZE_OF_FILEPATH_DEVICE_PATH) / sizeof(CHAR16);
		for (i = 0; i < chars && i + 1 < LOADER_MAX_PATH && fp->PathName[i]; i++)
			part[i] = fp->PathName[i];
		part[i] = 0;
		if (n > 0 && dir[n - 1] != L'\\' && part[0] != L'\\' &&
		    !path_append(dir, &n, L"\\"))
			goto too_long;
		if (!path_append(dir, &n, part))
			goto too_long;
	}
	path_strip_name(dir);
	while (dir[0] && dir[StrLen(dir) - 1] == L'\\')
		dir[StrLen(dir) - 1] = 0;
	return;

too_long:
	loader_warn(L"loader path too long; looking in the root only");
	dir[0] = 0;
}

EFI_STATUS esp_open(EFI_LOADED_IMAGE *li, struct esp *esp)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS st;

	esp->root = NULL;
	st = BS->HandleProtocol(li->DeviceHandle, &FileSystemProtocol, (void **)&fs);
	if (EFI_ERROR(st)) {
		loader_error(L"the device the loader came from has no file system: %r", st);
		return st;
	}
	st = fs->OpenVolume(fs, &esp->root);
	if (EFI_ERROR(st)) {
		loader_error(L"cannot open the loader's file system: %r", st);
		esp->root = NULL;
		return st;
	}
	loader_dir_from_image(li, esp->loader_dir);
	return EFI_SUCCESS;
}

void esp_close(struct esp *esp)
{
	if (esp->root)
		esp->root->Close(esp->root);
	esp->root = NULL;
}

/*
 * Read all of @path. EFI_NOT_FOUND and EFI_BAD_BUFFER_SIZE (with the size in
 * *@size) are returned without a message.
 */
static EFI_STATUS esp_read_path(struct esp *esp, const CHAR16 *path,
				UINTN max_size, UINT8 **buf, UINTN *size)
{
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *info;
	UINT64 file_size;
	UINTN got = 0;
	UINT8 *data;
	EFI_STATUS st;

	st = esp->root->Open(esp->root, &f, (CHAR16 *)path, EFI_FILE_MODE_READ, 0);
	if (st == EFI_NOT_FOUND)
		return st;
	if (EFI_ERROR(st)) {
		loader_error(L"cannot open %s: %r", path, st);
		return st;
	}
	info = LibFileInfo(f);
	if (!info) {
		loader_error(L"cannot get the size of %s", path);
		st = EFI_DEVICE_ERROR;
		goto err_close;
	}
	file_size = info->FileSize;
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		FreePool(info);
		loader_error(L"%s is a directory, not a file", path);
		st = EFI_NOT_FOUND;
		goto err_close;
	}
	FreePool(info);
	if (file_size > max_size) {
		/* The caller says what too large means for its file. */
		*size = file_size;
		st = EFI_BAD_BUFFER_SIZE;
		goto err_close;
	}
	data = AllocatePool(file_size + 1);
	if (!data) {
		loader_error(L"out of memory reading %s (%lu bytes)", path, file_size);
		st = EFI_OUT_OF_RESOURCES;
		goto err_close;
	}
	while (got < file_size) {
		UINTN chunk = file_size - got;

		st = f->Read(f, &chunk, data + got);
		if (EFI_ERROR(st)) {
			loader_error(L"reading %s failed after %lu bytes: %r",
				     path, (UINT64)got, st);
			goto err_free;
		}
		if (chunk == 0)
			break;
		got += chunk;
	}
	if (got != file_size) {
		loader_error(L"%s: read only %lu of its %lu bytes",
			     path, (UINT64)got, file_size);
		st = EFI_END_OF_FILE;
		goto err_free;
	}
	data[got] = 0;
	f->Close(f);
	*buf = data;
	*size = got;
	return EFI_SUCCESS;

err_free:
	FreePool(data);
err_close:
	f->Close(f);
	return st;
}

EFI_STATUS esp_find_file(struct esp *esp, const CHAR16 *name, UINTN max_size,
			 UINT8 **buf, UINTN *size, CHAR16 found[LOADER_MAX_PATH])
{
	EFI_STATUS st = EFI_NOT_FOUND;

	if (esp->loader_dir[0]) {
		if (!path_join(found, esp->loader_dir, name))
			return EFI_NOT_FOUND;
		st = esp_read_path(esp, found, max_size, buf, size);
		if (st != EFI_NOT_FOUND)
			return st;
	}
	path_join(found, L"", name);
	return esp_read_path(esp, found, max_size, buf, size);
}

EFI_STATUS esp_read_beside(struct esp *esp, const CHAR16 *beside,
			   const CHAR16 *name, UINTN max_size, UINT8 **buf,
			   UINTN *size)
{
	CHAR16 dir[LOADER_MAX_PATH], path[LOADER_MAX_PATH];

	StrnCpy(dir, beside, LOADER_MAX_PATH - 1);
	dir[LOADER_MAX_PATH - 1] = 0;
	path_strip_name(dir);
	if (!path_join(path, dir, name))
		return EFI_NOT_FOUND;
	return esp_read_path(esp, path, max_size, buf, size);
}
