/* SPDX-License-Identifier: MIT */
/*
 * Symmetric multiprocessing: starting the application processors (APs) and
 * running a function on one of them. See the top of smp.c.
 *
 * CPU numbers are logical, 0 .. NR_CPUS-1 (percpu.h); CPU 0 is the boot CPU.
 * Calls go from CPU 0 to an AP, never otherwise: CPU 0 never polls a mailbox
 * of its own, and an AP busy running a call does not serve its mailbox, so
 * AP-to-AP calls could wait on each other forever.
 */
#ifndef ARCH_X86_64_SMP_H
#define ARCH_X86_64_SMP_H

#include "kmm/types.h"
#include "arch/x86_64/percpu.h"

/* Set by the nosmp command-line option: stay on the boot CPU. */
extern bool smp_disabled;

/* Point the boot CPU's GS base at its struct percpu. First thing in kmain. */
void smp_prepare_boot_cpu(void);

/*
 * Find the APs in the ACPI MADT and start each one; they then wait for calls.
 * After kmem_cache_init(). Any failure leaves kmm running on fewer CPUs,
 * with the reason logged.
 */
void smp_init(void);

/* CPUs running kmm, the boot CPU included. */
unsigned int num_online_cpus(void);
bool cpu_online(unsigned int cpu);

/*
 * Run @fn(@arg) on CPU @cpu and wait for it to return (on this CPU, just
 * call it). 0, or -EINVAL from an AP (for another CPU), for CPU 0, or for a
 * CPU that is not online.
 */
int smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg);

/*
 * Start @fn(@arg) on AP @cpu and return at once; smp_wait(@cpu) waits for it
 * to finish. 0, -EINVAL as above (and for this CPU itself), or -EBUSY while
 * an earlier call to @cpu has not been waited for. Boot CPU only.
 */
int smp_call_async(unsigned int cpu, void (*fn)(void *), void *arg);
/* Wait for the call smp_call_async() started on @cpu; at once if there is none. */
void smp_wait(unsigned int cpu);

#endif /* ARCH_X86_64_SMP_H */
