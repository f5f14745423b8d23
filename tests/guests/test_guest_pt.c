/* SPDX-License-Identifier: MIT */
/*
 * Host unit test of the guests' table builder (guests/common/pt.c), which builds every
 * stage-1 and stage-2 table of the guest images. Expected descriptors are written out from
 * the VMSAv8-64 descriptor formats of the Arm ARM (D8.3: table/page/block encodings,
 * stage-2 MemAttr[5:2], S2AP[7:6], SH[9:8], AF[10], XN[54:53]), with the indices taken
 * from the input address bits each level resolves (4K: L1 [38:30], L2 [29:21], L3 [20:12];
 * 64K: L2 [41:29], L3 [28:16]), never from the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../guests/common/pt.h"

#define POOL_PAGES 8
static u8 pool[POOL_PAGES][65536] __attribute__((aligned(65536)));
static unsigned int pool_used, pool_limit;
static u64 pool_gran;

static u64 test_alloc(void)
{
	if (pool_used == pool_limit)
		return 0;
	u8 *p = pool[pool_used++];

	for (u64 i = 0; i < pool_gran; i++)
		p[i] = 0;
	return (u64)(uintptr_t)p;
}

static struct gst_pt make_pt(unsigned int gshift, unsigned int start)
{
	struct gst_pt pt = { .gshift = gshift, .start = start, .alloc = test_alloc };

	pool_used = 0;
	pool_limit = POOL_PAGES;
	pool_gran = 1UL << gshift;
	pt.root = test_alloc();
	return pt;
}

static const u64 *next_table(u64 desc)
{
	assert_int_equal(desc & 3, 3);	/* a table descriptor */
	return (const u64 *)(uintptr_t)(desc & 0x0000fffffffff000UL);
}

static void test_4k_stage2_pages(void **state)
{
	struct gst_pt pt = make_pt(12, 1);
	u64 attrs = PT_S2_NORMAL_WB | PT_SH_INNER | PT_S2_RO;

	(void)state;
	assert_int_equal(gst_pt_map(&pt, 0x40100000, 0x40100000, 0x10000, attrs, 3), 0);
	const u64 *l1 = (const u64 *)(uintptr_t)pt.root;
	const u64 *l2 = next_table(l1[1]);
	const u64 *l3 = next_table(l2[0]);

	/* MemAttr 0b1111 (0x3c) | S2AP RO (0x40) | SH Inner (0x300) | AF (0x400) | page (0x3) */
	assert_int_equal(l3[0x100], 0x4010077fUL);
	assert_int_equal(l3[0x10f], 0x4010f77fUL);
	assert_int_equal(l3[0x110], 0);
	assert_int_equal(l3[0xff], 0);
	assert_ptr_equal(gst_pt_leaf(&pt, 0x40105abc, 3), &l3[0x105]);
	assert_null(gst_pt_leaf(&pt, 0x80000000, 3));	/* no L2 table for the third GiB */
	assert_int_equal(pool_used, 3);
}

static void test_64k_stage2_page(void **state)
{
	struct gst_pt pt = make_pt(16, 2);
	u64 attrs = PT_S2_NORMAL_WB | PT_SH_INNER | PT_S2_RW | PT_S2_XN;

	(void)state;
	assert_int_equal(gst_pt_map(&pt, 0x40610000, 0x41140000, 0x10000, attrs, 3), 0);
	const u64 *l2 = (const u64 *)(uintptr_t)pt.root;
	const u64 *l3 = next_table(l2[2]);	/* IPA[38:29] = 2 */

	/* XN=0b10 (bit 54) | OA 0x41140000 | MemAttr 0x3c | S2AP RW 0xc0 | SH | AF | page */
	assert_int_equal(l3[0x61], 0x00400000411407ffUL);
	assert_int_equal(l3[0x60], 0);
	assert_int_equal(pool_used, 2);
}

static void test_4k_block_then_page(void **state)
{
	struct gst_pt pt = make_pt(12, 1);
	u64 attrs = PT_S2_NORMAL_WB | PT_SH_INNER | PT_S2_RW;

	(void)state;
	assert_int_equal(gst_pt_map(&pt, 0x40200000, 0x41200000, 0x200000, attrs, 2), 0);
	const u64 *l2 = next_table(((const u64 *)(uintptr_t)pt.root)[1]);

	/* a level-2 block: bits[1:0] = 0b01 */
	assert_int_equal(l2[1], 0x41200000UL | 0x7fdUL);
	/* a page inside the block cannot be made: the block is in the way */
	assert_int_equal(gst_pt_map(&pt, 0x40201000, 0x42000000, 0x1000, attrs, 3), -1);
	assert_null(gst_pt_leaf(&pt, 0x40201000, 3));
	assert_ptr_equal(gst_pt_leaf(&pt, 0x40201000, 2), &l2[1]);
}

static void test_stage1_and_alloc_failure(void **state)
{
	struct gst_pt pt = make_pt(12, 1);
	u64 attrs = PT_S1_ATTR(1) | PT_S1_PXN | PT_S1_UXN;

	(void)state;
	assert_int_equal(gst_pt_map(&pt, 0x09000000, 0x09000000, 0x1000, attrs, 3), 0);
	const u64 *l3 = next_table(next_table(((const u64 *)(uintptr_t)pt.root)[0])[0x48]);

	/* UXN|PXN (bits 54, 53) | AttrIndx 1 (0x4) | AF | page */
	assert_int_equal(l3[0], 0x0060000009000407UL);

	/* no memory for the tables of another GiB: an error, nothing written half-way */
	pool_limit = pool_used;
	assert_int_equal(gst_pt_map(&pt, 0x40000000, 0x40000000, 0x1000, attrs, 3), -1);
	assert_null(gst_pt_leaf(&pt, 0x40000000, 3));
}

/*
 * The 64K stage 1 of vm2 (guests/vm2/vm2.c): TTBR1_EL1 with T1SZ=25 indexes VA[38:29] at
 * level 2 and VA[28:16] at level 3 (D8.2, 64K granule), so the builder gets the low 39 bits
 * of 0xffffffffc0000000; an EL0 page is remapped over an EL1-only range in place.
 */
static void test_64k_stage1_ttbr1_and_el0(void **state)
{
	struct gst_pt hi = make_pt(16, 2);
	u64 normal = PT_S1_ATTR(0) | PT_SH_INNER;
	u64 xn = PT_S1_PXN | PT_S1_UXN;

	(void)state;
	assert_int_equal(gst_pt_map(&hi, 0xffffffffc0000000UL & ((1UL << 39) - 1), 0x40220000,
				    0x10000, normal | xn, 3), 0);
	const u64 *l3 = next_table(((const u64 *)(uintptr_t)hi.root)[0x3fe]);

	/* UXN|PXN | OA 0x40220000 | AF 0x400 | SH 0x300 | AP 0b00 | AttrIndx 0 | page */
	assert_int_equal(l3[0], 0x0060000040220703UL);
	assert_int_equal(l3[1], 0);
	assert_int_equal(pool_used, 2);

	struct gst_pt lo = make_pt(16, 2);

	assert_int_equal(gst_pt_map(&lo, 0x40200000, 0x40200000, 0x100000, normal | xn, 3), 0);
	assert_int_equal(gst_pt_map(&lo, 0x40230000, 0x40230000, 0x10000,
				    normal | (1UL << 6) | xn, 3), 0);
	assert_int_equal(gst_pt_map(&lo, 0x40110000, 0x40110000, 0x10000,
				    normal | (3UL << 6) | PT_S1_PXN, 3), 0);
	/* VA[38:29] = 2; VA[28:16] = 0x22, 0x23, 0x11 */
	l3 = next_table(((const u64 *)(uintptr_t)lo.root)[2]);
	assert_int_equal(l3[0x22], 0x0060000040220703UL);	/* EL1 only */
	/* AP[2:1] = 0b01: EL1 and EL0 read/write (0x40) */
	assert_int_equal(l3[0x23], 0x0060000040230743UL);
	/* AP[2:1] = 0b11: read-only at EL1 and EL0 (0xc0); PXN only: EL0 may execute */
	assert_int_equal(l3[0x11], 0x00200000401107c3UL);
	assert_int_equal(pool_used, 2);	/* the remap reused the level-3 table */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_4k_stage2_pages),
		cmocka_unit_test(test_64k_stage2_page),
		cmocka_unit_test(test_4k_block_then_page),
		cmocka_unit_test(test_stage1_and_alloc_failure),
		cmocka_unit_test(test_64k_stage1_ttbr1_and_el0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
