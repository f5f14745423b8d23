/* ELF64 little-endian AArch64 executable parsing for `el2emu run` (System V gABI, ELF for
 * the Arm 64-bit Architecture). Pure: bounds-checked, no allocation. */
#include <stdio.h>
#include <string.h>

#include "el2emu/cpu.h"

static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

int cpu_elf_parse(const void *img, size_t len, uint64_t *entry,
		  int (*put)(void *ctx, uint64_t paddr, const void *data, uint64_t filesz,
			     uint64_t memsz),
		  void *ctx, char *err, size_t errlen)
{
	const uint8_t *b = img;
	uint64_t phoff, i, loads = 0;
	unsigned phentsize, phnum;

	if (len < 64 || memcmp(b, "\177ELF", 4)) {
		snprintf(err, errlen, "not an ELF file");
		return -1;
	}
	if (b[4] != 2 || b[5] != 1) {
		snprintf(err, errlen, "not a little-endian ELF64 file");
		return -1;
	}
	if (rd(b + 18, 2) != 183) {	/* EM_AARCH64 */
		snprintf(err, errlen, "ELF machine %u is not AArch64 (183)",
			 (unsigned)rd(b + 18, 2));
		return -1;
	}
	*entry = rd(b + 24, 8);
	phoff = rd(b + 32, 8);
	phentsize = (unsigned)rd(b + 54, 2);
	phnum = (unsigned)rd(b + 56, 2);
	if (phentsize < 56 || phoff > len || (uint64_t)phnum * phentsize > len - phoff) {
		snprintf(err, errlen, "ELF program headers out of the file");
		return -1;
	}
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + i * phentsize;
		uint64_t off = rd(ph + 8, 8), paddr = rd(ph + 24, 8);
		uint64_t filesz = rd(ph + 32, 8), memsz = rd(ph + 40, 8);

		if (rd(ph, 4) != 1)	/* PT_LOAD */
			continue;
		if (filesz > memsz || off > len || filesz > len - off) {
			snprintf(err, errlen, "ELF segment %u is out of the file", (unsigned)i);
			return -1;
		}
		if (put(ctx, paddr, b + off, filesz, memsz)) {
			snprintf(err, errlen,
				 "ELF segment %u [0x%llx, +0x%llx) is outside RAM", (unsigned)i,
				 (unsigned long long)paddr, (unsigned long long)memsz);
			return -1;
		}
		loads++;
	}
	if (!loads) {
		snprintf(err, errlen, "ELF file has no PT_LOAD segment");
		return -1;
	}
	return 0;
}
