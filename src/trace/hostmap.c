/* The host's stage 2 of a trace: a sorted, bounded range map (hostmap.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "el2emu/trace.h"
#include "hostmap.h"
#include "trace_internal.h"

void trace_hostmap_init(struct trace_hostmap *h, const struct trace_mem *mem, uint32_t max)
{
	*h = (struct trace_hostmap){ .mem = mem, .max = max };
}

void trace_hostmap_fini(struct trace_hostmap *h)
{
	trace_free(h->map, (size_t)h->cap * sizeof(*h->map));
	h->map = NULL;
	h->n = h->cap = 0;
}

static bool grow(struct trace_hostmap *h, uint32_t count)
{
	uint32_t cap = h->cap ? h->cap * 2 : 16;
	struct trace_host_range *m;

	if (cap < count)
		cap = count;
	if (cap > h->max)
		cap = h->max;
	m = trace_calloc(cap, sizeof(*m));
	if (!m)
		return false;
	if (h->n)
		memcpy(m, h->map, h->n * sizeof(*m));
	trace_free(h->map, (size_t)h->cap * sizeof(*m));
	h->map = m;
	h->cap = cap;
	return true;
}

int trace_hostmap_set(struct trace_hostmap *h, uint64_t ipa, uint64_t size, bool none,
		      uint64_t pa, char *why, size_t len)
{
	struct trace_host_range repl[3];
	uint32_t i, j, nrepl = 0, count;
	uint64_t last;

	if (size == 0) {
		snprintf(why, len, "hostmap range is empty");
		return -1;
	}
	last = ipa + (size - 1);
	if (last < ipa || (!none && pa + (size - 1) < pa)) {
		snprintf(why, len, "hostmap range of 0x%" PRIx64
			 " bytes runs past the end of the address space", size);
		return -1;
	}
	/* [i, j): the ranges the new one overlaps. */
	for (i = 0; i < h->n && h->map[i].last < ipa; i++)
		;
	for (j = i; j < h->n && h->map[j].ipa <= last; j++)
		;
	/* Later records override earlier ones: keep only what sticks out on either side. */
	if (i < j && h->map[i].ipa < ipa)
		repl[nrepl++] = (struct trace_host_range){ h->map[i].ipa, ipa - 1, h->map[i].pa };
	if (!none)
		repl[nrepl++] = (struct trace_host_range){ ipa, last, pa };
	if (i < j && h->map[j - 1].last > last) {
		const struct trace_host_range *r = &h->map[j - 1];

		repl[nrepl++] = (struct trace_host_range){ last + 1, r->last,
							   r->pa + (last + 1 - r->ipa) };
	}
	count = h->n - (j - i) + nrepl;
	if (count > h->max) {
		snprintf(why, len, "hostmap: more than %" PRIu32 " disjoint ranges", h->max);
		return -1;
	}
	if (count > h->cap && !grow(h, count)) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	memmove(&h->map[i + nrepl], &h->map[j], (h->n - j) * sizeof(*h->map));
	memcpy(&h->map[i], repl, nrepl * sizeof(*repl));
	h->n = count;
	h->explicit_map = true;
	return 0;
}

bool trace_hostmap_lookup(const struct trace_hostmap *h, uint64_t ipa, uint64_t *base,
			  uint64_t *pa_base, uint64_t *size)
{
	uint32_t lo = 0, hi = h->n;

	if (!h->explicit_map) {
		static const uint64_t sizes[] = { 1ull << 30, 1ull << 21, 1ull << 12 };

		for (unsigned k = 0; k < 3; k++) {
			uint64_t b = ipa & ~(sizes[k] - 1);

			if (trace_mem_backed(h->mem, b, sizes[k])) {
				*base = *pa_base = b;
				*size = sizes[k];
				return true;
			}
		}
		/* A region smaller than a page: the host's granule is still the page. */
		if (!trace_mem_backed(h->mem, ipa, 1))
			return false;
		*base = *pa_base = ipa & ~0xfffull;
		*size = 0x1000;
		return true;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct trace_host_range *r = &h->map[mid];

		if (r->last < ipa) {
			lo = mid + 1;
		} else if (r->ipa > ipa) {
			hi = mid;
		} else {
			*base = r->ipa;
			*pa_base = r->pa;
			/* A range covering the whole 64-bit space has no 64-bit size: clip it
			 * by one byte. */
			*size = r->last - r->ipa + 1 ? r->last - r->ipa + 1 : r->last;
			return true;
		}
	}
	return false;
}
