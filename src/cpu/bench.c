/* `el2emu bench cpu`: the same nested-guest loop on el2emu and on a bare Unicorn engine
 * with the same memory, and the cost of one nested HVC -> guest hypervisor -> ERET round
 * trip. The programs are fixed AArch64 words (assembled with GNU as from the listing in
 * the comments), so the benchmark needs no cross compiler. */
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <unicorn/unicorn.h>

#include "el2emu/cpu.h"

/* Guest hypervisor at 0x40000000: reads its parameters at 0x40000f00 (x18 = loop
 * iterations per exit, x19 = exits), turns on a stage 2 (4K, 39-bit IPA, start level 1,
 * VTTBR 0x40200000 VMID 1: one 1 GiB block identity-mapping 0x40000000), ERETs to the
 * nested guest at 0x40100000 (EL1h). Its vector (0x40000800 + 0x400) counts HVC exits
 * (MRS ESR_EL2, MRS/MSR ELR_EL2: three traps per exit) and ERETs, then SYSTEM_OFF. */
static const uint32_t bench_hyp_init[] = {
	0x580061c9, /* ldr x9, c38 <off+0x10> */
	0xf9400132, /* ldr x18, [x9] */
	0xf9400533, /* ldr x19, [x9, #8] */
	0x580061a0, /* ldr x0, c40 <off+0x18> */
	0xd51c2140, /* msr vtcr_el2, x0 */
	0x580061a0, /* ldr x0, c48 <off+0x20> */
	0xd51c2100, /* msr vttbr_el2, x0 */
	0x580061a0, /* ldr x0, c50 <off+0x28> */
	0xd51c1100, /* msr hcr_el2, x0 */
	0x10003ee0, /* adr x0, 800 <vec> */
	0xd51cc000, /* msr vbar_el2, x0 */
	0xd2800014, /* mov x20, #0x0 */
	0x58006140, /* ldr x0, c58 <off+0x30> */
	0xd51c4020, /* msr elr_el2, x0 */
	0xd28078a0, /* mov x0, #0x3c5 */
	0xd51c4000, /* msr spsr_el2, x0 */
	0xd69f03e0, /* eret */
};
static const uint32_t bench_hyp_vec[] = {
	0xd53c5215, /* mrs x21, esr_el2 */
	0xd35afeb5, /* lsr x21, x21, #26 */
	0xf1005abf, /* cmp x21, #0x16 */
	0x540000e1, /* b.ne c28 <off> */
	0xd53c4036, /* mrs x22, elr_el2 */
	0xd51c4036, /* msr elr_el2, x22 */
	0x91000694, /* add x20, x20, #0x1 */
	0xeb13029f, /* cmp x20, x19 */
	0x54000042, /* b.cs c28 <off> */
	0xd69f03e0, /* eret */
	0x580001c0, /* ldr x0, c60 <off+0x38> */
	0xd4000003, /* smc #0x0 */
	0x14000000, /* b c30 <off+0x8> */
	0x00000000, /* udf #0 */
	0x40000f00, /* .word 0x40000f00 */
	0x00000000, /* .word 0x00000000 */
	0x80023559, /* .word 0x80023559 */
	0x00000000, /* .word 0x00000000 */
	0x40200000, /* .word 0x40200000 */
	0x00010000, /* .word 0x00010000 */
	0x80000001, /* .word 0x80000001 */
	0x00000000, /* .word 0x00000000 */
	0x40100000, /* .word 0x40100000 */
	0x00000000, /* .word 0x00000000 */
	0x84000008, /* .word 0x84000008 */
	0x00000000, /* .word 0x00000000 */
};
/* Nested guest at 0x40100000: x18 iterations of an 8-instruction loop (1 load, 1 store,
 * 6 ALU), then HVC #1, forever. */
static const uint32_t bench_nested[] = {
	0x580001c2, /* ldr x2, =0x40300000 */
	0xaa1203e0, /* 1: mov x0, x18 */
	0xb4000120, /* cbz x0, 3f */
	0xf9400041, /* 2: ldr x1, [x2] */
	0x91000421, /* add x1, x1, #0x1 */
	0xf9000441, /* str x1, [x2, #8] */
	0x91000463, /* add x3, x3, #0x1 */
	0xca030084, /* eor x4, x4, x3 */
	0x8b0400a5, /* add x5, x5, x4 */
	0xf1000400, /* subs x0, x0, #0x1 */
	0x54ffff21, /* b.ne 2b */
	0xd4000022, /* 3: hvc #0x1 */
	0x17fffff5, /* b 1b */
	0x00000000,
	0x40300000, /* .word 0x40300000 */
	0x00000000,
};
#define NESTED_LOOP_INSNS 8
#define NESTED_HVC_OFF 0x2c

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load_bench(struct cpu_machine *m, uint64_t iters, uint64_t exits, char *err,
		      size_t errlen)
{
	/* Stage-2 level-1 block: MemAttr 0xf, S2AP RW, SH inner, AF (Arm ARM D8.3). */
	uint64_t s2_l1[2] = { 0, UINT64_C(0x40000000) | 0x7fd };
	uint64_t params[2] = { iters, exits };

	return cpu_load_raw(m, s2_l1, sizeof(s2_l1), 0x40200000, err, errlen) ||
	       cpu_load_raw(m, params, sizeof(params), 0x40000f00, err, errlen) ||
	       cpu_load_raw(m, bench_nested, sizeof(bench_nested), 0x40100000, err, errlen) ||
	       cpu_load_raw(m, bench_hyp_vec, sizeof(bench_hyp_vec), 0x40000c00, err, errlen) ||
	       cpu_load_raw(m, bench_hyp_init, sizeof(bench_hyp_init), 0x40000000, err, errlen);
}

static int run_nested(uint64_t iters, uint64_t exits, double *secs, uint64_t *insns,
		      uint64_t *traps, char *err, size_t errlen)
{
	struct cpu_config cfg;
	struct cpu_machine *m;
	struct cpu_run_result res;
	double t0;
	int rc;

	cpu_config_default(&cfg);
	cfg.ram_size = UINT64_C(8) << 20;
	m = cpu_machine_create(&cfg, err, errlen);
	if (!m)
		return -1;
	if (load_bench(m, iters, exits, err, errlen)) {
		cpu_machine_destroy(m);
		return -1;
	}
	t0 = now_s();
	rc = cpu_run(m, &res);
	*secs = now_s() - t0;
	*insns = cpu_insns(m);
	*traps = cpu_traps(m);
	if (rc || res.stop != CPU_STOP_POWER_OFF) {
		snprintf(err, errlen, "bench guest did not power off: %s", res.msg);
		rc = -1;
	}
	cpu_machine_destroy(m);
	return rc;
}

/* The same loop on a bare engine: EL1, MMU off, no hooks, the same 8 MiB of RAM. */
static int run_bare(uint64_t iters, double *secs, char *err, size_t errlen)
{
	size_t size = (size_t)8 << 20;
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
	uc_engine *uc;
	uc_err e;
	double t0;

	if (mem == MAP_FAILED) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) {
		munmap(mem, size);
		snprintf(err, errlen, "uc_open failed");
		return -1;
	}
	memcpy((char *)mem + 0x100000, bench_nested, sizeof(bench_nested));
	uc_mem_map_ptr(uc, CPU_RAM_BASE, size, UC_PROT_ALL, mem);
	uc_reg_write(uc, UC_ARM64_REG_X18, &iters);
	t0 = now_s();
	e = uc_emu_start(uc, CPU_RAM_BASE + 0x100000, CPU_RAM_BASE + 0x100000 + NESTED_HVC_OFF,
			 0, 0);
	*secs = now_s() - t0;
	uc_close(uc);
	munmap(mem, size);
	if (e != UC_ERR_OK) {
		snprintf(err, errlen, "bare run failed: %s", uc_strerror(e));
		return -1;
	}
	return 0;
}

int cpu_bench(uint64_t iters, uint64_t exits, struct cpu_bench_result *r, char *err,
	      size_t errlen)
{
	double t_n = 0, t_b = 0, t_x = 0, t;
	uint64_t insns = 0, traps = 0;
	int rep;

	memset(r, 0, sizeof(*r));
	if (!iters || !exits) {
		snprintf(err, errlen, "iterations and exits must be > 0");
		return -1;
	}
	/* Each figure is the best of three runs, nested and bare interleaved, so that a
	 * burst of load on a shared machine hits both alike. */
	for (rep = 0; rep < 3; rep++) {
		/* 1. Throughput: few exits, long loops (the exits are negligible). */
		if (run_nested(iters, 4, &t, &insns, &traps, err, errlen))
			return -1;
		if (!rep || t < t_n)
			t_n = t;
		if (run_bare(iters * 4, &t, err, errlen))
			return -1;
		if (!rep || t < t_b)
			t_b = t;
		/* 2. Exits: no loop, HVC after HVC. */
		if (run_nested(0, exits, &t, &insns, &traps, err, errlen))
			return -1;
		if (!rep || t < t_x)
			t_x = t;
	}
	/* The nested run counts no instructions (no block hook, as `el2emu run` without
	 * --stats/--max-insns): its loop is the bare loop, four times over. */
	r->bare_insns = iters * 4 * NESTED_LOOP_INSNS + 3;
	r->nested_insns = r->bare_insns;
	r->nested_mips = (double)r->nested_insns / t_n / 1e6;
	r->bare_mips = (double)r->bare_insns / t_b / 1e6;
	r->exits = exits;
	r->exit_roundtrip_us = t_x / (double)exits * 1e6;
	r->traps_per_hvc_exit = (double)traps / (double)exits;
	return 0;
}
