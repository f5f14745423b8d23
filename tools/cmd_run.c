/* el2emu run IMAGE: boot a guest hypervisor image at virtual EL2 (docs/cpu.md). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "el2emu/cpu.h"
#include "el2emu/cpu_record.h"

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: el2emu run [options] IMAGE\n"
		"Boots IMAGE (ELF, or raw with --load-addr) at virtual EL2h on the QEMU virt\n"
		"memory map: RAM at 0x40000000, PL011 at 0x09000000, PSCI through SMC.\n"
		"The UART goes to stdout; el2emu's messages to stderr.\n"
		"  --load-addr ADDR      load a raw binary at ADDR and start there\n"
		"  --ram-size SIZE       RAM size (bytes, or with K/M/G; default 128M)\n"
		"  --host-s2 LAYOUT      identity | offset | scatter (host stage 2 of the RAM)\n"
		"  --seed N              scatter layout seed (default 1)\n"
		"  --shadow-pool N       shadow stage-2 contexts kept at once, LRU (default 8)\n"
		"  --shadow-pages N      4 KiB pages for shadow stage-2 tables (default 4096)\n"
		"  --max-insns N         stop a runaway guest after N instructions\n"
		"  --stats               print traps, exits and shadow statistics to stderr\n"
		"  --trace-out FILE      record the boot as a v1 trace (FILE.gz: compressed)\n"
		"  --trace-accesses MODE first-per-page (default) | all | none: which nested\n"
		"                        accesses become `access` records\n"
		"  --host-remap-every N  after every N shadow fills the host moves a page behind\n"
		"                        a data leaf to another host page (default 0: never)\n");
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t r;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= (size_t)1 << 32)
				break;	/* larger than any RAM el2emu emulates */
			cap = cap ? cap * 2 : 1 << 20;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f) || !feof(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The trace says how it was made: the image's file name and the options, except the
 * output path (so that the same boot gives the same bytes wherever it is written). */
static void note_command(char *buf, size_t len, int argc, char **argv, const char *image)
{
	const char *base = strrchr(image, '/');
	size_t n;
	int i;

	n = (size_t)snprintf(buf, len, "el2emu run %s", base ? base + 1 : image);
	for (i = 1; i < argc && n < len; i++) {
		if (!strcmp(argv[i], "--trace-out")) {
			i++;
			continue;
		}
		if (argv[i] == image)
			continue;
		n += (size_t)snprintf(buf + n, len - n, " %s", argv[i]);
	}
}

static int run(int argc, char **argv)
{
	struct cpu_config cfg;
	struct cpu_machine *m;
	struct cpu_run_result res;
	const char *image = NULL;
	uint64_t load_addr = 0, v;
	bool raw = false, stats = false;
	const char *trace_out = NULL;
	enum cpu_trace_accesses trace_acc = CPU_TRACE_ACC_FIRST;
	uint64_t remap_every = 0;
	char note[256];
	char err[256];
	void *img;
	size_t len;
	int i, rc;

	cpu_config_default(&cfg);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			run_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
			cfg.count_insns = true;
		} else if (a[0] == '-' && a[1] == '-' && !val) {
			cli_error("run: option %s needs a value", a);
			return 2;
		} else if (!strcmp(a, "--load-addr")) {
			if (!cli_parse_u64(val, &load_addr)) {
				cli_error("run: bad --load-addr '%s'", val);
				return 2;
			}
			raw = true;
			i++;
		} else if (!strcmp(a, "--ram-size")) {
			if (!cli_parse_size(val, &cfg.ram_size)) {
				cli_error("run: bad --ram-size '%s'", val);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--host-s2")) {
			if (!strcmp(val, "identity"))
				cfg.host_s2 = CPU_HOST_IDENTITY;
			else if (!strcmp(val, "offset"))
				cfg.host_s2 = CPU_HOST_OFFSET;
			else if (!strcmp(val, "scatter"))
				cfg.host_s2 = CPU_HOST_SCATTER;
			else {
				cli_error("run: --host-s2 must be identity, offset or scatter");
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--shadow-pool") || !strcmp(a, "--shadow-pages")) {
			if (!cli_parse_u64(val, &v) || v > UINT32_MAX) {
				cli_error("run: bad %s '%s'", a, val);
				return 2;
			}
			if (!strcmp(a, "--shadow-pool"))
				cfg.shadow_pool = (unsigned)v;
			else
				cfg.shadow_pages = (unsigned)v;
			i++;
		} else if (!strcmp(a, "--max-insns")) {
			if (!cli_parse_u64(val, &cfg.max_insns)) {
				cli_error("run: bad --max-insns '%s'", val);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--trace-out")) {
			trace_out = val;
			i++;
		} else if (!strcmp(a, "--trace-accesses")) {
			if (!strcmp(val, "first-per-page"))
				trace_acc = CPU_TRACE_ACC_FIRST;
			else if (!strcmp(val, "all"))
				trace_acc = CPU_TRACE_ACC_ALL;
			else if (!strcmp(val, "none"))
				trace_acc = CPU_TRACE_ACC_NONE;
			else {
				cli_error("run: --trace-accesses must be first-per-page, all or "
					  "none");
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--host-remap-every")) {
			if (!cli_parse_u64(val, &remap_every)) {
				cli_error("run: bad --host-remap-every '%s'", val);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--seed")) {
			if (!cli_parse_u64(val, &cfg.seed)) {
				cli_error("run: bad --seed '%s'", val);
				return 2;
			}
			i++;
		} else if (a[0] == '-') {
			cli_error("run: unknown option '%s'", a);
			run_usage(stderr);
			return 2;
		} else if (image) {
			cli_error("run: more than one IMAGE");
			return 2;
		} else {
			image = a;
		}
	}
	if (!image) {
		run_usage(stderr);
		return 2;
	}
	img = read_file(image, &len);
	if (!img) {
		cli_error("run: cannot read %s: %s", image, strerror(errno ? errno : EIO));
		return 2;
	}
	m = cpu_machine_create(&cfg, err, sizeof(err));
	if (!m) {
		cli_error("run: %s", err);
		free(img);
		return 2;
	}
	rc = raw ? cpu_load_raw(m, img, len, load_addr, err, sizeof(err)) :
		   cpu_load_elf(m, img, len, err, sizeof(err));
	free(img);
	if (rc) {
		cli_error("run: %s: %s", image, err);
		cpu_machine_destroy(m);
		return 2;
	}
	if (cpu_set_host_remap(m, remap_every, err, sizeof(err))) {
		cli_error("run: --host-remap-every: %s", err);
		cpu_machine_destroy(m);
		return 2;
	}
	if (trace_out)
		note_command(note, sizeof(note), argc, argv, image);
	if (trace_out && cpu_record_start(m, trace_out, trace_acc, note, err, sizeof(err))) {
		cli_error("run: --trace-out: %s", err);
		cpu_machine_destroy(m);
		return 2;
	}
	rc = cpu_run(m, &res);
	if (stats)
		cpu_print_stats(m, stderr);
	switch (res.stop) {
	case CPU_STOP_POWER_OFF:
		rc = 0;
		break;
	case CPU_STOP_RESET:
		cli_error("run: guest requested PSCI SYSTEM_RESET; stopping");
		rc = 0;
		break;
	case CPU_STOP_MAX_INSNS:
		cli_error("run: %s", res.msg);
		rc = 1;
		break;
	case CPU_STOP_ERROR:
	default:
		cli_error("run: %s (pc 0x%" PRIx64 ")", res.msg, res.pc);
		rc = 1;
		break;
	}
	if (trace_out && cpu_record_finish(m, err, sizeof(err))) {
		cli_error("run: --trace-out %s: %s", trace_out, err);
		rc = 2;
	}
	cpu_machine_destroy(m);
	return rc;
}

/* "--option=value" is "--option value" (as the issue spells --trace-accesses=all). */
int cmd_run(int argc, char **argv)
{
	char **args = calloc((size_t)argc * 2 + 1, sizeof(*args));
	int i, n = 0, rc;

	if (!args) {
		cli_error("run: out of memory");
		return 2;
	}
	for (i = 0; i < argc; i++) {
		char *eq = (i > 0 && !strncmp(argv[i], "--", 2)) ? strchr(argv[i], '=') : NULL;

		if (eq) {
			*eq = '\0';
			args[n++] = argv[i];
			args[n++] = eq + 1;
		} else {
			args[n++] = argv[i];
		}
	}
	rc = run(n, args);
	free(args);
	return rc;
}
