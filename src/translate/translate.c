/* Interim stub so that dependent modules can build against translate.h: every walk
 * reports a level-0 translation fault. Replaced by the real walker. */
#include <string.h>
#include <strings.h>

#include "el2emu/translate.h"

void tr_features_default(struct tr_features *f)
{
	memset(f, 0, sizeof(*f));
	f->pa_bits = 52;
}

uint8_t tr_fault_fsc(const struct tr_fault *f)
{
	return f->type == TR_FAULT_NONE ? 0 : 0x04;
}

static bool stub_fault(uint64_t va, struct tr_fault *fault)
{
	memset(fault, 0, sizeof(*fault));
	fault->type = TR_FAULT_TRANSLATION;
	fault->va = va;
	return false;
}

bool tr_walk_s2(const struct tr_ctx *ctx, uint64_t ipa, const struct tr_access *acc,
		struct tr_result *res, struct tr_fault *fault)
{
	(void)ctx, (void)acc, (void)res;
	return stub_fault(ipa, fault);
}

bool tr_walk_s1(const struct tr_ctx *ctx, enum tr_regime regime, uint64_t va,
		const struct tr_access *acc, const struct tr_s2_hook *s2,
		struct tr_result *res, struct tr_fault *fault)
{
	(void)ctx, (void)regime, (void)acc, (void)s2, (void)res;
	return stub_fault(va, fault);
}

bool tr_translate(const struct tr_ctx *ctx, enum tr_regime regime, uint64_t va,
		  const struct tr_access *acc, struct tr_result *res, struct tr_fault *fault)
{
	(void)ctx, (void)regime, (void)acc, (void)res;
	return stub_fault(va, fault);
}

uint64_t tr_par_from_result(const struct tr_result *res)
{
	return (res->oa & 0xffffffffff000ull) | 0x800;
}

uint64_t tr_par_from_fault(const struct tr_fault *fault)
{
	return 0x801 | (uint64_t)tr_fault_fsc(fault) << 1;
}

uint64_t tr_at(const struct tr_ctx *ctx, enum tr_at_op op, uint64_t va)
{
	struct tr_fault f;

	(void)ctx, (void)op;
	stub_fault(va, &f);
	return tr_par_from_fault(&f);
}

static const char *const at_names[] = {
	"S1E1R", "S1E1W", "S1E0R", "S1E0W", "S12E1R",
	"S12E1W", "S12E0R", "S12E0W", "S1E2R", "S1E2W",
};

enum tr_at_op tr_at_op_from_name(const char *name)
{
	for (unsigned i = 0; i < sizeof(at_names) / sizeof(at_names[0]); i++)
		if (!strcasecmp(name, at_names[i]))
			return (enum tr_at_op)i;
	return TR_AT_NONE;
}

const char *tr_at_op_name(enum tr_at_op op)
{
	if (op < 0 || (unsigned)op >= sizeof(at_names) / sizeof(at_names[0]))
		return "?";
	return at_names[op];
}

const char *tr_fault_type_name(enum tr_fault_type t)
{
	(void)t;
	return "?";
}

const char *tr_regime_name(enum tr_regime r)
{
	(void)r;
	return "?";
}
