/* AT emulation and the architectural encodings of results and faults: PAR_EL1, the
 * DFSC/IFSC fault status codes, and the default feature set. */
#include <string.h>
#include <strings.h>

#include "tr_internal.h"

/* QEMU -cpu max (ID_AA64MMFR0.PARange=6, MMFR1.HAFDBS=2, XNX, VH, HPDS, PAN, MMFR2.ST,
 * VARange, S2FWB, E0PD, TGran*_2 all granules, LPA2). */
void tr_features_default(struct tr_features *f)
{
	memset(f, 0, sizeof(*f));
	f->pa_bits = 52;
	f->lpa = f->lpa2 = f->lva = true;
	f->hafdbs_af = f->hafdbs_dirty = true;
	f->xnx = f->ttst = f->vh = f->fwb = f->hpds = f->pan = f->e0pd = true;
	f->gran4 = f->gran16 = f->gran64 = true;
	f->gran4_s2 = f->gran16_s2 = f->gran64_s2 = true;
}

/* ESR_ELx.DFSC / PAR_EL1.FST (Arm ARM D19, ESR_EL2 ISS encoding for Data Abort): the
 * level -1 forms are 0b101001 (address size), 0b101011 (translation) and 0b010011
 * (external abort on walk). */
uint8_t tr_fault_fsc(const struct tr_fault *f)
{
	unsigned lvl = (unsigned)f->level & 3;

	switch (f->type) {
	case TR_FAULT_NONE:
		return 0;
	case TR_FAULT_ADDRSIZE:
		return f->level < 0 ? 0x29 : (uint8_t)(0x00 | lvl);
	case TR_FAULT_TRANSLATION:
		return f->level < 0 ? 0x2b : (uint8_t)(0x04 | lvl);
	case TR_FAULT_ACCESS:
		return (uint8_t)(0x08 | lvl);
	case TR_FAULT_PERMISSION:
		return (uint8_t)(0x0c | lvl);
	case TR_FAULT_EXT_ABORT_WALK:
		return f->level < 0 ? 0x13 : (uint8_t)(0x14 | lvl);
	}
	return 0;
}

/* PAR_EL1, F=0: PA[51:12], ATTR[63:56], SH[8:7]; bit 11 RES1. IMPDEF: NS (bit 9) of a
 * Non-secure result is UNKNOWN; report 1 as QEMU does. */
uint64_t tr_par_from_result(const struct tr_result *res)
{
	return (uint64_t)res->attr << 56 | (res->oa & TR_MASK(51, 12)) | TR_BIT(11) |
	       TR_BIT(9) | (uint64_t)(res->sh & 3) << 7;
}

/* PAR_EL1, F=1: FST[6:1], PTW[8], S[9]; bit 11 RES1. */
uint64_t tr_par_from_fault(const struct tr_fault *fault)
{
	return 1 | (uint64_t)tr_fault_fsc(fault) << 1 | (fault->s1ptw ? TR_BIT(8) : 0) |
	       (fault->stage2 ? TR_BIT(9) : 0) | TR_BIT(11);
}

/* AArch64.AT(): S1E0*, S1E1* and S12E* target EL1&0 (EL2&0 when HCR_EL2.{E2H,TGE} =
 * {1,1}); S1E2* target EL2 or, with E2H, EL2&0. With HCR_EL2.VM=1 the EL1&0 stage-1
 * walk goes through stage 2 even for S1E*; only S12E* translate the output. */
uint64_t tr_at(const struct tr_ctx *ctx, enum tr_at_op op, uint64_t va)
{
	uint64_t hcr = ctx->regs->hcr_el2;
	bool e2h = (hcr & HCR_E2H) && ctx->feat->vh;
	bool host = e2h && (hcr & HCR_TGE);
	struct tr_access acc = { .at = true };
	struct tr_result res;
	struct tr_fault fault;
	bool ok, s12 = false;

	switch (op) {
	case TR_AT_S1E1R: case TR_AT_S1E1W: case TR_AT_S1E0R: case TR_AT_S1E0W:
		break;
	case TR_AT_S12E1R: case TR_AT_S12E1W: case TR_AT_S12E0R: case TR_AT_S12E0W:
		s12 = true;
		break;
	case TR_AT_S1E2R: case TR_AT_S1E2W:
		break;
	default:
		memset(&fault, 0, sizeof(fault));
		fault.type = TR_FAULT_TRANSLATION;
		return tr_par_from_fault(&fault);
	}
	acc.type = (op == TR_AT_S1E1W || op == TR_AT_S1E0W || op == TR_AT_S12E1W ||
		    op == TR_AT_S12E0W || op == TR_AT_S1E2W) ? TR_ACC_WRITE : TR_ACC_READ;
	acc.el = (op == TR_AT_S1E0R || op == TR_AT_S1E0W || op == TR_AT_S12E0R ||
		  op == TR_AT_S12E0W) ? 0 : op >= TR_AT_S1E2R ? 2 : 1;

	if (op == TR_AT_S1E2R || op == TR_AT_S1E2W)
		ok = tr_translate(ctx, e2h ? TR_REGIME_EL20 : TR_REGIME_EL2, va, &acc, &res,
				  &fault);
	else if (host)
		ok = tr_translate(ctx, TR_REGIME_EL20, va, &acc, &res, &fault);
	else
		ok = tr_el10_translate(ctx, va, &acc, s12, &res, &fault);
	return ok ? tr_par_from_result(&res) : tr_par_from_fault(&fault);
}

static const char *const at_names[] = {
	"S1E1R", "S1E1W", "S1E0R", "S1E0W", "S12E1R",
	"S12E1W", "S12E0R", "S12E0W", "S1E2R", "S1E2W",
};

enum tr_at_op tr_at_op_from_name(const char *name)
{
	for (unsigned i = 0; i < sizeof(at_names) / sizeof(at_names[0]); i++)
		if (!strcasecmp(name, at_names[i]))
			return (enum tr_at_op)i;
	return TR_AT_NONE;
}

const char *tr_at_op_name(enum tr_at_op op)
{
	if (op < 0 || (unsigned)op >= sizeof(at_names) / sizeof(at_names[0]))
		return "?";
	return at_names[op];
}

const char *tr_fault_type_name(enum tr_fault_type t)
{
	switch (t) {
	case TR_FAULT_NONE: return "none";
	case TR_FAULT_TRANSLATION: return "translation";
	case TR_FAULT_ADDRSIZE: return "address size";
	case TR_FAULT_ACCESS: return "access flag";
	case TR_FAULT_PERMISSION: return "permission";
	case TR_FAULT_EXT_ABORT_WALK: return "external abort on walk";
	}
	return "?";
}

const char *tr_regime_name(enum tr_regime r)
{
	switch (r) {
	case TR_REGIME_EL10: return "EL1&0";
	case TR_REGIME_EL20: return "EL2&0";
	case TR_REGIME_EL2: return "EL2";
	case TR_REGIME_S2: return "stage 2";
	}
	return "?";
}
