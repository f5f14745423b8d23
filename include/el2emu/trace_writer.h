/* el2emu trace writer: emits version-1 trace records (shared/trace-format.md) in their
 * canonical spelling, as plain text or, when the path ends in ".gz", gzip-compressed.
 * The output depends only on the calls made (the gzip header carries no time stamp), so
 * the same recording gives the same bytes. See docs/replay.md "Recording". */
#ifndef EL2EMU_TRACE_WRITER_H
#define EL2EMU_TRACE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "el2emu/trace.h"

struct trace_writer;

/* Creates (truncates) path and writes the header `el2emu-trace 1`. NULL with a message in
 * err when the file cannot be created. */
struct trace_writer *trace_writer_open(const char *path, char *err, size_t errlen);
/* Flushes and closes; 0, or -1 with a message when any write failed (disk full...). */
int trace_writer_close(struct trace_writer *w, char *err, size_t errlen);
/* Bytes of trace text written so far (before compression). */
uint64_t trace_writer_bytes(const struct trace_writer *w);
/* Records written so far, the header included (comments excluded). */
uint64_t trace_writer_records(const struct trace_writer *w);

/* A `# ...` comment line (text must not contain a newline; one is cut there). */
void trace_write_comment(struct trace_writer *w, const char *text);
void trace_write_ram(struct trace_writer *w, uint64_t base, uint64_t size);
/* `mem`: len bytes (len > 0); long runs are split into records of at most 4 KiB. */
void trace_write_mem(struct trace_writer *w, uint64_t addr, const void *bytes, size_t len);
void trace_write_mem64(struct trace_writer *w, uint64_t addr, uint64_t value);
void trace_write_reg(struct trace_writer *w, const char *name, uint64_t value);
void trace_write_at(struct trace_writer *w, const char *op, uint64_t va, uint64_t par);
/* `tlbi OP` or, with has_xt, `tlbi OP <xt>`. */
void trace_write_tlbi(struct trace_writer *w, const char *op, bool has_xt, uint64_t xt);
void trace_write_hostmap(struct trace_writer *w, uint64_t ipa, uint64_t pa, uint64_t size);
void trace_write_hostunmap(struct trace_writer *w, uint64_t ipa, uint64_t size);
/* type 'r', 'w' or 'x'; el 0 or 1; result NULL: no expectation. */
void trace_write_access(struct trace_writer *w, char type, unsigned el, uint64_t va,
			const struct trace_result *result);

#endif
