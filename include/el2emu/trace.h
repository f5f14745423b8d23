/* el2emu trace module: the version-1 trace reader (shared/trace-format.md), the sparse memory
 * model of the guest hypervisor's physical address space, and the replay driver.
 *
 * Everything here takes guest-controlled input: no call aborts, every allocation is bounded
 * by struct trace_limits, and every error is a value with a message. */
#ifndef EL2EMU_TRACE_H
#define EL2EMU_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Bounds on what one replay may allocate, whatever the trace says. */
struct trace_limits {
	uint64_t max_alloc;	/* bytes of RAM pages actually allocated (written) */
	uint64_t max_ram;	/* total bytes declared by `ram` records */
	uint32_t max_regions;	/* number of `ram` records */
	uint32_t max_hostmap;	/* number of disjoint `hostmap` ranges */
	uint32_t max_line;	/* bytes in one line, newline excluded */
};

/* 512 MiB allocated, 8 GiB declared, 1024 regions, 4096 host ranges, 1 MiB lines: all a
 * captured boot needs, and small enough that the sorted arrays stay cheap to update. */
void trace_limits_default(struct trace_limits *lim);

/* ---- Sparse memory: `ram` regions whose 4 KiB pages are allocated on first write. ---- */

#define TRACE_PAGE_SIZE 4096u

enum trace_mem_status {
	TRACE_MEM_OK = 0,
	TRACE_MEM_UNBACKED,	/* some byte lies outside every `ram` region */
	TRACE_MEM_LIMIT,	/* the write would exceed limits.max_alloc */
	TRACE_MEM_NOMEM,	/* the C library refused an allocation below the limit */
};

struct trace_mem;

struct trace_mem *trace_mem_new(const struct trace_limits *lim);
void trace_mem_free(struct trace_mem *m);
/* Declares [base, base+size). Returns 0, or -1 with a message in err (overlap, empty, wraps
 * around, a limit exceeded). */
int trace_mem_add_region(struct trace_mem *m, uint64_t base, uint64_t size, char *err,
			 size_t errlen);
/* True when every byte of [addr, addr+len) lies in a `ram` region (len > 0). */
bool trace_mem_backed(const struct trace_mem *m, uint64_t addr, uint64_t len);
enum trace_mem_status trace_mem_write(struct trace_mem *m, uint64_t addr, const void *buf,
				      size_t len);
/* Untouched backed bytes read as zero. */
enum trace_mem_status trace_mem_read(const struct trace_mem *m, uint64_t addr, void *buf,
				     size_t len);
enum trace_mem_status trace_mem_read64(const struct trace_mem *m, uint64_t addr,
				       uint64_t *val);
enum trace_mem_status trace_mem_write64(struct trace_mem *m, uint64_t addr, uint64_t val);
/* Little-endian compare-and-swap of an 8-byte word; *cur receives the old value and the
 * store happens only when it equals expected. */
enum trace_mem_status trace_mem_cas64(struct trace_mem *m, uint64_t addr, uint64_t expected,
				      uint64_t desired, uint64_t *cur);
uint64_t trace_mem_allocated(const struct trace_mem *m);	/* page bytes */
uint64_t trace_mem_declared(const struct trace_mem *m);	/* `ram` bytes */
uint32_t trace_mem_regions(const struct trace_mem *m);

/* ---- Reader: one record per call, with a bounded line buffer (it streams). ---- */

enum trace_kind {
	TRACE_HEADER,	/* el2emu-trace <version> */
	TRACE_RAM,
	TRACE_MEM,
	TRACE_MEM64,
	TRACE_REG,
	TRACE_AT,
	TRACE_TLBI,
	TRACE_HOSTMAP,
	TRACE_ACCESS,
	TRACE_NKINDS
};

const char *trace_kind_name(enum trace_kind kind);

/* The <result> of an `access` record. */
enum trace_result_kind {
	TRACE_RES_PA,		/* pa=<hostpa> */
	TRACE_RES_S1,		/* fault=s1:<fsc> */
	TRACE_RES_S2,		/* fault=s2:<fsc>:<ipa> */
	TRACE_RES_S2PTW,	/* fault=s2ptw:<fsc>:<ipa> */
	TRACE_RES_HOST,		/* fault=host:<ipa> */
};

struct trace_result {
	enum trace_result_kind kind;
	uint8_t fsc;		/* S1, S2, S2PTW: 6-bit DFSC/IFSC */
	uint64_t addr;		/* PA: host PA; S2, S2PTW, HOST: the IPA */
};

/* Writes the canonical spelling of r ("pa=0x...", "fault=s2:0x0f:0x..."). */
void trace_result_format(const struct trace_result *r, char *buf, size_t len);
bool trace_result_equal(const struct trace_result *a, const struct trace_result *b);

#define TRACE_NAME_MAX 48

/* One parsed record. Pointers stay valid until the next trace_reader_next() call. Names are
 * checked only for their spelling here; the replay resolves them against sysreg/translate. */
struct trace_record {
	enum trace_kind kind;
	unsigned long line;
	const char *text;		/* as written, without comment and surrounding blanks */
	char name[TRACE_NAME_MAX];	/* reg, at, tlbi: the name as written */
	bool has_opt;			/* at <par>, tlbi <xt>, access <result> */
	union {
		uint64_t version;				/* header */
		struct { uint64_t base, size; } ram;
		struct { uint64_t addr; const uint8_t *bytes; size_t len; } mem;
		struct { uint64_t addr, value; } mem64;
		struct { uint64_t value; } reg;
		struct { uint64_t va, par; } at;
		struct { uint64_t xt; } tlbi;
		struct { uint64_t ipa, pa, size; bool none; } hostmap;
		struct {
			char type;			/* 'r', 'w' or 'x' */
			unsigned el;			/* 0 or 1 */
			uint64_t va;
			struct trace_result expect;
		} access;
	} u;
};

struct trace_reader;

/* path "-" is standard input; gzip-compressed input is read transparently. Returns NULL with
 * a message in err when the file cannot be opened. */
struct trace_reader *trace_reader_open_path(const char *path, const struct trace_limits *lim,
					    char *err, size_t errlen);
/* Reads from a caller-owned buffer, which must outlive the reader. */
struct trace_reader *trace_reader_open_mem(const void *buf, size_t len,
					   const struct trace_limits *lim);
/* Reads through fn, which fills at most cap bytes and returns the count, 0 at the end, or -1
 * with a message in err. */
typedef long (*trace_read_fn)(void *ctx, char *buf, size_t cap, char *err, size_t errlen);
struct trace_reader *trace_reader_open_fn(trace_read_fn fn, void *ctx,
					  const struct trace_limits *lim);
void trace_reader_close(struct trace_reader *r);

/* 1: *rec holds the next record; 0: end of input; -1: malformed input or a read error, see
 * trace_reader_error() and trace_reader_line(). The first record must be the header. */
int trace_reader_next(struct trace_reader *r, struct trace_record *rec);
const char *trace_reader_error(const struct trace_reader *r);
unsigned long trace_reader_line(const struct trace_reader *r);

/* Parses a number as the format spells it (0x hex or decimal, fitting in 64 bits). */
bool trace_parse_u64(const char *s, uint64_t *out);

/* ---- Replay ---- */

struct trace_stats {
	uint64_t passed, failed;	/* checked expectations */
	uint64_t records[TRACE_NKINDS];
	uint64_t at_unchecked, access_unchecked;
	uint64_t regs_ignored;		/* known registers that do not feed translation */
	unsigned long lines;
	uint64_t mem_allocated, mem_declared;	/* bytes, at the end of the replay */
	uint64_t heap_peak;		/* peak bytes allocated by this module during the replay */
};

struct trace_replay_opts {
	struct trace_limits limits;
	FILE *out;	/* mismatch lines (NULL: not printed) */
	FILE *err;	/* FILE:LINE: error: lines (NULL: not printed) */
	bool audit;	/* after every record, re-derive every shadow stage-2 leaf: one left
			 * stale by a TLBI or a hostmap change is a failed expectation */
	FILE *nested_stats;	/* shadow stage-2 statistics as text (NULL: not printed) */
	FILE *nested_json;	/* the same as one JSON object (NULL: not printed) */
};

/* Replays every record of r, naming it `name` in messages. Returns the exit status the format
 * defines: 0 all expectations passed, 1 some failed, 2 malformed input (replay stopped there;
 * stats still count what ran before). */
int trace_replay(struct trace_reader *r, const char *name, const struct trace_replay_opts *o,
		 struct trace_stats *st);
/* Opens path (plain or gzip) and replays it. */
int trace_replay_path(const char *path, const struct trace_replay_opts *o,
		      struct trace_stats *st);

/* Bytes this module currently has allocated, and the peak since the last reset: the
 * measure of "memory does not grow with the number of records". */
uint64_t trace_heap_in_use(void);
uint64_t trace_heap_peak(void);
void trace_heap_reset_peak(void);

#endif
