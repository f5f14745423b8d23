/* Register decode: walk parameters for each stage (AArch64.GetS1TTWParams,
 * AArch64.GetS2TTWParams) and the setup checks made before any descriptor is read. */
#include <stddef.h>
#include <string.h>

#include "tr_internal.h"

/* ID_AA64MMFR0_EL1.PARange / TCR.IPS / VTCR.PS encodings. */
static uint8_t ps_decode(unsigned ps, uint8_t pamax)
{
	static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 0 };

	/* IMPDEF: a reserved PS value behaves as PAMax (as QEMU does). */
	if (ps > 6 || bits[ps] > pamax)
		return pamax;
	return bits[ps];
}

/* AArch64.PhysicalAddressSize(): without DS, only the 64K granule with FEAT_LPA has a
 * 52-bit descriptor format. */
static uint8_t oa_size(unsigned ps, const struct tr_features *f, uint8_t gbits, bool ds)
{
	/* A PAMax outside the architected 32..52 is clamped, so shifts stay defined. */
	uint8_t pamax = f->pa_bits < 32 ? 32 : f->pa_bits > 52 ? 52 : f->pa_bits;
	uint8_t bits = ps_decode(ps, pamax);

	if (bits > 48 && !ds && !(gbits == 16 && f->lpa))
		bits = 48;
	return bits;
}

static bool gran_ok(const struct tr_features *f, uint8_t gbits, int stage)
{
	if (stage == 1)
		return gbits == 12 ? f->gran4 : gbits == 14 ? f->gran16 : f->gran64;
	return gbits == 12 ? f->gran4_s2 : gbits == 14 ? f->gran16_s2 : f->gran64_s2;
}

/* TG0 field: 00 4K, 01 64K, 10 16K. IMPDEF: reserved or unimplemented sizes use 4K. */
static uint8_t tg0_bits(unsigned tg, const struct tr_features *f, int stage)
{
	uint8_t g = tg == 1 ? 16 : tg == 2 ? 14 : 12;

	return gran_ok(f, g, stage) ? g : 12;
}

/* TG1 field: 01 16K, 10 4K, 11 64K. */
static uint8_t tg1_bits(unsigned tg, const struct tr_features *f)
{
	uint8_t g = tg == 1 ? 14 : tg == 3 ? 16 : 12;

	return gran_ok(f, g, 1) ? g : 12;
}

/* AArch64.MaxTxSZ(): 48 (47 for 64K) with FEAT_TTST, else 39. */
static unsigned max_txsz(const struct tr_features *f, uint8_t gbits)
{
	if (f->ttst)
		return gbits == 16 ? 47 : 48;
	return 39;
}

static void set_fault(struct tr_params *p, enum tr_fault_type t, int level)
{
	if (p->setup_fault == TR_FAULT_NONE) {
		p->setup_fault = t;
		p->setup_level = (int8_t)level;
	}
}

/* Table base from a TTBR/VTTBR value (AArch64.S1TTBaseAddress / S2TTBaseAddress): the
 * base is aligned to the size of the start table, at least 64 bytes in the 52-bit
 * formats where TTBR[5:2] hold BADDR[51:48]. */
static uint64_t ttb_base(uint64_t ttbr, const struct tr_params *p)
{
	unsigned lsb = p->gbits + p->stride * (3 - p->start_level);
	unsigned tsize = p->ia_bits - lsb + 3;
	uint64_t base;

	if (p->oa_bits == 52) {
		if (tsize < 6)
			tsize = 6;
		base = (ttbr & TR_MASK(47, tsize)) | TR_FIELD(ttbr, 5, 2) << 48;
	} else {
		base = ttbr & TR_MASK(47, tsize);
	}
	return base;
}

/* Loop-start values of the walk, so that it does not recompute them for every table:
 * the lsb of the start level's index, the index mask there (it may be shorter than a
 * full level, or longer with concatenated tables), and the next-table address mask of
 * the 48-bit formats (AArch64.NextTableBase()). */
static void set_shape(struct tr_params *p)
{
	unsigned lsb = p->gbits + p->stride * (unsigned)(3 - p->start_level);

	p->start_lsb = (uint8_t)lsb;
	p->start_idx_mask = p->ia_bits > lsb ? (1ull << (p->ia_bits - lsb)) - 1 : 0;
	p->table_mask = TR_MASK(47, p->gbits);
}

static int8_t s1_start_level(const struct tr_params *p)
{
	/* AArch64.S1StartLevel(): FINAL_LEVEL - ((iasize - 1 - granulebits) DIV stride),
	 * counted upwards (no division on the walk path). */
	int level = 3;

	for (unsigned top = p->gbits + p->stride; top < p->ia_bits; top += p->stride)
		level--;
	return (int8_t)level;
}

void tr_s1_decode(const struct tr_sysregs *r, const struct tr_features *f, enum tr_regime regime,
		  bool upper, struct tr_params *p)
{
	bool el2_layout = regime == TR_REGIME_EL2;
	uint64_t tcr = regime == TR_REGIME_EL10 ? r->tcr_el1 : r->tcr_el2;
	uint64_t sctlr = regime == TR_REGIME_EL10 ? r->sctlr_el1 : r->sctlr_el2;
	uint64_t ttbr;
	unsigned txsz, ps;

	/* The attribute and permission tables (made only for the cache) are left alone:
	 * attr_tab = perm_tab = 0 says they are absent. */
	memset(p, 0, offsetof(struct tr_params, s1_attr));
	p->stage = 1;
	p->two_priv = !el2_layout;
	p->mair = regime == TR_REGIME_EL10 ? r->mair_el1 : r->mair_el2;
	p->ee = sctlr & SCTLR_EE;
	p->wxn = sctlr & SCTLR_WXN;
	p->dcache = sctlr & SCTLR_C;
	p->icache = sctlr & SCTLR_I;
	p->s1_enabled = sctlr & SCTLR_M;
	/* AArch64.S1Enabled(): HCR_EL2.{DC,TGE} disable the EL1&0 stage 1. */
	if (regime == TR_REGIME_EL10 && (r->hcr_el2 & (HCR_DC | HCR_TGE)))
		p->s1_enabled = false;

	if (el2_layout) {
		upper = false;
		p->gbits = tg0_bits(TR_FIELD(tcr, 15, 14), f, 1);
		txsz = TR_FIELD(tcr, 5, 0);
		ps = TR_FIELD(tcr, 18, 16);
		p->tbi = TR_FIELD(tcr, 20, 20);
		p->tbi_x = p->tbi && !(tcr & TR_BIT(29));
		p->ha = (tcr & TR_BIT(21)) && f->hafdbs_af;
		p->hd = p->ha && (tcr & TR_BIT(22)) && f->hafdbs_dirty;
		p->hpd = (tcr & TR_BIT(24)) && f->hpds;
		p->ds = (tcr & TR_BIT(32)) && f->lpa2 && p->gbits != 16;
		p->ds_sh = TR_FIELD(tcr, 13, 12);
		ttbr = r->ttbr0_el2;
	} else {
		/* Two VA ranges, selected by VA bit 55 (AArch64.GetVARange). */
		if (!upper) {
			p->gbits = tg0_bits(TR_FIELD(tcr, 15, 14), f, 1);
			txsz = TR_FIELD(tcr, 5, 0);
			p->tbi = tcr & TR_BIT(37);
			p->tbi_x = p->tbi && !(tcr & TR_BIT(51));
			p->epd = tcr & TR_BIT(7);
			p->e0pd = (tcr & TR_BIT(55)) && f->e0pd;
			p->hpd = (tcr & TR_BIT(41)) && f->hpds;
			p->ds_sh = TR_FIELD(tcr, 13, 12);
			ttbr = regime == TR_REGIME_EL10 ? r->ttbr0_el1 : r->ttbr0_el2;
		} else {
			p->gbits = tg1_bits(TR_FIELD(tcr, 31, 30), f);
			txsz = TR_FIELD(tcr, 21, 16);
			p->tbi = tcr & TR_BIT(38);
			p->tbi_x = p->tbi && !(tcr & TR_BIT(52));
			p->epd = tcr & TR_BIT(23);
			p->e0pd = (tcr & TR_BIT(56)) && f->e0pd;
			p->hpd = (tcr & TR_BIT(42)) && f->hpds;
			p->ds_sh = TR_FIELD(tcr, 29, 28);
			ttbr = regime == TR_REGIME_EL10 ? r->ttbr1_el1 : r->ttbr1_el2;
		}
		ps = TR_FIELD(tcr, 34, 32);
		p->ha = (tcr & TR_BIT(39)) && f->hafdbs_af;
		p->hd = p->ha && (tcr & TR_BIT(40)) && f->hafdbs_dirty;
		p->ds = (tcr & TR_BIT(59)) && f->lpa2 && p->gbits != 16;
		/* ASID from TTBR0 or TTBR1 as TCR.A1 says; 8 bits unless TCR.AS. */
		{
			uint64_t at = (tcr & TR_BIT(22)) ? (regime == TR_REGIME_EL10 ?
					r->ttbr1_el1 : r->ttbr1_el2) :
					(regime == TR_REGIME_EL10 ? r->ttbr0_el1 : r->ttbr0_el2);
			p->asid = (uint16_t)TR_FIELD(at, 63, 48);
			if (!(tcr & TR_BIT(36)))
				p->asid &= 0xff;
		}
	}
	p->upper = upper;
	p->stride = p->gbits - 3;
	p->oa_bits = oa_size(ps, f, p->gbits, p->ds);
	p->oa52_64k = p->gbits == 16 && f->lpa && p->oa_bits == 52;
	p->blk64_l1 = f->lpa && f->pa_bits == 52;

	/* AArch64.S1MinTxSZ / MaxTxSZ. IMPDEF: an out-of-range TxSZ gives a level 0
	 * Translation fault (AArch64.S1TxSZFaults() true), as QEMU does. */
	{
		unsigned min = (p->ds || (p->gbits == 16 && f->lva)) ? 12 : 16;

		if (txsz < min || txsz > max_txsz(f, p->gbits)) {
			set_fault(p, TR_FAULT_TRANSLATION, 0);
			txsz = txsz < min ? min : max_txsz(f, p->gbits);
		}
	}
	p->txsz = (uint8_t)txsz;
	p->ia_bits = (uint8_t)(64 - txsz);
	p->start_level = s1_start_level(p);
	set_shape(p);
	/* The VA-range mask of AArch64.VAIsOutOfRange(), for bits [63:ia_bits]. */
	p->va_hi_mask = TR_MASK(63, p->ia_bits);

	p->ttb = ttb_base(ttbr, p);
	/* AArch64.S1Walk(): a TTB beyond the OA size is a level 0 Address size fault. */
	p->ttb_oor = p->oa_bits < 64 && (p->ttb >> p->oa_bits);
}

void tr_s1_setup(const struct tr_sysregs *r, const struct tr_features *f, enum tr_regime regime,
		 uint64_t va, const struct tr_access *acc, struct tr_params *p)
{
	tr_s1_decode(r, f, regime, va & TR_BIT(55), p);
	p->setup_fault = tr_s1_check(p, va, acc);
	p->setup_level = 0;
}

/* AArch64.S2InvalidSL(). */
static bool s2_invalid_sl(const struct tr_params *p, unsigned sl0, bool sl2,
			  const struct tr_features *f)
{
	switch (p->gbits) {
	case 12:
		if (sl2)
			return sl0 != 0;
		switch (sl0) {
		case 2: return f->pa_bits < 44;
		case 3: return !f->ttst;
		default: return false;
		}
	case 14:
		switch (sl0) {
		case 3: return !p->ds;
		case 2: return f->pa_bits < 42;
		default: return false;
		}
	default:
		switch (sl0) {
		case 3: return true;
		case 2: return f->pa_bits < 44;
		default: return false;
		}
	}
}

/* AArch64.S2InconsistentSL(): the start level must resolve at least one bit and at most
 * a full table plus 16 concatenated tables (4 bits); at level -1 no concatenation. */
static bool s2_inconsistent_sl(const struct tr_params *p)
{
	unsigned levels = (unsigned)(3 - p->start_level);
	unsigned min = levels * p->stride + p->gbits + 1;
	unsigned max = p->start_level == -1 ? min + 3 : min + (p->stride - 1) + 4;

	return p->ia_bits < min || p->ia_bits > max;
}

void tr_s2_setup(const struct tr_sysregs *r, const struct tr_features *f, struct tr_params *p)
{
	uint64_t vtcr = r->vtcr_el2;
	unsigned txsz, sl0, min;
	bool sl2;

	/* The attribute and permission tables (made only for the cache) are left alone:
	 * attr_tab = perm_tab = 0 says they are absent. */
	memset(p, 0, offsetof(struct tr_params, s1_attr));
	p->stage = 2;
	p->gbits = tg0_bits(TR_FIELD(vtcr, 15, 14), f, 2);
	p->stride = p->gbits - 3;
	p->ds = (vtcr & TR_BIT(32)) && f->lpa2 && p->gbits != 16;
	p->ds_sh = TR_FIELD(vtcr, 13, 12);
	p->ha = (vtcr & TR_BIT(21)) && f->hafdbs_af;
	p->hd = p->ha && (vtcr & TR_BIT(22)) && f->hafdbs_dirty;
	p->ee = r->sctlr_el2 & SCTLR_EE;
	p->xnx = f->xnx;
	p->fwb = (r->hcr_el2 & HCR_FWB) && f->fwb;
	p->ptw = r->hcr_el2 & HCR_PTW;
	p->dcache = !(r->hcr_el2 & HCR_CD);
	p->icache = !(r->hcr_el2 & HCR_ID);
	p->oa_bits = oa_size(TR_FIELD(vtcr, 18, 16), f, p->gbits, p->ds);
	p->oa52_64k = p->gbits == 16 && f->lpa && p->oa_bits == 52;
	p->blk64_l1 = f->lpa && f->pa_bits == 52;
	p->asid = (uint16_t)TR_FIELD(r->vttbr_el2, 63, 48);

	/* AArch64.S2MinTxSZ(): the IPA size is bounded by PAMax (not by VTCR.PS) and by 48
	 * bits without a 52-bit format. IMPDEF: out of range faults (S2TxSZFaults true). */
	{
		unsigned ips = f->pa_bits < 32 ? 32 : f->pa_bits > 52 ? 52 : f->pa_bits;

		if (ips > 48 && !p->ds && !(p->gbits == 16 && f->lpa))
			ips = 48;
		min = 64 - ips;
	}
	txsz = TR_FIELD(vtcr, 5, 0);
	if (txsz < min || txsz > max_txsz(f, p->gbits)) {
		set_fault(p, TR_FAULT_TRANSLATION, 0);
		txsz = txsz < min ? min : max_txsz(f, p->gbits);
	}
	p->txsz = (uint8_t)txsz;
	p->ia_bits = (uint8_t)(64 - txsz);

	/* AArch64.S2StartLevel(). */
	sl0 = TR_FIELD(vtcr, 7, 6);
	sl2 = (vtcr & TR_BIT(33)) && p->ds;
	if (p->gbits == 12) {
		if (sl2)
			p->start_level = -1;
		else
			p->start_level = (int8_t)(sl0 == 3 ? 3 : 2 - (int)sl0);
	} else {
		p->start_level = (int8_t)(3 - (int)sl0);
	}
	if (s2_invalid_sl(p, sl0, sl2, f) || s2_inconsistent_sl(p)) {
		set_fault(p, TR_FAULT_TRANSLATION, 0);
		/* Keep a usable shape for the callers that only inspect parameters. */
		if (p->start_level < (p->ds ? -1 : 0))
			p->start_level = 0;
	}
	set_shape(p);
	if (p->setup_fault == TR_FAULT_NONE) {
		p->ttb = ttb_base(r->vttbr_el2, p);
		if (p->oa_bits < 64 && (p->ttb >> p->oa_bits))
			set_fault(p, TR_FAULT_ADDRSIZE, 0);
	}
}
