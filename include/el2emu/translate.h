/* el2emu translate: a pure-C VMSAv8-64 translation engine (no Unicorn, no I/O, no malloc).
 *
 * Walks EL1&0, EL2 and EL2&0 stage 1, stage 2, and the two-stage EL1&0 walk in which every
 * stage-1 table address is an IPA translated by stage 2. Descriptor reads and hardware
 * AF/dirty updates go through one callback interface (struct tr_mem_ops), so guest memory,
 * test fixtures and replayed traces all back the same walker.
 *
 * Stability: fields and functions are only ever added here, never renamed or redefined
 * (struct tr_params, private to the module, excepted).
 */
#ifndef EL2EMU_TRANSLATE_H
#define EL2EMU_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum tr_regime {
	TR_REGIME_EL10, /* EL1&0: TTBR0/1_EL1, TCR_EL1 (+ stage 2 when HCR_EL2.VM=1) */
	TR_REGIME_EL20, /* EL2&0 (HCR_EL2.E2H=1): TTBR0/1_EL2, TCR_EL2 in the EL1 layout */
	TR_REGIME_EL2,	/* EL2 (E2H=0): TTBR0_EL2, TCR_EL2 in the EL2 layout */
	TR_REGIME_S2,	/* stage 2 alone: VTTBR_EL2, VTCR_EL2 */
};

enum tr_acc_type { TR_ACC_READ, TR_ACC_WRITE, TR_ACC_EXEC };

struct tr_access {
	enum tr_acc_type type;
	uint8_t el;	/* 0, 1 or 2: the EL the access is made from (AT S1E0*: 0) */
	bool at;	/* made by an AT instruction (for fault reporting) */
	bool pan;	/* PSTATE.PAN applies (privileged data access; AT S1E1RP/WP) */
};

/* One choke point for descriptor I/O.
 * read64: false when pa is not backed (synchronous external abort on the walk). The value is
 *	the 64-bit word as stored little-endian in memory; the walker byte-swaps it itself
 *	when SCTLR_ELx.EE=1.
 * cas64: atomically replace the word at pa with desired if it equals expected; *seen gets
 *	the word found. Returns false when pa is not backed (external abort on the update).
 *	Values are in the same memory order as read64.
 *	May be NULL. Choice: then no hardware update is possible and the walk behaves as if
 *	TCR/VTCR.HA and HD were 0 (AF=0 gives an Access flag fault, a DBM-writable page
 *	with the read-only bit set gives a Permission fault), because reporting an update
 *	that cannot be made would hide a fault. */
struct tr_mem_ops {
	bool (*read64)(void *ctx, uint64_t pa, uint64_t *val);
	bool (*cas64)(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
		      uint64_t *seen);
	void *ctx;
};

/* The registers a walk reads, as EL2 software wrote them. */
struct tr_sysregs {
	uint64_t hcr_el2, vtcr_el2, vttbr_el2, tcr_el2, ttbr0_el2, ttbr1_el2, sctlr_el2,
		mair_el2, tcr_el1, ttbr0_el1, ttbr1_el1, sctlr_el1, mair_el1;
};

/* Implemented features; tr_features_default() gives QEMU -cpu max. */
struct tr_features {
	uint8_t pa_bits;	/* PAMax: 32, 36, 40, 42, 44, 48 or 52 */
	bool lpa;		/* FEAT_LPA: 52-bit OA with the 64K granule */
	bool lpa2;		/* FEAT_LPA2: TCR.DS / VTCR.DS */
	bool lva;		/* FEAT_LVA: 52-bit VA with the 64K granule */
	bool hafdbs_af;		/* FEAT_HAFDBS: hardware Access flag update (HA) */
	bool hafdbs_dirty;	/* FEAT_HAFDBS: hardware dirty state (HD, DBM) */
	bool xnx;		/* FEAT_XNX: stage-2 XN[1:0] */
	bool ttst;		/* FEAT_TTST: small translation tables (TxSZ up to 48) */
	bool vh;		/* FEAT_VHE: HCR_EL2.E2H */
	bool fwb;		/* FEAT_S2FWB: HCR_EL2.FWB */
	bool hpds;		/* FEAT_HPDS: TCR.HPD */
	bool pan;		/* FEAT_PAN */
	bool e0pd;		/* FEAT_E0PD: TCR_EL1/TCR_EL2(E2H).E0PD0/1 */
	bool gran4, gran16, gran64;		/* stage-1 granules supported */
	bool gran4_s2, gran16_s2, gran64_s2;	/* stage-2 granules supported */
};
void tr_features_default(struct tr_features *f);

enum tr_fault_type {
	TR_FAULT_NONE,
	TR_FAULT_TRANSLATION,
	TR_FAULT_ADDRSIZE,
	TR_FAULT_ACCESS,
	TR_FAULT_PERMISSION,
	TR_FAULT_EXT_ABORT_WALK, /* on the walk or on the hardware update of a descriptor */
};

struct tr_fault {
	enum tr_fault_type type;
	int8_t level;	/* -1..3 */
	bool stage2;	/* the fault is a stage-2 fault (PAR.S, ESR_EL2 vs ESR_EL1) */
	bool s1ptw;	/* stage-2 fault on a stage-1 table access (PAR.PTW, ESR.S1PTW) */
	bool write;	/* the faulting access was a write (ESR.WnR) */
	uint64_t ipa;	/* stage-2 faults: the faulting IPA (HPFAR_EL2 holds ipa >> 12 << 4) */
	/* Additions. */
	uint64_t va;	/* the input address of the translation that faulted */
	uint64_t pa;	/* external abort: the descriptor address that was not backed */
};
/* The 6-bit DFSC/IFSC (ESR_ELx.ISS[5:0], PAR_EL1.FST), including the level -1 forms.
 * TR_FAULT_NONE gives 0. */
uint8_t tr_fault_fsc(const struct tr_fault *f);

#define TR_LOG_MAX 40 /* a 5+5-level 2-D walk makes 5*(5+1)+5 = 35 reads */

struct tr_log_entry {
	uint8_t stage;		/* 1 or 2 */
	int8_t level;
	uint64_t table_ia;	/* table base as an IPA (stage 1 under stage 2) or a PA */
	uint64_t table_pa;
	uint32_t index;
	uint64_t desc_pa;
	uint64_t desc;		/* the value read (after any EE byte swap) */
	/* Additions. */
	bool s1ptw;		/* a stage-2 read made to translate a stage-1 table address */
};
/* Entries are appended; further entries are counted in n but not stored. The walk never
 * resets n: the caller zeroes it (tr_log_reset) before the walks it wants logged. */
struct tr_walk_log {
	unsigned n;
	struct tr_log_entry e[TR_LOG_MAX];
};
static inline void tr_log_reset(struct tr_walk_log *log)
{
	log->n = 0;
}

/* Permission bits of a result: EL0 and privileged (EL1 for EL1&0, EL2 for EL2 and EL2&0)
 * read, write, execute. For a two-stage result they are the intersection of both stages.
 * They describe the descriptors as they are in memory after the walk: a clean DBM page
 * (hardware dirty state) reads as not writable until a write has made it dirty, although
 * the write (and AT S1E1W) is allowed. With acc->pan (PSTATE.PAN), privileged R/W bits
 * of EL0-readable memory are clear. */
#define TR_PERM_R0 0x01u
#define TR_PERM_W0 0x02u
#define TR_PERM_X0 0x04u
#define TR_PERM_R1 0x08u
#define TR_PERM_W1 0x10u
#define TR_PERM_X1 0x20u

struct tr_result {
	uint64_t oa;		/* PA, or IPA for stage 1 alone */
	uint64_t ipa;		/* the IPA (stage 1 output, or the stage-2 input) */
	int8_t level;		/* leaf level of the (first) stage */
	uint64_t block_size;	/* leaf size in bytes; 0 for the flat map of a disabled
				 * stage 1 */
	uint64_t desc;		/* leaf descriptor (after any hardware update) */
	uint8_t attr;		/* MAIR format; for two stages the combined attributes */
	uint8_t sh;		/* shareability as PAR_EL1.SH reports it (0 NS, 2 OS, 3 IS) */
	uint8_t perms;		/* TR_PERM_* */
	bool contiguous, ng;
	/* Stage-2 leaf details (valid when s2_valid). */
	bool s2_valid;
	int8_t s2_level;
	uint64_t s2_block_size;
	uint64_t s2_desc;
	uint8_t s2ap;		/* S2AP[1:0]: bit 0 read, bit 1 write */
	uint8_t s2_xn;		/* XN[1:0] as in the descriptor (bit 1 only without FEAT_XNX) */
	uint8_t s2_memattr;	/* MemAttr[3:0] */
	uint8_t s2_sh;		/* SH[1:0] of the stage-2 descriptor */
	bool s2_contiguous;
	/* Additions. */
	uint8_t s1_attr;	/* stage-1 attributes alone (MAIR format); 0x00 when S1 is off */
	uint8_t s1_sh;		/* stage-1 shareability alone (descriptor SH or derived) */
	uint16_t asid;		/* ASID the entry is tagged with when ng */
	bool hw_updated;	/* a hardware AF/dirty update was made (or, with
				 * no_side_effects, would have been made) */
};

struct tr_access;
struct tr_s2_hook {
	/* Called for every stage-1 table address (s1ptw=true) and for the final output IPA
	 * (s1ptw=false). Returns true when translated (out->oa is the PA); on false, fills
	 * *fault (a stage-2 fault: stage2=true, ipa set). */
	bool (*xlate)(void *ctx, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
		      struct tr_result *out, struct tr_fault *fault);
	void *ctx;
};

/* Addition: an optional register-decode cache (tr_ctx.cache). Every walk first decodes
 * TCR/VTCR/TTBR/SCTLR/MAIR/HCR into walk parameters; with a cache, the decode of each stage
 * (stage 1 per regime and VA range, stage 2) is kept and reused for as long as *regs and
 * *feat hold the values it was made from. The walker compares them on every walk, so the
 * caller never invalidates anything: results are identical with and without a cache.
 * A walk nested in another on the same cache (from a tr_s2_hook) decodes for itself.
 * Zero-initialise before first use; not shared between threads; the members are private. */
#define TR_CACHE_SLOTS 7		/* EL1&0, EL2&0, EL2 x {TTBR0, TTBR1}; stage 2 */
/* Private to the translate module, like struct tr_params below. */
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

/* One entry of the stage-1 attribute table of struct tr_params (private). */
struct tr_s1_attr {
	struct tr_memattrs m;	/* MAIR_ELx.Attr<n> after SCTLR_ELx.C/I; sh left 0 */
	uint8_t enc;		/* EncodePARAttrs(m) */
	bool sh2;		/* shareability is 0b10 whatever the descriptor's SH */
	bool par_sh2;		/* PAREncodeShareability() is 0b10 whatever the SH */
};

/* Private to the translate module (its members may change at any time): the decoded
 * parameters of one stage of one regime (AArch64.GetS1TTWParams / AArch64.GetS2TTWParams),
 * plus the setup faults found while decoding. Defined here only because struct tr_cache
 * holds it. */
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
	uint8_t start_lsb;	/* lsb of the start level's index */
	uint64_t start_idx_mask;	/* index mask at the start level */
	uint64_t table_mask;	/* next-table address bits of the 48-bit formats */
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
	/* Made only for the cache (a decode clears only the flags): for stage 1, the
	 * attributes for each AttrIndx, for data accesses [0] and instruction fetches [1],
	 * and TR_PERM_* for each AP[2:1], APTable, PXN, UXN and PAN combination; for both
	 * stages, the two-stage fast path's descriptor tests (walk.c, fast_setup()). */
	bool attr_tab, perm_tab, fast;
	struct tr_s1_attr s1_attr[2][8];
	uint8_t s1_perm[128];
	uint64_t fast_table;		/* (desc & fast_table) == 3: a table in range */
	uint64_t fast_leaf_mask[4];	/* (desc & mask[l]) == want[l]: a leaf at level l */
	uint64_t fast_leaf_want[4];	/* that needs no fault nor hardware update */
	uint8_t fast_s2_perm[16];	/* stage 2, by S2AP | XN[1:0] << 2: TR_PERM_* | XN << 6 */
};

struct tr_cache {
	struct tr_sysregs regs;		/* the values the slots were decoded from */
	struct tr_features feat;
	uint8_t valid;			/* bit i: slot i holds a decode */
	bool busy;			/* a walk is using it (a nested walk then does not) */
	struct tr_params slot[TR_CACHE_SLOTS];
	/* EL1&0 two-stage attributes per stage-1 table entry (data/fetch x AttrIndx) and
	 * stage-2 MemAttr: PAR ATTR, bit 8 PAR SH forced to 0b10, bit 15 valid. */
	uint16_t comb[16][16];
	uint64_t fast_walks;		/* walks done by the two-stage fast path (statistics) */
};

struct tr_ctx {
	const struct tr_sysregs *regs;
	const struct tr_features *feat;
	struct tr_mem_ops mem;
	struct tr_walk_log *log;	/* may be NULL */
	bool no_side_effects;		/* inspection walk: no AF/dirty updates written; the
					 * result is what the walk would give if they were */
	/* Additions. */
	const struct tr_s2_hook *s2_hook; /* tr_translate/tr_at: NULL = walk VTTBR/VTCR */
	struct tr_cache *cache;		/* may be NULL: decode the registers on every walk */
};

/* Every translate entry point returns true on success; on a fault it returns false and
 * fills *fault. Nothing here allocates or does I/O except through ctx->mem. */

/* VTTBR/VTCR stage 2 alone (AArch64.S2Translate). */
bool tr_walk_s2(const struct tr_ctx *ctx, uint64_t ipa, const struct tr_access *acc,
		struct tr_result *res, struct tr_fault *fault);
/* Stage 1 of a regime (AArch64.S1Translate). s2 NULL: table addresses and the output are
 * PAs; otherwise every table address goes through s2 (s1ptw=true) and so does the output
 * (s1ptw=false), and res->oa is the PA. Stage 1 disabled (SCTLR.M=0): flat mapping.
 * regime is EL10, EL20 or EL2 (TR_REGIME_S2 gives a level 0 Translation fault). */
bool tr_walk_s1(const struct tr_ctx *ctx, enum tr_regime regime, uint64_t va,
		const struct tr_access *acc, const struct tr_s2_hook *s2,
		struct tr_result *res, struct tr_fault *fault);
/* Full regime: stage 1 (if enabled) + stage 2 when HCR_EL2.VM=1 for EL1&0. */
bool tr_translate(const struct tr_ctx *ctx, enum tr_regime regime, uint64_t va,
		  const struct tr_access *acc, struct tr_result *res, struct tr_fault *fault);

enum tr_at_op {
	TR_AT_S1E1R, TR_AT_S1E1W, TR_AT_S1E0R, TR_AT_S1E0W, TR_AT_S12E1R,
	TR_AT_S12E1W, TR_AT_S12E0R, TR_AT_S12E0W, TR_AT_S1E2R, TR_AT_S1E2W,
	TR_AT_NONE = -1,
};
/* AT executed at EL2: PAR_EL1 exactly as the architecture defines it. S1E0* / S1E1* /
 * S12E* target EL1&0 (EL2&0 when HCR_EL2.{E2H,TGE} = {1,1}); S1E2* target EL2, or EL2&0
 * when HCR_EL2.E2H = 1. */
uint64_t tr_at(const struct tr_ctx *ctx, enum tr_at_op op, uint64_t va);
/* "S12E1R" (case-insensitive) -> TR_AT_S12E1R; unknown -> TR_AT_NONE. */
enum tr_at_op tr_at_op_from_name(const char *name);
const char *tr_at_op_name(enum tr_at_op op);
/* PAR_EL1 of a successful translation (PA, ATTR, SH, NS=1) and of a fault (F, FST, PTW, S). */
uint64_t tr_par_from_result(const struct tr_result *res);
uint64_t tr_par_from_fault(const struct tr_fault *fault);

const char *tr_fault_type_name(enum tr_fault_type t);
const char *tr_regime_name(enum tr_regime r);

#ifdef __cplusplus
}
#endif

#endif /* EL2EMU_TRANSLATE_H */
