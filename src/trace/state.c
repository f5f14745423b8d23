/* The state a trace describes up to a line (include/el2emu/trace_state.h): memory, the
 * translation registers and the host map, with every query record skipped. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "el2emu/sysreg.h"
#include "el2emu/trace_state.h"
#include "trace_internal.h"

struct host_range {
	uint64_t ipa, last, pa;	/* [ipa, last] -> [pa, pa + last - ipa] */
};

struct trace_state {
	struct trace_mem *mem;
	struct tr_sysregs regs;
	struct trace_limits lim;
	bool explicit_map;	/* a hostmap record was seen: no 1:1 default */
	struct host_range *map;
	uint32_t nmap, cap;
	unsigned long line;
	uint64_t skipped, tlbis;
};

/* The registers the walker reads; the sysreg table accepts every other one. */
static const struct {
	const char *name;
	size_t off;
} st_reg_map[] = {
#define R(name, field) { name, offsetof(struct tr_sysregs, field) }
	R("HCR_EL2", hcr_el2),	   R("VTCR_EL2", vtcr_el2),   R("VTTBR_EL2", vttbr_el2),
	R("TCR_EL2", tcr_el2),	   R("TTBR0_EL2", ttbr0_el2), R("TTBR1_EL2", ttbr1_el2),
	R("SCTLR_EL2", sctlr_el2), R("MAIR_EL2", mair_el2),   R("TCR_EL1", tcr_el1),
	R("TTBR0_EL1", ttbr0_el1), R("TTBR1_EL1", ttbr1_el1), R("SCTLR_EL1", sctlr_el1),
	R("MAIR_EL1", mair_el1),
#undef R
};

__attribute__((format(printf, 5, 6))) static void st_err(char *err, size_t errlen,
							 const char *path, unsigned long line,
							 const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%lu: %s", path, line, msg);
}

static const char *mem_why(enum trace_mem_status st)
{
	switch (st) {
	case TRACE_MEM_UNBACKED:
		return "outside every ram region";
	case TRACE_MEM_LIMIT:
		return "over the limit of allocated memory";
	case TRACE_MEM_NOMEM:
		return "out of memory";
	default:
		return "ok";
	}
}

static int apply_reg(struct trace_state *s, const struct trace_record *rec, char *why,
		     size_t len)
{
	const struct sr_desc *d = sr_find_name(rec->name);
	const char *name;

	if (!d || d->kind != SR_KIND_REG) {
		snprintf(why, len, "unknown register '%s'", rec->name);
		return -1;
	}
	name = d->alias_of ? d->alias_of : d->name;	/* TCR_EL12 writes TCR_EL1 */
	for (size_t i = 0; i < sizeof(st_reg_map) / sizeof(st_reg_map[0]); i++)
		if (!strcasecmp(name, st_reg_map[i].name))
			memcpy((char *)&s->regs + st_reg_map[i].off, &rec->u.reg.value,
			       sizeof(uint64_t));
	return 0;
}

/* trace-format.md: later hostmap records override earlier ones for the same range. */
static int apply_hostmap(struct trace_state *s, const struct trace_record *rec, char *why,
			 size_t len)
{
	uint64_t ipa = rec->u.hostmap.ipa, size = rec->u.hostmap.size, last;
	bool none = rec->u.hostmap.none;
	struct host_range repl[3];
	uint32_t i, j, nrepl = 0, count;

	if (size == 0) {
		snprintf(why, len, "hostmap range is empty");
		return -1;
	}
	last = ipa + (size - 1);
	if (last < ipa || (!none && rec->u.hostmap.pa + (size - 1) < rec->u.hostmap.pa)) {
		snprintf(why, len, "hostmap range runs past the end of the address space");
		return -1;
	}
	for (i = 0; i < s->nmap && s->map[i].last < ipa; i++)
		;
	for (j = i; j < s->nmap && s->map[j].ipa <= last; j++)
		;
	if (i < j && s->map[i].ipa < ipa)
		repl[nrepl++] = (struct host_range){ s->map[i].ipa, ipa - 1, s->map[i].pa };
	if (!none)
		repl[nrepl++] = (struct host_range){ ipa, last, rec->u.hostmap.pa };
	if (i < j && s->map[j - 1].last > last) {
		const struct host_range *r = &s->map[j - 1];

		repl[nrepl++] = (struct host_range){ last + 1, r->last,
						     r->pa + (last + 1 - r->ipa) };
	}
	count = s->nmap - (j - i) + nrepl;
	if (count > s->lim.max_hostmap) {
		snprintf(why, len, "hostmap: more than %" PRIu32 " disjoint ranges",
			 s->lim.max_hostmap);
		return -1;
	}
	if (count > s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 16;
		struct host_range *m;

		if (cap < count)
			cap = count;
		if (cap > s->lim.max_hostmap)
			cap = s->lim.max_hostmap;
		m = trace_calloc(cap, sizeof(*m));
		if (!m) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		if (s->nmap)
			memcpy(m, s->map, s->nmap * sizeof(*m));
		trace_free(s->map, (size_t)s->cap * sizeof(*m));
		s->map = m;
		s->cap = cap;
	}
	memmove(&s->map[i + nrepl], &s->map[j], (s->nmap - j) * sizeof(*s->map));
	memcpy(&s->map[i], repl, nrepl * sizeof(*repl));
	s->nmap = count;
	s->explicit_map = true;
	return 0;
}

static int apply_mem(struct trace_state *s, uint64_t addr, const void *bytes, size_t n,
		     char *why, size_t len)
{
	enum trace_mem_status st;

	if (n == 0)
		return 0;
	if (!trace_mem_backed(s->mem, addr, n)) {
		snprintf(why, len, "0x%" PRIx64 "+0x%zx is outside every ram region", addr, n);
		return -1;
	}
	st = trace_mem_write(s->mem, addr, bytes, n);
	if (st != TRACE_MEM_OK) {
		snprintf(why, len, "writing 0x%" PRIx64 "+0x%zx: %s", addr, n, mem_why(st));
		return -1;
	}
	return 0;
}

static int apply(struct trace_state *s, const struct trace_record *rec, char *why, size_t len)
{
	const struct sr_desc *d;
	uint8_t b[8];

	switch (rec->kind) {
	case TRACE_HEADER:
		return 0;
	case TRACE_RAM:
		return trace_mem_add_region(s->mem, rec->u.ram.base, rec->u.ram.size, why, len);
	case TRACE_MEM:
		return apply_mem(s, rec->u.mem.addr, rec->u.mem.bytes, rec->u.mem.len, why, len);
	case TRACE_MEM64:
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(rec->u.mem64.value >> (8 * i));
		return apply_mem(s, rec->u.mem64.addr, b, sizeof(b), why, len);
	case TRACE_REG:
		return apply_reg(s, rec, why, len);
	case TRACE_HOSTMAP:
		return apply_hostmap(s, rec, why, len);
	case TRACE_TLBI:
		/* A TLBI changes no table: what it invalidates is the TLB/shadow that the
		 * skipped queries would have filled. Checked so a typo is still an error. */
		d = sr_find_name(rec->name);
		if (!d || d->kind != SR_KIND_TLBI) {
			snprintf(why, len, "unknown TLBI operation '%s'", rec->name);
			return -1;
		}
		s->tlbis++;
		return 0;
	case TRACE_AT:
		if (tr_at_op_from_name(rec->name) == TR_AT_NONE) {
			snprintf(why, len, "unknown AT operation '%s'", rec->name);
			return -1;
		}
		s->skipped++;
		return 0;
	case TRACE_ACCESS:
		s->skipped++;
		return 0;
	case TRACE_NKINDS:
		break;
	}
	snprintf(why, len, "unknown record");
	return -1;
}

struct trace_state *trace_state_load(const char *path, unsigned long upto_line,
				     const struct trace_limits *lim, char *err, size_t errlen)
{
	struct trace_state *s = trace_calloc(1, sizeof(*s));
	struct trace_reader *r;
	struct trace_record rec;
	char why[256];
	int n;

	if (!s) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	s->lim = *lim;
	s->mem = trace_mem_new(lim);
	r = s->mem ? trace_reader_open_path(path, lim, why, sizeof(why)) : NULL;
	if (!r) {
		snprintf(err, errlen, "%s: %s", path, s->mem ? why : "out of memory");
		trace_state_free(s);
		return NULL;
	}
	while ((n = trace_reader_next(r, &rec)) > 0) {
		if (upto_line && rec.line > upto_line)
			break;
		if (apply(s, &rec, why, sizeof(why))) {
			st_err(err, errlen, path, rec.line, "%s", why);
			goto fail;
		}
		s->line = rec.line;
	}
	if (n < 0) {
		st_err(err, errlen, path, trace_reader_line(r), "%s", trace_reader_error(r));
		goto fail;
	}
	trace_reader_close(r);
	return s;
fail:
	trace_reader_close(r);
	trace_state_free(s);
	return NULL;
}

void trace_state_free(struct trace_state *s)
{
	if (!s)
		return;
	trace_mem_free(s->mem);
	trace_free(s->map, (size_t)s->cap * sizeof(*s->map));
	trace_free(s, sizeof(*s));
}

const struct tr_sysregs *trace_state_regs(const struct trace_state *s)
{
	return &s->regs;
}

struct trace_mem *trace_state_mem(struct trace_state *s)
{
	return s->mem;
}

unsigned long trace_state_line(const struct trace_state *s)
{
	return s->line;
}

uint64_t trace_state_skipped(const struct trace_state *s)
{
	return s->skipped;
}

uint64_t trace_state_tlbis(const struct trace_state *s)
{
	return s->tlbis;
}

bool trace_state_host(const struct trace_state *s, uint64_t ipa, uint64_t *pa, uint64_t *base,
		      uint64_t *size)
{
	uint32_t lo = 0, hi = s->nmap;

	if (!s->explicit_map) {
		static const uint64_t sizes[] = { 1ull << 30, 1ull << 21, 1ull << 12 };

		if (!trace_mem_backed(s->mem, ipa, 1))
			return false;
		*pa = ipa;
		*base = ipa & ~0xfffull;
		*size = 0x1000;
		for (unsigned k = 0; k < 3; k++) {
			uint64_t b = ipa & ~(sizes[k] - 1);

			if (trace_mem_backed(s->mem, b, sizes[k])) {
				*base = b;
				*size = sizes[k];
				break;
			}
		}
		return true;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct host_range *r = &s->map[mid];

		if (r->last < ipa) {
			lo = mid + 1;
		} else if (r->ipa > ipa) {
			hi = mid;
		} else {
			*pa = r->pa + (ipa - r->ipa);
			*base = r->ipa;
			/* A range covering the whole 64-bit space has no 64-bit size. */
			*size = r->last - r->ipa + 1 ? r->last - r->ipa + 1 : r->last;
			return true;
		}
	}
	return false;
}
