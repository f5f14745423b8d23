/* Memory attributes: MAIR decoding, stage-2 MemAttr, the stage 1 + stage 2 combination
 * (S2CombineS1MemAttrs, AArch64.S2ApplyFWBMemAttrs) and the PAR_EL1 encodings
 * (EncodePARAttrs, PAREncodeShareability). Inline: they sit on the walk's hot path. */
#ifndef EL2EMU_TR_ATTRS_H
#define EL2EMU_TR_ATTRS_H

#include <string.h>


/* One MAIR nibble of Normal memory (MAIR_ELx.Attr<n>, Arm ARM D19). */
static inline void normal_nibble(unsigned v, uint8_t *ca, uint8_t *hints, bool *tr)
{
	*hints = v & 3;
	*tr = false;
	switch (v >> 2) {
	case 0: /* 00RW, RW != 00: Write-Through Transient */
		*ca = TR_CA_WT;
		*tr = true;
		break;
	case 1: /* 0100 Non-cacheable; 01RW, RW != 00: Write-Back Transient */
		if (*hints == 0) {
			*ca = TR_CA_NC;
		} else {
			*ca = TR_CA_WB;
			*tr = true;
		}
		break;
	case 2:
		*ca = TR_CA_WT;
		break;
	default:
		*ca = TR_CA_WB;
		break;
	}
	if (*ca == TR_CA_NC)
		*hints = 0;
}

static inline void tr_mair_decode(uint8_t attr, struct tr_memattrs *m)
{
	unsigned hi = attr >> 4, lo = attr & 0xf;

	memset(m, 0, sizeof(*m));
	if (hi == 0) {
		/* 0000dd00 Device; IMPDEF: the UNPREDICTABLE 0000xxx1/0000xx1x encodings are
		 * treated as the Device type in bits [3:2]. */
		m->device = true;
		m->dev = (uint8_t)(lo >> 2);
		return;
	}
	normal_nibble(hi, &m->out, &m->out_hints, &m->out_tr);
	if (lo == 0) {
		/* FEAT_XS / FEAT_MTE encodings with inner bits 0000: 0x40 NC (XS=0), 0xa0 WT
		 * RA (XS=0), 0xf0 Tagged Normal WB RWA. IMPDEF: any other xxxx0000 is
		 * UNPREDICTABLE and treated as inner Non-cacheable. */
		if (attr == 0xa0) {
			m->in = TR_CA_WT;
			m->in_hints = 2;
		} else if (attr == 0xf0) {
			m->in = TR_CA_WB;
			m->in_hints = 3;
		} else {
			m->in = TR_CA_NC;
		}
		if (attr == 0xa0 || attr == 0xf0) {
			m->out = m->in;
			m->out_hints = m->in_hints;
			m->out_tr = false;
		}
		return;
	}
	normal_nibble(lo, &m->in, &m->in_hints, &m->in_tr);
}

static inline unsigned encode_nibble(uint8_t ca, uint8_t hints, bool tr)
{
	if (ca == TR_CA_NC)
		return 0x4;
	/* A transient encoding needs RW != 00; a no-allocate location is reported as
	 * non-transient. */
	if (hints == 0)
		tr = false;
	if (ca == TR_CA_WT)
		return (tr ? 0x0 : 0x8) | hints;
	return (tr ? 0x4 : 0xc) | hints;
}

/* EncodePARAttrs(). */
static inline uint8_t tr_mair_encode(const struct tr_memattrs *m)
{
	if (m->device)
		return (uint8_t)(m->dev << 2);
	return (uint8_t)(encode_nibble(m->out, m->out_hints, m->out_tr) << 4 |
			 encode_nibble(m->in, m->in_hints, m->in_tr));
}

/* S2 MemAttr[3:0] without FWB (S2DecodeMemAttrs): 00dd Device, else outer[3:2] inner[1:0]
 * with 01 NC, 10 WT, 11 WB. IMPDEF: the UNPREDICTABLE inner 00 is Non-cacheable. */
static inline void tr_s2_memattr_decode(uint8_t memattr, struct tr_memattrs *m)
{
	static const uint8_t ca[4] = { TR_CA_NC, TR_CA_NC, TR_CA_WT, TR_CA_WB };

	memset(m, 0, sizeof(*m));
	if ((memattr >> 2) == 0) {
		m->device = true;
		m->dev = memattr & 3;
		return;
	}
	m->out = ca[memattr >> 2];
	m->in = ca[memattr & 3];
	/* Stage 2 carries no allocation hints: the combination takes stage 1's. */
	m->in_hints = m->in == TR_CA_NC ? 0 : 3;
	m->out_hints = m->out == TR_CA_NC ? 0 : 3;
}

/* S2CombineS1Shareability(). */
static inline uint8_t combine_sh(uint8_t s1, uint8_t s2)
{
	if (s1 == 2 || s2 == 2)
		return 2;
	if (s1 == 3 || s2 == 3)
		return 3;
	return 0;
}

static inline uint8_t min_ca(uint8_t a, uint8_t b)
{
	return a < b ? a : b;	/* NC < WT < WB: the weaker cacheability wins */
}

/* S2CombineS1MemAttrs(): Device wins with the stronger Device type; otherwise each of
 * inner/outer takes the weaker cacheability and stage 1's allocation hints. */
static inline void tr_combine_mair(const struct tr_memattrs *s1,
				   const struct tr_memattrs *s2, struct tr_memattrs *out)
{
	memset(out, 0, sizeof(*out));
	if (s1->device || s2->device) {
		out->device = true;
		if (s1->device && s2->device)
			out->dev = s1->dev < s2->dev ? s1->dev : s2->dev;
		else
			out->dev = s1->device ? s1->dev : s2->dev;
	} else {
		out->in = min_ca(s1->in, s2->in);
		out->out = min_ca(s1->out, s2->out);
		out->in_hints = out->in == TR_CA_NC ? 0 : s1->in_hints;
		out->out_hints = out->out == TR_CA_NC ? 0 : s1->out_hints;
		out->in_tr = s1->in_tr;
		out->out_tr = s1->out_tr;
	}
	out->sh = combine_sh(s1->sh, s2->sh);
}

static inline void tr_s2_combine(const struct tr_memattrs *s1, uint8_t s2memattr, uint8_t s2sh,
				 bool fwb, struct tr_memattrs *out)
{
	struct tr_memattrs s2;

	if (!fwb) {
		tr_s2_memattr_decode(s2memattr, &s2);
		s2.sh = s2sh;
		tr_combine_mair(s1, &s2, out);
		return;
	}
	/* AArch64.S2ApplyFWBMemAttrs(): MemAttr[2]=0 Device (combined with a stage-1
	 * Device type), 11 stage-1 attributes, 10 forced Write-Back, otherwise Normal
	 * Non-cacheable unless stage 1 is Device. MemAttr[3] is RES0. */
	if (!(s2memattr & 4)) {
		memset(out, 0, sizeof(*out));
		out->device = true;
		out->dev = s2memattr & 3;
		if (s1->device && s1->dev < out->dev)
			out->dev = s1->dev;
	} else if ((s2memattr & 3) == 3) {
		*out = *s1;
	} else if ((s2memattr & 3) == 2) {
		memset(out, 0, sizeof(*out));
		out->in = out->out = TR_CA_WB;
		if (!s1->device && s1->in != TR_CA_NC) {
			out->in_hints = s1->in_hints;
			out->in_tr = s1->in_tr;
		} else {
			out->in_hints = 3;
		}
		if (!s1->device && s1->out != TR_CA_NC) {
			out->out_hints = s1->out_hints;
			out->out_tr = s1->out_tr;
		} else {
			out->out_hints = 3;
		}
	} else if (s1->device) {
		*out = *s1;
	} else {
		memset(out, 0, sizeof(*out));
		out->in = out->out = TR_CA_NC;
	}
	out->sh = combine_sh(s1->sh, s2sh);
}

/* PAREncodeShareability(): Device and Normal inner+outer Non-cacheable report 0b10. */
static inline uint8_t tr_par_sh(const struct tr_memattrs *m)
{
	if (m->device || (m->in == TR_CA_NC && m->out == TR_CA_NC))
		return 2;
	return m->sh;
}

#endif
