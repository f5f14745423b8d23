/* The machine API on tiny hand-assembled guest hypervisors (words from GNU as, listed
 * beside them): boot, UART output, PSCI SYSTEM_OFF, --max-insns, an illegal exception
 * return, configuration and load errors. Runs the Unicorn self-test on the way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "el2emu/cpu.h"

/* 0x40000000: VBAR_EL2 = 0x40000800; print "ok\n"; HVC #5 (its vector at +0x200 ERETs);
 * PSCI SYSTEM_OFF. */
static const uint32_t ok_code[] = {
	0x10004000, /* adr x0, 0x800 */
	0xd51cc000, /* msr vbar_el2, x0 */
	0xd2800014, /* mov x20, #0 */
	0x580001a1, /* ldr x1, =0x09000000 */
	0x52800de2, /* mov w2, #'o' */
	0xb9000022, /* str w2, [x1] */
	0x52800d62, /* mov w2, #'k' */
	0xb9000022, /* str w2, [x1] */
	0x52800142, /* mov w2, #'\n' */
	0xb9000022, /* str w2, [x1] */
	0xd40000a2, /* hvc #5 */
	0xd53c5203, /* mrs x3, esr_el2 */
	0xd5384244, /* mrs x4, currentel */
	0x580000a0, /* ldr x0, =0x84000008 */
	0xd4000003, /* smc #0 */
	0x14000000, /* b . */
	0x09000000, 0, 0x84000008, 0,
};
static const uint32_t vec_code[] = {
	0x91000694, /* add x20, x20, #1 */
	0xd69f03e0, /* eret */
};
static const uint32_t loop_code[] = { 0x14000000 /* b . */ };
static const uint32_t bad_eret_code[] = {
	0xd2800200, /* mov x0, #0x10: SPSR_EL2.M[4] = AArch32 */
	0xd51c4000, /* msr spsr_el2, x0 */
	0xd69f03e0, /* eret */
};

static struct cpu_machine *make(struct cpu_config *cfg, FILE *uart)
{
	char err[256];
	struct cpu_machine *m;

	cfg->uart = uart;
	m = cpu_machine_create(cfg, err, sizeof(err));
	if (!m)
		fail_msg("cpu_machine_create: %s", err);
	return m;
}

/* Boots ok_code (with the vectors of vec_code) under cfg: it powers off after printing
 * "ok". Returns the machine for further checks; the caller destroys it. */
static struct cpu_machine *boot_ok_code(struct cpu_config *cfg)
{
	struct cpu_run_result res;
	struct cpu_machine *m;
	char err[128], out[16] = { 0 };
	FILE *uart = tmpfile();

	assert_non_null(uart);
	m = make(cfg, uart);
	assert_int_equal(cpu_load_raw(m, vec_code, sizeof(vec_code), 0x40000a00, err,
				      sizeof(err)), 0);
	assert_int_equal(cpu_load_raw(m, ok_code, sizeof(ok_code), 0x40000000, err,
				      sizeof(err)), 0);
	assert_int_equal(cpu_run(m, &res), 0);
	assert_int_equal(res.stop, CPU_STOP_POWER_OFF);
	rewind(uart);
	assert_int_equal(fread(out, 1, sizeof(out) - 1, uart), 3);
	assert_string_equal(out, "ok\n");
	fclose(uart);
	return m;
}

static void test_boot_ok(void **state)
{
	struct cpu_config cfg;
	struct cpu_machine *m;

	(void)state;
	cpu_config_default(&cfg);
	cfg.ram_size = 4 << 20;
	cfg.count_insns = true;
	m = boot_ok_code(&cfg);
	/* 15 instructions before the SMC, 2 in the vector, plus the emulated events. */
	assert_true(cpu_insns(m) >= 17);
	/* MSR VBAR_EL2, MRS ESR_EL2, MRS CurrentEL, MSR/MRS of the ERET path: all trapped. */
	assert_true(cpu_traps(m) >= 3);
	cpu_machine_destroy(m);
}

static void test_max_insns(void **state)
{
	struct cpu_config cfg;
	struct cpu_run_result res;
	struct cpu_machine *m;
	char err[128];

	(void)state;
	cpu_config_default(&cfg);
	cfg.ram_size = 2 << 20;
	cfg.max_insns = 10000;
	m = make(&cfg, stdout);
	assert_int_equal(cpu_load_raw(m, loop_code, sizeof(loop_code), 0x40000000, err,
				      sizeof(err)), 0);
	assert_int_equal(cpu_run(m, &res), 1);
	assert_int_equal(res.stop, CPU_STOP_MAX_INSNS);
	assert_non_null(strstr(res.msg, "--max-insns"));
	assert_true(cpu_insns(m) >= 10000 && cpu_insns(m) < 10000 + 64);
	assert_int_equal(res.pc, 0x40000000);
	cpu_machine_destroy(m);
}

static void test_illegal_eret(void **state)
{
	struct cpu_config cfg;
	struct cpu_run_result res;
	struct cpu_machine *m;
	char err[128];

	(void)state;
	cpu_config_default(&cfg);
	cfg.ram_size = 2 << 20;
	cfg.max_insns = 10000;
	m = make(&cfg, stdout);
	assert_int_equal(cpu_load_raw(m, bad_eret_code, sizeof(bad_eret_code), 0x40000000, err,
				      sizeof(err)), 0);
	assert_int_equal(cpu_run(m, &res), -1);
	assert_int_equal(res.stop, CPU_STOP_ERROR);
	assert_non_null(strstr(res.msg, "illegal exception return"));
	cpu_machine_destroy(m);
}

static void test_config_and_load_errors(void **state)
{
	struct cpu_config cfg;
	struct cpu_machine *m;
	struct cpu_run_result res;
	char err[256];
	static const uint8_t junk[64] = { 1, 2, 3 };

	(void)state;
	cpu_config_default(&cfg);
	cfg.ram_size = 4096;
	assert_null(cpu_machine_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "RAM size"));
	cpu_config_default(&cfg);
	cfg.shadow_pages = 3;
	assert_null(cpu_machine_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "shadow pages"));
	cpu_config_default(&cfg);
	cfg.shadow_pool = 0;
	assert_null(cpu_machine_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "shadow pool"));

	cpu_config_default(&cfg);
	cfg.ram_size = 2 << 20;
	m = make(&cfg, stdout);
	assert_int_equal(cpu_run(m, &res), -1);		/* nothing loaded */
	assert_int_equal(cpu_load_raw(m, junk, sizeof(junk), 0x1000, err, sizeof(err)), -1);
	assert_int_equal(cpu_load_raw(m, junk, sizeof(junk), 0x40000000 + (2 << 20) - 8, err,
				      sizeof(err)), -1);
	assert_int_equal(cpu_load_raw(m, junk, sizeof(junk), UINT64_MAX - 8, err, sizeof(err)),
			 -1);
	assert_int_equal(cpu_load_elf(m, junk, sizeof(junk), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an ELF"));
	cpu_machine_destroy(m);
}

/* The scatter layout puts RAM pages elsewhere in host memory; the guest cannot tell. */
static void test_scatter_boot(void **state)
{
	struct cpu_config cfg;

	(void)state;
	cpu_config_default(&cfg);
	cfg.ram_size = 4 << 20;
	cfg.host_s2 = CPU_HOST_SCATTER;
	cfg.seed = 42;
	cpu_machine_destroy(boot_ok_code(&cfg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_ok),
		cmocka_unit_test(test_max_insns),
		cmocka_unit_test(test_illegal_eret),
		cmocka_unit_test(test_config_and_load_errors),
		cmocka_unit_test(test_scatter_boot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
