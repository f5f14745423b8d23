/* The trace writer (include/el2emu/trace_writer.h): one formatted line per record, written
 * through zlib's gz* functions for ".gz" paths and stdio otherwise. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "el2emu/trace_writer.h"

#define MEM_CHUNK 4096u	/* bytes per `mem` record: 8 KiB of hex, far below the line limit */

struct trace_writer {
	FILE *f;
	gzFile gz;
	bool failed;
	uint64_t bytes, records;
};

static void put(struct trace_writer *w, const char *s, size_t len)
{
	if (w->failed || !len)
		return;
	if (w->gz) {
		if (gzwrite(w->gz, s, (unsigned)len) != (int)len)
			w->failed = true;
	} else if (fwrite(s, 1, len, w->f) != len) {
		w->failed = true;
	}
	w->bytes += len;
}

static void putf(struct trace_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void putf(struct trace_writer *w, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		w->failed = true;	/* every caller formats far less than 256 bytes */
		return;
	}
	put(w, buf, (size_t)n);
	w->records++;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

struct trace_writer *trace_writer_open(const char *path, char *err, size_t errlen)
{
	struct trace_writer *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (ends_with(path, ".gz")) {
		/* zlib writes a gzip header with MTIME 0 and no file name: deterministic. */
		w->gz = gzopen(path, "wb9");
	} else {
		w->f = fopen(path, "wb");
	}
	if (!w->gz && !w->f) {
		snprintf(err, errlen, "cannot create %s: %s", path,
			 strerror(errno ? errno : EIO));
		free(w);
		return NULL;
	}
	putf(w, "el2emu-trace 1\n");
	return w;
}

int trace_writer_close(struct trace_writer *w, char *err, size_t errlen)
{
	bool failed;

	if (!w)
		return 0;
	failed = w->failed;
	if (w->gz) {
		if (gzclose(w->gz) != Z_OK)
			failed = true;
	} else if (fclose(w->f)) {
		failed = true;
	}
	free(w);
	if (failed) {
		snprintf(err, errlen, "writing the trace failed (disk full?)");
		return -1;
	}
	return 0;
}

uint64_t trace_writer_bytes(const struct trace_writer *w)
{
	return w->bytes;
}

uint64_t trace_writer_records(const struct trace_writer *w)
{
	return w->records;
}

void trace_write_comment(struct trace_writer *w, const char *text)
{
	size_t len = strcspn(text, "\r\n");

	put(w, "# ", 2);
	put(w, text, len);
	put(w, "\n", 1);
}

void trace_write_ram(struct trace_writer *w, uint64_t base, uint64_t size)
{
	putf(w, "ram 0x%" PRIx64 " 0x%" PRIx64 "\n", base, size);
}

void trace_write_mem(struct trace_writer *w, uint64_t addr, const void *bytes, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = bytes;
	char line[64 + 2 * MEM_CHUNK];

	while (len) {
		size_t n = len < MEM_CHUNK ? len : MEM_CHUNK, i;
		int k = snprintf(line, 64, "mem 0x%" PRIx64 " ", addr);

		for (i = 0; i < n; i++) {
			line[k++] = hex[b[i] >> 4];
			line[k++] = hex[b[i] & 15];
		}
		line[k++] = '\n';
		put(w, line, (size_t)k);
		w->records++;
		addr += n;
		b += n;
		len -= n;
	}
}

void trace_write_mem64(struct trace_writer *w, uint64_t addr, uint64_t value)
{
	putf(w, "mem64 0x%" PRIx64 " 0x%" PRIx64 "\n", addr, value);
}

void trace_write_reg(struct trace_writer *w, const char *name, uint64_t value)
{
	putf(w, "reg %.*s 0x%" PRIx64 "\n", TRACE_NAME_MAX, name, value);
}

void trace_write_at(struct trace_writer *w, const char *op, uint64_t va, uint64_t par)
{
	putf(w, "at %.*s 0x%" PRIx64 " 0x%" PRIx64 "\n", TRACE_NAME_MAX, op, va, par);
}

void trace_write_tlbi(struct trace_writer *w, const char *op, bool has_xt, uint64_t xt)
{
	if (has_xt)
		putf(w, "tlbi %.*s 0x%" PRIx64 "\n", TRACE_NAME_MAX, op, xt);
	else
		putf(w, "tlbi %.*s\n", TRACE_NAME_MAX, op);
}

void trace_write_hostmap(struct trace_writer *w, uint64_t ipa, uint64_t pa, uint64_t size)
{
	putf(w, "hostmap 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 "\n", ipa, pa, size);
}

void trace_write_hostunmap(struct trace_writer *w, uint64_t ipa, uint64_t size)
{
	putf(w, "hostmap 0x%" PRIx64 " none 0x%" PRIx64 "\n", ipa, size);
}

void trace_write_access(struct trace_writer *w, char type, unsigned el, uint64_t va,
			const struct trace_result *result)
{
	char res[64];

	if (result) {
		trace_result_format(result, res, sizeof(res));
		putf(w, "access %c %u 0x%" PRIx64 " %s\n", type, el, va, res);
	} else {
		putf(w, "access %c %u 0x%" PRIx64 "\n", type, el, va);
	}
}
