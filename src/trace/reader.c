/* The version-1 trace reader (shared/trace-format.md, "Lexical rules" and the record tables).
 *
 * It streams: one chunk buffer and one line buffer, the latter growing up to
 * limits.max_line, whatever the number of records. gzip input is decoded by zlib, which
 * passes plain text through unchanged. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#include "el2emu/trace.h"
#include "trace_internal.h"

#define CHUNK_SIZE 65536u
#define MAX_FIELDS 6
#define ERR_LEN 256

enum source_kind { SRC_GZ, SRC_MEM, SRC_FN };

struct trace_reader {
	struct trace_limits lim;
	enum source_kind src;
	gzFile gz;
	const char *mem;
	size_t mem_len, mem_pos;
	trace_read_fn fn;
	void *fn_ctx;

	char *chunk;
	size_t chunk_len, chunk_pos;
	bool eof;

	char *line;		/* the current line, then the record text */
	char *tok;		/* NUL-separated copies of the fields */
	size_t line_cap;	/* bytes of line and of tok */
	unsigned long lineno;
	bool seen_header;
	bool failed;
	char err[ERR_LEN];
};

static const char *const kind_names[TRACE_NKINDS] = {
	[TRACE_HEADER] = "el2emu-trace", [TRACE_RAM] = "ram",	  [TRACE_MEM] = "mem",
	[TRACE_MEM64] = "mem64",	  [TRACE_REG] = "reg",	  [TRACE_AT] = "at",
	[TRACE_TLBI] = "tlbi",		  [TRACE_HOSTMAP] = "hostmap", [TRACE_ACCESS] = "access",
};

const char *trace_kind_name(enum trace_kind kind)
{
	return (unsigned)kind < TRACE_NKINDS ? kind_names[kind] : "?";
}

__attribute__((format(printf, 2, 3))) static int fail(struct trace_reader *r, const char *fmt,
						       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	/* Messages quote the input: keep its control characters off the user's terminal. */
	for (char *p = r->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	r->failed = true;
	return -1;
}

static struct trace_reader *reader_new(const struct trace_limits *lim)
{
	struct trace_reader *r = trace_calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (lim)
		r->lim = *lim;
	else
		trace_limits_default(&r->lim);
	if (r->lim.max_line < 64)
		r->lim.max_line = 64;
	r->chunk = trace_calloc(1, CHUNK_SIZE);
	r->line_cap = 256;
	r->line = trace_calloc(1, r->line_cap);
	r->tok = trace_calloc(1, r->line_cap);
	if (!r->chunk || !r->line || !r->tok) {
		trace_reader_close(r);
		return NULL;
	}
	return r;
}

struct trace_reader *trace_reader_open_path(const char *path, const struct trace_limits *lim,
					    char *err, size_t errlen)
{
	struct trace_reader *r = reader_new(lim);
	int fd;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->src = SRC_GZ;
	if (!strcmp(path, "-")) {
		fd = dup(STDIN_FILENO);
		r->gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
		if (!r->gz && fd >= 0)
			close(fd);
	} else {
		errno = 0;
		r->gz = gzopen(path, "rb");
	}
	if (!r->gz) {
		snprintf(err, errlen, "cannot open: %s", errno ? strerror(errno) : "out of memory");
		trace_reader_close(r);
		return NULL;
	}
	return r;
}

struct trace_reader *trace_reader_open_mem(const void *buf, size_t len,
					   const struct trace_limits *lim)
{
	struct trace_reader *r = reader_new(lim);

	if (!r)
		return NULL;
	r->src = SRC_MEM;
	r->mem = buf;
	r->mem_len = len;
	return r;
}

struct trace_reader *trace_reader_open_fn(trace_read_fn fn, void *ctx,
					  const struct trace_limits *lim)
{
	struct trace_reader *r = reader_new(lim);

	if (!r)
		return NULL;
	r->src = SRC_FN;
	r->fn = fn;
	r->fn_ctx = ctx;
	return r;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	trace_free(r->chunk, CHUNK_SIZE);
	trace_free(r->line, r->line_cap);
	trace_free(r->tok, r->line_cap);
	trace_free(r, sizeof(*r));
}

const char *trace_reader_error(const struct trace_reader *r)
{
	return r->err;
}

unsigned long trace_reader_line(const struct trace_reader *r)
{
	return r->lineno;
}

/* Refills the chunk buffer. 1: data; 0: end of input; -1: error (r->err set). */
static int fill(struct trace_reader *r)
{
	long n = 0;

	if (r->eof)
		return 0;
	switch (r->src) {
	case SRC_GZ: {
		int errnum = Z_OK;
		const char *msg;

		n = gzread(r->gz, r->chunk, CHUNK_SIZE);
		msg = gzerror(r->gz, &errnum);
		if (n < 0 || (errnum != Z_OK && errnum != Z_BUF_ERROR))
			return fail(r, "read error: %s",
				    errnum == Z_ERRNO ? strerror(errno) : msg);
		/* zlib ends a stream cut short with Z_BUF_ERROR and no more data. */
		if (n == 0 && errnum == Z_BUF_ERROR)
			return fail(r, "compressed stream cut short (unexpected end of file)");
		break;
	}
	case SRC_MEM:
		n = (long)(r->mem_len - r->mem_pos < CHUNK_SIZE ? r->mem_len - r->mem_pos
								 : CHUNK_SIZE);
		memcpy(r->chunk, r->mem + r->mem_pos, (size_t)n);
		r->mem_pos += (size_t)n;
		break;
	case SRC_FN: {
		char msg[ERR_LEN] = "";

		n = r->fn(r->fn_ctx, r->chunk, CHUNK_SIZE, msg, sizeof(msg));
		if (n < 0 || n > (long)CHUNK_SIZE)
			return fail(r, "read error: %s", msg[0] ? msg : "source failed");
		break;
	}
	}
	r->chunk_len = (size_t)n;
	r->chunk_pos = 0;
	if (n == 0)
		r->eof = true;
	return n > 0;
}

static int grow_line(struct trace_reader *r)
{
	size_t cap = r->line_cap * 2;
	char *line, *tok;

	if (cap > (size_t)r->lim.max_line + 1)
		cap = (size_t)r->lim.max_line + 1;
	line = trace_calloc(1, cap);
	tok = trace_calloc(1, cap);
	if (!line || !tok) {
		trace_free(line, cap);
		trace_free(tok, cap);
		return fail(r, "out of memory for a line of %zu bytes", cap);
	}
	memcpy(line, r->line, r->line_cap);
	trace_free(r->line, r->line_cap);
	trace_free(r->tok, r->line_cap);
	r->line = line;
	r->tok = tok;
	r->line_cap = cap;
	return 0;
}

/* Reads the next line into r->line (newline removed). 1: a line; 0: end; -1: error. */
static int read_line(struct trace_reader *r, size_t *out_len)
{
	size_t len = 0;
	bool any = false;

	for (;;) {
		char *start, *nl;
		size_t avail, take;
		int f;

		if (r->chunk_pos == r->chunk_len) {
			f = fill(r);
			if (f < 0) {
				r->lineno++;
				return -1;
			}
			if (f == 0)
				break;
		}
		any = true;
		start = r->chunk + r->chunk_pos;
		avail = r->chunk_len - r->chunk_pos;
		nl = memchr(start, '\n', avail);
		take = nl ? (size_t)(nl - start) : avail;
		if (len + take > r->lim.max_line) {
			r->lineno++;
			return fail(r, "line longer than %" PRIu32 " bytes (--max-line)",
				    r->lim.max_line);
		}
		while (len + take + 1 > r->line_cap) {
			if (grow_line(r)) {
				r->lineno++;
				return -1;
			}
		}
		memcpy(r->line + len, start, take);
		len += take;
		r->chunk_pos += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (!any && len == 0)
		return 0;
	r->lineno++;
	r->line[len] = '\0';
	if (memchr(r->line, '\0', len))
		return fail(r, "NUL byte in the line");
	*out_len = len;
	return 1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

enum num_status { NUM_OK, NUM_BAD, NUM_OVERFLOW };

static enum num_status parse_num(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return NUM_BAD;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return NUM_BAD;
		if (v > (UINT64_MAX - d) / base)
			return NUM_OVERFLOW;
		v = v * base + d;
	}
	*out = v;
	return NUM_OK;
}

bool trace_parse_u64(const char *s, uint64_t *out)
{
	return parse_num(s, out) == NUM_OK;
}

/* Parses field `what` of the current record as a number. */
static int num_field(struct trace_reader *r, const char *tok, const char *what, uint64_t *out)
{
	switch (parse_num(tok, out)) {
	case NUM_OK:
		return 0;
	case NUM_OVERFLOW:
		return fail(r, "%s '%.40s' does not fit in 64 bits", what, tok);
	default:
		return fail(r, "%s '%.40s' is not a number (0x hex or decimal)", what, tok);
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int name_field(struct trace_reader *r, const char *tok, const char *what, char *out)
{
	size_t n = strlen(tok);

	if (n >= TRACE_NAME_MAX)
		return fail(r, "%s name '%.40s...' is too long", what, tok);
	for (size_t i = 0; i < n; i++)
		if (!((tok[i] >= 'A' && tok[i] <= 'Z') || (tok[i] >= 'a' && tok[i] <= 'z') ||
		      (tok[i] >= '0' && tok[i] <= '9') || tok[i] == '_'))
			return fail(r, "%s name '%.40s' has a character other than A-Z 0-9 _",
				    what, tok);
	memcpy(out, tok, n + 1);
	return 0;
}

/* fault=s2:<fsc>:<ipa> and friends; s is the text after "fault=". */
static int parse_fault(struct trace_reader *r, char *s, struct trace_result *res)
{
	static const struct {
		const char *tag;
		enum trace_result_kind kind;
		bool fsc, addr;
		const char *usage;
	} forms[] = {
		{ "s1", TRACE_RES_S1, true, false, "<fsc>" },
		{ "s2", TRACE_RES_S2, true, true, "<fsc>:<ipa>" },
		{ "s2ptw", TRACE_RES_S2PTW, true, true, "<fsc>:<ipa>" },
		{ "host", TRACE_RES_HOST, false, true, "<ipa>" },
	};
	char *part[3];
	unsigned np = 0;

	for (char *p = s;;) {
		char *colon = strchr(p, ':');

		if (np == 3)
			return fail(r, "access result 'fault=%.20s...' has too many ':' fields", s);
		part[np++] = p;
		if (!colon)
			break;
		*colon = '\0';
		p = colon + 1;
	}
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		unsigned f = 1;
		uint64_t v;

		if (strcasecmp(part[0], forms[i].tag))
			continue;
		if (np != 1u + forms[i].fsc + forms[i].addr)
			return fail(r, "access result fault=%s takes fault=%s:%s", forms[i].tag,
				    forms[i].tag, forms[i].usage);
		res->kind = forms[i].kind;
		res->fsc = 0;
		res->addr = 0;
		if (forms[i].fsc) {
			if (num_field(r, part[f++], "fault status code", &v))
				return -1;
			if (v > 0x3f)
				return fail(r, "fault status code 0x%" PRIx64
					    " is wider than 6 bits", v);
			res->fsc = (uint8_t)v;
		}
		if (forms[i].addr && num_field(r, part[f], "fault address", &res->addr))
			return -1;
		return 0;
	}
	return fail(r, "unknown access result 'fault=%.40s' (s1, s2, s2ptw, host)", part[0]);
}

static int parse_result(struct trace_reader *r, char *s, struct trace_result *res)
{
	if (!strncasecmp(s, "pa=", 3)) {
		res->kind = TRACE_RES_PA;
		res->fsc = 0;
		return num_field(r, s + 3, "access result address", &res->addr);
	}
	if (!strncasecmp(s, "fault=", 6))
		return parse_fault(r, s + 6, res);
	return fail(r, "access result '%.40s' is neither pa=<hostpa> nor fault=...", s);
}

static int expect_fields(struct trace_reader *r, const char *kind, unsigned n, unsigned lo,
			 unsigned hi, const char *usage)
{
	if (n >= lo && n <= hi)
		return 0;
	return fail(r, "%s takes %s: '%s %s'", kind, n < lo ? "more fields" : "fewer fields",
		    kind, usage);
}

static int parse_record(struct trace_reader *r, char **f, unsigned n,
			struct trace_record *rec)
{
	unsigned k;

	for (k = 0; k < TRACE_NKINDS; k++)
		if (!strcmp(f[0], kind_names[k]))
			break;
	if (k == TRACE_NKINDS)
		return fail(r, "unknown record '%.40s'", f[0]);
	if (k != TRACE_HEADER && !r->seen_header)
		return fail(r, "the first record must be 'el2emu-trace 1'");
	rec->kind = (enum trace_kind)k;
	rec->has_opt = false;
	rec->name[0] = '\0';

	switch (rec->kind) {
	case TRACE_HEADER:
		if (r->seen_header)
			return fail(r, "repeated 'el2emu-trace' header");
		if (expect_fields(r, f[0], n, 2, 2, "<version>") ||
		    num_field(r, f[1], "version", &rec->u.version))
			return -1;
		if (rec->u.version != 1)
			return fail(r, "unsupported trace version %" PRIu64
				    " (this el2emu reads 1)", rec->u.version);
		r->seen_header = true;
		return 0;
	case TRACE_RAM:
		if (expect_fields(r, f[0], n, 3, 3, "<base> <size>") ||
		    num_field(r, f[1], "base", &rec->u.ram.base) ||
		    num_field(r, f[2], "size", &rec->u.ram.size))
			return -1;
		return 0;
	case TRACE_MEM: {
		size_t len;
		uint8_t *out = (uint8_t *)f[2];

		if (expect_fields(r, f[0], n, 3, 3, "<addr> <hexbytes>") ||
		    num_field(r, f[1], "address", &rec->u.mem.addr))
			return -1;
		len = strlen(f[2]);
		if (len % 2)
			return fail(r, "mem: odd number of hex digits (%zu)", len);
		/* Decode in place: byte i is written at i, read from 2i and 2i+1. */
		for (size_t i = 0; i < len / 2; i++) {
			int hi = hex_digit(f[2][2 * i]), lo = hex_digit(f[2][2 * i + 1]);

			if (hi < 0 || lo < 0)
				return fail(r, "mem: '%c%c' at offset %zu is not a hex byte",
					    f[2][2 * i], f[2][2 * i + 1], 2 * i);
			out[i] = (uint8_t)(hi << 4 | lo);
		}
		rec->u.mem.bytes = out;
		rec->u.mem.len = len / 2;
		return 0;
	}
	case TRACE_MEM64:
		if (expect_fields(r, f[0], n, 3, 3, "<addr> <value>") ||
		    num_field(r, f[1], "address", &rec->u.mem64.addr) ||
		    num_field(r, f[2], "value", &rec->u.mem64.value))
			return -1;
		if (rec->u.mem64.addr % 8)
			return fail(r, "mem64: address 0x%" PRIx64 " is not 8-byte aligned",
				    rec->u.mem64.addr);
		return 0;
	case TRACE_REG:
		if (expect_fields(r, f[0], n, 3, 3, "<NAME> <value>") ||
		    name_field(r, f[1], "register", rec->name) ||
		    num_field(r, f[2], "value", &rec->u.reg.value))
			return -1;
		return 0;
	case TRACE_AT:
		if (expect_fields(r, f[0], n, 3, 4, "<OP> <va> [<par>]") ||
		    name_field(r, f[1], "AT operation", rec->name) ||
		    num_field(r, f[2], "address", &rec->u.at.va))
			return -1;
		rec->has_opt = n == 4;
		if (rec->has_opt && num_field(r, f[3], "PAR", &rec->u.at.par))
			return -1;
		return 0;
	case TRACE_TLBI:
		if (expect_fields(r, f[0], n, 2, 3, "<OP> [<xt>]") ||
		    name_field(r, f[1], "TLBI operation", rec->name))
			return -1;
		rec->has_opt = n == 3;
		rec->u.tlbi.xt = 0;
		if (rec->has_opt && num_field(r, f[2], "operand", &rec->u.tlbi.xt))
			return -1;
		return 0;
	case TRACE_HOSTMAP:
		if (expect_fields(r, f[0], n, 4, 4, "<ipa> <pa>|none <size>") ||
		    num_field(r, f[1], "IPA", &rec->u.hostmap.ipa) ||
		    num_field(r, f[3], "size", &rec->u.hostmap.size))
			return -1;
		rec->u.hostmap.none = !strcasecmp(f[2], "none");
		rec->u.hostmap.pa = 0;
		if (!rec->u.hostmap.none && num_field(r, f[2], "PA", &rec->u.hostmap.pa))
			return -1;
		return 0;
	case TRACE_ACCESS: {
		uint64_t el;

		if (expect_fields(r, f[0], n, 4, 5, "<r|w|x> <el> <va> [<result>]"))
			return -1;
		if (strlen(f[1]) != 1 || !strchr("rwxRWX", f[1][0]))
			return fail(r, "access type '%.40s' is not r, w or x", f[1]);
		rec->u.access.type = (char)(f[1][0] | 0x20);
		if (num_field(r, f[2], "exception level", &el))
			return -1;
		if (el > 1)
			return fail(r, "access: exception level %" PRIu64 " is not 0 or 1", el);
		rec->u.access.el = (unsigned)el;
		if (num_field(r, f[3], "address", &rec->u.access.va))
			return -1;
		rec->has_opt = n == 5;
		if (rec->has_opt && parse_result(r, f[4], &rec->u.access.expect))
			return -1;
		return 0;
	}
	case TRACE_NKINDS:
		break;
	}
	return fail(r, "unknown record '%.40s'", f[0]);
}

int trace_reader_next(struct trace_reader *r, struct trace_record *rec)
{
	if (r->failed)
		return -1;
	for (;;) {
		char *fields[MAX_FIELDS];
		unsigned n = 0;
		size_t len = 0, start, end, t = 0;
		char *hash;
		int rl = read_line(r, &len);

		if (rl < 0)
			return -1;
		if (rl == 0) {
			if (!r->seen_header) {
				if (r->lineno == 0)
					r->lineno = 1;
				return fail(r, "empty trace: the first record must be "
					       "'el2emu-trace 1'");
			}
			return 0;
		}
		hash = memchr(r->line, '#', len);
		if (hash)
			len = (size_t)(hash - r->line);
		/* A CR before the newline (a CRLF file) is not part of the record. */
		if (len && r->line[len - 1] == '\r')
			len--;
		for (start = 0; start < len && is_blank(r->line[start]); start++)
			;
		for (end = len; end > start && is_blank(r->line[end - 1]); end--)
			;
		if (start == end)
			continue;
		r->line[end] = '\0';
		rec->text = r->line + start;
		rec->line = r->lineno;
		for (size_t i = start; i < end;) {
			if (is_blank(r->line[i])) {
				i++;
				continue;
			}
			if (n == MAX_FIELDS)
				return fail(r, "too many fields");
			fields[n++] = r->tok + t;
			while (i < end && !is_blank(r->line[i]))
				r->tok[t++] = r->line[i++];
			r->tok[t++] = '\0';
		}
		return parse_record(r, fields, n, rec) ? -1 : 1;
	}
}

void trace_result_format(const struct trace_result *r, char *buf, size_t len)
{
	switch (r->kind) {
	case TRACE_RES_PA:
		snprintf(buf, len, "pa=0x%" PRIx64, r->addr);
		break;
	case TRACE_RES_S1:
		snprintf(buf, len, "fault=s1:0x%02x", r->fsc);
		break;
	case TRACE_RES_S2:
		snprintf(buf, len, "fault=s2:0x%02x:0x%" PRIx64, r->fsc, r->addr);
		break;
	case TRACE_RES_S2PTW:
		snprintf(buf, len, "fault=s2ptw:0x%02x:0x%" PRIx64, r->fsc, r->addr);
		break;
	case TRACE_RES_HOST:
		snprintf(buf, len, "fault=host:0x%" PRIx64, r->addr);
		break;
	default:
		snprintf(buf, len, "?");
		break;
	}
}

bool trace_result_equal(const struct trace_result *a, const struct trace_result *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TRACE_RES_S1:
		return a->fsc == b->fsc;
	case TRACE_RES_HOST:
	case TRACE_RES_PA:
		return a->addr == b->addr;
	default:
		return a->fsc == b->fsc && a->addr == b->addr;
	}
}
