/* Sparse memory of the guest hypervisor's physical address space (trace-format.md `ram`).
 *
 * Regions are a sorted array of disjoint ranges. Pages are 4 KiB, allocated on first write
 * and found through an open-addressing hash table keyed by the page number, so a huge `ram`
 * declaration costs nothing until it is written, and what is written is capped by
 * limits.max_alloc. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "el2emu/trace.h"
#include "trace_internal.h"

struct region {
	uint64_t base, last;	/* inclusive last byte, so a region may end at 2^64 - 1 */
};

struct page_slot {
	uint64_t pfn;
	uint8_t *data;		/* NULL: empty slot */
};

struct trace_mem {
	struct trace_limits lim;
	struct region *regions;
	uint32_t nregions, cap_regions;
	uint64_t declared;
	struct page_slot *slots;
	size_t nslots;		/* 0 or a power of two */
	size_t npages;
};

void trace_limits_default(struct trace_limits *lim)
{
	lim->max_alloc = 512ull << 20;
	lim->max_ram = 8ull << 30;
	lim->max_regions = 1024;
	lim->max_hostmap = 4096;
	lim->max_line = 1u << 20;
}

struct trace_mem *trace_mem_new(const struct trace_limits *lim)
{
	struct trace_mem *m = trace_calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (lim)
		m->lim = *lim;
	else
		trace_limits_default(&m->lim);
	return m;
}

void trace_mem_free(struct trace_mem *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nslots; i++)
		trace_free(m->slots[i].data, TRACE_PAGE_SIZE);
	trace_free(m->slots, m->nslots * sizeof(*m->slots));
	trace_free(m->regions, (size_t)m->cap_regions * sizeof(*m->regions));
	trace_free(m, sizeof(*m));
}

int trace_mem_add_region(struct trace_mem *m, uint64_t base, uint64_t size, char *err,
			 size_t errlen)
{
	uint64_t last;
	uint32_t pos;

	if (size == 0) {
		snprintf(err, errlen, "ram region is empty");
		return -1;
	}
	last = base + (size - 1);
	if (last < base) {
		snprintf(err, errlen, "ram region 0x%" PRIx64 "+0x%" PRIx64
			 " runs past the end of the address space", base, size);
		return -1;
	}
	if (size > m->lim.max_ram || m->declared + size > m->lim.max_ram) {
		snprintf(err, errlen, "ram: declaring 0x%" PRIx64 " more bytes exceeds the "
			 "limit of 0x%" PRIx64 " bytes of declared RAM (--max-ram)", size,
			 m->lim.max_ram);
		return -1;
	}
	if (m->nregions >= m->lim.max_regions) {
		snprintf(err, errlen, "ram: more than %" PRIu32 " regions (--max-regions)",
			 m->lim.max_regions);
		return -1;
	}
	for (pos = 0; pos < m->nregions && m->regions[pos].base < base; pos++)
		;
	if ((pos > 0 && m->regions[pos - 1].last >= base) ||
	    (pos < m->nregions && m->regions[pos].base <= last)) {
		snprintf(err, errlen, "ram region 0x%" PRIx64 "+0x%" PRIx64
			 " overlaps an earlier one", base, size);
		return -1;
	}
	if (m->nregions == m->cap_regions) {
		uint32_t cap = m->cap_regions ? m->cap_regions * 2 : 8;
		struct region *r;

		if (cap > m->lim.max_regions)
			cap = m->lim.max_regions;
		r = trace_calloc(cap, sizeof(*r));
		if (!r) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (m->nregions)
			memcpy(r, m->regions, m->nregions * sizeof(*r));
		trace_free(m->regions, (size_t)m->cap_regions * sizeof(*r));
		m->regions = r;
		m->cap_regions = cap;
	}
	memmove(&m->regions[pos + 1], &m->regions[pos],
		(m->nregions - pos) * sizeof(*m->regions));
	m->regions[pos] = (struct region){ base, last };
	m->nregions++;
	m->declared += size;
	return 0;
}

/* The region holding addr, or NULL. */
static const struct region *find_region(const struct trace_mem *m, uint64_t addr)
{
	uint32_t lo = 0, hi = m->nregions;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->regions[mid].last < addr)
			lo = mid + 1;
		else if (m->regions[mid].base > addr)
			hi = mid;
		else
			return &m->regions[mid];
	}
	return NULL;
}

bool trace_mem_backed(const struct trace_mem *m, uint64_t addr, uint64_t len)
{
	uint64_t last;

	if (len == 0)
		return false;
	last = addr + (len - 1);
	if (last < addr)
		return false;
	/* Adjacent regions together back a range that crosses their boundary. */
	for (;;) {
		const struct region *r = find_region(m, addr);

		if (!r)
			return false;
		if (r->last >= last)
			return true;
		addr = r->last + 1;
	}
}

static size_t slot_index(uint64_t pfn, size_t nslots)
{
	/* Fibonacci hashing: consecutive page numbers spread over the table. */
	return (size_t)((pfn * 0x9e3779b97f4a7c15ull) >> 20) & (nslots - 1);
}

static uint8_t *page_lookup(const struct trace_mem *m, uint64_t pfn)
{
	if (!m->nslots)
		return NULL;
	for (size_t i = slot_index(pfn, m->nslots);; i = (i + 1) & (m->nslots - 1)) {
		if (!m->slots[i].data)
			return NULL;
		if (m->slots[i].pfn == pfn)
			return m->slots[i].data;
	}
}

static void slot_insert(struct page_slot *slots, size_t nslots, uint64_t pfn, uint8_t *data)
{
	size_t i = slot_index(pfn, nslots);

	while (slots[i].data)
		i = (i + 1) & (nslots - 1);
	slots[i].pfn = pfn;
	slots[i].data = data;
}

static enum trace_mem_status page_get(struct trace_mem *m, uint64_t pfn, uint8_t **out)
{
	uint8_t *p = page_lookup(m, pfn);

	if (p) {
		*out = p;
		return TRACE_MEM_OK;
	}
	if ((uint64_t)(m->npages + 1) * TRACE_PAGE_SIZE > m->lim.max_alloc)
		return TRACE_MEM_LIMIT;
	/* Keep the load factor at or below 1/2. */
	if ((m->npages + 1) * 2 > m->nslots) {
		size_t n = m->nslots ? m->nslots * 2 : 64;
		struct page_slot *s = trace_calloc(n, sizeof(*s));

		if (!s)
			return TRACE_MEM_NOMEM;
		for (size_t i = 0; i < m->nslots; i++)
			if (m->slots[i].data)
				slot_insert(s, n, m->slots[i].pfn, m->slots[i].data);
		trace_free(m->slots, m->nslots * sizeof(*s));
		m->slots = s;
		m->nslots = n;
	}
	p = trace_calloc(1, TRACE_PAGE_SIZE);
	if (!p)
		return TRACE_MEM_NOMEM;
	slot_insert(m->slots, m->nslots, pfn, p);
	m->npages++;
	*out = p;
	return TRACE_MEM_OK;
}

enum trace_mem_status trace_mem_write(struct trace_mem *m, uint64_t addr, const void *buf,
				      size_t len)
{
	const uint8_t *src = buf;

	if (len == 0)
		return TRACE_MEM_OK;
	if (!trace_mem_backed(m, addr, len))
		return TRACE_MEM_UNBACKED;
	while (len) {
		uint64_t off = addr % TRACE_PAGE_SIZE;
		size_t n = TRACE_PAGE_SIZE - off;
		enum trace_mem_status st;
		uint8_t *p;

		if (n > len)
			n = len;
		st = page_get(m, addr / TRACE_PAGE_SIZE, &p);
		if (st != TRACE_MEM_OK)
			return st;
		memcpy(p + off, src, n);
		src += n;
		len -= n;
		addr += n;
	}
	return TRACE_MEM_OK;
}

enum trace_mem_status trace_mem_read(const struct trace_mem *m, uint64_t addr, void *buf,
				     size_t len)
{
	uint8_t *dst = buf;

	if (len == 0)
		return TRACE_MEM_OK;
	if (!trace_mem_backed(m, addr, len))
		return TRACE_MEM_UNBACKED;
	while (len) {
		uint64_t off = addr % TRACE_PAGE_SIZE;
		size_t n = TRACE_PAGE_SIZE - off;
		const uint8_t *p;

		if (n > len)
			n = len;
		p = page_lookup(m, addr / TRACE_PAGE_SIZE);
		if (p)
			memcpy(dst, p + off, n);
		else
			memset(dst, 0, n);
		dst += n;
		len -= n;
		addr += n;
	}
	return TRACE_MEM_OK;
}

static uint64_t load_le64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static void store_le64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

enum trace_mem_status trace_mem_read64(const struct trace_mem *m, uint64_t addr,
				       uint64_t *val)
{
	uint8_t b[8];
	enum trace_mem_status st = trace_mem_read(m, addr, b, sizeof(b));

	if (st == TRACE_MEM_OK)
		*val = load_le64(b);
	return st;
}

enum trace_mem_status trace_mem_write64(struct trace_mem *m, uint64_t addr, uint64_t val)
{
	uint8_t b[8];

	store_le64(b, val);
	return trace_mem_write(m, addr, b, sizeof(b));
}

enum trace_mem_status trace_mem_cas64(struct trace_mem *m, uint64_t addr, uint64_t expected,
				      uint64_t desired, uint64_t *cur)
{
	enum trace_mem_status st = trace_mem_read64(m, addr, cur);

	if (st != TRACE_MEM_OK || *cur != expected)
		return st;
	return trace_mem_write64(m, addr, desired);
}

uint64_t trace_mem_allocated(const struct trace_mem *m)
{
	return (uint64_t)m->npages * TRACE_PAGE_SIZE;
}

uint64_t trace_mem_declared(const struct trace_mem *m)
{
	return m->declared;
}

uint32_t trace_mem_regions(const struct trace_mem *m)
{
	return m->nregions;
}
