/* Encodings, attributes, permissions and features, each against the Arm ARM rule cited:
 * FSC values (ESR_ELx.ISS DFSC table), PAR_EL1 fields, MAIR decoding and the
 * S2CombineS1MemAttrs / S2ApplyFWBMemAttrs / PAREncodeShareability rules, stage-1
 * AP/UXN/PXN/APTable/WXN/PAN/HPD tables, stage-2 S2AP and XN[1:0] (FEAT_XNX), hardware
 * AF/dirty updates (HA/HD/DBM), TBI, EPD, E0PD, EE, LPA2/LPA 52-bit outputs, regimes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "builder.h"
#include "tr_internal.h"

#define RAM 0x40000000ull
#define RAM_SIZE (4ull << 20)

struct fx {
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct bld b;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	fx_add_ram(&x->mem, RAM, RAM_SIZE);
	tr_features_default(&x->feat);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	fx_free(&x->mem);
	free(x);
	return 0;
}

static struct tr_ctx ctx_of(struct fx *x)
{
	struct tr_ctx c = { .regs = &x->regs, .feat = &x->feat, .mem = fx_ops(&x->mem) };

	return c;
}

/* EL1&0, 4K, T0SZ=25 (3 levels from 1), stage 2 off. */
static void s1_setup(struct fx *x)
{
	bld_init(&x->b, &x->mem, RAM, RAM_SIZE, 12, 39, 1);
	x->regs.tcr_el1 = 25 | 5ull << 32 | 1u << 23 | 3u << 12;
	x->regs.ttbr0_el1 = x->b.root | 0x42ull << 48;
	x->regs.sctlr_el1 = 1 | 1u << 2 | 1u << 12;
	x->regs.mair_el1 = 0x0c04ff44ull << 0 | 0xbbull << 32 | 0xf4ull << 40;
}

/* ---- FSC and PAR encodings ---- */

static void test_fsc_table(void **state)
{
	/* ESR_ELx ISS DFSC: 0b0000LL address size, 0b0001LL translation, 0b0010LL
	 * access flag, 0b0011LL permission, 0b0101LL external abort on walk; level -1:
	 * 0b101001, 0b101011, 0b010011. */
	static const struct { enum tr_fault_type t; int level; uint8_t fsc; } v[] = {
		{ TR_FAULT_ADDRSIZE, 0, 0x00 }, { TR_FAULT_ADDRSIZE, 3, 0x03 },
		{ TR_FAULT_ADDRSIZE, -1, 0x29 }, { TR_FAULT_TRANSLATION, 0, 0x04 },
		{ TR_FAULT_TRANSLATION, 1, 0x05 }, { TR_FAULT_TRANSLATION, 3, 0x07 },
		{ TR_FAULT_TRANSLATION, -1, 0x2b }, { TR_FAULT_ACCESS, 0, 0x08 },
		{ TR_FAULT_ACCESS, 3, 0x0b }, { TR_FAULT_PERMISSION, 0, 0x0c },
		{ TR_FAULT_PERMISSION, 2, 0x0e }, { TR_FAULT_EXT_ABORT_WALK, 0, 0x14 },
		{ TR_FAULT_EXT_ABORT_WALK, 3, 0x17 }, { TR_FAULT_EXT_ABORT_WALK, -1, 0x13 },
		{ TR_FAULT_NONE, 0, 0x00 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tr_fault f = { .type = v[i].t, .level = (int8_t)v[i].level };

		assert_int_equal(tr_fault_fsc(&f), v[i].fsc);
	}
}

static void test_par_encoding(void **state)
{
	struct tr_result r = { .oa = 0x000fedcba9876543ull, .attr = 0x44, .sh = 2 };
	struct tr_fault f = { .type = TR_FAULT_PERMISSION, .level = 2, .stage2 = true,
			      .s1ptw = true };

	(void)state;
	/* PA[51:12] in bits [51:12], ATTR [63:56], SH [8:7], NS bit 9 (IMPDEF 1), bit 11. */
	assert_int_equal(tr_par_from_result(&r), 0x440fedcba9876b00ull);
	/* F=1, FST=0x0e in [6:1], PTW bit 8, S bit 9, bit 11. */
	assert_int_equal(tr_par_from_fault(&f), 0xb1dull);
	assert_int_equal(tr_at_op_from_name("s12e0w"), TR_AT_S12E0W);
	assert_int_equal(tr_at_op_from_name("S1E3R"), TR_AT_NONE);
	assert_string_equal(tr_at_op_name(TR_AT_S1E2W), "S1E2W");
}

/* ---- Attributes ---- */

static void test_attr_combination(void **state)
{
	/* S2CombineS1MemAttrs: Device wins with the stronger type; Normal takes the weaker
	 * cacheability per inner/outer with stage-1 hints; shareability: OSH > ISH > NSH;
	 * PAREncodeShareability: Device or NC/NC reports 0b10. FWB per
	 * AArch64.S2ApplyFWBMemAttrs: MemAttr[2]=0 Device, 0b110 forced WB, 0b111 stage 1,
	 * 0b101 NC unless stage 1 is Device. */
	static const struct {
		uint8_t s1, s1sh, s2, s2sh;
		bool fwb;
		uint8_t attr, sh;
	} v[] = {
		{ 0xff, 3, 0xf, 3, false, 0xff, 3 },	/* WB + WB */
		{ 0xff, 3, 0x5, 3, false, 0x44, 2 },	/* WB + NC: NC, SH 0b10 */
		{ 0xff, 3, 0xa, 3, false, 0xbb, 3 },	/* WB + WT: WT with S1 RW hints */
		{ 0xff, 0, 0xf, 3, false, 0xff, 3 },	/* NSH + ISH: ISH */
		{ 0xff, 3, 0xf, 2, false, 0xff, 2 },	/* ISH + OSH: OSH */
		{ 0x04, 0, 0xf, 3, false, 0x04, 2 },	/* Device nGnRE + WB: Device */
		{ 0xff, 3, 0x0, 3, false, 0x00, 2 },	/* WB + Device nGnRnE */
		{ 0x0c, 0, 0x1, 0, false, 0x04, 2 },	/* GRE + nGnRE: nGnRE */
		{ 0xf4, 3, 0xf, 3, false, 0xf4, 3 },	/* outer WB, inner NC */
		{ 0xff, 3, 0xd, 3, false, 0xf4, 3 },	/* S2 outer WB inner NC */
		/* FWB forced WB over Device; IMPDEF: stage 1 passes its descriptor SH
		 * (not the effective OSH) to the combination, as QEMU does. */
		{ 0x00, 0, 0x6, 3, true, 0xff, 3 },
		{ 0x44, 0, 0x7, 0, true, 0x44, 2 },	/* FWB: stage-1 attributes */
		{ 0xff, 3, 0x5, 3, true, 0x44, 2 },	/* FWB NC */
		{ 0x04, 0, 0x5, 3, true, 0x04, 2 },	/* FWB NC keeps S1 Device */
		{ 0xff, 3, 0x1, 3, true, 0x04, 2 },	/* FWB Device nGnRE */
		{ 0x00, 0, 0x3, 3, true, 0x00, 2 },	/* FWB: stronger of the two Devices */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tr_memattrs s1, out;

		tr_mair_decode(v[i].s1, &s1);
		s1.sh = v[i].s1sh;
		tr_s2_combine(&s1, v[i].s2, v[i].s2sh, v[i].fwb, &out);
		if (tr_mair_encode(&out) != v[i].attr || tr_par_sh(&out) != v[i].sh)
			print_error("row %zu: attr 0x%x sh %u\n", i, tr_mair_encode(&out),
				    tr_par_sh(&out));
		assert_int_equal(tr_mair_encode(&out), v[i].attr);
		assert_int_equal(tr_par_sh(&out), v[i].sh);
	}
}

static void test_mair_roundtrip(void **state)
{
	/* Every architected MAIR encoding (Device dd00, Normal with both nibbles from
	 * 0b0100 or 0bxxRW, RW != 00) encodes back to itself in PAR_EL1.ATTR. */
	(void)state;
	for (unsigned a = 0; a < 256; a++) {
		unsigned hi = a >> 4, lo = a & 15;
		struct tr_memattrs m;
		bool arch;

		if (hi == 0)
			arch = (lo & 3) == 0;
		else
			arch = (lo == 4 || (lo & 3)) && (hi == 4 || (hi & 3));
		if (!arch)
			continue;
		tr_mair_decode((uint8_t)a, &m);
		assert_int_equal(tr_mair_encode(&m), a);
	}
}

/* Stage-1 output attributes and the PAR of AT: index into MAIR, SH from the descriptor,
 * SH reported 0b10 for Device and NC. */
static void test_s1_attrs_par(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c;

	s1_setup(x);
	c = ctx_of(x);
	bld_map(&x->b, 0x1000, 0x80001000, 3, 1u << 10 | 3u << 8 | 1u << 2);	/* Attr1 WB */
	bld_map(&x->b, 0x2000, 0x80002000, 3, 1u << 10 | 3u << 8 | 2u << 2);	/* Attr2 nGnRE */
	bld_map(&x->b, 0x3000, 0x80003000, 3, 1u << 10 | 3u << 8 | 0u << 2);	/* Attr0 NC */
	bld_map(&x->b, 0x4000, 0x80004000, 3, 1u << 10 | 2u << 8 | 4u << 2);	/* WT RW, OSH */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x1000), 0xff00000080001b80ull);
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x2000), 0x0400000080002b00ull);
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x3000), 0x4400000080003b00ull);
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x4000), 0xbb00000080004b00ull);
	/* SCTLR_EL1.C=0: Normal data treated as Non-cacheable (AArch64.S1Translate). */
	x->regs.sctlr_el1 &= ~(1ull << 2);
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x1000), 0x4400000080001b00ull);
	/* Stage 1 off: Device-nGnRnE, flat (AArch64.S1DisabledOutput). */
	x->regs.sctlr_el1 = 0;
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x12345678), 0x0000000012345b00ull);
	/* ... and Normal WB with HCR_EL2.DC=1. */
	x->regs.hcr_el2 = 1u << 12;
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x12345678), 0xff00000012345a00ull);
}

/* ---- Stage-1 permissions ---- */

static void test_s1_ap_table(void **state)
{
	/* D8.4.x, data access permissions for a regime with EL0: AP[2:1] = 00 EL1 RW /
	 * EL0 none, 01 RW / RW, 10 RO / none, 11 RO / RO. */
	static const struct { unsigned ap; bool r1, w1, r0, w0; } v[] = {
		{ 0, true, true, false, false }, { 1, true, true, true, true },
		{ 2, true, false, false, false }, { 3, true, false, true, false },
	};
	struct fx *x = *state;
	struct tr_ctx c;

	s1_setup(x);
	c = ctx_of(x);
	for (size_t i = 0; i < 4; i++) {
		uint64_t va = 0x10000 + i * 0x1000;

		bld_map(&x->b, va, 0x90000000 + i * 0x1000, 3,
			1u << 10 | 3u << 8 | 1u << 2 | v[i].ap << 6);
		assert_int_equal(!(tr_at(&c, TR_AT_S1E1R, va) & 1), v[i].r1);
		assert_int_equal(!(tr_at(&c, TR_AT_S1E1W, va) & 1), v[i].w1);
		assert_int_equal(!(tr_at(&c, TR_AT_S1E0R, va) & 1), v[i].r0);
		assert_int_equal(!(tr_at(&c, TR_AT_S1E0W, va) & 1), v[i].w0);
		if (!v[i].w1)
			assert_int_equal(tr_at(&c, TR_AT_S1E1W, va), 0x81f);
	}
}

static void test_s1_hierarchical_and_xn(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c;
	struct tr_access ex1 = { .type = TR_ACC_EXEC, .el = 1 };
	struct tr_access ex0 = { .type = TR_ACC_EXEC, .el = 0 };
	struct tr_access rd0 = { .type = TR_ACC_READ, .el = 0 };
	struct tr_access wr1 = { .type = TR_ACC_WRITE, .el = 1 };
	struct tr_access rd1 = { .type = TR_ACC_READ, .el = 1, .pan = true };
	struct tr_result res;
	struct tr_fault f;
	uint64_t l2slot, leaf;

	s1_setup(x);
	c = ctx_of(x);
	/* AP=01 (EL0 RW): EL1 may not execute (writable at EL0), EL0 may. */
	leaf = bld_map(&x->b, 0x200000, 0x90000000, 3, 1u << 10 | 3u << 8 | 1u << 6);
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x200000, &ex1, &res, &f));
	assert_int_equal(f.type, TR_FAULT_PERMISSION);
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0x200000, &ex0, &res, &f));
	/* PAN: a privileged read of EL0-accessible memory faults. */
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x200000, &rd1, &res, &f));
	/* UXN: EL0 may not execute. */
	fx_w64(&x->mem, leaf, fx_r64(&x->mem, leaf) | 1ull << 54);
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x200000, &ex0, &res, &f));
	/* APTable[0] (bit 61) on the level-2 table descriptor: no EL0 access below. */
	fx_w64(&x->mem, leaf, fx_r64(&x->mem, leaf) & ~(1ull << 54));
	l2slot = bld_slot(&x->b, 0x200000, 2, 0);
	{
		uint64_t l1slot = x->b.root + 8 * ((0x200000ull >> 30) & 511);

		assert_true(tr_translate(&c, TR_REGIME_EL10, 0x200000, &rd0, &res, &f));
		fx_w64(&x->mem, l1slot, fx_r64(&x->mem, l1slot) | 1ull << 61);
		assert_false(tr_translate(&c, TR_REGIME_EL10, 0x200000, &rd0, &res, &f));
		assert_int_equal(f.level, 3);
		/* TCR_EL1.HPD0: hierarchical permissions disabled. */
		x->regs.tcr_el1 |= 1ull << 41;
		assert_true(tr_translate(&c, TR_REGIME_EL10, 0x200000, &rd0, &res, &f));
		x->regs.tcr_el1 &= ~(1ull << 41);
		/* APTable[1] (bit 62): read-only below. */
		fx_w64(&x->mem, l1slot, (fx_r64(&x->mem, l1slot) & ~(1ull << 61)) | 1ull << 62);
		assert_false(tr_translate(&c, TR_REGIME_EL10, 0x200000, &wr1, &res, &f));
		/* PXNTable (bit 59) on a table. */
		fx_w64(&x->mem, l1slot, (fx_r64(&x->mem, l1slot) & ~(1ull << 62)));
	}
	(void)l2slot;
	/* SCTLR_EL1.WXN: a writable location is not executable (EL0 here). */
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0x200000, &ex0, &res, &f));
	x->regs.sctlr_el1 |= 1ull << 19;
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x200000, &ex0, &res, &f));
}

/* EL2 regime (one privilege level): AP[1] ignored, bit 54 is XN. */
static void test_el2_regime(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c = ctx_of(x);
	uint64_t leaf;

	bld_init(&x->b, &x->mem, RAM, RAM_SIZE, 12, 39, 1);
	x->regs.tcr_el2 = 25 | 5u << 16 | 3u << 12;
	x->regs.ttbr0_el2 = x->b.root;
	x->regs.sctlr_el2 = 1 | 1u << 2;
	x->regs.mair_el2 = 0xff;
	leaf = bld_map(&x->b, 0x5000, 0x95000000, 3, 1u << 10 | 3u << 8 | 1u << 6);
	assert_int_equal(tr_at(&c, TR_AT_S1E2W, 0x5abc), 0xff00000095000b80ull);
	fx_w64(&x->mem, leaf, fx_r64(&x->mem, leaf) | 2u << 6);
	assert_int_equal(tr_at(&c, TR_AT_S1E2W, 0x5abc), 0x81f);
	/* VA outside the single range: level 0 Translation fault. */
	assert_int_equal(tr_at(&c, TR_AT_S1E2R, 1ull << 39), 0x809);
	/* With HCR_EL2.E2H, S1E2* use the EL2&0 layout of TCR_EL2 (T0SZ, TG0 the same,
	 * IPS at [34:32]): here IPS=0 (32 bits), so an OA above 4 GiB is an Address size
	 * fault, while PS=0b101 (48 bits) of the EL2 layout accepted it. */
	bld_map(&x->b, 0x6000, 0x195000000ull, 3, 1u << 10 | 3u << 8);
	assert_int_equal(tr_at(&c, TR_AT_S1E2R, 0x6abc), 0xff00000195000b80ull);
	x->regs.hcr_el2 = 1ull << 34;
	assert_int_equal(tr_at(&c, TR_AT_S1E2R, 0x6abc), 0x807);
	assert_int_equal(tr_at(&c, TR_AT_S1E2R, 0x5abc) & 1, 0);
}

/* ---- Stage 2 permissions: S2AP and XN[1:0] with FEAT_XNX ---- */

static void test_s2_xn(void **state)
{
	/* XN[1:0]: 00 both execute, 01 EL1 not (PXN), 10 neither, 11 EL0 not (UXN). */
	static const bool x1[4] = { true, false, false, true }, x0[4] = { true, true, false,
									false };
	struct fx *x = *state;
	struct tr_ctx c = ctx_of(x);
	struct tr_access e1 = { .type = TR_ACC_EXEC, .el = 1 };
	struct tr_access e0 = { .type = TR_ACC_EXEC, .el = 0 };
	struct tr_result res;
	struct tr_fault f;

	bld_init(&x->b, &x->mem, RAM, RAM_SIZE, 12, 39, 1);
	x->regs.vtcr_el2 = 25 | 1u << 6 | 5u << 16;
	x->regs.vttbr_el2 = x->b.root;
	for (unsigned xn = 0; xn < 4; xn++) {
		uint64_t ipa = 0x100000 + xn * 0x1000;

		bld_map(&x->b, ipa, ipa, 3, 1u << 10 | 3u << 6 | 0xfu << 2 | (uint64_t)xn << 53);
		assert_int_equal(tr_walk_s2(&c, ipa, &e1, &res, &f), x1[xn]);
		assert_int_equal(tr_walk_s2(&c, ipa, &e0, &res, &f), x0[xn]);
	}
	/* Without FEAT_XNX only XN[1] counts: 01 executes everywhere, 11 nowhere. */
	x->feat.xnx = false;
	assert_true(tr_walk_s2(&c, 0x101000, &e1, &res, &f));
	assert_false(tr_walk_s2(&c, 0x103000, &e0, &res, &f));
	assert_false(tr_walk_s2(&c, 0x103000, &e1, &res, &f));
}

/* ---- Hardware Access flag and dirty state ---- */

static bool cas_never(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
		      uint64_t *seen)
{
	(void)ctx;
	(void)pa;
	(void)desired;
	*seen = expected ^ 1;	/* always someone else's value */
	return true;
}

static void test_hw_af_dirty(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c;
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_access wr = { .type = TR_ACC_WRITE, .el = 1 };
	struct tr_result res;
	struct tr_fault f;
	uint64_t leaf, d;

	s1_setup(x);
	c = ctx_of(x);
	/* AF=0, DBM=1, AP[2]=1 (clean, writable by hardware). */
	leaf = bld_map(&x->b, 0x7000, 0x97000000, 3, 3u << 8 | 2u << 6 | 1ull << 51);
	d = fx_r64(&x->mem, leaf);
	/* HA=0: Access flag fault. */
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x7000, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_ACCESS);
	/* HA=1 with no_side_effects: success, memory untouched. */
	x->regs.tcr_el1 |= 1ull << 39;
	c.no_side_effects = true;
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0x7000, &rd, &res, &f));
	assert_true(res.hw_updated);
	assert_int_equal(fx_r64(&x->mem, leaf), d);
	/* cas64 NULL: behaves as HA=0. */
	c.no_side_effects = false;
	c.mem.cas64 = NULL;
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x7000, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_ACCESS);
	/* A descriptor that always changes under the update: bounded retries, then an
	 * external abort on the update (IMPDEF, documented). */
	c.mem.cas64 = cas_never;
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x7000, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_EXT_ABORT_WALK);
	/* HA=1: AF set in memory. */
	c = ctx_of(x);
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0x7000, &rd, &res, &f));
	assert_int_equal(fx_r64(&x->mem, leaf), d | 1u << 10);
	/* A write without HD: Permission fault (AP[2]=1). */
	assert_false(tr_translate(&c, TR_REGIME_EL10, 0x7000, &wr, &res, &f));
	assert_int_equal(f.type, TR_FAULT_PERMISSION);
	/* HD=1: AT S1E1W succeeds but does not set the dirty state... */
	x->regs.tcr_el1 |= 1ull << 40;
	assert_int_equal(tr_at(&c, TR_AT_S1E1W, 0x7000) & 1, 0);
	assert_int_not_equal(fx_r64(&x->mem, leaf) & 1u << 7, 0);
	/* ...a write does: AP[2] cleared. */
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0x7000, &wr, &res, &f));
	assert_int_equal(fx_r64(&x->mem, leaf) & 1u << 7, 0);
	assert_true(res.perms & TR_PERM_W1);
}

static void test_s2_hw_dirty(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c = ctx_of(x);
	struct tr_access wr = { .type = TR_ACC_WRITE, .el = 1 };
	struct tr_result res;
	struct tr_fault f;
	uint64_t leaf;

	bld_init(&x->b, &x->mem, RAM, RAM_SIZE, 12, 39, 1);
	x->regs.vtcr_el2 = 25 | 1u << 6 | 5u << 16 | 3u << 21;	/* HA, HD */
	x->regs.vttbr_el2 = x->b.root;
	/* AF=0, S2AP=01 (read-only), DBM=1. */
	leaf = bld_map(&x->b, 0x8000, 0x98000000, 3, 1u << 6 | 0xfu << 2 | 1ull << 51);
	assert_true(tr_walk_s2(&c, 0x8000, &wr, &res, &f));
	assert_int_equal(fx_r64(&x->mem, leaf) & (1u << 7 | 1u << 10), 1u << 7 | 1u << 10);
	assert_int_equal(res.s2ap, 3);
}

/* ---- Address ranges, TBI, EPD, E0PD, EE ---- */

static void test_tbi_epd_e0pd(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c;

	s1_setup(x);
	c = ctx_of(x);
	bld_map(&x->b, 0x9000, 0x99000000, 3, 1u << 10 | 3u << 8 | 1u << 6);
	/* A tag in [63:56] without TBI0: outside the range. */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x5a00000000009000ull), 0x809);
	x->regs.tcr_el1 |= 1ull << 37;	/* TBI0 */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x5a00000000009000ull) & 1, 0);
	/* EPD1=1 (set by s1_setup): a TTBR1 address faults at level 0. */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0xffffffffffff9000ull), 0x809);
	/* E0PD0: EL0 accesses to the TTBR0 range fault at level 0, EL1 ones do not. */
	x->regs.tcr_el1 |= 1ull << 55;
	assert_int_equal(tr_at(&c, TR_AT_S1E0R, 0x9000), 0x809);
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x9000) & 1, 0);
	/* SCTLR_EL1.EE=1: descriptors are big-endian; the little-endian tables fault. */
	x->regs.sctlr_el1 |= 1u << 25;
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x9000) & 1, 1);
}

static void test_big_endian_tables(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c;

	s1_setup(x);
	c = ctx_of(x);
	{
		uint64_t leaf = bld_map(&x->b, 0xa000, 0x9a000000, 3, 1u << 10 | 3u << 8);
		uint64_t l2 = bld_slot(&x->b, 0xa000, 2, 0);
		uint64_t l1 = x->b.root;

		fx_w64(&x->mem, leaf, __builtin_bswap64(fx_r64(&x->mem, leaf)));
		fx_w64(&x->mem, l2, __builtin_bswap64(fx_r64(&x->mem, l2)));
		fx_w64(&x->mem, l1, __builtin_bswap64(fx_r64(&x->mem, l1)));
	}
	x->regs.sctlr_el1 |= 1u << 25;
	/* AttrIndx 0 = MAIR Attr0 0x44 (Normal NC): SH reported 0b10. */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0xa123), 0x440000009a000b00ull);
}

static void test_external_abort(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c = ctx_of(x);

	s1_setup(x);
	x->regs.ttbr0_el1 = 0x10000000;	/* not backed */
	/* Synchronous external abort on the walk, level 1 (the start level). */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x1000), 0x800 | 0x15 << 1 | 1);
}

/* ---- 52-bit outputs: LPA2 (TCR.DS) with 4K, FEAT_LPA with 64K ---- */

static void test_lpa2_52bit(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c = ctx_of(x);
	uint64_t oa = 0x000f123456789000ull;

	/* 4K, DS=1, T0SZ=12 (52-bit VA: start level -1), IPS=52. */
	bld_init(&x->b, &x->mem, RAM, RAM_SIZE, 12, 52, -1);
	x->b.ds = true;
	bld_map(&x->b, 0x000fedcba9876000ull, oa, 3, 1u << 10);
	x->regs.tcr_el1 = 12 | 6ull << 32 | 1u << 23 | 3u << 12 | 1ull << 59;
	x->regs.ttbr0_el1 = x->b.root;
	x->regs.sctlr_el1 = 1 | 1u << 2;
	x->regs.mair_el1 = 0xff;
	/* SH comes from TCR_EL1.SH0 (3) with DS. */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x000fedcba9876123ull),
			 0xff0f123456789b80ull);
	/* IPS=48: the same OA is an Address size fault at level 3. */
	x->regs.tcr_el1 = (x->regs.tcr_el1 & ~(7ull << 32)) | 5ull << 32;
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x000fedcba9876123ull), 0x807);
	/* A level 0 block is valid with DS (and not without: matrix test). */
	{
		struct tr_walk_log log;

		c.log = &log;
		tr_log_reset(&log);
		x->regs.tcr_el1 = (x->regs.tcr_el1 & ~(7ull << 32)) | 6ull << 32;
		tr_at(&c, TR_AT_S1E1R, 0x000fedcba9876123ull);
		assert_int_equal(log.n, 5);	/* levels -1, 0, 1, 2, 3 */
		assert_int_equal(log.e[0].level, -1);
	}
}

static void test_lpa_64k(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c = ctx_of(x);
	uint64_t oa = 0x000a000020000000ull;	/* 512 MiB block at level 2 */

	/* 64K, T0SZ=16 (start level 1), IPS=52: OA[51:48] in descriptor bits [15:12]. */
	bld_init(&x->b, &x->mem, RAM, RAM_SIZE, 16, 48, 1);
	x->b.lpa64 = true;
	bld_map(&x->b, 0x0000123440000000ull, oa, 2, 1u << 10 | 3u << 8);
	x->regs.tcr_el1 = 16 | 1u << 14 | 6ull << 32 | 1u << 23 | 3u << 12;
	x->regs.ttbr0_el1 = x->b.root;
	x->regs.sctlr_el1 = 1 | 1u << 2;
	x->regs.mair_el1 = 0xff;
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0x0000123441234567ull),
			 0xff0a000021234b80ull);
}

/* AT regime selection (AArch64.AT): with HCR_EL2.{E2H,TGE} = {1,1}, S1E1R and S1E0R
 * use the EL2&0 regime (TTBR0_EL2, TCR_EL2 in the EL1 layout); otherwise EL1&0. */
static void test_at_regime_selection(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c = ctx_of(x);
	struct bld b2;

	s1_setup(x);
	bld_map(&x->b, 0xb000, 0x9b000000, 3, 1u << 10 | 3u << 8 | 1u << 6 | 1u << 2);
	/* A second table set for EL2&0, in the upper half of RAM. */
	bld_init(&b2, &x->mem, RAM + 0x200000, 0x200000, 12, 39, 1);
	bld_map(&b2, 0xb000, 0x9c000000, 3, 1u << 10 | 3u << 8 | 1u << 6);
	x->regs.tcr_el2 = 25 | 5ull << 32 | 1u << 23 | 3u << 12;
	x->regs.ttbr0_el2 = b2.root;
	x->regs.sctlr_el2 = 1 | 1u << 2;
	x->regs.mair_el2 = 0xff;
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0xb000) & 0xfffffffff000ull, 0x9b000000);
	x->regs.hcr_el2 = 1ull << 34;			/* E2H only: still EL1&0 */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0xb000) & 0xfffffffff000ull, 0x9b000000);
	assert_int_equal(tr_at(&c, TR_AT_S1E2R, 0xb000) & 0xfffffffff000ull, 0x9c000000);
	x->regs.hcr_el2 |= 1ull << 27;			/* E2H and TGE: EL2&0 */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, 0xb000) & 0xfffffffff000ull, 0x9c000000);
	assert_int_equal(tr_at(&c, TR_AT_S1E0R, 0xb000) & 0xfffffffff000ull, 0x9c000000);
}

/* Result details: contiguous bit, nG with the TTBR0 ASID (8 bits without TCR.AS),
 * block size; a logged walk beyond TR_LOG_MAX entries is counted, not stored. */
static void test_result_details_and_log_bound(void **state)
{
	struct fx *x = *state;
	struct tr_ctx c;
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;
	struct tr_walk_log log;

	s1_setup(x);
	c = ctx_of(x);
	bld_map(&x->b, 0xc000, 0x9d000000, 3, 1u << 10 | 3u << 8 | 1u << 11 | 1ull << 52);
	bld_map(&x->b, 0x40000000, 0x80000000, 1, 1u << 10 | 3u << 8);
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0xc000, &rd, &res, &f));
	assert_true(res.contiguous);
	assert_true(res.ng);
	assert_int_equal(res.asid, 0x42);
	assert_int_equal(res.block_size, 0x1000);
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0x40012345, &rd, &res, &f));
	assert_int_equal(res.level, 1);
	assert_int_equal(res.block_size, 1ull << 30);
	assert_int_equal(res.oa, 0x80012345);
	assert_false(res.ng);
	c.log = &log;
	log.n = TR_LOG_MAX - 1;
	memset(&log.e[TR_LOG_MAX - 1], 0, sizeof(log.e[0]));
	assert_true(tr_translate(&c, TR_REGIME_EL10, 0xc000, &rd, &res, &f));
	assert_int_equal(log.n, TR_LOG_MAX - 1 + 3);
	assert_int_equal(log.e[TR_LOG_MAX - 1].level, 1);	/* the first read was stored */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fsc_table),
		T(test_par_encoding),
		T(test_attr_combination),
		T(test_mair_roundtrip),
		T(test_s1_attrs_par),
		T(test_s1_ap_table),
		T(test_s1_hierarchical_and_xn),
		T(test_el2_regime),
		T(test_s2_xn),
		T(test_hw_af_dirty),
		T(test_s2_hw_dirty),
		T(test_tbi_epd_e0pd),
		T(test_big_endian_tables),
		T(test_external_abort),
		T(test_lpa2_52bit),
		T(test_lpa_64k),
		T(test_at_regime_selection),
		T(test_result_details_and_log_bound),
	};

	return cmocka_run_group_tests_name("translate_features", tests, NULL, NULL);
}
