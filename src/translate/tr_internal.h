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

/* Decoded parameters of one stage of one regime (AArch64.GetS1TTWParams /
 * AArch64.GetS2TTWParams), plus the setup faults found while decoding. */
struct tr_params {
	uint8_t stage;		/* 1 or 2 */
	uint8_t gbits;		/* 12, 14 or 16 */
	uint8_t stride;		/* gbits - 3 */
	uint8_t txsz;
	uint8_t ia_bits;	/* 64 - txsz */
	int8_t start_level;
	uint8_t oa_bits;	/* AArch64.PhysicalAddressSize(): min(PS, PAMax, format max) */
	bool ds;		/* TCR.DS / VTCR.DS in effect (4K/16K only) */
	bool oa52_64k;		/* 64K granule with OA[51:48] in descriptor bits [15:12] */
	bool blk64_l1;		/* 64K level 1 blocks exist (PAMax 52) */
	bool ha, hd;		/* hardware AF / dirty update enabled */
	bool hpd;		/* hierarchical permissions disabled (stage 1) */
	bool ee;		/* big-endian descriptors */
	bool two_priv;		/* stage 1 regime with EL0 (EL1&0, EL2&0) */
	bool wxn;
	bool s1_enabled;	/* stage 1: SCTLR.M (and not HCR_EL2.DC/TGE) */
	bool dcache, icache;	/* stage 1: SCTLR.C / SCTLR.I; stage 2: !HCR_EL2.CD / ID */
	bool xnx;		/* stage 2: FEAT_XNX */
	bool fwb;		/* stage 2: HCR_EL2.FWB */
	bool ptw;		/* stage 2: HCR_EL2.PTW */
	uint8_t ds_sh;		/* TCR.SHx when DS=1 */
	uint16_t asid;
	uint64_t ttb;		/* start table base (IPA for stage 1 under stage 2) */
	uint64_t mair;
	/* Stage 1, for the per-VA checks of tr_s1_check(). */
	uint64_t va_hi_mask;	/* VA bits [63:ia_bits] */
	bool upper;		/* the TTBR1 range (VA bit 55 set) */
	bool tbi, tbi_x;	/* top byte ignored for data / for instruction fetches */
	bool epd, e0pd;		/* TCR.EPDx, TCR.E0PDx (FEAT_E0PD) */
	bool ttb_oor;		/* TTB beyond the OA size */
	/* A fault found by the setup (TxSZ, SL0, input range, EPD, E0PD, TTB size); after
	 * tr_s1_decode() alone, only the TxSZ fault. */
	enum tr_fault_type setup_fault;
	int8_t setup_level;
};

/* AArch64.GetS1TTWParams for one VA range (upper: TTBR1), independent of the VA and the
 * access, so that it can be cached (struct tr_cache). */
void tr_s1_decode(const struct tr_sysregs *r, const struct tr_features *f, enum tr_regime regime,
		  bool upper, struct tr_params *p);
/* The input checks of AArch64.S1Translate for one VA and access on decoded parameters:
 * the level 0 fault they give, or TR_FAULT_NONE. */
enum tr_fault_type tr_s1_check(const struct tr_params *p, uint64_t va,
			       const struct tr_access *acc);
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

/* Memory attributes in the shape of the pseudocode's MemoryAttributes. */
enum { TR_CA_NC, TR_CA_WT, TR_CA_WB };
struct tr_memattrs {
	bool device;
	uint8_t dev;		/* 0 nGnRnE, 1 nGnRE, 2 nGRE, 3 GRE */
	uint8_t in, out;	/* TR_CA_* */
	uint8_t in_hints, out_hints; /* RA<<1 | WA */
	bool in_tr, out_tr;	/* transient */
	uint8_t sh;		/* 0 NSH, 2 OSH, 3 ISH */
};

/* Attribute helpers (attrs.h): tr_mair_decode, tr_mair_encode (EncodePARAttrs),
 * tr_s2_memattr_decode, tr_s2_combine (S2CombineS1MemAttrs / S2ApplyFWBMemAttrs),
 * tr_combine_mair, tr_par_sh (PAREncodeShareability). */
#include "attrs.h"

#endif
