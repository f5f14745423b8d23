/* Private interface of the translate module: decoded walk parameters and attribute helpers.
 * Tests include it to check the register decode on its own. */
#ifndef EL2EMU_TR_INTERNAL_H
#define EL2EMU_TR_INTERNAL_H

#include "el2emu/translate.h"

#define TR_BIT(n) (1ull << (n))
#define TR_MASK(hi, lo) ((~0ull >> (63 - (hi))) & (~0ull << (lo)))
#define TR_FIELD(v, hi, lo) (((v) & TR_MASK(hi, lo)) >> (lo))

/* Register bits used by the walker (Arm ARM D19 register descriptions). */
#define HCR_VM TR_BIT(0)
#define HCR_PTW TR_BIT(2)
#define HCR_DC TR_BIT(12)
#define HCR_TGE TR_BIT(27)
#define HCR_CD TR_BIT(32)
#define HCR_ID TR_BIT(33)
#define HCR_E2H TR_BIT(34)
#define HCR_FWB TR_BIT(46)
#define SCTLR_M TR_BIT(0)
#define SCTLR_C TR_BIT(2)
#define SCTLR_I TR_BIT(12)
#define SCTLR_WXN TR_BIT(19)
#define SCTLR_EE TR_BIT(25)

/* struct tr_params (the decoded parameters of one stage) is defined in the public header,
 * because struct tr_cache holds it; only this module reads or writes its members. */

/* AArch64.GetS1TTWParams for one VA range (upper: TTBR1), independent of the VA and the
 * access, so that it can be cached (struct tr_cache). */
void tr_s1_decode(const struct tr_sysregs *r, const struct tr_features *f, enum tr_regime regime,
		  bool upper, struct tr_params *p);
/* The input checks of AArch64.S1Translate for one VA and access on decoded parameters:
 * the level 0 fault they give, or TR_FAULT_NONE. Inline: every stage-1 walk makes them. */
static inline enum tr_fault_type tr_s1_check(const struct tr_params *p, uint64_t va,
					     const struct tr_access *acc)
{
	/* AArch64.VAIsOutOfRange(): the bits above the range must all equal bit 55 (two
	 * ranges) or be zero (one range); with TBI, bits [63:56] are ignored. */
	uint64_t mask = p->va_hi_mask;

	if (acc->type == TR_ACC_EXEC ? p->tbi_x : p->tbi)
		mask &= TR_MASK(55, 0);
	/* The TxSZ fault, then the range, then TCR.EPDx and TCR.E0PDx for EL0 accesses
	 * (AArch64.S1Translate): all level 0 Translation faults. */
	if (p->setup_fault != TR_FAULT_NONE || (va & mask) != (p->upper ? mask : 0) ||
	    p->epd || (acc->el == 0 && p->e0pd))
		return TR_FAULT_TRANSLATION;
	if (p->ttb_oor)
		return TR_FAULT_ADDRSIZE;
	return TR_FAULT_NONE;
}

/* Both: AArch64.GetS1TTWParams + the input checks of AArch64.S1Translate for one VA. */
void tr_s1_setup(const struct tr_sysregs *r, const struct tr_features *f, enum tr_regime regime,
		 uint64_t va, const struct tr_access *acc, struct tr_params *p);
/* AArch64.GetS2TTWParams + AArch64.S2InvalidSL/S2InconsistentSL/S2TxSZFaults (the IPA range
 * check is done per IPA by the walk). */
void tr_s2_setup(const struct tr_sysregs *r, const struct tr_features *f, struct tr_params *p);

/* EL1&0 translation: stage 1 with its table walk through stage 2 when HCR_EL2.VM=1
 * (ctx->s2_hook or the builtin VTTBR/VTCR walk), and the output too when s2_output. */
bool tr_el10_translate(const struct tr_ctx *ctx, uint64_t va, const struct tr_access *acc,
		       bool s2_output, struct tr_result *res, struct tr_fault *fault);

/* enum TR_CA_* and struct tr_memattrs (memory attributes in the shape of the pseudocode's
 * MemoryAttributes) are in the public header, in the private part that struct tr_params
 * needs. */

/* Attribute helpers (attrs.h): tr_mair_decode, tr_mair_encode (EncodePARAttrs),
 * tr_s2_memattr_decode, tr_s2_combine (S2CombineS1MemAttrs / S2ApplyFWBMemAttrs),
 * tr_combine_mair, tr_par_sh (PAREncodeShareability). */
#include "attrs.h"

#endif
