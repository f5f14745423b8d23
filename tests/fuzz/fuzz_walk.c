/* libFuzzer target for the translate walker: the input is the register values, a feature
 * selector, an input address and a 4 KiB memory image holding the tables; every entry
 * point is driven over it (translate/drive.h checks the invariants), and EL1&0 walks are
 * made with the register-decode cache (and so the two-stage fast path) and without it,
 * whose answers must be the same in every member (translate/compare.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "translate/drive.h"

#define EXPECT_EQ(a, b) do { if ((a) != (b)) abort(); } while (0)
#include "translate/compare.h"

#define RAM 0x40000000ull
#define RAM_SIZE 4096u

struct img {
	uint8_t ram[RAM_SIZE];
};

static bool img_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	struct img *m = ctx;

	/* The image repeats every 4 KiB over 1 GiB, so table pointers land in it. */
	if (pa < RAM || pa >= RAM + (1ull << 30) || (pa & 7))
		return false;
	memcpy(val, m->ram + ((pa - RAM) % RAM_SIZE), 8);
	return true;
}

static bool img_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
		      uint64_t *seen)
{
	struct img *m = ctx;

	if (!img_read64(ctx, pa, seen))
		return false;
	if (*seen == expected)
		memcpy(m->ram + ((pa - RAM) % RAM_SIZE), &desired, 8);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct img img;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_walk_log log;
	uint64_t hdr[16];
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .log = &log };

	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, data, size < sizeof(hdr) ? size : sizeof(hdr));
	memset(img.ram, 0, sizeof(img.ram));
	if (size > sizeof(hdr))
		memcpy(img.ram, data + sizeof(hdr),
		       size - sizeof(hdr) < RAM_SIZE ? size - sizeof(hdr) : RAM_SIZE);
	memcpy(&regs, hdr, sizeof(regs) < sizeof(hdr) ? sizeof(regs) : sizeof(hdr));
	tr_features_default(&feat);
	{
		static const uint8_t pa[] = { 32, 36, 40, 42, 44, 48, 52, 52 };
		uint64_t fsel = hdr[14];

		feat.pa_bits = pa[fsel & 7];
		feat.lpa = fsel & 8;
		feat.lpa2 = fsel & 16;
		feat.hafdbs_af = fsel & 32;
		feat.hafdbs_dirty = fsel & 64;
		feat.ttst = fsel & 128;
		feat.xnx = fsel & 256;
	}
	ctx.mem = (struct tr_mem_ops){ img_read64, (hdr[15] & 1) ? NULL : img_cas64, &img };
	ctx.no_side_effects = hdr[15] & 2;
	for (unsigned sel = 0; sel < 64; sel++) {
		tr_log_reset(&log);
		drive_one(&ctx, (unsigned)(hdr[15] >> 8) * 64 + sel * 0x41, hdr[13] + sel * 0x1000);
	}
	/* Inspection walks, so that both see the same memory; each pair twice, as the first
	 * walk after a decode takes the general path. */
	{
		static struct tr_cache cache;
		struct tr_ctx plain = ctx, cached = ctx;

		plain.log = cached.log = NULL;
		plain.no_side_effects = cached.no_side_effects = true;
		cached.cache = &cache;
		for (unsigned sel = 0; sel < 16; sel++) {
			struct tr_access acc = { .type = (enum tr_acc_type)(sel % 3),
						 .el = (uint8_t)((sel >> 2) & 1), .pan = sel & 8 };
			uint64_t va = hdr[13] + (sel >> 1) * 0x1000;
			struct tr_result r1, r2;
			struct tr_fault f1, f2;
			bool ok1 = tr_translate(&plain, TR_REGIME_EL10, va, &acc, &r1, &f1);
			bool ok2 = tr_translate(&cached, TR_REGIME_EL10, va, &acc, &r2, &f2);

			expect_same_answer(ok1, &r1, &f1, ok2, &r2, &f2);
		}
	}
	return 0;
}
