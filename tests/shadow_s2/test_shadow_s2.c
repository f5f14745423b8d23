/* shadow_s2 unit tests. Expected values come from the Arm ARM (VMSAv8-64 stage-2
 * descriptor format, D8.3; stage-2 permissions, D8.4.2 / AArch64.S2ApplyOutputPerms; ESR_EL2
 * and HPFAR_EL2 encodings, D24.2) and are written out here, never taken from the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "el2emu/shadow_s2.h"
#include "el2emu/sysreg.h"

/* ---- fixture: L1 memory for the guest's tables, a host range map ---- */

#define MEM_BASE 0x40000000ull	/* L1 IPA of the guest's table pages */
#define MEM_PAGES 256
#define HOST_OFF 0x1000000000ull	/* host PA = L1 IPA + 64 GiB unless a test says else */

struct hrange {
	uint64_t ipa, pa, size;
	uint8_t perms;
};

struct fx {
	uint64_t mem[MEM_PAGES][512];
	unsigned next_page;
	struct hrange host[64];
	unsigned nhost;
	struct s2_malloc_pages mp;
	struct s2_page_ops pages;
	struct s2_host_ops hops;
	struct tr_features feat;
	struct s2_config cfg;
	struct tr_sysregs regs;
	struct s2_mmu *m;
};

static bool host_lookup(void *c, uint64_t ipa, struct s2_host_map *out)
{
	struct fx *f = c;

	for (unsigned i = 0; i < f->nhost; i++) {
		const struct hrange *h = &f->host[i];

		if (ipa >= h->ipa && ipa - h->ipa < h->size) {
			*out = (struct s2_host_map){h->ipa, h->pa, h->size, h->perms};
			return true;
		}
	}
	return false;
}

static uint64_t *mem_word(struct fx *f, uint64_t ipa)
{
	if (ipa < MEM_BASE || ipa - MEM_BASE >= (uint64_t)MEM_PAGES * 4096 || (ipa & 7))
		return NULL;
	return &f->mem[(ipa - MEM_BASE) >> 12][(ipa & 0xfff) >> 3];
}

static bool host_read64(void *c, uint64_t ipa, uint64_t *val)
{
	uint64_t *w = mem_word(c, ipa);

	if (!w)
		return false;
	*val = *w;
	return true;
}

static bool host_cas64(void *c, uint64_t ipa, uint64_t expected, uint64_t desired,
		       uint64_t *seen)
{
	uint64_t *w = mem_word(c, ipa);

	if (!w)
		return false;
	*seen = *w;
	if (*w == expected)
		*w = desired;
	return true;
}

static void host_add(struct fx *f, uint64_t ipa, uint64_t pa, uint64_t size, uint8_t perms)
{
	assert_true(f->nhost < 64);
	f->host[f->nhost++] = (struct hrange){ipa, pa, size, perms};
}

/* Stage-2 descriptors, 4K granule (Arm ARM D8.3.1): table = next-level address | 0b11;
 * block (levels 1, 2) = OA | 0b01, page (level 3) = OA | 0b11, with MemAttr[5:2]=0b1111
 * (Normal WB), S2AP[7:6], SH[9:8]=0b11, AF[10], XN[54:53]. */
#define S2AP_NONE 0u
#define S2AP_RO 1u
#define S2AP_WO 2u
#define S2AP_RW 3u
static uint64_t s2_leaf(uint64_t oa, int level, unsigned ap, unsigned xn)
{
	return oa | (level == 3 ? 3u : 1u) | 0xfu << 2 | (uint64_t)ap << 6 | 3u << 8 |
	       1u << 10 | (uint64_t)xn << 53;
}

static uint64_t new_table(struct fx *f)
{
	assert_true(f->next_page < MEM_PAGES);
	return MEM_BASE + (uint64_t)f->next_page++ * 4096;
}

/* Guest stage 2: VTCR_EL2 T0SZ=25 (39-bit IPA), SL0=1 (start level 1), TG0=4K, PS=40 bits;
 * so the walk covers levels 1..3 and the root is one 4K table (no concatenation). */
#define VTCR_4K_L1 (25u | 1u << 6 | 2ull << 16 | 1ull << 31)

static void guest_map(struct fx *f, uint64_t root, uint64_t ipa, uint64_t desc, int level)
{
	uint64_t table = root;

	for (int l = 1; l < level; l++) {
		unsigned i = (unsigned)(ipa >> (12 + 9 * (3 - l))) & 511;
		uint64_t *w = mem_word(f, table + 8 * i);

		assert_non_null(w);
		if (!(*w & 1))
			*w = new_table(f) | 3;
		table = *w & 0xfffffffff000ull;
	}
	*mem_word(f, table + 8 * ((ipa >> (12 + 9 * (3 - level))) & 511)) = desc;
}

static void guest_set(struct fx *f, uint64_t root, uint64_t ipa, uint64_t desc, int level)
{
	guest_map(f, root, ipa, desc, level);
}

static void set_vm(struct fx *f, bool on, uint16_t vmid, uint64_t root)
{
	f->regs.hcr_el2 = (on ? 1u : 0u) | 1ull << 31;
	f->regs.vtcr_el2 = VTCR_4K_L1;
	f->regs.vttbr_el2 = (uint64_t)vmid << 48 | root;
}

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	s2_malloc_pages_init(&f->mp, 0x800000000ull, 0, &f->pages);
	f->hops = (struct s2_host_ops){host_lookup, host_read64, host_cas64, f};
	tr_features_default(&f->feat);
	f->feat.pa_bits = 48;
	f->feat.xnx = true;
	f->feat.gran4 = f->feat.gran16 = f->feat.gran64 = true;
	f->feat.gran4_s2 = f->feat.gran16_s2 = f->feat.gran64_s2 = true;
	s2_config_default(&f->cfg);
	/* The host maps the guest's table pages (host[0]); tests add the data ranges. */
	host_add(f, MEM_BASE, 0x7f00000000, (uint64_t)MEM_PAGES * 4096, S2_PERM_ALL);
	return f;
}

static void fx_start(struct fx *f)
{
	f->m = s2_create(&f->cfg, &f->feat, &f->pages, &f->hops);
	assert_non_null(f->m);
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	if (f) {
		s2_destroy(f->m);
		assert_int_equal(f->mp.live, 0);	/* every table page given back */
		free(f);
	}
	return 0;
}

/* A guest whose table root is at root, VMID vmid, with host identity + HOST_OFF. */
static uint64_t fx_guest(struct fx *f, uint16_t vmid)
{
	uint64_t root = new_table(f);

	set_vm(f, true, vmid, root);
	return root;
}

static enum s2_outcome xl(struct fx *f, uint64_t ipa, enum tr_acc_type t, uint8_t el,
			  struct s2_result *r)
{
	struct s2_req req = {.ipa = ipa, .type = t, .el = el, .va = 0xdead000 | (ipa & 0xfff)};

	assert_true(s2_load(f->m, &f->regs) >= 0);
	return s2_translate(f->m, &req, r, NULL);
}

static void count_leaf(void *arg, const struct s2_leaf_info *l)
{
	(void)l;
	(*(unsigned *)arg)++;
}

static unsigned leaves_of(struct fx *f)
{
	unsigned n = 0;

	s2_for_each_leaf(f->m, s2_load(f->m, &f->regs), count_leaf, &n);
	return n;
}

/* ---- keys ---- */

static int setup(void **state)
{
	struct fx *f = fx_new();

	*state = f;
	return 0;
}

static void test_same_vmid_other_baddr(void **state)
{
	struct fx *f = *state;
	int a, b;

	fx_start(f);
	set_vm(f, true, 5, 0x40000000);
	a = s2_load(f->m, &f->regs);
	set_vm(f, true, 5, 0x40001000);	/* same VMID, another stage-2 table */
	b = s2_load(f->m, &f->regs);
	assert_true(a >= 0 && b >= 0);
	assert_int_not_equal(a, b);
	set_vm(f, true, 5, 0x40000000);
	assert_int_equal(s2_load(f->m, &f->regs), a);
	assert_int_equal(s2_stats(f->m)->contexts_created, 2);
	assert_int_equal(s2_stats(f->m)->context_hits, 1);
}

static void test_cnp_ignored(void **state)
{
	struct fx *f = *state;
	int a;

	fx_start(f);
	set_vm(f, true, 7, 0x40000000);
	a = s2_load(f->m, &f->regs);
	f->regs.vttbr_el2 |= 1;		/* VTTBR_EL2.CnP */
	assert_int_equal(s2_load(f->m, &f->regs), a);
	assert_int_equal(s2_stats(f->m)->contexts_created, 1);
}

static void test_vm0_keys_by_vmid(void **state)
{
	struct fx *f = *state;
	int a, b, c;

	fx_start(f);
	set_vm(f, false, 9, 0x40000000);
	a = s2_load(f->m, &f->regs);
	set_vm(f, false, 9, 0x40005000);	/* BADDR is not used while VM=0 */
	f->regs.vtcr_el2 ^= 1;			/* nor is VTCR */
	assert_int_equal(s2_load(f->m, &f->regs), a);
	set_vm(f, false, 10, 0x40000000);
	b = s2_load(f->m, &f->regs);
	assert_int_not_equal(a, b);
	set_vm(f, true, 9, 0x40000000);		/* VM=1 never shares a VM=0 context */
	c = s2_load(f->m, &f->regs);
	assert_int_not_equal(c, a);
	assert_int_not_equal(c, b);
}

static void test_vmid_width(void **state)
{
	struct fx *f = *state;
	int a;

	fx_start(f);
	set_vm(f, true, 0x1234, 0x40000000);	/* VS=0: VMID is VTTBR[55:48] = 0x34 */
	a = s2_load(f->m, &f->regs);
	set_vm(f, true, 0x5634, 0x40000000);
	assert_int_equal(s2_load(f->m, &f->regs), a);
	f->regs.vtcr_el2 |= 1u << 19;		/* VS=1: 16-bit VMIDs differ */
	set_vm(f, true, 0x1234, 0x40000000);
	f->regs.vtcr_el2 |= 1u << 19;
	a = s2_load(f->m, &f->regs);
	set_vm(f, true, 0x5634, 0x40000000);
	f->regs.vtcr_el2 |= 1u << 19;
	assert_int_not_equal(s2_load(f->m, &f->regs), a);
}

/* 10,000 distinct VTTBRs, each with a fill attempt: the pool stays at its size, the
 * table pages stay bounded, nothing crashes. */
static void test_many_vttbrs_bounded(void **state)
{
	struct fx *f = *state;
	uint64_t root = new_table(f);
	struct s2_result r;

	f->cfg.max_contexts = 8;
	fx_start(f);
	guest_set(f, root, 0x200000, s2_leaf(0x200000, 2, S2AP_RW, 0), 2);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	for (unsigned i = 0; i < 10000; i++) {
		/* Half share the real table (and fill), half point at arbitrary pages. */
		uint64_t baddr = (i & 1) ? root : (uint64_t)(i & 0xfff) << 12;

		set_vm(f, true, (uint16_t)(i / 2), baddr);
		xl(f, 0x200000 + (i & 0x1ff) * 4096, TR_ACC_READ, 1, &r);
		assert_true(r.outcome != S2_ERROR);
		assert_true(f->mp.live <= f->cfg.max_pages_total);
	}
	assert_int_equal(s2_stats(f->m)->contexts_created, 10000);
	assert_int_equal(s2_stats(f->m)->contexts_evicted, 10000 - 8);
	assert_true(s2_stats(f->m)->pages_peak <= 8 * 4);
}

/* ---- fill ---- */

static void test_fill_and_hit(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x123000, s2_leaf(0x80456000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x123abc, TR_ACC_READ, 1, &r), S2_OK);
	assert_false(r.hit);
	assert_int_equal(r.pa, HOST_OFF + 0x80456abc);
	assert_int_equal(r.l1_ipa, 0x80456abc);
	assert_int_equal(r.guest_level, 3);
	assert_int_equal(xl(f, 0x123ff8, TR_ACC_WRITE, 0, &r), S2_OK);
	assert_true(r.hit);
	assert_int_equal(r.pa, HOST_OFF + 0x80456ff8);
	assert_int_equal(s2_stats(f->m)->fills, 1);
	assert_int_equal(s2_stats(f->m)->hits, 1);
}

/* The shadow table is a real stage-2 table: translate walks it to the same PA. */
struct shadow_mem {
	struct s2_mmu *m;
};

static bool shadow_read(void *c, uint64_t pa, uint64_t *val)
{
	return s2_table_read64(((struct shadow_mem *)c)->m, pa, val);
}

static void test_shadow_table_walkable(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_ctx_info info;
	struct s2_result r;
	struct shadow_mem sm;
	struct tr_sysregs hregs = {0};
	struct tr_ctx tc = {0};
	struct tr_access acc = {.type = TR_ACC_READ, .el = 1};
	struct tr_result tres;
	struct tr_fault tf;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x40200000, s2_leaf(0x80400000, 2, S2AP_RW, 0), 2);
	assert_int_equal(xl(f, 0x40212345, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.level, 2);	/* 2 MiB block: guest block, host congruent mod 2M */
	assert_true(s2_ctx_info(f->m, s2_load(f->m, &f->regs), &info));
	sm.m = f->m;
	hregs.vttbr_el2 = info.vttbr;
	hregs.vtcr_el2 = info.vtcr;
	hregs.hcr_el2 = 1ull << 31 | 1;
	tc.regs = &hregs;
	tc.feat = &f->feat;
	tc.mem = (struct tr_mem_ops){shadow_read, NULL, &sm};
	tc.no_side_effects = true;
	memset(&tres, 0, sizeof(tres));
	assert_true(tr_walk_s2(&tc, 0x40212345, &acc, &tres, &tf));
	assert_int_equal(tres.oa, HOST_OFF + 0x80412345);
	assert_int_equal(tres.level, 2);
}

/* A guest 1 GiB block over a host that maps the region in 4 KiB pieces: 4 KiB shadow
 * leaves; and over a host 1 GiB mapping congruent mod 1 GiB: one 1 GiB shadow block. */
static void test_guest_1g_over_host_4k(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	for (unsigned i = 0; i < 16; i++)	/* scattered 4K host pages */
		host_add(f, 0x80000000 + i * 4096ull, 0x3000000000 + i * 0x10000ull, 4096,
			 S2_PERM_ALL);
	host_add(f, 0xc0000000, 0x4000000000, 1ull << 30, S2_PERM_ALL);
	guest_set(f, root, 0x40000000, s2_leaf(0x80000000, 1, S2AP_RW, 0), 1);
	guest_set(f, root, 0x80000000, s2_leaf(0xc0000000, 1, S2AP_RW, 0), 1);
	assert_int_equal(xl(f, 0x40003010, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x3000030010);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.guest_level, 1);
	assert_int_equal(xl(f, 0x40004010, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x3000040010);
	assert_false(r.hit);		/* the next 4K page is its own leaf */
	assert_int_equal(xl(f, 0x9abcdef0, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x401abcdef0);
	assert_int_equal(r.level, 1);
}

static void test_guest_4k_over_host_2m(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x80000000, 0x5000000000, 2ull << 20, S2_PERM_ALL);	/* one 2M block */
	guest_set(f, root, 0x40000000, s2_leaf(0x80001000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x40000ff0, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x5000001ff0);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.guest_level, 3);
}

/* The nested-offset.trace case: a guest 2 MiB block whose host offset is only 4K-aligned. */
static void test_unaligned_offset_splits(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x88000000, 0x2088013000, 0x400000, S2_PERM_ALL);
	guest_set(f, root, 0x20000000, s2_leaf(0x88000000, 2, S2AP_RW, 0), 2);
	assert_int_equal(xl(f, 0x201bb7f0, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x20881ce7f0);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.guest_level, 2);
}

/* Permission matrix: S2AP x XN[1:0] (FEAT_XNX) x host permissions, every access type and
 * EL. Arm ARM D8.4.2: S2AP 00 none, 01 read, 10 write, 11 read/write; XN 00 execute at
 * EL0 and EL1, 01 EL0 only, 10 neither, 11 EL1 only. */
static void test_permission_matrix(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	static const bool ap_r[4] = {false, true, false, true}, ap_w[4] = {false, false, true, true};
	static const bool xn_x0[4] = {true, true, false, false}, xn_x1[4] = {true, false, false, true};
	static const uint8_t hosts[4] = {S2_PERM_ALL, TR_PERM_R0 | TR_PERM_R1,
					 TR_PERM_R0 | TR_PERM_R1 | TR_PERM_X0 | TR_PERM_X1,
					 TR_PERM_R0 | TR_PERM_R1 | TR_PERM_W0 | TR_PERM_W1};
	unsigned page = 0;

	fx_start(f);
	for (unsigned h = 0; h < 4; h++)
		host_add(f, 0x80000000 + h * 0x1000000ull, HOST_OFF + h * 0x1000000ull, 0x1000000,
			 hosts[h]);
	for (unsigned h = 0; h < 4; h++) {
		for (unsigned ap = 0; ap < 4; ap++) {
			for (unsigned xn = 0; xn < 4; xn++) {
				for (unsigned t = 0; t < 3; t++) {
					for (uint8_t el = 0; el < 2; el++, page++) {
						uint64_t ipa = 0x1000000 + page * 4096ull;
						uint64_t l1 = 0x80000000 + h * 0x1000000ull + page * 4096ull;
						bool g, hp;
						struct s2_result r;
						enum s2_outcome o;

						guest_set(f, root, ipa, s2_leaf(l1, 3, ap, xn), 3);
						g = t == 0 ? ap_r[ap] : t == 1 ? ap_w[ap] :
						    el ? xn_x1[xn] : xn_x0[xn];
						hp = t == 0 ? hosts[h] & TR_PERM_R1 :
						     t == 1 ? hosts[h] & TR_PERM_W1 :
						     hosts[h] & TR_PERM_X1;
						o = xl(f, ipa, (enum tr_acc_type)t, el, &r);
						if (!g) {
							assert_int_equal(o, S2_GUEST_FAULT);
							/* permission fault, level 3 */
							assert_int_equal(r.vf.fsc, 0x0f);
							continue;
						}
						if (!hp) {
							assert_int_equal(o, S2_HOST_MISS);
							assert_true(r.host_perm);
							continue;
						}
						assert_int_equal(o, S2_OK);
						/* The leaf grants exactly guest AND host. */
						assert_int_equal(!!(r.perms & TR_PERM_W1),
								 ap_w[ap] && (hosts[h] & TR_PERM_W1));
						assert_int_equal(!!(r.perms & TR_PERM_R1),
								 ap_r[ap] && (hosts[h] & TR_PERM_R1));
						assert_int_equal(!!(r.perms & TR_PERM_X0),
								 xn_x0[xn] && (hosts[h] & TR_PERM_X0));
						assert_int_equal(!!(r.perms & TR_PERM_X1),
								 xn_x1[xn] && (hosts[h] & TR_PERM_X1));
					}
				}
			}
		}
	}
}

/* A read fill of a read-only guest page never lets a write through. */
static void test_read_fill_no_write(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x5000, s2_leaf(0x9000, 3, S2AP_RO, 0), 3);
	assert_int_equal(xl(f, 0x5008, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(xl(f, 0x5008, TR_ACC_WRITE, 1, &r), S2_GUEST_FAULT);
	/* ESR_EL2: EC=0x24 (data abort, lower EL), IL=1, WnR=1, DFSC=0x0f (permission L3). */
	assert_int_equal(r.vf.esr, 0x24ull << 26 | 1ull << 25 | 1u << 6 | 0x0f);
	/* HPFAR_EL2.FIPA[43:4] = IPA[51:12]. */
	assert_int_equal(r.vf.hpfar, 0x50);
	assert_int_equal(r.vf.far, 0xdead008);
	/* The guest upgrades the page without a TLBI: the write walks again and succeeds. */
	guest_set(f, root, 0x5000, s2_leaf(0x9000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x5008, TR_ACC_WRITE, 1, &r), S2_OK);
	assert_int_equal(s2_stats(f->m)->refills, 1);
	assert_int_equal(leaves_of(f), 1);
}

static void test_translation_fault_and_host_miss(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x1000, 0x7000000000, 0x1000, S2_PERM_ALL);
	guest_set(f, root, 0x6000, s2_leaf(0x1000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x7000, s2_leaf(0x2000, 3, S2AP_RW, 0), 3);	/* host: nothing */
	/* IPA 0x8000: no guest entry: translation fault level 3 (DFSC 0x07), instruction
	 * abort for a fetch (EC 0x20). */
	assert_int_equal(xl(f, 0x8000, TR_ACC_EXEC, 1, &r), S2_GUEST_FAULT);
	assert_int_equal(r.vf.fsc, 0x07);
	assert_int_equal(r.vf.esr, 0x20ull << 26 | 1ull << 25 | 0x07);
	assert_int_equal(xl(f, 0x7010, TR_ACC_READ, 1, &r), S2_HOST_MISS);
	assert_int_equal(r.host_ipa, 0x2010);
	assert_false(r.host_perm);
	assert_int_equal(leaves_of(f), 0);
	assert_int_equal(xl(f, 0x6010, TR_ACC_READ, 1, &r), S2_OK);
	assert_int_equal(r.pa, 0x7000000010);
}

/* ---- invalidation ---- */

struct tl_world {
	uint64_t rootA1, rootA2, rootB;
};

/* VMID 1 with two tables (A1, A2) and VMID 2 (B); each maps pages at 0x10000..0x12000
 * (level 3) and a 2 MiB block at 0x400000 split into 4K pieces (host offset 4K only). */
static void tl_build(struct fx *f, struct tl_world *w)
{
	uint64_t roots[3];

	host_add(f, 0x80000000, 0x6000001000, 0x10000000, S2_PERM_ALL);
	for (int k = 0; k < 3; k++) {
		roots[k] = new_table(f);
		for (unsigned p = 0; p < 3; p++)
			guest_set(f, roots[k], 0x10000 + p * 4096ull,
				  s2_leaf(0x80000000 + k * 0x100000ull + p * 4096ull, 3, S2AP_RW, 0),
				  3);
		guest_set(f, roots[k], 0x400000,
			  s2_leaf(0x80400000 + k * 0x200000ull, 2, S2AP_RW, 0), 2);
	}
	w->rootA1 = roots[0];
	w->rootA2 = roots[1];
	w->rootB = roots[2];
}

static void tl_fill(struct fx *f, uint16_t vmid, uint64_t root)
{
	struct s2_result r;

	set_vm(f, true, vmid, root);
	for (unsigned p = 0; p < 3; p++)
		assert_int_equal(xl(f, 0x10000 + p * 4096ull, TR_ACC_READ, 1, &r), S2_OK);
	for (unsigned p = 0; p < 4; p++)
		assert_int_equal(xl(f, 0x400000 + p * 0x10000ull, TR_ACC_READ, 1, &r), S2_OK);
}

static unsigned tl_leaves(struct fx *f, uint16_t vmid, uint64_t root)
{
	set_vm(f, true, vmid, root);
	return leaves_of(f);
}

/* Is the IPA shadowed in that context? (Looked up without filling.) */
struct find {
	uint64_t ipa;
	bool found;
};

static void find_leaf(void *arg, const struct s2_leaf_info *l)
{
	struct find *fd = arg;

	if (fd->ipa >= l->ipa && fd->ipa - l->ipa < l->size)
		fd->found = true;
}

static bool tl_has(struct fx *f, uint16_t vmid, uint64_t root, uint64_t ipa)
{
	struct find fd = {ipa, false};

	set_vm(f, true, vmid, root);
	s2_for_each_leaf(f->m, s2_load(f->m, &f->regs), find_leaf, &fd);
	return fd.found;
}

/* The operation as the sysreg table names and decodes it. */
static void tlbi_op(const char *name, uint64_t xt, struct s2_tlbi *op)
{
	assert_true(s2_tlbi_from_sysreg(sr_find_name(name), xt, op));
}

static void tl_run(struct fx *f, struct tl_world *w, const char *name, uint64_t xt)
{
	struct s2_tlbi op;

	tl_build(f, w);
	fx_start(f);
	tl_fill(f, 1, w->rootA1);
	tl_fill(f, 1, w->rootA2);
	tl_fill(f, 2, w->rootB);
	assert_int_equal(tl_leaves(f, 1, w->rootA1), 7);
	set_vm(f, true, 1, w->rootA1);		/* the TLBI runs with VMID 1 current */
	tlbi_op(name, xt, &op);
	s2_tlbi(f->m, &f->regs, &op);
}

static void test_tlbi_ipas2e1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "IPAS2E1IS", 0x11);	/* IPA 0x11000 */
	/* Only that page, in both VMID-1 contexts; VMID 2 keeps it. */
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 6);
	assert_int_equal(tl_leaves(f, 1, w.rootA2), 6);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
	assert_false(tl_has(f, 1, w.rootA1, 0x11000));
	assert_true(tl_has(f, 1, w.rootA1, 0x10000));
	assert_true(tl_has(f, 2, w.rootB, 0x11000));
	assert_int_equal(s2_stats(f->m)->leaves_dropped_tlbi, 2);
}

static void test_tlbi_ipas2e1_inside_block(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	/* One IPA inside the guest 2 MiB block: every 4K piece of that block goes. */
	tl_run(f, &w, "IPAS2E1", 0x4ff);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 3);
	assert_int_equal(tl_leaves(f, 1, w.rootA2), 3);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_ttl_honoured(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	/* TTL=0b0111 (4K granule, level 3) for an IPA in the 2 MiB block: the hint says the
	 * entry is a level-3 one, so the block's pieces (guest level 2) stay. */
	tl_run(f, &w, "IPAS2E1OS", 0x7ull << 44 | 0x4ff);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 7);
	/* TTL=0b0110 (level 2): they go. */
	struct s2_tlbi op;

	tlbi_op("IPAS2E1OS", 0x6ull << 44 | 0x4ff, &op);
	assert_int_equal(op.kind, S2_TLBI_IPAS2E1);
	assert_int_equal(op.ttl_level, 2);
	assert_int_equal(op.ttl_gran, 4096);
	set_vm(f, true, 1, w.rootA1);
	assert_int_equal(s2_tlbi(f->m, &f->regs, &op), 8);
}

static void test_tlbi_ipas2le1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	/* Last level: shadow leaves are final-level entries, so the same leaf goes. */
	tl_run(f, &w, "IPAS2LE1IS", 0x12);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 6);
	assert_false(tl_has(f, 1, w.rootA1, 0x12000));
	assert_int_equal(s2_stats(f->m)->tlbi[S2_TLBI_IPAS2LE1], 1);
}

static void test_tlbi_ripas2e1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;
	struct s2_tlbi op;

	/* TG=01 (4K), SCALE=0, NUM=0: 2 pages from BaseADDR 0x11 -> [0x11000, 0x13000). */
	tlbi_op("RIPAS2E1IS", 1ull << 46 | 0x11, &op);
	assert_int_equal(op.start, 0x11000);
	assert_int_equal(op.end, 0x13000);
	tl_run(f, &w, "RIPAS2E1IS", 1ull << 46 | 0x11);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 5);
	assert_true(tl_has(f, 1, w.rootA1, 0x10000));
	assert_false(tl_has(f, 1, w.rootA1, 0x11000));
	assert_false(tl_has(f, 1, w.rootA1, 0x12000));
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_ripas2le1_scale(void **state)
{
	struct fx *f = *state;
	struct tl_world w;
	struct s2_tlbi op;

	/* TG=01, SCALE=1, NUM=1: 2 * 2^6 = 128 pages from 0x3c0000 -> [0x3c0000, 0x440000):
	 * overlaps the 2 MiB block, not the pages at 0x10000. */
	tlbi_op("RIPAS2LE1", 1ull << 46 | 1ull << 44 | 1ull << 39 | 0x3c0, &op);
	assert_int_equal(op.kind, S2_TLBI_RIPAS2LE1);
	assert_int_equal(op.start, 0x3c0000);
	assert_int_equal(op.end, 0x440000);
	tl_run(f, &w, "RIPAS2LE1", 1ull << 46 | 1ull << 44 | 1ull << 39 | 0x3c0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 3);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_range_tg0_reserved(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "RIPAS2E1", 0x11);	/* TG=00: reserved, nothing required */
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 7);
}

static void test_tlbi_vmalls12e1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "VMALLS12E1IS", 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA2), 0);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
}

static void test_tlbi_alle1(void **state)
{
	struct fx *f = *state;
	struct tl_world w;

	tl_run(f, &w, "ALLE1OS", 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 0);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 0);
	/* The contexts stay (only their entries go); the pages all return but the roots. */
	assert_int_equal(s2_stats(f->m)->pages_live, 3);
}

static void test_tlbi_stage1_only(void **state)
{
	struct fx *f = *state;
	struct tl_world w;
	struct s2_tlbi op;

	tl_run(f, &w, "VMALLE1IS", 0);
	assert_int_equal(tl_leaves(f, 1, w.rootA1), 7);
	assert_int_equal(tl_leaves(f, 2, w.rootB), 7);
	assert_true(s2_take_flush(f->m));	/* the CPU's stage-1 entries must go */
	assert_int_equal(s2_stats(f->m)->tlbi[S2_TLBI_STAGE1], 1);
	tlbi_op("VAE1IS", 0x1234, &op);
	assert_int_equal(op.kind, S2_TLBI_STAGE1);
	tlbi_op("ALLE2", 0, &op);
	assert_int_equal(op.kind, S2_TLBI_OTHER);
	assert_false(s2_tlbi_from_sysreg(sr_find_name("VTTBR_EL2"), 0, &op));
}

/* ---- host changes: the reverse map ---- */

static void test_host_remap_drops_only_its_leaves(void **state)
{
	struct fx *f = *state;
	uint64_t r1 = new_table(f), r2 = new_table(f);
	struct s2_result r;

	fx_start(f);
	host_add(f, 0x80000000, 0x6000000000, 0x10000000, S2_PERM_ALL);
	/* Two contexts map L1 page 0x80005000 (under different L2 IPAs) and 0x80006000. */
	guest_set(f, r1, 0x1000, s2_leaf(0x80005000, 3, S2AP_RW, 0), 3);
	guest_set(f, r1, 0x2000, s2_leaf(0x80006000, 3, S2AP_RW, 0), 3);
	guest_set(f, r2, 0x9000, s2_leaf(0x80005000, 3, S2AP_RW, 0), 3);
	guest_set(f, r2, 0xa000, s2_leaf(0x80007000, 3, S2AP_RW, 0), 3);
	set_vm(f, true, 1, r1);
	xl(f, 0x1000, TR_ACC_READ, 1, &r);
	xl(f, 0x2000, TR_ACC_READ, 1, &r);
	set_vm(f, true, 2, r2);
	xl(f, 0x9000, TR_ACC_READ, 1, &r);
	xl(f, 0xa000, TR_ACC_READ, 1, &r);
	assert_int_equal(s2_host_changed(f->m, 0x80005000, 0x1000), 2);
	set_vm(f, true, 1, r1);
	assert_int_equal(leaves_of(f), 1);
	set_vm(f, true, 2, r2);
	assert_int_equal(leaves_of(f), 1);
	assert_int_equal(s2_stats(f->m)->leaves_dropped_host, 2);
	/* A range that overlaps nothing drops nothing. */
	assert_int_equal(s2_host_changed(f->m, 0x90000000, 0x10000000), 0);
	/* A huge range takes the scan path and still drops exactly the overlapping leaves. */
	assert_int_equal(s2_host_changed(f->m, 0x80006000, 1ull << 40), 2);
}

/* ---- audit ---- */

static void test_audit(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 3);
	struct s2_audit_report rep;
	struct s2_result r;
	struct s2_tlbi op;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x3000, s2_leaf(0x83000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x4000, s2_leaf(0x84000, 3, S2AP_RW, 0), 3);
	xl(f, 0x3000, TR_ACC_READ, 1, &r);
	xl(f, 0x4000, TR_ACC_READ, 1, &r);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.checked, 2);
	assert_int_equal(rep.stale_allowed + rep.stale_bug + rep.host_stale, 0);
	/* Break without a TLBI: the stale leaf is architecturally allowed. */
	guest_set(f, root, 0x3000, 0, 3);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.stale_allowed, 1);
	assert_int_equal(rep.stale_bug, 0);
	/* An unrelated TLBI does not make it a bug; the right one removes it. */
	tlbi_op("IPAS2E1", 0x4, &op);
	s2_tlbi(f->m, &f->regs, &op);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.stale_allowed, 1);
	tlbi_op("IPAS2E1", 0x3, &op);
	s2_tlbi(f->m, &f->regs, &op);
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.checked, 0);
	/* The host moves a page without telling: reported as host-stale. */
	xl(f, 0x4000, TR_ACC_READ, 1, &r);
	f->host[1].pa += 0x1000000;
	s2_audit(f->m, NULL, NULL, &rep);
	assert_int_equal(rep.host_stale, 1);
}

/* ---- bounds and failure ---- */

static void test_page_bound_per_context(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;

	f->cfg.max_pages_ctx = 6;
	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	/* Pages 512 GiB... apart need fresh tables every time. */
	for (unsigned i = 0; i < 8; i++)
		guest_set(f, root, (uint64_t)i << 30, s2_leaf(0x1000 + i * 4096ull, 3, S2AP_RW, 0), 3);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(xl(f, (uint64_t)i << 30, TR_ACC_READ, 1, &r), S2_OK);
		assert_true(s2_stats(f->m)->pages_live <= 6);
	}
	assert_true(s2_stats(f->m)->leaves_dropped_pressure > 0);
}

static void test_alloc_failure_changes_nothing(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;
	unsigned before;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	guest_set(f, root, 0x1000, s2_leaf(0x1000, 3, S2AP_RW, 0), 3);
	guest_set(f, root, 0x80000000, s2_leaf(0x2000, 3, S2AP_RW, 0), 3);
	assert_int_equal(xl(f, 0x1000, TR_ACC_READ, 1, &r), S2_OK);
	before = (unsigned)f->mp.live;
	f->mp.limit = f->mp.live + 1;	/* a new L1+L2+L3 path needs 3 pages */
	assert_int_equal(xl(f, 0x80000000, TR_ACC_READ, 1, &r), S2_ERROR);
	assert_int_equal(f->mp.live, before);
	assert_int_equal(leaves_of(f), 1);
	f->mp.limit = 0;
	assert_int_equal(xl(f, 0x80000000, TR_ACC_READ, 1, &r), S2_OK);
}

static void test_garbage_tables_never_crash(void **state)
{
	struct fx *f = *state;
	uint64_t root = fx_guest(f, 1);
	struct s2_result r;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	fx_start(f);
	host_add(f, 0, HOST_OFF, 1ull << 40, S2_PERM_ALL);
	/* Random descriptors all over the guest's table pages, random VTCRs. */
	for (unsigned i = 0; i < MEM_PAGES * 512; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		f->mem[i / 512][i % 512] = (x & 1) ? (x & 0x7ffffff000ull) | MEM_BASE | 3 : x;
	}
	for (unsigned i = 0; i < 4000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		f->regs.vtcr_el2 = i & 1 ? VTCR_4K_L1 : x & 0xffffffff;
		f->regs.vttbr_el2 = (x & 0xffff000000000000ull) | root;
		xl(f, x >> 16, (enum tr_acc_type)(i % 3), i & 1, &r);
	}
	(void)root;
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_same_vmid_other_baddr),
		T(test_cnp_ignored),
		T(test_vm0_keys_by_vmid),
		T(test_vmid_width),
		T(test_many_vttbrs_bounded),
		T(test_fill_and_hit),
		T(test_shadow_table_walkable),
		T(test_guest_1g_over_host_4k),
		T(test_guest_4k_over_host_2m),
		T(test_unaligned_offset_splits),
		T(test_permission_matrix),
		T(test_read_fill_no_write),
		T(test_translation_fault_and_host_miss),
		T(test_tlbi_ipas2e1),
		T(test_tlbi_ipas2e1_inside_block),
		T(test_tlbi_ttl_honoured),
		T(test_tlbi_ipas2le1),
		T(test_tlbi_ripas2e1),
		T(test_tlbi_ripas2le1_scale),
		T(test_tlbi_range_tg0_reserved),
		T(test_tlbi_vmalls12e1),
		T(test_tlbi_alle1),
		T(test_tlbi_stage1_only),
		T(test_host_remap_drops_only_its_leaves),
		T(test_audit),
		T(test_page_bound_per_context),
		T(test_alloc_failure_changes_nothing),
		T(test_garbage_tables_never_crash),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
