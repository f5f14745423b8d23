/* Test fixture memory for the translate tests: a few backed RAM regions behind the
 * tr_mem_ops callbacks, with read and update counters. */
#ifndef EL2EMU_TESTS_TRANSLATE_FIXTURE_H
#define EL2EMU_TESTS_TRANSLATE_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el2emu/translate.h"

#define FX_MAX_REGIONS 8

struct fx_mem {
	struct {
		uint64_t base, size;
		uint8_t *buf;
	} r[FX_MAX_REGIONS];
	unsigned n;
	unsigned long reads, cas_calls;
};

static inline uint8_t *fx_ptr(struct fx_mem *m, uint64_t pa)
{
	for (unsigned i = 0; i < m->n; i++)
		if (pa >= m->r[i].base && pa - m->r[i].base <= m->r[i].size - 8)
			return m->r[i].buf + (pa - m->r[i].base);
	return NULL;
}

static inline void fx_add_ram(struct fx_mem *m, uint64_t base, uint64_t size)
{
	if (m->n >= FX_MAX_REGIONS)
		abort();
	m->r[m->n].base = base;
	m->r[m->n].size = size;
	m->r[m->n].buf = calloc(1, size);
	if (!m->r[m->n].buf)
		abort();
	m->n++;
}

static inline void fx_free(struct fx_mem *m)
{
	for (unsigned i = 0; i < m->n; i++)
		free(m->r[i].buf);
	memset(m, 0, sizeof(*m));
}

static inline void fx_w64(struct fx_mem *m, uint64_t pa, uint64_t v)
{
	uint8_t *p = fx_ptr(m, pa);

	if (!p)
		abort();	/* a broken test, not guest input */
	memcpy(p, &v, 8);
}

static inline uint64_t fx_r64(struct fx_mem *m, uint64_t pa)
{
	uint64_t v;
	uint8_t *p = fx_ptr(m, pa);

	if (!p)
		abort();
	memcpy(&v, p, 8);
	return v;
}

static inline bool fx_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	struct fx_mem *m = ctx;
	uint8_t *p = fx_ptr(m, pa);

	m->reads++;
	if (!p || (pa & 7))
		return false;
	memcpy(val, p, 8);
	return true;
}

static inline bool fx_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
			    uint64_t *seen)
{
	struct fx_mem *m = ctx;
	uint8_t *p = fx_ptr(m, pa);

	m->cas_calls++;
	if (!p || (pa & 7))
		return false;
	memcpy(seen, p, 8);
	if (*seen == expected)
		memcpy(p, &desired, 8);
	return true;
}

static inline struct tr_mem_ops fx_ops(struct fx_mem *m)
{
	struct tr_mem_ops ops = { fx_read64, fx_cas64, m };

	return ops;
}

#endif
