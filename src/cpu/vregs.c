/* The pure part of the nested CPU: the virtual EL2 register file, the FEAT_VHE register
 * redirection, syndrome construction and vector offsets. No Unicorn here. */
#include <string.h>

#include "el2emu/cpu.h"
#include "el2emu/sysreg.h"

/* FEAT_VHE: with HCR_EL2.E2H=1, these EL1 (and EL0 timer) encodings executed at EL2 reach
 * the EL2 register instead (Arm ARM D8.12.2 "Redirection of EL1 register accesses"). The
 * same pairs give the _EL12 and _EL02 aliases (op1=5), which reach the EL1 register. */
static const struct {
	uint32_t el1, el2;
} vhe_pairs[] = {
	{ SR_ENC(3, 0, 1, 0, 0), SR_ENC(3, 4, 1, 0, 0) },	/* SCTLR */
	{ SR_ENC(3, 0, 1, 0, 2), SR_ENC(3, 4, 1, 1, 2) },	/* CPACR_EL1 -> CPTR_EL2 */
	{ SR_ENC(3, 0, 2, 0, 0), SR_ENC(3, 4, 2, 0, 0) },	/* TTBR0 */
	{ SR_ENC(3, 0, 2, 0, 1), SR_ENC(3, 4, 2, 0, 1) },	/* TTBR1 */
	{ SR_ENC(3, 0, 2, 0, 2), SR_ENC(3, 4, 2, 0, 2) },	/* TCR */
	{ SR_ENC(3, 0, 4, 0, 0), SR_ENC(3, 4, 4, 0, 0) },	/* SPSR */
	{ SR_ENC(3, 0, 4, 0, 1), SR_ENC(3, 4, 4, 0, 1) },	/* ELR */
	{ SR_ENC(3, 0, 5, 1, 0), SR_ENC(3, 4, 5, 1, 0) },	/* AFSR0 */
	{ SR_ENC(3, 0, 5, 1, 1), SR_ENC(3, 4, 5, 1, 1) },	/* AFSR1 */
	{ SR_ENC(3, 0, 5, 2, 0), SR_ENC(3, 4, 5, 2, 0) },	/* ESR */
	{ SR_ENC(3, 0, 6, 0, 0), SR_ENC(3, 4, 6, 0, 0) },	/* FAR */
	{ SR_ENC(3, 0, 10, 2, 0), SR_ENC(3, 4, 10, 2, 0) },	/* MAIR */
	{ SR_ENC(3, 0, 10, 3, 0), SR_ENC(3, 4, 10, 3, 0) },	/* AMAIR */
	{ SR_ENC(3, 0, 12, 0, 0), SR_ENC(3, 4, 12, 0, 0) },	/* VBAR */
	{ SR_ENC(3, 0, 13, 0, 1), SR_ENC(3, 4, 13, 0, 1) },	/* CONTEXTIDR */
	{ SR_ENC(3, 0, 14, 1, 0), SR_ENC(3, 4, 14, 1, 0) },	/* CNTKCTL_EL1 -> CNTHCTL_EL2 */
	{ SR_ENC(3, 3, 14, 2, 0), SR_ENC(3, 4, 14, 2, 0) },	/* CNTP_TVAL_EL0 -> CNTHP */
	{ SR_ENC(3, 3, 14, 2, 1), SR_ENC(3, 4, 14, 2, 1) },	/* CNTP_CTL_EL0 */
	{ SR_ENC(3, 3, 14, 2, 2), SR_ENC(3, 4, 14, 2, 2) },	/* CNTP_CVAL_EL0 */
	{ SR_ENC(3, 3, 14, 3, 0), SR_ENC(3, 4, 14, 3, 0) },	/* CNTV_TVAL_EL0 -> CNTHV */
	{ SR_ENC(3, 3, 14, 3, 1), SR_ENC(3, 4, 14, 3, 1) },	/* CNTV_CTL_EL0 */
	{ SR_ENC(3, 3, 14, 3, 2), SR_ENC(3, 4, 14, 3, 2) },	/* CNTV_CVAL_EL0 */
};

#define ENC_SP_EL1 SR_ENC(3, 4, 4, 1, 0)

/* The alias encoding (op1=5) of an EL1 (op1=0) or EL0 timer (op1=3) register. */
static uint32_t alias_enc(uint32_t el1)
{
	return (el1 & ~SR_ENC(0, 7, 0, 0, 0)) | SR_ENC(0, 5, 0, 0, 0);
}

enum cpu_vr_target cpu_vhe_redirect(uint32_t enc, bool e2h, uint32_t *out_enc)
{
	size_t i;

	*out_enc = enc;
	/* DBGVCR32_EL2 is the one op0=2 (debug) register encoded with op1=4. */
	if (SR_ENC_OP0(enc) == 2 && SR_ENC_OP1(enc) == 4)
		return CPU_VR_EL2;
	if (SR_ENC_OP0(enc) != 3)
		return CPU_VR_EL1;
	switch (SR_ENC_OP1(enc)) {
	case 5:	/* *_EL12, *_EL02: UNDEFINED unless E2H=1 (D8.12.3) */
		if (!e2h)
			return CPU_VR_UNDEF;
		for (i = 0; i < sizeof(vhe_pairs) / sizeof(vhe_pairs[0]); i++) {
			if (alias_enc(vhe_pairs[i].el1) == enc) {
				*out_enc = vhe_pairs[i].el1;
				return CPU_VR_EL1;
			}
		}
		return CPU_VR_UNDEF;
	case 4:
		/* SP_EL1 is encoded with op1=4 but belongs to the EL1 context. */
		return enc == ENC_SP_EL1 ? CPU_VR_EL1 : CPU_VR_EL2;
	case 6:
		return CPU_VR_UNDEF;	/* EL3 registers, SP_EL2 */
	default:
		break;
	}
	if (e2h) {
		for (i = 0; i < sizeof(vhe_pairs) / sizeof(vhe_pairs[0]); i++) {
			if (vhe_pairs[i].el1 == enc) {
				*out_enc = vhe_pairs[i].el2;
				return CPU_VR_EL2;
			}
		}
	}
	return CPU_VR_EL1;
}

/* The register file's index of an op0=2/3, op1=4 encoding: op0[0]:CRn:CRm:op2. */
#define VREGS_SLOT(enc) ((((enc) >> 3) & 0x800u) | ((enc) & 0x7ffu))

void cpu_vregs_init(struct cpu_vregs *vr)
{
	size_t i, n = sr_count();

	/* slot[] holds index + 1 in a uint8_t. */
	_Static_assert(CPU_VREGS_MAX < 256, "CPU_VREGS_MAX must fit cpu_vregs.slot");
	memset(vr, 0, sizeof(*vr));
	for (i = 0; i < n && vr->n < CPU_VREGS_MAX; i++) {
		const struct sr_desc *d = sr_get(i);

		/* op1=4 is the EL2 (or EL2-only, e.g. SPSR_irq) encoding space; SP_EL1 is
		 * encoded there but belongs to the EL1 context (cpu_vhe_redirect()). */
		if (!d || d->kind != SR_KIND_REG || d->alias_of || SR_ENC_OP1(d->enc) != 4 ||
		    SR_ENC_OP0(d->enc) < 2 || d->enc == ENC_SP_EL1)
			continue;
		vr->enc[vr->n] = d->enc;
		/* Reset: UNKNOWN architecturally; IMPDEF: 0 with the RES1 bits set. */
		vr->val[vr->n] = d->res1;
		vr->n++;
		vr->slot[VREGS_SLOT(d->enc)] = (uint8_t)vr->n;
	}
}

static int vregs_find(const struct cpu_vregs *vr, uint32_t enc)
{
	/* Every register of the file has op0=2 or 3 and op1=4 (checked at init). */
	if ((enc & ~UINT32_C(0x47ff)) != SR_ENC(2, 4, 0, 0, 0))
		return -1;
	return (int)vr->slot[VREGS_SLOT(enc)] - 1;
}

bool cpu_vregs_read(const struct cpu_vregs *vr, uint32_t enc, uint64_t *val)
{
	int i = vregs_find(vr, enc);

	if (i < 0)
		return false;
	*val = vr->val[i];
	return true;
}

uint64_t cpu_vregs_get(const struct cpu_vregs *vr, uint32_t enc)
{
	uint64_t v = 0;

	cpu_vregs_read(vr, enc, &v);
	return v;
}

#define ENC_HCR_EL2 SR_ENC(3, 4, 1, 1, 0)
#define HCR_E2H (UINT64_C(1) << 34)

bool cpu_vregs_write(struct cpu_vregs *vr, uint32_t enc, uint64_t val, uint64_t *stored)
{
	const struct sr_desc *d = sr_find_enc(enc, false);
	int i = vregs_find(vr, enc);
	uint64_t res0 = 0, res1 = 0;
	unsigned flags = 0;

	if (i < 0)
		return false;
	if (cpu_vregs_get(vr, ENC_HCR_EL2) & HCR_E2H)
		flags |= SR_DEC_E2H;
	if (d)
		sr_masks_for(d, val, flags, &res0, &res1);
	val = (val & ~res0) | res1;
	vr->val[i] = val;
	if (stored)
		*stored = val;
	return true;
}

uint64_t cpu_esr_hvc_smc_svc(unsigned ec, uint32_t insn)
{
	/* ISS = imm16 (insn[20:5]) for SVC/HVC/SMC from AArch64 (D24.2.41). */
	return ((uint64_t)ec << 26) | CPU_ESR_IL | ((insn >> 5) & 0xffffu);
}

uint64_t cpu_esr_sys(uint32_t enc, unsigned rt, bool read)
{
	struct sr_esr_sys s = { .enc = enc, .rt = (uint8_t)rt, .read = read };

	return ((uint64_t)SR_EC_SYS64 << 26) | CPU_ESR_IL | sr_esr_sys_iss(&s);
}

uint64_t cpu_esr_unknown(void)
{
	return CPU_ESR_IL;
}

uint64_t cpu_esr_own_abort(uint64_t syndrome)
{
	unsigned ec = (unsigned)(syndrome >> 26) & 0x3f;
	uint64_t iss = syndrome & 0x1ffffff;

	if (ec == SR_EC_IABT_LOW || ec == SR_EC_DABT_LOW)
		ec++;		/* the current-EL class: taken from virtual EL2 to itself */
	/* ISV and S1PTW do not apply: the access had no stage 2 in the guest hypervisor's
	 * view, and no instruction syndrome is given for an external abort; with ISV=0,
	 * ISS[23:14] are RES0 (D24.2.41). */
	iss &= ~(CPU_ESR_ISS_SYNDROME | (UINT64_C(1) << 7) | 0x3fu);
	iss |= 0x10;	/* Synchronous External abort, not on a walk */
	return ((uint64_t)ec << 26) | (syndrome & CPU_ESR_IL) | iss;
}

bool cpu_ldst_iss(uint32_t insn, uint32_t *iss)
{
	unsigned size = insn >> 30, opc = (insn >> 22) & 3, rt = insn & 31;
	bool sign = false, sf, ar = false;

	if (insn & (1u << 26))
		return false;			/* SIMD&FP: no syndrome */
	if ((insn & 0x3b000000u) == 0x18000000u) {
		/* LDR (literal): opc = bits [31:30]: 32-bit, 64-bit, LDRSW, PRFM. */
		if (size == 3)
			return false;
		sign = size == 2;
		sf = size != 0;
		size = size == 0 ? 2 : (size == 1 ? 3 : 2);
	} else if ((insn & 0x3f000000u) == 0x08000000u) {
		/* Load/store ordered: LDAR/STLR (o2=1, o1=0, o0=1) carry AR=1. */
		if (!(insn & (1u << 23)) || (insn & (1u << 21)) || !(insn & (1u << 15)))
			return false;
		ar = true;
		sf = size == 3;
	} else if ((insn & 0x3b000000u) == 0x39000000u ||
		   (insn & 0x3b200c00u) == 0x38200800u ||
		   ((insn & 0x3b200000u) == 0x38000000u && !(insn & (1u << 10)))) {
		/* Unsigned offset, register offset, unscaled/unprivileged (no writeback). */
		if (opc >= 2) {
			if (size == 3 || (size == 2 && opc == 3))
				return false;	/* PRFM, unallocated */
			sign = true;
			sf = opc == 2;		/* LDRS* to Xt; opc 3 targets Wt */
		} else {
			sf = size == 3;
		}
	} else {
		return false;			/* pairs, writeback, exclusives, atomics */
	}
	*iss = (1u << 24) | (size << 22) | ((uint32_t)sign << 21) | (rt << 16) |
	       ((uint32_t)sf << 15) | ((uint32_t)ar << 14);
	return true;
}

uint64_t cpu_vector_offset(unsigned from_el, bool sp0, unsigned kind)
{
	uint64_t base;

	/* AArch64.TakeException(): 0x0 current EL with SP0, 0x200 current EL with SPx, 0x400
	 * lower EL using AArch64; + 0x80 per kind (sync, IRQ, FIQ, SError). */
	if (from_el < 2)
		base = 0x400;
	else
		base = sp0 ? 0x000 : 0x200;
	return base + 0x80u * (kind & 3u);
}

uint64_t cpu_pl011_read(uint64_t offset)
{
	/* UARTFR (0x018): TXFE (bit 7) and RXFE (bit 4), never busy or full. PL011 TRM. */
	if (offset == 0x18)
		return 0x90;
	return 0;
}
