/* Writes 4 KiB of pseudo-random instruction words (xorshift64*, seeded) for the fuzz
 * images of tests/e2e: genrand SEED OUT.bin */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	uint64_t s;
	FILE *f;
	int i;

	if (argc != 3)
		return 2;
	s = strtoull(argv[1], NULL, 0) * UINT64_C(0x9e3779b97f4a7c15) + 1;
	f = fopen(argv[2], "wb");
	if (!f)
		return 1;
	for (i = 0; i < 1024; i++) {
		uint32_t w;

		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		w = (uint32_t)((s * UINT64_C(2685821657736338717)) >> 32);
		fputc((int)(w & 0xff), f);
		fputc((int)((w >> 8) & 0xff), f);
		fputc((int)((w >> 16) & 0xff), f);
		fputc((int)(w >> 24), f);
	}
	return fclose(f) ? 1 : 0;
}
