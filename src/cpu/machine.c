/* The nested CPU on Unicorn 2.0.1 (docs/cpu.md).
 *
 * G engine: the guest hypervisor at Unicorn EL0 (its "virtual EL2"; EL1 while its EL2&0
 * stage 1 is on), every MRS/MSR/SYS caught by instruction hooks and emulated against the
 * virtual register file; ERET, HVC, SMC, MSR-immediate and WFI arrive as UNDEF (or as
 * their own exceptions at EL1) in the interrupt hook. Its memory accesses go through a
 * real stage 2, the host's (identity, offset or scatter).
 * N engine: the nested guest at real EL1 with HCR_EL2.VM=1 and VTTBR_EL2 at the shadow
 * stage-2 table of shadow_s2; the virtual HCR_EL2 trap bits are copied into the real
 * HCR_EL2, so QEMU itself raises the traps with their architectural syndromes.
 * Both engines map the same host memory, so data is coherent between them. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <unicorn/unicorn.h>

#include "el2emu/cpu.h"
#include "el2emu/cpu_record.h"
#include "el2emu/shadow_s2.h"
#include "el2emu/sysreg.h"
#include "el2emu/translate.h"
#include "record.h"
#include "uc_internal.h"

#define PAGE 4096u
#define POOL_PA UINT64_C(0x8000000000)	/* table pages: above any RAM, below 2^40 */
#define UART_SIZE 0x1000u
#define COVER_SIZE (UINT64_C(1) << 30)
#define MAX_COVERS 256
#define PAMAX_BITS 44			/* the cortex-a72 model's ID_AA64MMFR0.PARange */

/* HCR_EL2 bits (Arm ARM D24.2.48). */
#define HCR_VM (UINT64_C(1) << 0)
#define HCR_FMO (UINT64_C(1) << 3)
#define HCR_IMO (UINT64_C(1) << 4)
#define HCR_AMO (UINT64_C(1) << 5)
#define HCR_VF (UINT64_C(1) << 6)
#define HCR_VI (UINT64_C(1) << 7)
#define HCR_VSE (UINT64_C(1) << 8)
#define HCR_TGE (UINT64_C(1) << 27)
#define HCR_RW (UINT64_C(1) << 31)
#define HCR_E2H (UINT64_C(1) << 34)
/* Traps of EL1 the nested guest's real HCR_EL2 inherits from the virtual one: TWI, TWE,
 * TID0-3, TSC, TIDCP, TACR, TSW, TPCP, TPU, TTLB, TVM, TDZ, TRVM (bits 13-26, 28, 30),
 * and the virtual interrupt controls. */
#define HCR_COPY (UINT64_C(0x5fffe000) | HCR_FMO | HCR_IMO | HCR_AMO | HCR_VF | HCR_VI | \
		  HCR_VSE)

#define ENC(a, b, c, d, e) SR_ENC(a, b, c, d, e)
#define E_HCR ENC(3, 4, 1, 1, 0)
#define E_VTCR ENC(3, 4, 2, 1, 2)
#define E_VTTBR ENC(3, 4, 2, 1, 0)
#define E_SCTLR2 ENC(3, 4, 1, 0, 0)
#define E_TCR2 ENC(3, 4, 2, 0, 2)
#define E_TTBR0_2 ENC(3, 4, 2, 0, 0)
#define E_TTBR1_2 ENC(3, 4, 2, 0, 1)
#define E_MAIR2 ENC(3, 4, 10, 2, 0)
#define E_ELR2 ENC(3, 4, 4, 0, 1)
#define E_SPSR2 ENC(3, 4, 4, 0, 0)
#define E_ESR2 ENC(3, 4, 5, 2, 0)
#define E_FAR2 ENC(3, 4, 6, 0, 0)
#define E_HPFAR2 ENC(3, 4, 6, 0, 4)
#define E_VBAR2 ENC(3, 4, 12, 0, 0)
#define E_CURRENTEL ENC(3, 0, 4, 2, 2)
#define E_DAIF ENC(3, 3, 4, 2, 1)
#define E_SPSEL ENC(3, 0, 4, 2, 0)
#define E_SP_EL0 ENC(3, 0, 4, 1, 0)
#define E_SCTLR1 ENC(3, 0, 1, 0, 0)
#define E_TCR1 ENC(3, 0, 2, 0, 2)
#define E_TTBR0_1 ENC(3, 0, 2, 0, 0)
#define E_TTBR1_1 ENC(3, 0, 2, 0, 1)
#define E_MAIR1 ENC(3, 0, 10, 2, 0)
#define E_PAR1 ENC(3, 0, 7, 4, 0)
#define E_CPTR2 ENC(3, 4, 1, 1, 2)
#define E_CPACR1 ENC(3, 0, 1, 0, 2)
#define CPACR_FPEN (UINT64_C(3) << 20)
#define E_TPIDRRO ENC(3, 3, 13, 0, 3)
#define E_PAN ENC(3, 0, 4, 2, 3)
#define E_UAO ENC(3, 0, 4, 2, 4)
#define E_CNTFRQ ENC(3, 3, 14, 0, 0)
#define PSTATE_PAN (UINT64_C(1) << 22)
#define PSTATE_UAO (UINT64_C(1) << 23)
#define PSTATE_RESTORE UINT64_C(0xf1c013cf)	/* NZCV DIT UAO PAN SSBS DAIF M[3:0] */

/* QEMU exception numbers as UC_HOOK_INTR reports them. */
#define EXCP_UDEF 1
#define EXCP_SWI 2
#define EXCP_PREFETCH_ABORT 3
#define EXCP_DATA_ABORT 4
#define EXCP_HVC 11
#define EXCP_SMC 13

enum exit_kind {
	EX_HVC, EX_SMC_TRAP, EX_SYS_TRAP, EX_WFX_TRAP, EX_S2_DABT, EX_S2_IABT, EX_OTHER_EL2,
	EX_SHADOW_FILL, EX_HOST_MISS, EX_NESTED_EXC, EX_NESTED_PSCI, EX_ERET_EL1, EX_ERET_EL2,
	EX_ERET_EL0, EX_G_EL0,
	EX_G_HVC, EX_G_SVC, EX_G_SMC, EX_G_ABORT, EX_G_UNDEF, EX_G_WFX, EX_G_MSRIMM, EX_KINDS
};
static const char *const exit_names[EX_KINDS] = {
	"nested hvc", "nested smc (TSC)", "nested sysreg trap (TVM/TRVM/...)",
	"nested wfi/wfe (TWI/TWE)", "nested stage-2 data abort", "nested stage-2 insn abort",
	"nested other exit to EL2", "shadow fill (no exit)", "nested access to unbacked IPA",
	"nested exception to its EL1", "nested psci smc", "eret to EL1/EL0", "eret to EL2",
	"eret to the hyp's EL0 (TGE)", "exception from the hyp's EL0",
	"hyp hvc", "hyp svc", "hyp smc (psci)", "hyp abort", "hyp undef", "hyp wfi/wfe",
	"hyp msr daifset/daifclr/spsel",
};

struct trap_count {
	uint32_t enc;
	bool sys;
	uint64_t reads, writes;
};

struct n_exit {
	bool pending;
	uint32_t intno;
	struct ucx_exc exc;
	uint64_t esr, far, hpfar;
	bool has_far, has_hpfar;
	enum exit_kind kind;
};

struct g_event {
	bool pending;
	uint32_t intno;
	struct ucx_exc exc;
	uint64_t pc;
};

struct cpu_machine {
	struct cpu_config cfg;
	uint8_t *host;			/* host RAM, at host PA CPU_RAM_BASE */
	uint64_t host_size;
	uint32_t *scatter;		/* scatter: IPA page -> host page */
	uint8_t *pool;			/* table pages, at PA POOL_PA */
	unsigned pool_pages, pool_free_hint;
	uint8_t *pool_used;
	void *dummy;			/* backing of the VA "cover" regions */
	uc_engine *g, *n;
	struct ucx gx, nx;
	unsigned covers_g, covers_n;
	uint64_t g_root;
	struct s2_mmu *s2;
	struct tr_features feat;
	struct cpu_vregs vr;
	/* Virtual PSTATE at virtual EL2: DAIF, SPSel (NZCV lives in the G engine). */
	uint64_t vdaif, vpstate_pu;	/* DAIF; PAN and UAO */
	bool vsp0;
	uint64_t vsp_el2;		/* valid while !in_g_sp_el2 */
	bool in_n;
	/* Real N registers last written. */
	uint64_t n_hcr, n_vttbr, n_vtcr, n_cptr;
	bool n_flush, n_code_all;
	bool g_el1;			/* G at Unicorn EL1: the EL2&0 stage 1 is on */
	bool g_host_el0;		/* G runs the guest hypervisor's EL0 (TGE=1) */
	uint64_t n_code[32];		/* host PA pages to drop from N's code cache (IC) */
	unsigned n_code_pages;
	uint64_t entry;
	bool loaded;
	/* Run state. */
	uint64_t insns;
	bool stop_max, stop_power, stop_reset, stop_error;
	char errmsg[200];
	struct g_event gev;
	struct n_exit nex;
	uint64_t last_fill_ipa;
	unsigned fill_repeat;
	/* Statistics. */
	uint64_t exits[EX_KINDS];
	struct trap_count traps[160];
	unsigned ntraps;
	uint64_t g_entries, n_entries, tlb_flushes, tb_flushes;
	struct cpu_rec *rec;		/* --trace-out (record.c), NULL when not recording */
	/* --host-remap-every: per-page host stage 2 and the host pages free to move to. */
	uint32_t *remap;		/* IPA page -> host page (index from CPU_RAM_BASE) */
	uint8_t *spare;			/* REMAP_SPARE pages at host PA RAM base + host_size */
	uint32_t free_ring[16];
	unsigned free_head;
	uint64_t remap_every, remap_fills, host_remaps;
};

#define REMAP_SPARE 16u

static const int xreg_ids[31] = {
	UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_X3,
	UC_ARM64_REG_X4, UC_ARM64_REG_X5, UC_ARM64_REG_X6, UC_ARM64_REG_X7,
	UC_ARM64_REG_X8, UC_ARM64_REG_X9, UC_ARM64_REG_X10, UC_ARM64_REG_X11,
	UC_ARM64_REG_X12, UC_ARM64_REG_X13, UC_ARM64_REG_X14, UC_ARM64_REG_X15,
	UC_ARM64_REG_X16, UC_ARM64_REG_X17, UC_ARM64_REG_X18, UC_ARM64_REG_X19,
	UC_ARM64_REG_X20, UC_ARM64_REG_X21, UC_ARM64_REG_X22, UC_ARM64_REG_X23,
	UC_ARM64_REG_X24, UC_ARM64_REG_X25, UC_ARM64_REG_X26, UC_ARM64_REG_X27,
	UC_ARM64_REG_X28, UC_ARM64_REG_X29, UC_ARM64_REG_X30,
};

static void fail(struct cpu_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct cpu_machine *m, const char *fmt, ...)
{
	va_list ap;

	if (m->stop_error)
		return;
	va_start(ap, fmt);
	vsnprintf(m->errmsg, sizeof(m->errmsg), fmt, ap);
	va_end(ap);
	m->stop_error = true;
}

void cpu_config_default(struct cpu_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = UINT64_C(128) << 20;
	cfg->host_s2 = CPU_HOST_IDENTITY;
	cfg->shadow_pool = 8;
	cfg->shadow_pages = 4096;
	cfg->seed = 1;
	cfg->uart = stdout;
}

/* ---- registers ---- */

static uint64_t rd(uc_engine *uc, int id)
{
	uint64_t v = 0;

	uc_reg_read(uc, id, &v);
	return v;
}

static void wr(uc_engine *uc, int id, uint64_t v)
{
	uc_reg_write(uc, id, &v);
}

static uc_arm64_cp_reg cpreg(uint32_t enc, uint64_t val)
{
	uc_arm64_cp_reg r = { .op0 = SR_ENC_OP0(enc), .op1 = SR_ENC_OP1(enc),
			      .crn = SR_ENC_CRN(enc), .crm = SR_ENC_CRM(enc),
			      .op2 = SR_ENC_OP2(enc), .val = val };
	return r;
}

static bool cp_read(uc_engine *uc, uint32_t enc, uint64_t *val)
{
	uc_arm64_cp_reg r = cpreg(enc, 0);

	if (uc_reg_read(uc, UC_ARM64_REG_CP_REG, &r) != UC_ERR_OK)
		return false;
	*val = r.val;
	return true;
}

static bool cp_write(uc_engine *uc, uint32_t enc, uint64_t val)
{
	uc_arm64_cp_reg r = cpreg(enc, val);

	return uc_reg_write(uc, UC_ARM64_REG_CP_REG, &r) == UC_ERR_OK;
}

static uint64_t cp_get(uc_engine *uc, uint32_t enc)
{
	uint64_t v = 0;

	cp_read(uc, enc, &v);
	return v;
}

static uint64_t vget(const struct cpu_machine *m, uint32_t enc)
{
	return cpu_vregs_get(&m->vr, enc);
}

static void vset(struct cpu_machine *m, uint32_t enc, uint64_t v)
{
	cpu_vregs_write(&m->vr, enc, v, NULL);
}

/* The EL2 registers of a walk (enough for stage 2 alone: shadow contexts). */
static void fill_sysregs_el2(const struct cpu_machine *m, struct tr_sysregs *r)
{
	memset(r, 0, sizeof(*r));
	r->hcr_el2 = vget(m, E_HCR);
	r->vtcr_el2 = vget(m, E_VTCR);
	r->vttbr_el2 = vget(m, E_VTTBR);
	r->tcr_el2 = vget(m, E_TCR2);
	r->ttbr0_el2 = vget(m, E_TTBR0_2);
	r->ttbr1_el2 = vget(m, E_TTBR1_2);
	r->sctlr_el2 = vget(m, E_SCTLR2);
	r->mair_el2 = vget(m, E_MAIR2);
}

/* The registers the walker and shadow_s2 read: EL2 ones virtual, EL1 ones from N. */
static void fill_sysregs(const struct cpu_machine *m, struct tr_sysregs *r)
{
	fill_sysregs_el2(m, r);
	r->tcr_el1 = cp_get(m->n, E_TCR1);
	r->ttbr0_el1 = cp_get(m->n, E_TTBR0_1);
	r->ttbr1_el1 = cp_get(m->n, E_TTBR1_1);
	r->sctlr_el1 = cp_get(m->n, E_SCTLR1);
	r->mair_el1 = cp_get(m->n, E_MAIR1);
}

/* ---- host memory and the host's stage 2 for the guest hypervisor ---- */

/* L1 IPA -> host PA for RAM (the three --host-s2 layouts). */
static bool host_ram_pa(const struct cpu_machine *m, uint64_t ipa, uint64_t *pa)
{
	uint64_t off;

	*pa = 0;
	if (ipa < CPU_RAM_BASE || ipa - CPU_RAM_BASE >= m->cfg.ram_size)
		return false;
	off = ipa - CPU_RAM_BASE;
	if (m->remap) {
		*pa = CPU_RAM_BASE + (uint64_t)m->remap[off / PAGE] * PAGE + off % PAGE;
		return true;
	}
	switch (m->cfg.host_s2) {
	case CPU_HOST_IDENTITY:
		*pa = ipa;
		break;
	case CPU_HOST_OFFSET:
		*pa = ipa + m->cfg.ram_size;
		break;
	case CPU_HOST_SCATTER:
		*pa = CPU_RAM_BASE + (uint64_t)m->scatter[off / PAGE] * PAGE + off % PAGE;
		break;
	}
	return true;
}

/* Host RAM, then the spare pages of --host-remap-every. */
static uint8_t *hpa_ptr(const struct cpu_machine *m, uint64_t pa)
{
	uint64_t off = pa - CPU_RAM_BASE;

	return off < m->host_size ? m->host + off : m->spare + (off - m->host_size);
}

static uint8_t *host_ptr(const struct cpu_machine *m, uint64_t ipa)
{
	uint64_t pa;

	if (!host_ram_pa(m, ipa, &pa))
		return NULL;
	return hpa_ptr(m, pa);
}

static bool hops_lookup(void *ctx, uint64_t ipa, struct s2_host_map *out)
{
	struct cpu_machine *m = ctx;

	if (ipa >= CPU_UART_BASE && ipa < CPU_UART_BASE + UART_SIZE) {
		out->ipa = CPU_UART_BASE;
		out->pa = CPU_UART_BASE;
		out->size = UART_SIZE;
		out->perms = TR_PERM_R0 | TR_PERM_W0 | TR_PERM_R1 | TR_PERM_W1;
		return true;
	}
	if (ipa < CPU_RAM_BASE || ipa - CPU_RAM_BASE >= m->cfg.ram_size)
		return false;
	if (m->cfg.host_s2 == CPU_HOST_SCATTER || m->remap) {
		out->ipa = ipa & ~(uint64_t)(PAGE - 1);
		out->size = PAGE;
	} else {
		out->ipa = CPU_RAM_BASE;
		out->size = m->cfg.ram_size;
	}
	host_ram_pa(m, out->ipa, &out->pa);
	out->perms = S2_PERM_ALL;
	return true;
}

static bool hops_read64(void *ctx, uint64_t ipa, uint64_t *val)
{
	struct cpu_machine *m = ctx;
	uint8_t *p = (ipa & 7) ? NULL : host_ptr(m, ipa);

	if (!p)
		return false;
	memcpy(val, p, 8);
	if (m->rec)
		cpu_rec_note_read(m->rec, ipa);	/* every C-side walk reads through here */
	return true;
}

static bool hops_cas64(void *ctx, uint64_t ipa, uint64_t expected, uint64_t desired,
		       uint64_t *seen)
{
	uint8_t *p = (ipa & 7) ? NULL : host_ptr(ctx, ipa);

	if (!p)
		return false;
	memcpy(seen, p, 8);
	if (*seen == expected)
		memcpy(p, &desired, 8);
	return true;
}

static void *pool_alloc(void *ctx, uint64_t *pa)
{
	struct cpu_machine *m = ctx;
	unsigned i, k;

	for (k = 0; k < m->pool_pages; k++) {
		i = (m->pool_free_hint + k) % m->pool_pages;
		if (!m->pool_used[i]) {
			m->pool_used[i] = 1;
			m->pool_free_hint = i + 1;
			memset(m->pool + (uint64_t)i * PAGE, 0, PAGE);
			*pa = POOL_PA + (uint64_t)i * PAGE;
			return m->pool + (uint64_t)i * PAGE;
		}
	}
	return NULL;
}

static void pool_free(void *ctx, void *page, uint64_t pa)
{
	struct cpu_machine *m = ctx;
	uint64_t i = (pa - POOL_PA) / PAGE;

	(void)page;
	if (pa >= POOL_PA && i < m->pool_pages)
		m->pool_used[i] = 0;
}

/* Stage-2 descriptors (Arm ARM D8.3 VMSAv8-64 stage 2 block and page descriptors). */
#define S2_PAGE_NORMAL (UINT64_C(3) | (UINT64_C(0xf) << 2) | (UINT64_C(3) << 6) | \
			(UINT64_C(3) << 8) | (UINT64_C(1) << 10))
#define S2_PAGE_DEVICE (UINT64_C(3) | (UINT64_C(1) << 2) | (UINT64_C(3) << 6) | \
			(UINT64_C(1) << 10) | (UINT64_C(2) << 53))
/* The host's stage 2 for G: 4K granule, 40-bit IPA, start level 1, 40-bit PA. */
#define G_VTCR (UINT64_C(24) | (UINT64_C(1) << 6) | (UINT64_C(1) << 8) | \
		(UINT64_C(1) << 10) | (UINT64_C(3) << 12) | (UINT64_C(2) << 16) | \
		(UINT64_C(1) << 31))

static uint64_t *pool_va(struct cpu_machine *m, uint64_t pa)
{
	return (uint64_t *)(m->pool + (pa - POOL_PA));
}

/* Maps one 4 KiB IPA of G's space; tables come from the pool. */
static int gmap_page(struct cpu_machine *m, uint64_t ipa, uint64_t desc_attrs, uint64_t pa)
{
	uint64_t table = m->g_root;
	int level;

	for (level = 1; level < 3; level++) {
		uint64_t *t = pool_va(m, table);
		unsigned idx = (unsigned)(ipa >> (39 - 9 * level)) & 511;

		if (!(t[idx] & 1)) {
			uint64_t npa;

			if (!pool_alloc(m, &npa))
				return -1;
			t[idx] = npa | 3;
		}
		table = t[idx] & UINT64_C(0xfffffffff000);
	}
	pool_va(m, table)[(ipa >> 12) & 511] = pa | desc_attrs;
	return 0;
}

static int build_host_s2(struct cpu_machine *m)
{
	uint64_t ipa, pa;

	if (!pool_alloc(m, &m->g_root))
		return -1;
	for (ipa = CPU_RAM_BASE; ipa < CPU_RAM_BASE + m->cfg.ram_size; ipa += PAGE) {
		host_ram_pa(m, ipa, &pa);
		if (gmap_page(m, ipa, S2_PAGE_NORMAL, pa))
			return -1;
	}
	return gmap_page(m, CPU_UART_BASE, S2_PAGE_DEVICE, CPU_UART_BASE);
}

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64*: a deterministic shuffle for the scatter layout. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* ---- MMIO: the PL011 ---- */

static uint64_t uart_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
	(void)uc;
	(void)size;
	(void)user;
	return cpu_pl011_read(offset);
}

static void uart_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value,
		       void *user)
{
	struct cpu_machine *m = user;

	(void)uc;
	(void)size;
	if (offset == 0)	/* UARTDR */
		fputc((int)(value & 0xff), m->cfg.uart);
}

/* ---- hooks common to both engines ---- */

static void block_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu_machine *m = user;

	(void)addr;
	m->insns += size / 4;
	if (m->cfg.max_insns && m->insns >= m->cfg.max_insns && !m->stop_max) {
		m->stop_max = true;
		uc_emu_stop(uc);
	}
}

/* 2.0.1 looks the virtual address up in the physical memory map before translating
 * (notes §5b): map a "cover" region there, backed by one dummy buffer, and retry. */
static bool add_cover(struct cpu_machine *m, uc_engine *uc, unsigned *count, uint64_t addr)
{
	uint64_t base = addr & ~(COVER_SIZE - 1), size = COVER_SIZE;
	uc_mem_region *regs = NULL;
	uint32_t nreg = 0, i;

	/* Any address, up to the top of the 64-bit space: the access then reaches the MMU
	 * and faults precisely instead of stopping the engine. */
	if (*count >= MAX_COVERS)
		return false;
	if (uc_mem_regions(uc, &regs, &nreg) != UC_ERR_OK)
		return false;
	/* Shrink the 1 GiB window around addr so that it overlaps no region. */
	for (i = 0; i < nreg; i++) {
		uint64_t b = regs[i].begin, e = regs[i].end;	/* inclusive */

		if (e < base || b > base + (size - 1))
			continue;
		if (b <= addr && addr <= e) {
			uc_free(regs);
			return false;	/* already mapped: not a pre-check miss */
		}
		if (b > addr) {
			size = b - base;
		} else {		/* e < addr: e + 1 cannot wrap */
			size -= e + 1 - base;
			base = e + 1;
		}
	}
	uc_free(regs);
	base &= ~(uint64_t)(PAGE - 1);
	size = (size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	if (!size || uc_mem_map_ptr(uc, base, size, UC_PROT_ALL, m->dummy) != UC_ERR_OK)
		return false;
	(*count)++;
	return true;
}

static bool unmapped_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			  int64_t value, void *user)
{
	struct cpu_machine *m = user;

	(void)type;
	(void)size;
	(void)value;
	return add_cover(m, uc, uc == m->g ? &m->covers_g : &m->covers_n, addr);
}

/* ---- PSCI (SMC calling convention, PSCI 1.1 DEN0022) ---- */

#define PSCI_RET_NOT_SUPPORTED UINT64_C(0xffffffffffffffff)

static uint64_t psci_call(struct cpu_machine *m, uint64_t fn)
{
	switch ((uint32_t)fn) {
	case 0x84000000:	/* PSCI_VERSION */
		return 0x10001;	/* 1.1, as QEMU 7.2 reports */
	case 0x84000002:	/* CPU_OFF: the only CPU */
	case 0x84000008:	/* SYSTEM_OFF */
		m->stop_power = true;
		return 0;
	case 0x84000009:	/* SYSTEM_RESET */
		m->stop_reset = true;
		return 0;
	case 0x8400000a:	/* PSCI_FEATURES */
		return PSCI_RET_NOT_SUPPORTED;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}

/* ---- the guest hypervisor: trapped system registers ---- */

static void count_trap(struct cpu_machine *m, uint32_t enc, bool sys, bool read)
{
	unsigned i;

	for (i = 0; i < m->ntraps; i++)
		if (m->traps[i].enc == enc && m->traps[i].sys == sys)
			break;
	if (i == m->ntraps) {
		if (m->ntraps == sizeof(m->traps) / sizeof(m->traps[0]))
			return;
		m->traps[i].enc = enc;
		m->traps[i].sys = sys;
		m->ntraps++;
	}
	if (read)
		m->traps[i].reads++;
	else
		m->traps[i].writes++;
}

/* G runs at Unicorn EL0, except while the guest hypervisor's EL2&0 stage 1 is on (E2H=1,
 * SCTLR_EL2.M=1): then at EL1, whose stage 1 has the EL2&0 regime's privilege rules.
 * At EL1, DAIF and SPSel live in the real PSTATE (MSR DAIFSet/SPSel run natively), the
 * real SP_EL1 bank is SP_EL2 and the real SP_EL0 bank is SP_EL0; a native ERET jumps
 * to ERET_MAGIC (the real ELR_EL1), a non-canonical address whose fetch faults. */
#define ERET_MAGIC UINT64_C(0x00ff000000000000)
#define PSTATE_EL1H UINT64_C(0x5)

static void g_pull(struct cpu_machine *m)
{
	uint64_t p;

	if (!m->g_el1)
		return;
	p = rd(m->g, UC_ARM64_REG_PSTATE);
	m->vdaif = p & 0x3c0;
	m->vsp0 = !(p & 1);
	m->vpstate_pu = p & (PSTATE_PAN | PSTATE_UAO);	/* MSR PAN/UAO, #imm are native */
}

static void g_push(struct cpu_machine *m)
{
	if (!m->g_el1)
		return;
	wr(m->g, UC_ARM64_REG_PSTATE, (rd(m->g, UC_ARM64_REG_PSTATE) & UINT64_C(0xf0000000)) |
				       m->vpstate_pu | m->vdaif | (1u << 2) | (m->vsp0 ? 0 : 1));
	ucx_rebuild_hflags(&m->gx);	/* PSTATE.PAN selects the MMU index */
}

/* G's live SP is SP_EL2 (SPSel=1) or SP_EL0 (SPSel=0); SP_EL0's home is N's SP_EL0. */
static void g_sp_save(struct cpu_machine *m)
{
	uint64_t sp = rd(m->g, UC_ARM64_REG_SP);

	if (m->g_el1) {
		bool h = rd(m->g, UC_ARM64_REG_PSTATE) & 1;

		m->vsp_el2 = h ? sp : rd(m->g, UC_ARM64_REG_SP_EL1);
		wr(m->n, UC_ARM64_REG_SP_EL0, h ? rd(m->g, UC_ARM64_REG_SP_EL0) : sp);
	} else if (m->vsp0) {
		wr(m->n, UC_ARM64_REG_SP_EL0, sp);
	} else {
		m->vsp_el2 = sp;
	}
}

static void g_sp_load(struct cpu_machine *m)
{
	uint64_t sp0 = rd(m->n, UC_ARM64_REG_SP_EL0);

	if (m->g_el1) {
		g_push(m);
		wr(m->g, UC_ARM64_REG_SP_EL0, sp0);
		wr(m->g, UC_ARM64_REG_SP_EL1, m->vsp_el2);
	}
	wr(m->g, UC_ARM64_REG_SP, m->vsp0 ? sp0 : m->vsp_el2);
}

static void g_set_el1(struct cpu_machine *m, bool el1)
{
	uint64_t nzcv;

	if (el1 == m->g_el1)
		return;
	g_pull(m);
	g_sp_save(m);
	nzcv = rd(m->g, UC_ARM64_REG_PSTATE) & UINT64_C(0xf0000000);
	m->g_el1 = el1;
	if (el1) {
		cp_write(m->g, ENC(3, 0, 4, 0, 1), ERET_MAGIC);		/* ELR_EL1 */
		cp_write(m->g, ENC(3, 0, 4, 0, 0), 0x3c0 | PSTATE_EL1H);	/* SPSR_EL1 */
		wr(m->g, UC_ARM64_REG_PSTATE, nzcv | m->vdaif | (1u << 2) | (m->vsp0 ? 0 : 1));
	} else {
		wr(m->g, UC_ARM64_REG_PSTATE, nzcv);
	}
	ucx_rebuild_hflags(&m->gx);
	g_sp_load(m);
}

static bool is_translation_reg(uint32_t enc)
{
	return enc == E_SCTLR1 || enc == E_TCR1 || enc == E_TTBR0_1 || enc == E_TTBR1_1 ||
	       enc == E_MAIR1 || enc == ENC(3, 0, 13, 0, 1) /* CONTEXTIDR */;
}

/* The guest hypervisor's own stage 1 (SCTLR_EL2.M=1, EL2 regime): G runs at EL0, so its
 * EL1&0 stage 1 is loaded with the EL2 regime's tables. The two formats agree for what
 * EL2 uses (Arm ARM D8.3, D8.4): TTBR0 only, AP[1] RES1 in the EL2 regime so every page
 * is EL0-accessible, XN at bit 54 (UXN at EL0), no ASID; its output (an L1 IPA) then goes
 * through the host's stage 2 like every access of G. */
static void g_sync_s1(struct cpu_machine *m)
{
	uint64_t sctlr2 = vget(m, E_SCTLR2), tcr2 = vget(m, E_TCR2), hcr = vget(m, E_HCR);
	uint64_t sctlr1 = (UINT64_C(1) << 14) | (UINT64_C(1) << 15);	/* DZE, UCT */
	uint64_t tcr1;
	bool vhe = (hcr & HCR_E2H) && (sctlr2 & 1);

	g_set_el1(m, vhe);
	if (vhe) {
		/* EL2&0 (E2H=1): TCR_EL2 and SCTLR_EL2 have the EL1 layouts (D8.12.1);
		 * M A C SA SA0 UMA I DZE UCT nTWI nTWE WXN SPAN UCI carry over (the EL0
		 * controls serve the guest hypervisor's EL0, TGE=1), TTBR1 exists. */
		sctlr1 = sctlr2 & ((UINT64_C(1) << 0) | (UINT64_C(1) << 1) |
				   (UINT64_C(1) << 2) | (UINT64_C(1) << 3) |
				   (UINT64_C(1) << 4) | (UINT64_C(1) << 9) |
				   (UINT64_C(1) << 12) | (UINT64_C(1) << 14) |
				   (UINT64_C(1) << 15) | (UINT64_C(1) << 16) |
				   (UINT64_C(1) << 18) | (UINT64_C(1) << 19) |
				   (UINT64_C(1) << 23) | (UINT64_C(1) << 26));
		cp_write(m->g, E_SCTLR1, sctlr1);
		cp_write(m->g, E_TCR1, tcr2);
		cp_write(m->g, E_TTBR0_1, vget(m, E_TTBR0_2));
		cp_write(m->g, E_TTBR1_1, vget(m, E_TTBR1_2));
		cp_write(m->g, E_MAIR1, vget(m, E_MAIR2));
		ucx_tlb_flush(&m->gx);
		return;
	}
	if (sctlr2 & 1)
		sctlr1 |= sctlr2 & ((UINT64_C(1) << 0) | (UINT64_C(1) << 2) |
				    (UINT64_C(1) << 12) | (UINT64_C(1) << 19));	/* M C I WXN */
	/* TCR_EL2 (E2H=0): T0SZ..TG0 [15:0] as TCR_EL1; PS [18:16] -> IPS [34:32]; TBI
	 * [20] -> TBI0 [37]; HA/HD [22:21] -> [40:39]; EPD1 (no TTBR1 in the EL2 regime). */
	tcr1 = (tcr2 & 0xffff) | (((tcr2 >> 16) & 7) << 32) | (((tcr2 >> 20) & 1) << 37) |
	       (((tcr2 >> 21) & 3) << 39) | (UINT64_C(1) << 23);
	cp_write(m->g, E_SCTLR1, sctlr1);
	cp_write(m->g, E_TCR1, tcr1);
	cp_write(m->g, E_TTBR0_1, vget(m, E_TTBR0_2) & UINT64_C(0x0000fffffffffffe));
	cp_write(m->g, E_MAIR1, vget(m, E_MAIR2));
	ucx_tlb_flush(&m->gx);
}

/* The features of the sysreg table the virtual EL2 does not implement, as QEMU 7.2
 * -M virt,virtualization=on -cpu max does not (its GIC is a GICv2 by default); FEAT_SEL2
 * registers exist only in Secure state, and virtual EL2 is Non-secure. Their accesses are
 * UNDEFINED. */
static bool feature_absent(const struct sr_desc *d)
{
	static const char *const absent[] = { "FEAT_FGT", "FEAT_NV2", "FEAT_SEL2", "FEAT_GICv3",
					      "FEAT_SPE", "FEAT_TRF", "FEAT_MPAM" };

	if (!d)
		return false;
	if (!strcmp(d->name, "RMR_EL2"))	/* no EL2 reset management on virt */
		return true;
	for (size_t i = 0; d->feature && i < sizeof(absent) / sizeof(absent[0]); i++)
		if (!strcmp(d->feature, absent[i]))
			return true;
	return false;
}

/* MRS/MSR at virtual EL2. Returns false for UNDEFINED. */
static bool g_sysreg(struct cpu_machine *m, uint32_t enc, bool read, uint64_t *val)
{
	const struct sr_desc *d = sr_find_enc(enc, false);
	uint32_t target;
	bool e2h = vget(m, E_HCR) & HCR_E2H;

	/* Writes to read-only registers (ID registers, RVBAR_EL2...), reads of write-only
	 * ones, and absent features are UNDEFINED. */
	if (d && (feature_absent(d) || !(d->access & (read ? SR_ACC_R : SR_ACC_W))))
		return false;

	switch (enc) {
	case E_CURRENTEL:
		if (!read)
			return false;
		*val = 2u << 2;
		return true;
	case E_DAIF:
		if (read) {
			*val = m->vdaif;
		} else {
			m->vdaif = *val & 0x3c0;
			g_push(m);
		}
		return true;
	case E_SPSEL:
		if (read) {
			*val = !m->vsp0;
		} else {
			g_sp_save(m);
			m->vsp0 = !(*val & 1);
			g_sp_load(m);
		}
		return true;
	case E_SP_EL0:
		/* D1.6.2: SP_EL0 is not accessible by name while it is the current SP. */
		if (m->vsp0)
			return false;
		if (m->g_el1) {		/* the real SP_EL0 bank of G holds it */
			if (read)
				*val = rd(m->g, UC_ARM64_REG_SP_EL0);
			else
				wr(m->g, UC_ARM64_REG_SP_EL0, *val);
			return true;
		}
		break;
	case E_PAN:
	case E_UAO:
		/* PSTATE.PAN/UAO (FEAT_PAN, FEAT_UAO): virtual at EL0; the real PSTATE
		 * bits while G runs at EL1 (EL2&0 stage 1), where they take effect. */
		if (read) {
			*val = m->vpstate_pu & (enc == E_PAN ? PSTATE_PAN : PSTATE_UAO);
		} else {
			m->vpstate_pu = (m->vpstate_pu & ~(enc == E_PAN ? PSTATE_PAN : PSTATE_UAO)) |
					(*val & (enc == E_PAN ? PSTATE_PAN : PSTATE_UAO));
			g_push(m);
		}
		return true;
	case E_TPIDRRO:
		/* Read-only at EL0 (where G runs), read/write at EL2. */
		if (read)
			return cp_read(m->g, enc, val);
		return cp_write(m->g, enc, *val);
	case E_CNTFRQ:
		/* Writable at the highest EL, which virtual EL2 is on QEMU virt. */
		if (read)
			return cp_read(m->g, enc, val);
		return cp_write(m->g, enc, *val) && cp_write(m->n, enc, *val);
	default:
		break;
	}
	switch (cpu_vhe_redirect(enc, e2h, &target)) {
	case CPU_VR_UNDEF:
		return false;
	case CPU_VR_EL2:
		if (read)
			return cpu_vregs_read(&m->vr, target, val);
		if (!cpu_vregs_write(&m->vr, target, *val, NULL))
			return false;
		if (target == E_SCTLR2 || target == E_TCR2 || target == E_TTBR0_2 ||
		    target == E_TTBR1_2 || target == E_MAIR2 || target == E_HCR)
			g_sync_s1(m);
		return true;
	case CPU_VR_EL1:
		/* IMPDEF: a register outside the sysreg table is UNDEFINED here. el2emu
		 * models exactly the nested context its table names, and Unicorn 2.0.1
		 * aborts the process on a raw access to some it lacks storage for
		 * (MDCCINT_EL1, OSLAR_EL1, PMSWINC_EL0, ...: helper.c raw_read). */
		if (!sr_find_enc(target, false))
			return false;
		if (read)
			return cp_read(m->n, target, val);
		if (!cp_write(m->n, target, *val))
			return false;
		if (is_translation_reg(target))
			m->n_flush = true;
		return true;
	}
	return false;
}

static bool l1_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	return hops_read64(ctx, pa, val);
}

static bool l1_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
		     uint64_t *seen)
{
	return hops_cas64(ctx, pa, expected, desired, seen);
}

static bool g_walk(struct cpu_machine *m, uint64_t va, enum tr_acc_type type, uint64_t *ipa,
		   struct tr_fault *f);

/* SYS at virtual EL2: TLBI to shadow_s2, AT to translate, cache maintenance. */
static bool g_sys(struct cpu_machine *m, uint32_t enc, uint64_t xt)
{
	const struct sr_desc *d = sr_find_enc(enc, true);
	struct tr_sysregs regs;

	if (!d)
		return SR_ENC_OP0(enc) == 1;	/* unknown SYS: IMPDEF, treated as a NOP */
	/* EL3 operations (TLBI *E3*, AT S1E3*) are UNDEFINED at EL2. */
	if (feature_absent(d) || (d->tlbi && d->tlbi->regime_el == 3) ||
	    (d->at && d->at->el == 3))
		return false;
	fill_sysregs(m, &regs);
	if (d->kind == SR_KIND_TLBI) {
		int kind = s2_tlbi_kind_from_name(d->name);
		struct s2_tlbi op;

		if (kind < 0)
			kind = (d->tlbi && d->tlbi->regime_el == 1) ? S2_TLBI_STAGE1 :
								       S2_TLBI_OTHER;
		s2_tlbi_decode((enum s2_tlbi_kind)kind, xt, &op);
		if (m->rec)
			cpu_rec_tlbi(m->rec, &regs, d->name, d->tlbi && d->tlbi->has_operand, xt);
		s2_tlbi(m->s2, &regs, &op);
		if (kind != S2_TLBI_OTHER)
			m->n_flush = true;
		if (d->tlbi && d->tlbi->regime_el == 2)
			ucx_tlb_flush(&m->gx);	/* the guest hypervisor's own stage 1 */
		return true;
	}
	if (d->kind == SR_KIND_AT) {
		struct tr_ctx ctx = { .regs = &regs, .feat = &m->feat,
				      .mem = { l1_read64, l1_cas64, m } };
		enum tr_at_op op = tr_at_op_from_name(d->name);
		uint64_t par;

		/* S1E1RP/S1E1WP (FEAT_PAN2) differ from S1E1R/W only by PSTATE.PAN, which
		 * is that of EL2 here. Limitation: el2emu does not apply it (tr_at() takes
		 * no PAN argument), so they are S1E1R/S1E1W. */
		if (op == TR_AT_NONE && d->at && d->at->pan)
			op = d->at->write ? TR_AT_S1E1W : TR_AT_S1E1R;
		if (op == TR_AT_NONE)
			return false;
		par = tr_at(&ctx, op, xt);
		wr(m->n, UC_ARM64_REG_PAR_EL1, par);
		if (m->rec)	/* as performed: the format has no S1E1RP/S1E1WP */
			cpu_rec_at(m->rec, &regs, tr_at_op_name(op), xt, par);
		return true;
	}
	/* IC: the N engine keeps translated blocks of code the guest hypervisor may just
	 * have rewritten through the G engine, and 2.0.1 does not see cross-engine stores
	 * (notes §3b): drop N's blocks before it runs again. DC: memory is coherent. */
	if (!strcmp(sr_kind_prefix(d), "IC")) {
		struct tr_fault f;
		uint64_t ipa, pa;

		if (strcmp(d->name, "IVAU")) {
			m->n_code_all = true;	/* IALLU, IALLUIS */
		} else if (g_walk(m, xt, TR_ACC_READ, &ipa, &f) && host_ram_pa(m, ipa, &pa)) {
			if (m->n_code_pages == sizeof(m->n_code) / sizeof(m->n_code[0]))
				m->n_code_all = true;
			else
				m->n_code[m->n_code_pages++] = pa & ~(uint64_t)(PAGE - 1);
		}
	}
	return true;
}

static uint32_t g_insn_hook(struct cpu_machine *m, uc_engine *uc, uc_arm64_reg reg,
			    const uc_arm64_cp_reg *cp, bool read, bool sys)
{
	uint32_t enc = SR_ENC(cp->op0, cp->op1, cp->crn, cp->crm, cp->op2);
	uint64_t val = 0, pc;
	bool ok;

	/* Returning 1 without a PC write re-executes the instruction (its hook included)
	 * at the next block, so every path that does not emulate it must stop the run. */
	if (m->stop_max || m->stop_error || m->stop_power || m->stop_reset) {
		uc_emu_stop(uc);
		return 1;
	}
	if (m->g_host_el0)
		return 0;	/* the guest hypervisor's EL0: the CPU's own EL0 checks */
	/* EL0-accessible registers the guest hypervisor may use natively. */
	if (!sys && cp->op0 == 3 && cp->op1 == 3 &&
	    ((cp->crn == 4 && enc != E_DAIF) || (cp->crn == 13 && (read || enc != E_TPIDRRO)) ||
	     (cp->crn == 14 && cp->crm == 0 && (read || enc != E_CNTFRQ)) ||
	     (cp->crn == 0 && cp->crm == 0)))
		return 0;
	if (sys && enc == ENC(1, 3, 7, 4, 1))	/* DC ZVA: native (SCTLR_EL1.DZE=1) */
		return 0;
	count_trap(m, enc, sys, read);
	g_pull(m);
	if (sys) {
		uc_reg_read(uc, reg, &val);
		if (reg == UC_ARM64_REG_XZR)
			val = 0;
		ok = g_sys(m, enc, val);
	} else if (read) {
		ok = g_sysreg(m, enc, true, &val);
		if (ok && reg != UC_ARM64_REG_XZR)
			uc_reg_write(uc, reg, &val);
	} else {
		uc_reg_read(uc, reg, &val);
		if (reg == UC_ARM64_REG_XZR)
			val = 0;
		ok = g_sysreg(m, enc, false, &val);
	}
	if (!ok || m->stop_error) {
		/* UNDEFINED at virtual EL2: g_event() takes it (EC 0x00) outside the run. */
		m->gev.pending = true;
		m->gev.intno = EXCP_UDEF;
		memset(&m->gev.exc, 0, sizeof(m->gev.exc));
		m->gev.pc = rd(uc, UC_ARM64_REG_PC);
		uc_emu_stop(uc);
		return 1;
	}
	pc = rd(uc, UC_ARM64_REG_PC) + 4;
	uc_reg_write(uc, UC_ARM64_REG_PC, &pc);
	return 1;
}

static uint32_t g_mrs(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *u)
{
	return g_insn_hook(u, uc, reg, cp, true, false);
}

static uint32_t g_msr(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *u)
{
	return g_insn_hook(u, uc, reg, cp, false, false);
}

static uint32_t g_sysi(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *u)
{
	return g_insn_hook(u, uc, reg, cp, false, true);
}

static uint32_t g_sysl(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *u)
{
	(void)reg;
	(void)cp;
	(void)u;
	(void)uc;
	return 0;	/* SYSL: no such operation is defined; let it UNDEF */
}

static void g_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct cpu_machine *m = user;

	m->gev.pending = true;
	m->gev.intno = intno;
	ucx_get_exc(&m->gx, &m->gev.exc);
	m->gev.pc = rd(uc, UC_ARM64_REG_PC);
	uc_emu_stop(uc);	/* no PC write here: it would cancel the stop (notes §2) */
}

/* ---- the nested guest ---- */

static void n_record(struct cpu_machine *m, uc_engine *uc, uint32_t intno,
		     const struct ucx_exc *e, enum exit_kind kind)
{
	m->nex.pending = true;
	m->nex.intno = intno;
	m->nex.exc = *e;
	m->nex.esr = e->syndrome;
	m->nex.kind = kind;
	m->nex.has_far = m->nex.has_hpfar = false;
	uc_emu_stop(uc);
}

static bool l1_read64(void *ctx, uint64_t pa, uint64_t *val);
static bool l1_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
		     uint64_t *seen);

/* shadow_s2 reports an unbacked table of the guest's stage 2 as a host miss too
 * (host_walk): walk the guest's stage 2 alone (AArch64.S2Walk()) for the fault's level. */
static bool guest_walk_aborts(struct cpu_machine *m, const struct s2_req *req,
			      struct tr_fault *f)
{
	struct tr_sysregs regs;
	struct tr_ctx ctx = { .regs = &regs, .feat = &m->feat,
			      .mem = { l1_read64, NULL, m }, .no_side_effects = true };
	struct tr_access acc = { .type = req->type, .el = req->el };
	struct tr_result r;

	fill_sysregs(m, &regs);
	if (!(regs.hcr_el2 & HCR_VM))
		return false;
	memset(f, 0, sizeof(*f));
	return !tr_walk_s2(&ctx, req->ipa, &acc, &r, f) && f->type == TR_FAULT_EXT_ABORT_WALK;
}

static void rec_access(struct cpu_machine *m, enum tr_acc_type type, unsigned el, uint64_t va,
		       enum trace_result_kind kind, uint8_t fsc, uint64_t addr);

static void n_abort(struct cpu_machine *m, uc_engine *uc, uint32_t intno, struct ucx_exc *e)
{
	uint64_t hpfar = cp_get(uc, E_HPFAR2), pstate = rd(uc, UC_ARM64_REG_PSTATE);
	struct s2_req req;
	struct s2_result res;
	bool s1ptw = e->syndrome & (1u << 7);
	enum tr_acc_type acc;

	memset(&req, 0, sizeof(req));
	req.ipa = ((hpfar >> 4) << 12) | (e->vaddress & 0xfff);
	/* A stage-1 table read is a data read at stage 2, also during a fetch (the stage-2
	 * check of a walk's descriptor access, AArch64.S2Walk()): not an execute. */
	req.type = s1ptw ? TR_ACC_READ : intno == EXCP_PREFETCH_ABORT ? TR_ACC_EXEC :
		   (e->syndrome & (1u << 6)) ? TR_ACC_WRITE : TR_ACC_READ;
	req.el = (uint8_t)((pstate >> 2) & 3);
	req.s1ptw = s1ptw;
	req.fetch = intno == EXCP_PREFETCH_ABORT;
	req.va = e->vaddress;
	/* The access the instruction makes (for the trace): a walk's own read is not one. */
	acc = intno == EXCP_PREFETCH_ABORT ? TR_ACC_EXEC :
	      (e->syndrome & (1u << 6)) ? TR_ACC_WRITE : TR_ACC_READ;
	switch (s2_translate(m->s2, &req, &res, NULL)) {
	case S2_OK:
		/* Installed: the instruction re-executes. A fill that does not help (the same
		 * IPA faulting again and again) is an el2emu limit, not a guest state. */
		if (req.ipa >> 12 == m->last_fill_ipa >> 12 && ++m->fill_repeat > 8) {
			fail(m, "nested IPA 0x%" PRIx64 " keeps faulting after its shadow "
				"fill (outside the %d-bit real IPA space?)", req.ipa,
			     PAMAX_BITS);
			uc_emu_stop(uc);
			return;
		}
		if (req.ipa >> 12 != m->last_fill_ipa >> 12)
			m->fill_repeat = 0;
		m->last_fill_ipa = req.ipa;
		m->exits[EX_SHADOW_FILL]++;
		if (s2_take_flush(m->s2)) {
			ucx_tlb_flush(&m->nx);
			m->tlb_flushes++;
		}
		return;
	case S2_GUEST_FAULT:
		n_record(m, uc, intno, e, intno == EXCP_PREFETCH_ABORT ? EX_S2_IABT :
									 EX_S2_DABT);
		/* The guest's fault replaces the shadow's: same EC, ISV, SAS, SRT, WnR,
		 * S1PTW (QEMU built them for this access), the guest's FSC. */
		m->nex.esr = (e->syndrome & ~UINT64_C(0x3f)) | res.vf.fsc;
		m->nex.far = e->vaddress;
		m->nex.hpfar = res.vf.hpfar;
		m->nex.has_far = m->nex.has_hpfar = true;
		if (m->rec)
			rec_access(m, acc, req.el, req.va, res.vf.f.s1ptw ? TRACE_RES_S2PTW :
					TRACE_RES_S2, res.vf.fsc, (res.vf.hpfar >> 4) << 12);
		return;
	case S2_HOST_MISS: {
		/* The guest hypervisor maps this IPA to an L1 IPA the host backs with
		 * nothing: as on QEMU virt, a synchronous external abort to the nested
		 * guest's EL1 (DFSC/IFSC 0x10; ISV=0). */
		unsigned ec = (unsigned)(e->syndrome >> 26) & 0x3f;
		struct tr_fault wf;

		if (res.host_walk && guest_walk_aborts(m, &req, &wf)) {
			/* No: a table of the guest's own stage 2 is not backed. That is an
			 * external abort on the stage-2 walk, reported to (virtual) EL2 as a
			 * stage-2 fault (FSC 0b0101LL), without an instruction syndrome. */
			n_record(m, uc, intno, e, intno == EXCP_PREFETCH_ABORT ? EX_S2_IABT :
										 EX_S2_DABT);
			m->nex.esr = (e->syndrome & ~(UINT64_C(0x3f) | CPU_ESR_ISS_SYNDROME)) |
				     tr_fault_fsc(&wf);
			m->nex.far = e->vaddress;
			m->nex.hpfar = ((req.ipa >> 12) << 4) & UINT64_C(0xffffffffff0);
			m->nex.has_far = m->nex.has_hpfar = true;
			/* In trace terms (trace-format.md) the host maps nothing at that L1
			 * IPA: `fault=host:`, as for a data page, whatever L0 then injects. */
			if (m->rec)
				rec_access(m, acc, req.el, req.va, TRACE_RES_HOST, 0,
					   res.host_ipa & ~(uint64_t)(PAGE - 1));
			return;
		}

		m->exits[EX_HOST_MISS]++;
		if (m->rec)
			rec_access(m, acc, req.el, req.va, TRACE_RES_HOST, 0,
				   res.host_ipa & ~(uint64_t)(PAGE - 1));	/* as replay */
		if (req.el == 1 && (ec == SR_EC_IABT_LOW || ec == SR_EC_DABT_LOW))
			ec++;
		e->syndrome = (uint32_t)(((uint64_t)ec << 26) | CPU_ESR_IL |
					 (e->syndrome & (1u << 6)) | 0x10);
		e->target_el = 1;
		ucx_set_exc(&m->nx, e);
		ucx_deliver(&m->nx);
		return;
	}
	case S2_ERROR:
	default:
		fail(m, "shadow stage 2 could not be filled for nested IPA 0x%" PRIx64
			" (shadow pool of %u pages exhausted?)", req.ipa, m->cfg.shadow_pages);
		uc_emu_stop(uc);
		return;
	}
}

static void n_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct cpu_machine *m = user;
	struct ucx_exc e;
	unsigned ec;

	/* An exception loop inside N (a vector that is not mapped) never starts a block:
	 * count every exception against --max-insns. */
	if (++m->insns >= m->cfg.max_insns && m->cfg.max_insns) {
		m->stop_max = true;
		uc_emu_stop(uc);
		return;
	}
	ucx_get_exc(&m->nx, &e);
	ec = (e.syndrome >> 26) & 0x3f;
	if (intno == EXCP_SMC && e.target_el == 3) {
		/* SMC without HCR_EL2.TSC goes to EL3: the emulated PSCI firmware. */
		m->exits[EX_NESTED_PSCI]++;
		wr(uc, UC_ARM64_REG_X0, psci_call(m, rd(uc, UC_ARM64_REG_X0)));
		if (m->stop_power || m->stop_reset)
			uc_emu_stop(uc);
		return;
	}
	if (e.target_el == 2 && (intno == EXCP_PREFETCH_ABORT || intno == EXCP_DATA_ABORT) &&
	    (ec == SR_EC_IABT_LOW || ec == SR_EC_DABT_LOW)) {
		n_abort(m, uc, intno, &e);
		return;
	}
	if (e.target_el == 2) {
		enum exit_kind k = EX_OTHER_EL2;

		if (intno == EXCP_HVC)
			k = EX_HVC;
		else if (ec == SR_EC_SMC64)
			k = EX_SMC_TRAP;
		else if (ec == SR_EC_SYS64)
			k = EX_SYS_TRAP;
		else if (ec == SR_EC_WFX)
			k = EX_WFX_TRAP;
		n_record(m, uc, intno, &e, k);
		return;
	}
	if (e.target_el == 1) {
		/* The nested guest's own exception: delivered to its EL1 vectors. */
		m->exits[EX_NESTED_EXC]++;
		/* A stage-1 fault (FSC 0b00xxxx: address size, translation, access flag,
		 * permission; EC bit 0: taken from EL1, else from EL0) goes into the trace. */
		if (m->rec && (e.syndrome & 0x30) == 0 &&
		    (ec == SR_EC_IABT_LOW || ec == SR_EC_DABT_LOW || ec == SR_EC_IABT_LOW + 1 ||
		     ec == SR_EC_DABT_LOW + 1))
			rec_access(m, (ec & ~1u) == SR_EC_IABT_LOW ? TR_ACC_EXEC :
				      (e.syndrome & (1u << 6)) ? TR_ACC_WRITE : TR_ACC_READ,
				   ec & 1, e.vaddress, TRACE_RES_S1, e.syndrome & 0x3f, 0);
		ucx_deliver(&m->nx);
		return;
	}
	fail(m, "nested guest raised exception %u to EL%u (syndrome 0x%x), which el2emu "
		"does not model", intno, e.target_el, e.syndrome);
	uc_emu_stop(uc);
}

/* ---- engine construction ---- */

static int engine_common(struct cpu_machine *m, uc_engine **out, struct ucx *x, char *err,
			 size_t errlen)
{
	uc_engine *uc;
	uc_hook h;

	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) {
		snprintf(err, errlen, "uc_open(ARM64) failed");
		return -1;
	}
	*out = uc;
	if (ucx_attach(uc, x, err, errlen))
		return -1;
	if (uc_mem_map_ptr(uc, CPU_RAM_BASE, m->host_size, UC_PROT_ALL, m->host) ||
	    uc_mem_map_ptr(uc, POOL_PA, (size_t)m->pool_pages * PAGE, UC_PROT_ALL, m->pool) ||
	    uc_mmio_map(uc, CPU_UART_BASE, UART_SIZE, uart_read, m, uart_write, m)) {
		snprintf(err, errlen, "cannot map guest memory into Unicorn");
		return -1;
	}
	/* SCR_EL3: NS, HCE (HVC gives its own exception), RW (EL2 and below AArch64). */
	cp_write(uc, ENC(3, 6, 1, 1, 0), (1u << 0) | (1u << 8) | (1u << 10));
	if (m->cfg.max_insns || m->cfg.count_insns)
		uc_hook_add(uc, &h, UC_HOOK_BLOCK, (void *)block_hook, m, 1, 0);
	uc_hook_add(uc, &h, UC_HOOK_MEM_UNMAPPED, (void *)unmapped_hook, m, 1, 0);
	return 0;
}

static int engines_create(struct cpu_machine *m, char *err, size_t errlen)
{
	uc_hook h;
	uint64_t v;

	if (engine_common(m, &m->g, &m->gx, err, errlen) ||
	    engine_common(m, &m->n, &m->nx, err, errlen))
		return -1;
	/* G: EL0, MMU off, under the host's stage 2; EL0 may use DC ZVA, CTR_EL0 and the
	 * counters natively; WFI/WFE trap (nTWI/nTWE=0). */
	cp_write(m->g, E_HCR, HCR_VM | HCR_RW);
	cp_write(m->g, E_VTCR, G_VTCR);
	cp_write(m->g, E_VTTBR, m->g_root);
	cp_write(m->g, E_SCTLR1, (UINT64_C(1) << 14) | (UINT64_C(1) << 15));
	cp_write(m->g, ENC(3, 0, 14, 1, 0), 3);	/* CNTKCTL_EL1: EL0PCTEN, EL0VCTEN */
	/* Unicorn 2.0.1 never raises SIMD&FP access traps (CPACR_EL1.FPEN, CPTR_EL2.TFP
	 * have no effect, measured): the FP state is copied at every world switch. */
	cp_write(m->g, E_CPACR1, CPACR_FPEN);
	cp_write(m->n, E_CPACR1, 0);	/* reset value, as QEMU's (architecturally UNKNOWN) */
	wr(m->g, UC_ARM64_REG_PSTATE, 0);
	ucx_rebuild_hflags(&m->gx);
	ucx_tlb_flush(&m->gx);
	uc_hook_add(m->g, &h, UC_HOOK_INSN, (void *)g_mrs, m, 1, 0, UC_ARM64_INS_MRS);
	uc_hook_add(m->g, &h, UC_HOOK_INSN, (void *)g_msr, m, 1, 0, UC_ARM64_INS_MSR);
	uc_hook_add(m->g, &h, UC_HOOK_INSN, (void *)g_sysi, m, 1, 0, UC_ARM64_INS_SYS);
	uc_hook_add(m->g, &h, UC_HOOK_INSN, (void *)g_sysl, m, 1, 0, UC_ARM64_INS_SYSL);
	uc_hook_add(m->g, &h, UC_HOOK_INTR, (void *)g_intr, m, 1, 0);
	/* N: EL1h, stage 2 on (VTTBR set at the first entry). */
	m->n_hcr = HCR_VM | HCR_RW;
	cp_write(m->n, E_HCR, m->n_hcr);
	wr(m->n, UC_ARM64_REG_PSTATE, 0x3c5);
	ucx_rebuild_hflags(&m->nx);
	uc_hook_add(m->n, &h, UC_HOOK_INTR, (void *)n_intr, m, 1, 0);
	/* The real IPA size of N's stage 2 must not exceed the model's PARange. */
	if (cp_read(m->n, ENC(3, 0, 0, 7, 0), &v) && (v & 0xf) < 4) {
		snprintf(err, errlen, "Unicorn CPU model has PARange %u < 44 bits",
			 (unsigned)(v & 0xf));
		return -1;
	}
	return 0;
}

struct cpu_machine *cpu_machine_create(const struct cpu_config *cfg, char *err, size_t errlen)
{
	struct cpu_machine *m;
	struct s2_config sc;
	struct s2_page_ops pops;
	struct s2_host_ops hops;

	if (ucx_selftest(err, errlen))
		return NULL;
	if (cfg->ram_size < (UINT64_C(1) << 20) || cfg->ram_size > (UINT64_C(4) << 30) ||
	    cfg->ram_size % PAGE) {
		snprintf(err, errlen, "RAM size must be a multiple of 4 KiB in [1 MiB, 4 GiB]");
		return NULL;
	}
	if (cfg->shadow_pages < 64 || cfg->shadow_pages > (1u << 20)) {
		snprintf(err, errlen, "shadow pages must be 64 to 1048576");
		return NULL;
	}
	if (cfg->shadow_pool < 1 || cfg->shadow_pool > 4096) {
		snprintf(err, errlen, "shadow pool must be 1 to 4096 contexts");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->cfg = *cfg;
	if (!m->cfg.uart)
		m->cfg.uart = stdout;
	m->host_size = cfg->host_s2 == CPU_HOST_IDENTITY ? cfg->ram_size : 2 * cfg->ram_size;
	m->host = mmap(NULL, m->host_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	m->dummy = mmap(NULL, COVER_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	/* The host stage 2 of G needs ~ram/2 MiB pages; the rest is the shadow's. */
	m->pool_pages = cfg->shadow_pages + (unsigned)(cfg->ram_size >> 21) + 8;
	m->pool = mmap(NULL, (size_t)m->pool_pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	m->pool_used = calloc(m->pool_pages, 1);
	if (m->host == MAP_FAILED || m->dummy == MAP_FAILED || m->pool == MAP_FAILED ||
	    !m->pool_used) {
		if (m->host == MAP_FAILED)
			m->host = NULL;
		if (m->dummy == MAP_FAILED)
			m->dummy = NULL;
		if (m->pool == MAP_FAILED)
			m->pool = NULL;
		snprintf(err, errlen, "cannot allocate guest memory: %s", strerror(errno));
		cpu_machine_destroy(m);
		return NULL;
	}
	if (cfg->host_s2 == CPU_HOST_SCATTER) {
		uint64_t hp = m->host_size / PAGE, i, s = cfg->seed ? cfg->seed : 1;
		uint32_t *perm = malloc(hp * sizeof(*perm));

		m->scatter = malloc((cfg->ram_size / PAGE) * sizeof(*m->scatter));
		if (!perm || !m->scatter) {
			free(perm);
			snprintf(err, errlen, "out of memory");
			cpu_machine_destroy(m);
			return NULL;
		}
		for (i = 0; i < hp; i++)
			perm[i] = (uint32_t)i;
		for (i = hp - 1; i > 0; i--) {
			uint64_t j = rng_next(&s) % (i + 1);
			uint32_t t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		memcpy(m->scatter, perm, (cfg->ram_size / PAGE) * sizeof(*perm));
		free(perm);
	}
	if (build_host_s2(m)) {
		snprintf(err, errlen, "shadow pool too small for the host stage 2");
		cpu_machine_destroy(m);
		return NULL;
	}
	tr_features_default(&m->feat);
	cpu_vregs_init(&m->vr);
	m->vdaif = 0x3c0;
	s2_config_default(&sc);
	sc.max_contexts = cfg->shadow_pool;
	sc.max_pages_total = cfg->shadow_pages;
	if (sc.max_pages_ctx > sc.max_pages_total)
		sc.max_pages_ctx = sc.max_pages_total;
	sc.first_vmid = 1;
	pops.alloc = pool_alloc;
	pops.free = pool_free;
	pops.ctx = m;
	hops.lookup = hops_lookup;
	hops.read64 = hops_read64;
	hops.cas64 = hops_cas64;
	hops.ctx = m;
	m->s2 = s2_create(&sc, &m->feat, &pops, &hops);
	if (!m->s2) {
		snprintf(err, errlen, "cannot create the shadow stage-2 engine");
		cpu_machine_destroy(m);
		return NULL;
	}
	if (engines_create(m, err, errlen)) {
		cpu_machine_destroy(m);
		return NULL;
	}
	return m;
}

void cpu_machine_destroy(struct cpu_machine *m)
{
	if (!m)
		return;
	if (m->g)
		uc_close(m->g);
	if (m->n)
		uc_close(m->n);
	cpu_rec_free(m->rec, NULL, 0);
	if (m->s2)
		s2_destroy(m->s2);
	if (m->host)
		munmap(m->host, m->host_size);
	if (m->dummy)
		munmap(m->dummy, COVER_SIZE);
	if (m->pool)
		munmap(m->pool, (size_t)m->pool_pages * PAGE);
	free(m->pool_used);
	free(m->scatter);
	free(m->remap);
	if (m->spare)
		munmap(m->spare, (size_t)REMAP_SPARE * PAGE);
	free(m);
}

/* ---- loading ---- */

static int put_seg(void *ctx, uint64_t paddr, const void *data, uint64_t filesz,
		   uint64_t memsz)
{
	struct cpu_machine *m = ctx;
	uint64_t i;

	if (paddr < CPU_RAM_BASE || paddr - CPU_RAM_BASE > m->cfg.ram_size ||
	    memsz > m->cfg.ram_size - (paddr - CPU_RAM_BASE))
		return -1;
	for (i = 0; i < memsz; i++) {
		uint8_t *p = host_ptr(m, paddr + i);

		*p = i < filesz ? ((const uint8_t *)data)[i] : 0;
	}
	return 0;
}

int cpu_load_elf(struct cpu_machine *m, const void *img, size_t len, char *err, size_t errlen)
{
	if (cpu_elf_parse(img, len, &m->entry, put_seg, m, err, errlen))
		return -1;
	m->loaded = true;
	return 0;
}

int cpu_load_raw(struct cpu_machine *m, const void *img, size_t len, uint64_t load_addr,
		 char *err, size_t errlen)
{
	if (put_seg(m, load_addr, img, len, len)) {
		snprintf(err, errlen, "image [0x%" PRIx64 ", +0x%zx) does not fit in RAM",
			 load_addr, len);
		return -1;
	}
	m->entry = load_addr;
	m->loaded = true;
	return 0;
}

/* ---- world switch ---- */

/* The guest hypervisor's stage 1 alone (EL2 or EL2&0 regime): VA -> L1 IPA. */
static bool g_walk(struct cpu_machine *m, uint64_t va, enum tr_acc_type type, uint64_t *ipa,
		   struct tr_fault *f)
{
	struct tr_sysregs regs;
	struct tr_ctx ctx = { .regs = &regs, .feat = &m->feat,
			      .mem = { l1_read64, NULL, m }, .no_side_effects = true };
	struct tr_access acc = { .type = type, .el = 2 };
	struct tr_result r;

	fill_sysregs(m, &regs);
	memset(f, 0, sizeof(*f));
	if (!(regs.sctlr_el2 & 1)) {
		*ipa = va;
		return true;
	}
	if (!tr_walk_s1(&ctx, (regs.hcr_el2 & HCR_E2H) ? TR_REGIME_EL20 : TR_REGIME_EL2, va, &acc,
			NULL, &r, f))
		return false;
	*ipa = r.oa;
	return true;
}

static uint32_t g_insn_at(struct cpu_machine *m, uint64_t pc)
{
	struct tr_fault f;
	uint64_t ipa = 0;
	uint8_t *p = ((pc & 3) || !g_walk(m, pc, TR_ACC_EXEC, &ipa, &f)) ? NULL :
		     host_ptr(m, ipa);
	uint32_t w = 0;

	if (p)
		memcpy(&w, p, 4);
	return w;
}

static uint64_t g_pstate(struct cpu_machine *m)
{
	uint64_t nzcv = rd(m->g, UC_ARM64_REG_NZCV) & UINT64_C(0xf0000000);

	return nzcv | m->vpstate_pu | m->vdaif | (2u << 2) | (m->vsp0 ? 0 : 1);
}

/* AArch64.TakeException() to virtual EL2: the G engine continues at the vector. */
static void take_to_vel2(struct cpu_machine *m, uint64_t esr, uint64_t elr, uint64_t spsr,
			 unsigned from_el, bool from_sp0, unsigned kind)
{
	vset(m, E_ESR2, esr);
	vset(m, E_ELR2, elr);
	vset(m, E_SPSR2, spsr);
	if (from_el == 2)
		g_sp_save(m);
	m->vsp0 = false;
	m->vdaif = 0x3c0;
	g_sp_load(m);
	wr(m->g, UC_ARM64_REG_PC, vget(m, E_VBAR2) + cpu_vector_offset(from_el, from_sp0, kind));
}

/* The state both worlds share architecturally besides x0-x30 (one register file,
 * unbanked by EL): the SIMD&FP registers with FPCR/FPSR, and the EL0 thread registers. */
static void copy_regs(uc_engine *from, uc_engine *to)
{
	static int ids[36];
	uint64_t v[36][2];
	void *p[36];
	int i;

	for (i = 0; i < 36; i++)
		p[i] = v[i];
	if (!ids[0]) {
		for (i = 0; i < 32; i++)
			ids[i] = UC_ARM64_REG_Q0 + i;
		ids[32] = UC_ARM64_REG_FPCR;
		ids[33] = UC_ARM64_REG_FPSR;
		ids[34] = UC_ARM64_REG_TPIDR_EL0;
		ids[35] = UC_ARM64_REG_TPIDRRO_EL0;
	}
	memset(v, 0, sizeof(v));
	uc_reg_read_batch(from, ids, p, 36);
	uc_reg_write_batch(to, ids, (void *const *)p, 36);
}

static void g_copy_xregs(uc_engine *from, uc_engine *to)
{
	uint64_t v[31];
	void *p[31];
	int i;

	for (i = 0; i < 31; i++)
		p[i] = &v[i];
	uc_reg_read_batch(from, (int *)xreg_ids, p, 31);
	uc_reg_write_batch(to, (int *)xreg_ids, (void *const *)p, 31);
}

/* Drops N's translated blocks of the code pages the guest hypervisor invalidated (IC).
 * uc_ctl_remove_cache() takes a virtual address translated by the engine's current
 * regime, so N's stage 1 and stage 2 are turned off around the call: VA = host PA. (The
 * alternative, uc_ctl_flush_tlb(), is a whole TB flush in 2.0.1: 14 ms to 2 s, notes §6.) */
static void n_invalidate_code(struct cpu_machine *m)
{
	uint64_t sctlr = cp_get(m->n, E_SCTLR1);
	unsigned i;

	cp_write(m->n, E_HCR, HCR_RW);
	cp_write(m->n, E_SCTLR1, sctlr & ~UINT64_C(1));
	ucx_tlb_flush(&m->nx);
	if (m->n_code_all)
		uc_ctl_remove_cache(m->n, CPU_RAM_BASE, CPU_RAM_BASE + m->host_size);
	else
		for (i = 0; i < m->n_code_pages; i++)
			uc_ctl_remove_cache(m->n, m->n_code[i], m->n_code[i] + PAGE);
	cp_write(m->n, E_SCTLR1, sctlr);
	cp_write(m->n, E_HCR, m->n_hcr);
	m->n_flush = true;
	m->n_code_all = false;
	m->n_code_pages = 0;
	m->tb_flushes++;
}

static void n_code_drop(struct cpu_machine *m, uint64_t pa)
{
	if (m->n_code_pages == sizeof(m->n_code) / sizeof(m->n_code[0]))
		m->n_code_all = true;
	else
		m->n_code[m->n_code_pages++] = pa;
}

/* The host moves the guest hypervisor's page at L1 IPA ipa to a free host page (contents
 * copied), updates its stage 2 (G's real one and hops_lookup's view), and tells the shadow
 * (reverse map: every leaf whose output lies there goes). N's translated code of both
 * host pages is dropped: QEMU keys it by physical address and did not see the copy. */
static void host_remap_page(struct cpu_machine *m, uint64_t ipa)
{
	uint64_t old, new, off = ipa - CPU_RAM_BASE;
	uint32_t np = m->free_ring[m->free_head];
	struct tr_sysregs regs;

	host_ram_pa(m, ipa, &old);
	new = CPU_RAM_BASE + (uint64_t)np * PAGE;
	memcpy(hpa_ptr(m, new), hpa_ptr(m, old), PAGE);
	m->remap[off / PAGE] = np;
	m->free_ring[m->free_head] = (uint32_t)((old - CPU_RAM_BASE) / PAGE);
	m->free_head = (m->free_head + 1) % REMAP_SPARE;
	if (gmap_page(m, ipa, S2_PAGE_NORMAL, new)) {
		/* Cannot happen: the page was mapped, so its tables exist. */
		fail(m, "host remap: no table page for the host stage 2");
		return;
	}
	ucx_tlb_flush(&m->gx);
	s2_host_changed(m->s2, ipa, PAGE);
	n_code_drop(m, old);
	n_code_drop(m, new);
	m->host_remaps++;
	if (m->rec) {
		fill_sysregs(m, &regs);
		cpu_rec_hostmap(m->rec, &regs, ipa, new, PAGE);
	}
}

/* --host-remap-every: which page moves. The data leaves (no execute permission: the
 * guest hypervisor's and N's code stay put) of the context about to run, in IPA order;
 * the (number of remaps so far mod their count)-th one's first L1 page. */
struct remap_pick {
	const struct cpu_machine *m;
	uint64_t count, want, ipa;
	bool found;
};

static void remap_pick_leaf(void *arg, const struct s2_leaf_info *leaf)
{
	struct remap_pick *p = arg;

	if ((leaf->perms & (TR_PERM_X0 | TR_PERM_X1)) || leaf->l1_ipa < CPU_RAM_BASE ||
	    leaf->l1_ipa - CPU_RAM_BASE >= p->m->cfg.ram_size)
		return;
	if (p->count++ == p->want) {
		p->ipa = leaf->l1_ipa & ~(uint64_t)(PAGE - 1);
		p->found = true;
	}
}

static void host_remap_pick(struct cpu_machine *m, int slot)
{
	struct remap_pick p = { .m = m, .want = UINT64_MAX };

	s2_for_each_leaf(m->s2, slot, remap_pick_leaf, &p);	/* count */
	if (!p.count)
		return;
	p.want = m->host_remaps % p.count;
	p.count = 0;
	s2_for_each_leaf(m->s2, slot, remap_pick_leaf, &p);
	if (p.found)
		host_remap_page(m, p.ipa);
}

/* Loads N for an ERET to EL1/EL0 described by spsr/elr. */
static int enter_n(struct cpu_machine *m, uint64_t spsr, uint64_t elr)
{
	struct tr_sysregs regs;
	struct s2_ctx_info info;
	uint64_t hcr = vget(m, E_HCR), nhcr, vtcr, vttbr;
	unsigned el = (spsr >> 2) & 3;
	int slot;

	/* s2_load() keys the context on HCR/VTTBR/VTCR and walks stage 2 only. */
	fill_sysregs_el2(m, &regs);
	slot = s2_load(m->s2, &regs);
	if (slot < 0 || !s2_ctx_info(m->s2, slot, &info)) {
		fail(m, "no shadow stage-2 context could be created (shadow pool exhausted)");
		return -1;
	}
	/* The shadow uses a 48-bit IPA, start level 0; the model's PA is 44 bits, so the
	 * real walk uses T0SZ=20 from the same level-0 table (indices 0-31). */
	vtcr = (info.vtcr & ~UINT64_C(0x7003f)) | 20 | (UINT64_C(4) << 16);
	vttbr = info.vttbr;
	nhcr = HCR_VM | HCR_RW | (hcr & HCR_COPY);
	if (nhcr != m->n_hcr) {
		cp_write(m->n, E_HCR, nhcr);
		m->n_hcr = nhcr;
	}
	if (vtcr != m->n_vtcr || vttbr != m->n_vttbr) {
		cp_write(m->n, E_VTCR, vtcr);
		cp_write(m->n, E_VTTBR, vttbr);
		m->n_vtcr = vtcr;
		m->n_vttbr = vttbr;
		m->n_flush = true;
	}
	if (m->remap && s2_stats(m->s2)->fills - m->remap_fills >= m->remap_every) {
		m->remap_fills = s2_stats(m->s2)->fills;
		host_remap_pick(m, slot);
	}
	if (s2_take_flush(m->s2))
		m->n_flush = true;
	if (m->n_code_all || m->n_code_pages)
		n_invalidate_code(m);
	if (m->n_flush) {
		ucx_tlb_flush(&m->nx);
		m->tlb_flushes++;
		m->n_flush = false;
	}
	/* CPTR_EL2 traps act on the nested guest through N's own (TTA, TCPAC; TFP is
	 * never raised by Unicorn 2.0.1, docs/cpu.md). */
	if (vget(m, E_CPTR2) != m->n_cptr) {
		m->n_cptr = vget(m, E_CPTR2);
		cp_write(m->n, E_CPTR2, m->n_cptr);
	}
	g_sp_save(m);
	g_copy_xregs(m->g, m->n);
	copy_regs(m->g, m->n);
	wr(m->n, UC_ARM64_REG_SP, rd(m->n, (el == 1 && (spsr & 1)) ? UC_ARM64_REG_SP_EL1 :
								    UC_ARM64_REG_SP_EL0));
	/* SPSR -> PSTATE (AArch64.ExceptionReturn()): NZCV, DIT, UAO, PAN, SSBS, DAIF, M. */
	wr(m->n, UC_ARM64_REG_PSTATE, spsr & PSTATE_RESTORE);
	ucx_rebuild_hflags(&m->nx);
	wr(m->n, UC_ARM64_REG_PC, elr);
	m->in_n = true;
	m->n_entries++;
	return 0;
}

/* After N stopped: bank its SP, hand its GPRs to G. */
static void leave_n(struct cpu_machine *m)
{
	uint64_t pstate = rd(m->n, UC_ARM64_REG_PSTATE), sp = rd(m->n, UC_ARM64_REG_SP);
	unsigned el = (pstate >> 2) & 3;

	wr(m->n, (el == 1 && (pstate & 1)) ? UC_ARM64_REG_SP_EL1 : UC_ARM64_REG_SP_EL0, sp);
	g_copy_xregs(m->n, m->g);
	copy_regs(m->n, m->g);
	m->in_n = false;
}

/* ERET to EL0 with HCR_EL2.{E2H,TGE}={1,1}: the guest hypervisor's own applications, in
 * its EL2&0 regime. They run in G at Unicorn EL0 under the same tables (G is at EL1 for
 * that regime), with no hooks emulating anything: QEMU's EL0 rules apply, and every
 * exception they take goes to virtual EL2 (TGE routes them there, D1.10). */
static void g_enter_host_el0(struct cpu_machine *m, uint64_t spsr, uint64_t elr)
{
	if (!m->g_el1) {
		fail(m, "ERET to EL0 with HCR_EL2.TGE=1 while the EL2&0 stage 1 is off is not "
			"emulated");
		return;
	}
	m->exits[EX_ERET_EL0]++;
	g_sp_save(m);
	wr(m->g, UC_ARM64_REG_PSTATE, spsr & PSTATE_RESTORE);
	ucx_rebuild_hflags(&m->gx);
	wr(m->g, UC_ARM64_REG_SP_EL1, m->vsp_el2);
	wr(m->g, UC_ARM64_REG_SP, rd(m->n, UC_ARM64_REG_SP_EL0));
	wr(m->g, UC_ARM64_REG_PC, elr);
	m->g_host_el0 = true;
}

/* An exception of those applications: taken to virtual EL2 from a lower EL. */
static void g_host_el0_exception(struct cpu_machine *m)
{
	uint64_t pstate = rd(m->g, UC_ARM64_REG_PSTATE), esr = m->gev.exc.syndrome;
	unsigned ec = (unsigned)(esr >> 26) & 0x3f;

	m->g_host_el0 = false;
	m->exits[EX_G_EL0]++;
	wr(m->n, UC_ARM64_REG_SP_EL0, rd(m->g, UC_ARM64_REG_SP));
	if (m->gev.intno == EXCP_PREFETCH_ABORT || m->gev.intno == EXCP_DATA_ABORT) {
		vset(m, E_FAR2, m->gev.exc.vaddress);
		if (m->gev.exc.target_el == 2)	/* the host's stage 2: nothing backs it */
			esr = cpu_esr_own_abort(esr) - (UINT64_C(1) << 26);
	} else if (!esr || ec == 0) {
		esr = cpu_esr_unknown();
	}
	take_to_vel2(m, esr, m->gev.pc, pstate, 0, true, 0);
}

/* ERET at virtual EL2 (AArch64.ExceptionReturn()). */
static void g_eret(struct cpu_machine *m)
{
	uint64_t spsr = vget(m, E_SPSR2), elr = vget(m, E_ELR2), hcr = vget(m, E_HCR);
	unsigned mode = spsr & 0x1f, el = (mode >> 2) & 3;

	if ((mode & 0x10) || el == 3 || (mode & 2) || (el == 1 && (hcr & HCR_TGE)) ||
	    (el == 0 && (mode & 1))) {
		fail(m, "illegal exception return from virtual EL2 (SPSR_EL2=0x%" PRIx64
			", ELR_EL2=0x%" PRIx64 "): AArch32 or an illegal mode", spsr, elr);
		return;
	}
	if (el == 2) {
		m->exits[EX_ERET_EL2]++;
		g_sp_save(m);
		m->vsp0 = !(mode & 1);
		m->vdaif = spsr & 0x3c0;
		m->vpstate_pu = spsr & (PSTATE_PAN | PSTATE_UAO);
		g_sp_load(m);
		wr(m->g, UC_ARM64_REG_NZCV, spsr & UINT64_C(0xf0000000));
		wr(m->g, UC_ARM64_REG_PC, elr);
		return;
	}
	if (el == 0 && (hcr & HCR_TGE)) {
		g_enter_host_el0(m, spsr, elr);
		return;
	}
	m->exits[EX_ERET_EL1]++;
	enter_n(m, spsr, elr);
}

/* An exception the guest hypervisor takes at virtual EL2 from its own code. */
static void g_take_own(struct cpu_machine *m, uint64_t esr, uint64_t elr)
{
	take_to_vel2(m, esr, elr, g_pstate(m), 2, m->vsp0, 0);
}

static void g_event(struct cpu_machine *m)
{
	uint64_t pc = m->gev.pc;
	uint32_t insn;

	if (m->g_host_el0) {
		g_host_el0_exception(m);
		return;
	}
	if (m->g_el1 && m->gev.intno == EXCP_PREFETCH_ABORT && pc == ERET_MAGIC) {
		/* A native ERET at G's EL1 (the real ELR_EL1 is the magic address). The
		 * real SP banks hold SP_EL0 and SP_EL2 whatever SPSel was. */
		g_eret(m);
		return;
	}
	g_pull(m);
	if (m->gev.intno == EXCP_HVC || m->gev.intno == EXCP_SWI) {
		/* HVC (G at EL1) or SVC, from virtual EL2 to itself; PC is after it. */
		m->exits[m->gev.intno == EXCP_HVC ? EX_G_HVC : EX_G_SVC]++;
		g_take_own(m, m->gev.exc.syndrome, pc);
		return;
	}
	if (m->gev.intno == EXCP_SMC) {			/* SMC at G's EL1: PSCI */
		m->exits[EX_G_SMC]++;
		wr(m->g, UC_ARM64_REG_X0, psci_call(m, rd(m->g, UC_ARM64_REG_X0)));
		wr(m->g, UC_ARM64_REG_PC, pc);
		return;
	}
	insn = g_insn_at(m, pc);

	if (m->gev.intno == EXCP_PREFETCH_ABORT || m->gev.intno == EXCP_DATA_ABORT) {
		/* G's own access to an L1 IPA the host does not back (a wild jump or
		 * pointer): a synchronous external abort at virtual EL2. */
		uint64_t esr = m->gev.exc.syndrome;

		m->exits[EX_G_ABORT]++;
		if (!esr) {
			fail(m, "guest hypervisor abort at 0x%" PRIx64 " without syndrome", pc);
			return;
		}
		vset(m, E_FAR2, m->gev.exc.vaddress);
		if (!(vget(m, E_SCTLR2) & 1)) {
			/* MMU off, VA = L1 IPA: beyond PAMax an Address size fault at level 0
			 * (AArch64.S1DisabledOutput()), otherwise nothing backs it: an
			 * external abort. (Unicorn's own PAMax is smaller than the model's.) */
			esr = cpu_esr_own_abort(esr);
			if (m->gev.exc.vaddress >> m->feat.pa_bits)
				esr &= ~UINT64_C(0x3f);
		} else if (m->gev.exc.target_el == 1) {
			/* A fault of its own stage 1, seen from Unicorn's EL0: the same
			 * syndrome, taken from virtual EL2 to itself. */
			unsigned ec = (unsigned)(esr >> 26) & 0x3f;

			if (ec == SR_EC_IABT_LOW || ec == SR_EC_DABT_LOW)
				esr += UINT64_C(1) << 26;
		} else {
			struct tr_fault f;
			uint64_t ipa;

			/* The host's stage 2 refused: nothing backs that L1 IPA, either
			 * for a stage-1 table (external abort on the walk, FSC 0b0101LL)
			 * or for the access itself (external abort, FSC 0x10). */
			esr = cpu_esr_own_abort(esr);
			if ((m->gev.exc.syndrome & (1u << 7)) &&
			    !g_walk(m, m->gev.exc.vaddress, m->gev.intno == EXCP_PREFETCH_ABORT ?
				    TR_ACC_EXEC : TR_ACC_READ, &ipa, &f) &&
			    f.type == TR_FAULT_EXT_ABORT_WALK)
				esr = (esr & ~UINT64_C(0x3f)) | tr_fault_fsc(&f);
		}
		if (((esr >> 26) & 0x3f) == SR_EC_DABT_CUR) {
			uint32_t iss;

			/* As QEMU for a data abort taken to EL2 (D24.2.41 ISV). */
			esr &= ~CPU_ESR_ISS_SYNDROME;
			if (cpu_ldst_iss(insn, &iss))
				esr |= iss;
		}
		g_take_own(m, esr, pc);
		return;
	}
	if (m->gev.intno != EXCP_UDEF) {
		fail(m, "unexpected exception %u in the guest hypervisor at 0x%" PRIx64,
		     m->gev.intno, pc);
		return;
	}
	if (insn == 0xd69f03e0) {			/* ERET */
		g_eret(m);
	} else if ((insn & 0xffe0001f) == 0xd4000002) {	/* HVC #imm */
		m->exits[EX_G_HVC]++;
		g_take_own(m, cpu_esr_hvc_smc_svc(SR_EC_HVC64, insn), pc + 4);
	} else if ((insn & 0xffe0001f) == 0xd4000003) {	/* SMC #imm: PSCI at EL3 */
		m->exits[EX_G_SMC]++;
		wr(m->g, UC_ARM64_REG_X0, psci_call(m, rd(m->g, UC_ARM64_REG_X0)));
		wr(m->g, UC_ARM64_REG_PC, pc + 4);
	} else if ((insn & 0xfffff01f) == 0xd503201f &&
		   ((insn >> 5) & 0x7f) >= 2 && ((insn >> 5) & 0x7f) <= 3) {
		/* WFE/WFI: no interrupt can arrive at virtual EL2, and a WFx may complete
		 * at any time (D1.16.2), so it completes at once. */
		m->exits[EX_G_WFX]++;
		wr(m->g, UC_ARM64_REG_PC, pc + 4);
	} else if ((insn & 0xfff8f01f) == 0xd500401f) {	/* MSR <pstatefield>, #imm */
		unsigned op1 = (insn >> 16) & 7, op2 = (insn >> 5) & 7, crm = (insn >> 8) & 15;

		m->exits[EX_G_MSRIMM]++;
		if (op1 == 3 && op2 == 6)		/* DAIFSet */
			m->vdaif |= (uint64_t)crm << 6;
		else if (op1 == 3 && op2 == 7)		/* DAIFClr */
			m->vdaif &= ~((uint64_t)crm << 6);
		else if (op1 == 0 && op2 == 5) {	/* SPSel */
			g_sp_save(m);
			m->vsp0 = !(crm & 1);
			g_sp_load(m);
		}
		else if (op1 == 0 && (op2 == 4 || op2 == 3)) {	/* PAN, UAO (FEAT_PAN, UAO) */
			uint64_t bit = op2 == 4 ? PSTATE_PAN : PSTATE_UAO;

			/* Unicorn's cortex-a72 lacks them, so the MSR arrives here even at
			 * EL1; its MMU still honours PSTATE.PAN once written. */
			m->vpstate_pu = (crm & 1) ? (m->vpstate_pu | bit) : (m->vpstate_pu & ~bit);
			g_push(m);
		}
		/* SSBS, DIT, TCO: no effect on what el2emu emulates. */
		wr(m->g, UC_ARM64_REG_PC, pc + 4);
	} else {
		m->exits[EX_G_UNDEF]++;
		g_take_own(m, cpu_esr_unknown(), pc);
	}
}

static void n_exit_to_vel2(struct cpu_machine *m)
{
	uint64_t pc = rd(m->n, UC_ARM64_REG_PC), pstate = rd(m->n, UC_ARM64_REG_PSTATE);
	unsigned el = (pstate >> 2) & 3;

	m->exits[m->nex.kind]++;
	leave_n(m);
	if (m->nex.has_far)
		vset(m, E_FAR2, m->nex.far);
	if (m->nex.has_hpfar)
		vset(m, E_HPFAR2, m->nex.hpfar);
	/* NZCV is unchanged by exception entry: G continues with N's flags. */
	wr(m->g, UC_ARM64_REG_NZCV, pstate & UINT64_C(0xf0000000));
	take_to_vel2(m, m->nex.esr, pc, pstate, el, false, 0);
}

static bool stopped(const struct cpu_machine *m)
{
	return m->stop_max || m->stop_power || m->stop_reset || m->stop_error;
}

int cpu_run(struct cpu_machine *m, struct cpu_run_result *res)
{
	uc_err e;

	memset(res, 0, sizeof(*res));
	if (!m->loaded) {
		res->stop = CPU_STOP_ERROR;
		snprintf(res->msg, sizeof(res->msg), "no image loaded");
		return -1;
	}
	/* Reset state of virtual EL2h with DAIF masked, as QEMU boots -kernel at EL2. */
	wr(m->g, UC_ARM64_REG_PC, m->entry);
	while (!stopped(m)) {
		/* Every world switch or emulated event counts as one instruction, so that an
		 * exception loop that never executes a block still ends at --max-insns. */
		if (m->cfg.max_insns && ++m->insns >= m->cfg.max_insns) {
			m->stop_max = true;
			break;
		}
		if (!m->in_n) {
			uint64_t pc = rd(m->g, UC_ARM64_REG_PC);

			m->gev.pending = false;
			m->g_entries++;
			e = uc_emu_start(m->g, pc, 0, 0, 0);
			if (stopped(m))
				break;
			if (e != UC_ERR_OK) {
				fail(m, "guest hypervisor stopped at 0x%" PRIx64 ": %s",
				     rd(m->g, UC_ARM64_REG_PC), uc_strerror(e));
				break;
			}
			if (m->gev.pending)
				g_event(m);
		} else {
			uint64_t pc = rd(m->n, UC_ARM64_REG_PC);

			m->nex.pending = false;
			e = uc_emu_start(m->n, pc, 0, 0, 0);
			if (stopped(m))
				break;
			if (e != UC_ERR_OK) {
				fail(m, "nested guest stopped at 0x%" PRIx64 ": %s",
				     rd(m->n, UC_ARM64_REG_PC), uc_strerror(e));
				break;
			}
			/* Without an exit (WFI/WFE without TWI/TWE) the guest resumes. */
			if (m->nex.pending)
				n_exit_to_vel2(m);
		}
	}
	fflush(m->cfg.uart);
	res->pc = rd(m->in_n ? m->n : m->g, UC_ARM64_REG_PC);
	if (m->stop_error) {
		res->stop = CPU_STOP_ERROR;
		snprintf(res->msg, sizeof(res->msg), "%s", m->errmsg);
		return -1;
	}
	if (m->stop_max) {
		res->stop = CPU_STOP_MAX_INSNS;
		snprintf(res->msg, sizeof(res->msg),
			 "stopped after %" PRIu64 " instructions (--max-insns) at pc 0x%" PRIx64
			 " in the %s", m->insns, res->pc,
			 m->in_n ? "nested guest" : "guest hypervisor");
		return 1;
	}
	res->stop = m->stop_reset ? CPU_STOP_RESET : CPU_STOP_POWER_OFF;
	snprintf(res->msg, sizeof(res->msg), "%s", m->stop_reset ? "PSCI SYSTEM_RESET" :
								     "PSCI SYSTEM_OFF");
	return 0;
}

uint64_t cpu_insns(const struct cpu_machine *m)
{
	return m->insns;
}

uint64_t cpu_traps(const struct cpu_machine *m)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < m->ntraps; i++)
		n += m->traps[i].reads + m->traps[i].writes;
	return n;
}

void cpu_print_stats(const struct cpu_machine *m, FILE *out)
{
	const struct s2_stats *s = s2_stats(m->s2);
	unsigned i;

	if (m->cfg.max_insns || m->cfg.count_insns)
		fprintf(out, "instructions: %" PRIu64 "\n", m->insns);
	fprintf(out, "guest hypervisor runs: %" PRIu64 ", nested guest entries: %" PRIu64
		     ", N TLB flushes: %" PRIu64 ", N code flushes (IC): %" PRIu64 "\n",
		m->g_entries, m->n_entries, m->tlb_flushes, m->tb_flushes);
	fprintf(out, "exits and events:\n");
	for (i = 0; i < EX_KINDS; i++)
		if (m->exits[i])
			fprintf(out, "  %-40s %" PRIu64 "\n", exit_names[i], m->exits[i]);
	fprintf(out, "traps at virtual EL2 (register: reads writes):\n");
	for (i = 0; i < m->ntraps; i++) {
		const struct sr_desc *d = sr_find_enc(m->traps[i].enc, m->traps[i].sys);
		char buf[SR_ENC_STR_LEN];

		fprintf(out, "  %-8s %-20s %8" PRIu64 " %8" PRIu64 "\n",
			m->traps[i].sys ? (d ? sr_kind_prefix(d) : "SYS") : "MRS/MSR",
			d ? d->name : sr_enc_str(m->traps[i].enc, buf, sizeof(buf)),
			m->traps[i].reads, m->traps[i].writes);
	}
	if (m->remap)
		fprintf(out, "host remaps (--host-remap-every %" PRIu64 "): %" PRIu64 "\n",
			m->remap_every, m->host_remaps);
	fprintf(out, "shadow stage 2: contexts created %" PRIu64 ", hits %" PRIu64
		     ", evicted %" PRIu64 "; fills %" PRIu64 ", refills %" PRIu64
		     ", guest faults %" PRIu64 ", host misses %" PRIu64 ", errors %" PRIu64
		     "; leaves dropped by TLBI %" PRIu64 ", pressure %" PRIu64
		     "; pages live %" PRIu64 " (peak %" PRIu64 ")\n",
		s->contexts_created, s->context_hits, s->contexts_evicted, s->fills, s->refills,
		s->guest_faults, s->host_misses, s->errors, s->leaves_dropped_tlbi,
		s->leaves_dropped_pressure, s->pages_live, s->pages_peak);
}

/* ---- recording (--trace-out; record.c) ---- */

static bool rec_read_page(void *ctx, uint64_t ipa, uint8_t *buf)
{
	const uint8_t *p = host_ptr(ctx, ipa);

	if (!p)
		return false;
	memcpy(buf, p, PAGE);	/* host pages are contiguous within a 4 KiB page */
	return true;
}

static char acc_char(enum tr_acc_type type)
{
	return type == TR_ACC_EXEC ? 'x' : type == TR_ACC_WRITE ? 'w' : 'r';
}

/* A fault of the nested guest's access, as the run took it: kind/fsc/addr. The C re-walk
 * (s2_access(), its result unused) reads the stage-1 and stage-2 tables the access
 * depends on, so they enter the trace before the record. */
static void rec_access(struct cpu_machine *m, enum tr_acc_type type, unsigned el, uint64_t va,
		       enum trace_result_kind kind, uint8_t fsc, uint64_t addr)
{
	struct tr_sysregs regs;
	struct s2_access_result ar;
	struct trace_result res = { .kind = kind, .fsc = fsc, .addr = addr };

	fill_sysregs(m, &regs);
	s2_access(m->s2, &regs, type, (uint8_t)el, va, &ar);
	if (cpu_rec_want_access(m->rec, &regs, acc_char(type), el, va, kind))
		cpu_rec_access(m->rec, &regs, acc_char(type), el, va, &res);
}

/* A load, store or block fetch of the nested guest as Unicorn performs it. The sampling
 * test comes first (cheap: the virtual VTTBR/VTCR/HCR and the page); a new one is
 * recorded with the PA s2_access() reads through the live shadow, i.e. the leaf the
 * access uses. An access that faults is recorded where the fault is taken (n_abort(),
 * n_intr()), with what was injected. */
static void rec_live(struct cpu_machine *m, uc_engine *uc, enum tr_acc_type type, uint64_t va)
{
	unsigned el = (unsigned)(rd(uc, UC_ARM64_REG_PSTATE) >> 2) & 3;
	char c = acc_char(type);
	struct tr_sysregs regs;
	struct s2_access_result ar;
	struct trace_result res = { .kind = TRACE_RES_PA };

	memset(&regs, 0, sizeof(regs));
	regs.hcr_el2 = vget(m, E_HCR);
	regs.vttbr_el2 = vget(m, E_VTTBR);
	regs.vtcr_el2 = vget(m, E_VTCR);
	if (!cpu_rec_is_new(m->rec, &regs, c, el, va, TRACE_RES_PA))
		return;
	fill_sysregs(m, &regs);
	/* A leaf dropped or changed here needs no flush before the next exit: eviction
	 * keeps a dropped leaf's PA meaning, and a refill only adds permissions. */
	if (s2_access(m->s2, &regs, type, (uint8_t)el, va, &ar) != S2A_OK)
		return;
	res.addr = ar.pa;
	cpu_rec_want_access(m->rec, &regs, c, el, va, TRACE_RES_PA);
	cpu_rec_access(m->rec, &regs, c, el, va, &res);
}

static void n_mem_rec(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
		      void *user)
{
	(void)size;
	(void)value;
	rec_live(user, uc, type == UC_MEM_WRITE ? TR_ACC_WRITE : TR_ACC_READ, addr);
}

static void n_block_rec(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	(void)size;
	rec_live(user, uc, TR_ACC_EXEC, addr);
}

int cpu_record_start(struct cpu_machine *m, const char *path, enum cpu_trace_accesses acc,
		     const char *note, char *err, size_t errlen)
{
	struct cpu_rec_env env = { rec_read_page, m };
	struct tr_sysregs regs;
	uint64_t pa;
	uc_hook h;

	if (m->rec) {
		snprintf(err, errlen, "already recording");
		return -1;
	}
	if (m->cfg.host_s2 == CPU_HOST_SCATTER) {
		/* One hostmap per page would exceed the replay's 4096 host ranges. */
		snprintf(err, errlen, "recording supports --host-s2 identity and offset, "
			 "not scatter");
		return -1;
	}
	m->rec = cpu_rec_new(path, acc, &env, err, errlen);
	if (!m->rec)
		return -1;
	if (acc != CPU_TRACE_ACC_NONE &&
	    (uc_hook_add(m->n, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)n_mem_rec, m,
			 1, 0) != UC_ERR_OK ||
	     uc_hook_add(m->n, &h, UC_HOOK_BLOCK, (void *)n_block_rec, m, 1, 0) != UC_ERR_OK)) {
		snprintf(err, errlen, "cannot add the recording hooks to Unicorn");
		cpu_rec_free(m->rec, NULL, 0);
		m->rec = NULL;
		return -1;
	}
	cpu_rec_comment(m->rec, "recorded by `el2emu run --trace-out` (docs/replay.md)");
	if (note)
		cpu_rec_comment(m->rec, note);
	cpu_rec_comment(m->rec, "the guest hypervisor's RAM, and the PL011 page so that the "
			"nested guests' UART accesses replay (its contents are never recorded)");
	cpu_rec_ram(m->rec, CPU_RAM_BASE, m->cfg.ram_size);
	cpu_rec_ram(m->rec, CPU_UART_BASE, UART_SIZE);
	fill_sysregs(m, &regs);
	host_ram_pa(m, CPU_RAM_BASE, &pa);
	cpu_rec_hostmap(m->rec, &regs, CPU_RAM_BASE, pa, m->cfg.ram_size);
	cpu_rec_hostmap(m->rec, &regs, CPU_UART_BASE, CPU_UART_BASE, UART_SIZE);
	return 0;
}

int cpu_record_finish(struct cpu_machine *m, char *err, size_t errlen)
{
	int rc = cpu_rec_free(m->rec, err, errlen);

	m->rec = NULL;
	return rc;
}

int cpu_set_host_remap(struct cpu_machine *m, uint64_t every, char *err, size_t errlen)
{
	uint64_t i, pages = m->cfg.ram_size / PAGE, pa, base = CPU_RAM_BASE + m->host_size;
	uint32_t *r;

	if (!every)
		return 0;
	if (m->remap) {
		snprintf(err, errlen, "host remapping is already on");
		return -1;
	}
	m->spare = mmap(NULL, (size_t)REMAP_SPARE * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->spare == MAP_FAILED) {
		m->spare = NULL;
		snprintf(err, errlen, "cannot allocate spare host pages: %s", strerror(errno));
		return -1;
	}
	if (uc_mem_map_ptr(m->g, base, (size_t)REMAP_SPARE * PAGE, UC_PROT_ALL, m->spare) ||
	    uc_mem_map_ptr(m->n, base, (size_t)REMAP_SPARE * PAGE, UC_PROT_ALL, m->spare)) {
		snprintf(err, errlen, "cannot map spare host pages into Unicorn");
		return -1;
	}
	/* Take over the layout's mapping page by page (host_ram_pa() while m->remap is
	 * still NULL gives the layout's). */
	r = malloc(pages * sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < pages; i++) {
		host_ram_pa(m, CPU_RAM_BASE + i * PAGE, &pa);
		r[i] = (uint32_t)((pa - CPU_RAM_BASE) / PAGE);
	}
	m->remap = r;
	for (i = 0; i < REMAP_SPARE; i++)
		m->free_ring[i] = (uint32_t)(m->host_size / PAGE + i);
	m->remap_every = every;
	return 0;
}
