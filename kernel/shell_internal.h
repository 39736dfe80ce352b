/* SPDX-License-Identifier: MIT */
/* Shared between the shell's command files; not for the rest of the kernel. */
#ifndef KERNEL_SHELL_INTERNAL_H
#define KERNEL_SHELL_INTERNAL_H

/* kernel/shell_cmds.c: forget freed addresses (something will allocate). */
void shell_forget_freed(void);
/* kernel/shell_stress.c */
int shell_cmd_stress(int argc, char **argv);
/* kernel/shell_memmap.c */
int shell_cmd_memmap(int argc, char **argv);

#endif
