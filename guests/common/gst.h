/* SPDX-License-Identifier: MIT */
/*
 * Shared by the guest hypervisor (hyp/) and the nested guest (vm/): freestanding types,
 * system-register accessors, the PL011 console and the memory layout both sides agree on.
 */
#ifndef GST_H
#define GST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint8_t u8;

/* Two levels so that a macro argument (HREG(esr) in hyp/) is expanded before # applies. */
#define gst_mrs(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define gst_msr(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#define read_sysreg(r) gst_mrs(r)
#define write_sysreg(r, v) gst_msr(r, v)
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

/*
 * Memory layout. IPAs are the same in every nested VM; only the guest hypervisor's stage 2
 * decides which PA backs them. The nested guest's text is loaded at PA == IPA so that the
 * HCR_EL2.VM=0 phase (IPA == PA) runs the very same code.
 */
#define GST_UART		0x09000000UL	/* PL011 on QEMU virt (and el2emu) */
#define GST_HYP_BASE		0x40000000UL	/* guest hypervisor image */
#define GST_VM_TEXT		0x40100000UL	/* nested guest text + rodata, 64K aligned */
#define GST_VM_TEXT_SIZE	0x10000UL
#define GST_VM_LAZY		0x40110000UL	/* nested guest text mapped on first fetch */
#define GST_VM_LAZY_SIZE	0x10000UL
#define GST_VM_DATA		0x40200000UL	/* nested guest bss, stack, stage-1 tables */
#define GST_VM_DATA_SIZE	0x40000UL
#define GST_VM_REMAP		0x40400000UL	/* one page remapped with break-before-make */
#define GST_VM_DEMAND		0x40600000UL	/* mapped page by page on stage-2 faults */
#define GST_VM_DEMAND_SIZE	0x40000UL
#define GST_VM_ALIAS_VA		0x10000000UL	/* nested stage-1 alias of GST_VM_REMAP */
#define GST_VM_HOLE_VA		0x20000000UL	/* no nested stage-1 mapping: EL1 fault */
#define GST_POOL_BASE		0x41000000UL	/* guest hypervisor's page allocator */
#define GST_POOL_END		0x44000000UL

/* Hypercalls (HVC immediate); arguments and results in x0/x1. */
#define HVC_PING	1	/* x0 -> x0 + 0x100 * vm number, x1 = vm number */
#define HVC_AT		2	/* AT S12E1R of VA x0, x0 = PAR_EL1 (printed by the hypervisor) */
#define HVC_REMAP	3	/* remap GST_VM_REMAP to its second page (break-before-make) */
#define HVC_YIELD	4	/* let the other VMs run */
#define HVC_EXIT	5	/* done, x0 = checksum */
#define HVC_PANIC	6	/* the nested guest hit something unexpected */

/* Flags the hypervisor passes to the nested guest in x1 at entry. */
#define VMF_MMU		(1U << 0)	/* turn on its own stage 1 */
#define VMF_REMAP	(1U << 1)	/* exercise HVC_REMAP */
#define VMF_DEMAND	(1U << 2)	/* touch the demand-paged region and the lazy text */
#define VMF_BAD		(1U << 3)	/* read GST_VM_BAD_IPA: a fault the hypervisor rejects */

#define GST_VM_BAD_IPA		0x7f000000UL	/* never mapped at stage 2 */

void gst_putc(char c);
void gst_puts(const char *s);
void gst_vprintf(const char *fmt, va_list ap);
void gst_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

/*
 * FNV-1a over the 8 bytes of v: the running checksum of what a guest read and wrote. Always
 * inlined: vm2/'s EL0 code uses it too and must not call into the EL1 text.
 */
static inline __attribute__((always_inline)) u64 gst_mix(u64 h, u64 v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define GST_FNV_INIT 0xcbf29ce484222325ULL

#endif
