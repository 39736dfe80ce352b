/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks: a test-and-test-and-set byte. Taking one does not disable
 * interrupts; code that an interrupt handler may also enter pairs it with
 * local_irq_save()/local_irq_restore() (spin_lock_irqsave).
 */
#ifndef ARCH_X86_64_SPINLOCK_H
#define ARCH_X86_64_SPINLOCK_H

#include "kmm/types.h"
#include "cpu.h"

typedef struct {
	volatile u8 locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (l->locked)
			cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return l->locked;
}

#define spin_lock_irqsave(l, flags) \
	do { (flags) = local_irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) \
	do { spin_unlock(l); local_irq_restore(flags); } while (0)

#endif /* ARCH_X86_64_SPINLOCK_H */
