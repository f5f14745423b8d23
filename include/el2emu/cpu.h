/* el2emu cpu: the nested CPU. A guest hypervisor runs at virtual EL2 on a Unicorn 2.0.1
 * engine, its nested guests on a second engine at EL1 under a shadow stage 2 (shadow_s2).
 * This header has two parts: the pure pieces (virtual EL2 register file, VHE redirection,
 * syndrome construction), unit-tested without Unicorn, and the machine (cpu_machine_*),
 * which is the only code in el2emu that uses Unicorn. See docs/cpu.md. */
#ifndef EL2EMU_CPU_H
#define EL2EMU_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Pure part ------------------------------------------------------------------- */

/* Where an MRS/MSR executed at virtual EL2 goes (Arm ARM D8.12 "Virtualization Host
 * Extensions", register redirection). enc is the SR_ENC() of the instruction. */
enum cpu_vr_target {
	CPU_VR_EL2,	/* an EL2 register of the virtual file: out_enc is its encoding */
	CPU_VR_EL1,	/* a register of the nested guest's context: out_enc (an EL1/EL0 reg) */
	CPU_VR_UNDEF,	/* UNDEFINED at EL2 (an *_EL12 alias with E2H=0, an EL3 register) */
};
enum cpu_vr_target cpu_vhe_redirect(uint32_t enc, bool e2h, uint32_t *out_enc);

/* The virtual EL2 register file: every register of the sysreg table encoded with op1=4
 * (the *_EL2 registers, DBGVCR32_EL2 with op0=2, and the AArch32 banked SPSR_irq/abt/und/
 * fiq) except SP_EL1, written with its RES0 bits cleared and RES1 bits set
 * (sr_masks_for()). CPU_VREGS_MAX leaves room for the table to grow; a unit test checks
 * that every such register of the table is in the file. */
#define CPU_VREGS_MAX 192
struct cpu_vregs {
	size_t n;
	uint32_t enc[CPU_VREGS_MAX];
	uint64_t val[CPU_VREGS_MAX];
	uint8_t slot[4096];	/* op0=2/3, op1=4: op0[0]:CRn:CRm:op2 -> index + 1 (0: absent) */
};
void cpu_vregs_init(struct cpu_vregs *vr);
/* false: enc is not an EL2 register of the file. */
bool cpu_vregs_read(const struct cpu_vregs *vr, uint32_t enc, uint64_t *val);
/* Returns the value stored (masks applied); false when enc is not in the file. */
bool cpu_vregs_write(struct cpu_vregs *vr, uint32_t enc, uint64_t val, uint64_t *stored);
uint64_t cpu_vregs_get(const struct cpu_vregs *vr, uint32_t enc);	/* 0 if absent */

/* Syndromes (Arm ARM D24.2.41 ESR_EL2). */
#define CPU_ESR_IL (UINT64_C(1) << 25)
/* Data abort ISV (24) and the instruction syndrome it validates (ISS[23:14]). */
#define CPU_ESR_ISS_SYNDROME UINT64_C(0x1ffc000)
uint64_t cpu_esr_hvc_smc_svc(unsigned ec, uint32_t insn);	/* EC | IL | imm16 */
uint64_t cpu_esr_sys(uint32_t enc, unsigned rt, bool read);	/* EC 0x18 trapped MSR/MRS */
uint64_t cpu_esr_unknown(void);					/* EC 0x00, IL=1 */
/* An abort syndrome reported for the guest hypervisor's own access (made at virtual EL2
 * but seen by Unicorn as coming from a lower EL): EC becomes the current-EL form, the
 * fault becomes a synchronous external abort (DFSC 0x10) and ISV/S1PTW are cleared. */
uint64_t cpu_esr_own_abort(uint64_t syndrome);
/* The instruction syndrome (ISV=1, SAS, SSE, SRT, SF, AR: ESR ISS[24:14]) of a data
 * abort on insn, for the single-register loads and stores without writeback that have
 * one (Arm ARM D24.2.41 "ISV"); false for the others (pairs, writeback, SIMD, atomics). */
bool cpu_ldst_iss(uint32_t insn, uint32_t *iss);
/* Vector offset (AArch64.TakeException()): from_el/sp0 describe where the exception was
 * taken from, target 2. kind: 0 sync, 1 IRQ, 2 FIQ, 3 SError. */
uint64_t cpu_vector_offset(unsigned from_el, bool sp0, unsigned kind);

/* The PL011 subset el2emu emulates (DR, FR; everything else reads 0, writes ignored). */
uint64_t cpu_pl011_read(uint64_t offset);

/* ---- The machine ----------------------------------------------------------------- */

enum cpu_host_s2 { CPU_HOST_IDENTITY, CPU_HOST_OFFSET, CPU_HOST_SCATTER };

struct cpu_config {
	uint64_t ram_size;		/* guest hypervisor RAM at 0x40000000 */
	enum cpu_host_s2 host_s2;
	unsigned shadow_pool;		/* shadow contexts kept at once (default 8, LRU) */
	unsigned shadow_pages;		/* 4 KiB pages for shadow and host stage-2 tables */
	uint64_t max_insns;		/* 0: no limit */
	bool count_insns;		/* count instructions (a block hook, ~3 %) even without
					 * max_insns, for --stats */
	uint64_t seed;			/* scatter layout */
	FILE *uart;			/* UART output (stdout) */
};
void cpu_config_default(struct cpu_config *cfg);

#define CPU_RAM_BASE UINT64_C(0x40000000)
#define CPU_UART_BASE UINT64_C(0x09000000)

struct cpu_machine;
/* NULL on failure with a message in err (e.g. the Unicorn library is not 2.0.1). */
struct cpu_machine *cpu_machine_create(const struct cpu_config *cfg, char *err, size_t errlen);
void cpu_machine_destroy(struct cpu_machine *m);
/* Load an ELF64 AArch64 image (PT_LOAD segments into RAM, entry point) or a raw binary at
 * load_addr. 0 on success; -1 with a message. */
int cpu_load_elf(struct cpu_machine *m, const void *img, size_t len, char *err, size_t errlen);
int cpu_load_raw(struct cpu_machine *m, const void *img, size_t len, uint64_t load_addr,
		 char *err, size_t errlen);
/* Pure ELF parsing for the loader (tests): calls put() for every PT_LOAD segment. */
int cpu_elf_parse(const void *img, size_t len, uint64_t *entry,
		  int (*put)(void *ctx, uint64_t paddr, const void *data, uint64_t filesz,
			     uint64_t memsz),
		  void *ctx, char *err, size_t errlen);

enum cpu_stop {
	CPU_STOP_POWER_OFF,	/* PSCI SYSTEM_OFF / CPU_OFF */
	CPU_STOP_RESET,		/* PSCI SYSTEM_RESET */
	CPU_STOP_MAX_INSNS,	/* --max-insns reached */
	CPU_STOP_ERROR,		/* el2emu could not continue: message */
};
struct cpu_run_result {
	enum cpu_stop stop;
	uint64_t pc;
	char msg[256];
};
int cpu_run(struct cpu_machine *m, struct cpu_run_result *res);
/* --stats */
void cpu_print_stats(const struct cpu_machine *m, FILE *out);
uint64_t cpu_insns(const struct cpu_machine *m);
/* Trapped MRS/MSR/SYS executed at virtual EL2 so far. */
uint64_t cpu_traps(const struct cpu_machine *m);

/* `el2emu bench cpu` (src/cpu/bench.c): the same nested loop on el2emu and on a bare
 * Unicorn engine, and the nested HVC -> guest hypervisor -> ERET round trip. */
struct cpu_bench_result {
	double nested_mips, bare_mips, exit_roundtrip_us, traps_per_hvc_exit;
	uint64_t nested_insns, bare_insns, exits;
};
int cpu_bench(uint64_t iters, uint64_t exits, struct cpu_bench_result *r, char *err,
	      size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* EL2EMU_CPU_H */
