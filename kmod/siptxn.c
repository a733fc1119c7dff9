// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The transaction of a SIP message: see siptxn.h. No header but our own,
 * so that the same object serves the module and userspace.
 *
 * The header lines are found by sip_next_line(), which skips 16 bytes a
 * step past the lines whose first byte cannot start a name of ours. The
 * values are scanned 8 bytes a step, and the branch and the Call-ID are
 * hashed in the same pass, from the same words: the common forms take
 * one compare each, and the others a byte at a time.
 */
#include "siptxn.h"

/* What the first byte of a line may start. */
enum {
	SIP_TXN_DULL,	/* none of ours: skipped */
	SIP_TXN_V,	/* Via, or v */
	SIP_TXN_I,	/* i (Call-ID) */
	SIP_TXN_C,	/* Call-ID or CSeq */
	SIP_TXN_CR,	/* the empty line, CR LF */
	SIP_TXN_LF,	/* the empty line, LF */
};

static const unsigned char sip_txn_first[256] = {
	['V'] = SIP_TXN_V, ['v'] = SIP_TXN_V, ['I'] = SIP_TXN_I,
	['i'] = SIP_TXN_I, ['C'] = SIP_TXN_C, ['c'] = SIP_TXN_C,
	['\r'] = SIP_TXN_CR, ['\n'] = SIP_TXN_LF,
};

/* Which fields were found. */
#define SIP_TXN_VIA	1
#define SIP_TXN_CALLID	2
#define SIP_TXN_CSEQ	4
#define SIP_TXN_ALL	(SIP_TXN_VIA | SIP_TXN_CALLID | SIP_TXN_CSEQ)

/*
 * struct sip_txn_fields - what the key is made of: the branch, the
 * Call-ID and the method, each at its place in the message, the CSeq
 * number, the method's first 8 bytes (0 past its end) and its id when
 * known, and the hash of the branch, then of the Call-ID when it follows
 * the Via.
 */
struct sip_txn_fields {
	const unsigned char *branch;
	const unsigned char *callid;
	const unsigned char *method;
	unsigned long long h;
	unsigned long long mword;
	unsigned int branch_len;
	unsigned int callid_len;
	unsigned int method_len;
	unsigned int method_id;
	unsigned int cseq;
};

/*
 * The 8 bytes at @p as sip_load64le() reads them, or the bytes left
 * before @end when fewer, and 0 in place of the rest.
 */
static inline unsigned long long sip_txn_load(const unsigned char *p,
					      const unsigned char *end)
{
	unsigned long long w = 0;
	long n = end - p;

	if (n >= 8)
		return sip_load64le(p);
	while (n > 0)
		w = w << 8 | p[--n];
	return w;
}

/* The first @k bytes of a word (@k 1 to 7), 0 past them. */
static inline unsigned long long sip_txn_mask(unsigned int k)
{
	return (1ULL << 8 * k) - 1;
}

/* The high bit of each byte of @w below @c (at most 0x80): the first exact. */
static inline unsigned long long sip_txn_below(unsigned long long w,
					       unsigned char c)
{
	return (w - SIP_ONES * c) & ~w & SIP_HIGHS;
}

/*
 * The high bit of each byte of @w that is ';' or below 0x2d (',', SP,
 * HTAB, CR, LF, and others, rare in a Via), exact for the first: two
 * subtractions, each with its own borrows. A byte from 0x80 up is none
 * of these and borrows in neither; a byte below 0x80 that is none of
 * these borrows only when a borrow reaches it, which only a byte below
 * it that is one of these starts.
 */
static inline unsigned long long sip_txn_stops(unsigned long long w)
{
	return (((w ^ SIP_ONES * ';') - SIP_ONES) | (w - SIP_ONES * 0x2d)) &
	       ~w & SIP_HIGHS;
}

/* The first byte of @w that a mask of sip_txn_below() and _stops() flags. */
static inline unsigned int sip_txn_first_of(unsigned long long m)
{
	return (unsigned int)__builtin_ctzll(m) / 8;
}

/*
 * Do the bytes of @w (sip_txn_load()) start with "call-id", "cseq" or
 * "branch", in any case? Letters are lowered with an OR of 0x20, and only
 * letters: no other byte ORed with 0x20 is a letter. The bytes past @end
 * that sip_txn_load() leaves 0 are none of these.
 */
static inline int sip_txn_is_callid(unsigned long long w)
{
	return ((w | 0x0020200020202020ULL) & 0x00ffffffffffffffULL) ==
	       sip_load64le((const unsigned char *)"call-id");
}

static inline int sip_txn_is_cseq(unsigned long long w)
{
	return ((w | 0x20202020ULL) & 0xffffffffULL) ==
	       (sip_load64le((const unsigned char *)"cseq\0\0\0") &
		0xffffffffULL);
}

static inline int sip_txn_is_branch(unsigned long long w)
{
	return ((w | 0x202020202020ULL) & 0xffffffffffffULL) ==
	       sip_load64le((const unsigned char *)"branch\0");
}

/* SP and HTAB from @p: the byte after them, or @end. */
static inline const unsigned char *sip_txn_blanks(const unsigned char *p,
						  const unsigned char *end)
{
	/* Most: one SP, then a byte above it. */
	if (end - p >= 2 && p[0] == ' ' && p[1] > ' ')
		return p + 1;
	while (p < end && sip_is_blank(*p))
		p++;
	return p;
}

/* SP and HTAB, ':', SP and HTAB from @p: the byte after them, or NULL. */
static inline const unsigned char *sip_txn_colon(const unsigned char *p,
						 const unsigned char *end)
{
	p = sip_txn_blanks(p, end);
	if (p == end || *p != ':')
		return (const unsigned char *)0;
	return sip_txn_blanks(p + 1, end);
}

#define SIP_TXN_SEED 0x243f6a8885a308d3ULL
#define SIP_TXN_MUL 0x9e3779b97f4a7c15ULL

/* One step of the hash: a bijection of @h for each @w, and of @w. */
static inline unsigned long long sip_txn_mix(unsigned long long h,
					     unsigned long long w)
{
	h = (h ^ w) * SIP_TXN_MUL;
	return h ^ h >> 32;
}

/*
 * The @n bytes at @p into @h, 8 a step, the last step with the bytes
 * left and 0 for the rest. The bytes up to @end may be read, not used.
 */
static inline unsigned long long sip_txn_hash(unsigned long long h,
					      const unsigned char *p,
					      unsigned int n,
					      const unsigned char *end)
{
	for (; n >= 8; p += 8, n -= 8)
		h = sip_txn_mix(h, sip_load64le(p));
	if (n)
		h = sip_txn_mix(h, sip_txn_load(p, end) & sip_txn_mask(n));
	return h;
}

/*
 * The next parameter of a Via value, from @p: the ';' before it, or NULL
 * when ',', CR or LF (the end of the value) or @end comes first.
 */
static const unsigned char *sip_txn_semi(const unsigned char *p,
					 const unsigned char *end)
{
	unsigned long long m;
	unsigned char c;

	while (end - p >= 8) {
		/* SP, HTAB and others to pass. */
		m = sip_txn_stops(sip_load64le(p));
		if (!m) {
			p += 8;
			continue;
		}
		p += sip_txn_first_of(m);
		c = *p;
		if (c == ';')
			return p;
		if (c == ',' || c == '\r' || c == '\n')
			return (const unsigned char *)0;
		p++;
	}
	for (; p < end; p++) {
		c = *p;
		if (c == ';')
			return p;
		if (c == ',' || c == '\r' || c == '\n')
			break;
	}
	return (const unsigned char *)0;
}

/* The bytes that end a branch: ';', ',', SP, HTAB, CR and LF, all below 64. */
#define SIP_TXN_BRANCH_END \
	(1ULL << ';' | 1ULL << ',' | 1ULL << ' ' | 1ULL << '\t' | \
	 1ULL << '\r' | 1ULL << '\n')

static inline int sip_txn_branch_end(unsigned char c)
{
	return c < 64 && (SIP_TXN_BRANCH_END >> c & 1);
}

/*
 * The branch from @p, after its '=' and the blanks after it (passed here
 * when the caller has not), into @f, and its hash from the seed into
 * f->h.
 * Return: the first ';', ',', SP, HTAB, CR or LF after it, or NULL when
 * it is empty or @end comes first.
 */
static const unsigned char *sip_txn_branch(const unsigned char *p,
					   const unsigned char *end,
					   struct sip_txn_fields *f)
{
	const unsigned char *v;
	unsigned long long w, m, h;
	unsigned int k;

again:
	v = p;
	h = SIP_TXN_SEED;
	while (end - p >= 8) {
		w = sip_load64le(p);
		/* Bytes below 0x2d that do not end it are rare: the loop. */
		m = sip_txn_stops(w);
		if (!m) {
			h = sip_txn_mix(h, w);
			p += 8;
			continue;
		}
		/* The first flagged byte is below 0x40. */
		k = sip_txn_first_of(m);
		if (!(SIP_TXN_BRANCH_END >> p[k] & 1))
			goto slow;
		if (k)
			h = sip_txn_mix(h, w & sip_txn_mask(k));
		p += k;
		goto found;
	}
slow:
	for (; p < end; p++)
		if (sip_txn_branch_end(*p))
			break;
	if (p == end)
		return (const unsigned char *)0;
	h = sip_txn_hash(SIP_TXN_SEED, v, p - v, end);
found:
	if (p == v) {
		/* Blanks after the '=' of ";branch=": rare. */
		if (p < end && sip_is_blank(*p)) {
			p = sip_txn_blanks(p, end);
			goto again;
		}
		return (const unsigned char *)0;
	}
	f->branch = v;
	f->branch_len = p - v;
	f->h = h;
	return p;
}

/*
 * The top Via: the value from @p, after the colon. Return: the byte after
 * its branch, which @f now holds, or NULL when it has none.
 */
static const unsigned char *sip_txn_via(const unsigned char *p,
					const unsigned char *end,
					struct sip_txn_fields *f)
{
	for (;;) {
		p = sip_txn_semi(p, end);
		if (!p)
			return p;
		/* Most: ";branch=" at once, in any case. */
		if (end - p >= 8 &&
		    (sip_load64le(p) | 0x0020202020202000ULL) ==
		    sip_load64le((const unsigned char *)";branch=")) {
			p += 8;
			break;
		}
		p = sip_txn_blanks(p + 1, end);
		/* "branch" in any case, then no more of a name. */
		if (sip_txn_is_branch(sip_txn_load(p, end)) &&
		    (end - p == 6 || !sip_is_token(p[6]))) {
			p = sip_txn_blanks(p + 6, end);
			if (p == end || *p != '=')
				return (const unsigned char *)0;
			p = sip_txn_blanks(p + 1, end);
			break;
		}
	}
	return sip_txn_branch(p, end, f);
}

/*
 * The Call-ID: the value from @p, after the colon and its blanks, into @f
 * and its hash into f->h, after what f->h holds. Return: the CR or LF
 * that ends it, or NULL for an empty value or one that @end cuts.
 */
static const unsigned char *sip_txn_callid(const unsigned char *p,
					   const unsigned char *end,
					   struct sip_txn_fields *f)
{
	const unsigned char *v = p, *e;
	unsigned long long w, m, h = f->h;
	unsigned int k;

	while (end - p >= 8) {
		w = sip_load64le(p);
		/* Below 0x0e: CR, LF, and HTAB and others of the value. */
		m = sip_txn_below(w, 0x0e);
		if (!m) {
			h = sip_txn_mix(h, w);
			p += 8;
			continue;
		}
		k = sip_txn_first_of(m);
		e = p + k;
		/* Blanks at its end are not part of it: rare. */
		if ((*e != '\r' && *e != '\n') || e == v || sip_is_blank(e[-1]))
			break;
		if (k)
			h = sip_txn_mix(h, w & sip_txn_mask(k));
		f->callid = v;
		f->callid_len = e - v;
		f->h = h;
		return e;
	}
	for (; p < end; p++)
		if (*p == '\r' || *p == '\n')
			goto found;
	return (const unsigned char *)0;
found:
	for (e = p; e > v && sip_is_blank(e[-1]); e--)
		;
	if (e == v)
		return (const unsigned char *)0;
	f->callid = v;
	f->callid_len = e - v;
	f->h = sip_txn_hash(f->h, v, e - v, end);
	return p;
}

/* The bytes that end a method: SP, HTAB, CR and LF, all below 0x21. */
#define SIP_TXN_METHOD_END \
	(1ULL << ' ' | 1ULL << '\t' | 1ULL << '\r' | 1ULL << '\n')

/* Is @w, a method's bytes and 0 past them, the method @s? */
#define SIP_TXN_IS(w, s) \
	((w) == sip_load64le((const unsigned char *)s "\0\0\0\0\0\0\0"))

/*
 * sip_method_id() of the method @m, @n bytes, the first 8 of them (at
 * most) in @w, 0 past them: most by one compare of @w, 8 bytes at once.
 */
static unsigned int sip_txn_method(unsigned long long w,
				   const unsigned char *m, unsigned int n)
{
	switch (n) {
	case 3:
		if (SIP_TXN_IS(w, "BYE"))
			return SIPCODE_METHOD_BYE;
		if (SIP_TXN_IS(w, "ACK"))
			return SIPCODE_METHOD_ACK;
		break;
	case 4:
		if (SIP_TXN_IS(w, "INFO"))
			return SIPCODE_METHOD_INFO;
		break;
	case 5:
		if (SIP_TXN_IS(w, "PRACK"))
			return SIPCODE_METHOD_PRACK;
		if (SIP_TXN_IS(w, "REFER"))
			return SIPCODE_METHOD_REFER;
		break;
	case 6:
		if (SIP_TXN_IS(w, "INVITE"))
			return SIPCODE_METHOD_INVITE;
		if (SIP_TXN_IS(w, "CANCEL"))
			return SIPCODE_METHOD_CANCEL;
		if (SIP_TXN_IS(w, "NOTIFY"))
			return SIPCODE_METHOD_NOTIFY;
		if (SIP_TXN_IS(w, "UPDATE"))
			return SIPCODE_METHOD_UPDATE;
		break;
	case 7:
		if (SIP_TXN_IS(w, "OPTIONS"))
			return SIPCODE_METHOD_OPTIONS;
		if (SIP_TXN_IS(w, "PUBLISH"))
			return SIPCODE_METHOD_PUBLISH;
		if (SIP_TXN_IS(w, "MESSAGE"))
			return SIPCODE_METHOD_MESSAGE;
		break;
	case 8:
		if (SIP_TXN_IS(w, "REGISTER"))
			return SIPCODE_METHOD_REGISTER;
		break;
	default:
		/* SUBSCRIBE, and the methods of more than 8 bytes. */
		return sip_method_id(m, n);
	}
	return SIPCODE_METHOD_OTHER;
}

/*
 * The CSeq: the value from @p, after the colon and its blanks. Return:
 * the byte after its method, or NULL for a value of another form, or one
 * that @end cuts.
 */
static const unsigned char *sip_txn_cseq(const unsigned char *p,
					 const unsigned char *end,
					 struct sip_txn_fields *f)
{
	const unsigned char *d = p, *m;
	unsigned long long n = 0, w, s;
	unsigned int k, id;

	/* Most: one digit, then one SP. */
	if (end - p >= 2 && sip_is_digit(p[0]) && p[1] == ' ') {
		n = p[0] - '0';
		m = p + 2;
	} else {
		for (; p < end && sip_is_digit(*p); p++) {
			if (p - d == 10)
				return (const unsigned char *)0;
			n = n * 10 + *p - '0';
		}
		if (p == d || n > 0xffffffffULL || p == end ||
		    !sip_is_blank(*p))
			return (const unsigned char *)0;
		m = p + 1;
	}
	f->cseq = n;
	if (end - m >= 8) {
		/*
		 * Most: the method and its end in one word, the first byte
		 * below 0x21, after one byte at least; its bytes are token
		 * bytes when it is one we know, else checked below.
		 */
		w = sip_load64le(m);
		s = sip_txn_below(w, 0x21);
		if (s) {
			k = sip_txn_first_of(s);
			if (k && (SIP_TXN_METHOD_END >> m[k] & 1)) {
				w &= sip_txn_mask(k);
				goto method;
			}
		}
	}
	m = sip_txn_blanks(m, end);
	for (p = m; p < end && sip_is_token(*p); p++)
		;
	if (p == m || p == end || *p > ' ' || !(SIP_TXN_METHOD_END >> *p & 1))
		return (const unsigned char *)0;
	k = p - m;
	w = sip_txn_load(m, end);
	if (k < 8)
		w &= sip_txn_mask(k);
method:
	id = sip_txn_method(w, m, k);
	if (id == SIPCODE_METHOD_OTHER)
		for (p = m; p < m + k; p++)
			if (!sip_is_token(*p))
				return (const unsigned char *)0;
	f->method = m;
	f->method_len = k;
	f->method_id = id;
	f->mword = w;
	return m + k;
}

/* The bytes of @s, 8 of them, as one word. */
#define SIP_TXN_W(s) sip_load64le((const unsigned char *)(s))

int sip_txn_id(const unsigned char *buf, unsigned int len,
	       struct sip_txn_id *id)
{
	const unsigned char *end = buf + len, *p = buf, *q;
	/* The steps of 16 bytes of sip_next_line() start below it. */
	const unsigned char *last = len > 16 ? end - 16 : buf;
	/* All set once found: 0 for the compiler, which cannot tell. */
	struct sip_txn_fields f = { 0 };
	unsigned int found = 0, late = 0;
	unsigned long long w, h;
	unsigned char c;

	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	/* Past the start line. */
	q = sip_next_line(p, last, end, sip_txn_first);
	while (q) {
		/*
		 * @q, below @end, begins a line, its first byte V, I, C in
		 * any case, CR or LF: lowered, 'v', 'i', 'c', '-' or '*'.
		 */
		w = sip_txn_load(q, end);
		c = (unsigned char)w | 0x20;
		if (c == 'v') {
			if (found & SIP_TXN_VIA)
				goto skip;
			/*
			 * The value's blanks are passed on the way to ';', and
			 * so are the common sent-protocols, once compared.
			 */
			if (end - q >= 17 &&
			    (sip_load64le(q + 1) | 0x0020202000002020ULL) ==
			    SIP_TXN_W("ia: sip/")) {
				w = sip_load64le(q + 9);
				p = w == SIP_TXN_W("2.0/UDP ") ||
				    w == SIP_TXN_W("2.0/TCP ") ? q + 17 : q + 4;
			} else if (((w | 0x202020) & 0xffffffff) ==
				   (SIP_TXN_W("via:\0\0\0\0") & 0xffffffff)) {
				p = q + 4;
			} else if (((w | 0x20) & 0xffff) == ('v' | ':' << 8)) {
				p = q + 2;
			} else {
				p = q + 1;
				if (((w >> 8 | 0x2020) & 0xffff) ==
				    ('i' | 'a' << 8))
					p += 2;
				p = sip_txn_colon(p, end);
				if (!p)
					goto skip;
			}
			p = sip_txn_via(p, end, &f);
			if (!p)
				return -1;
			found |= SIP_TXN_VIA;
			goto next;
		}
		if (c == 'c') {
			if (!(found & SIP_TXN_CALLID) && sip_txn_is_callid(w)) {
				if (w >> 56 == ':')
					p = sip_txn_blanks(q + 8, end);
				else
					p = sip_txn_colon(q + 7, end);
				if (!p)
					goto skip;
				goto callid;
			}
			if (!(found & SIP_TXN_CSEQ) && sip_txn_is_cseq(w)) {
				if ((w >> 32 & 0xff) == ':')
					p = sip_txn_blanks(q + 5, end);
				else
					p = sip_txn_colon(q + 4, end);
				if (!p)
					goto skip;
				p = sip_txn_cseq(p, end, &f);
				if (!p)
					return -1;
				found |= SIP_TXN_CSEQ;
				goto next;
			}
			goto skip;
		}
		if (c == 'i') {
			if (found & SIP_TXN_CALLID)
				goto skip;
			p = sip_txn_colon(q + 1, end);
			if (!p)
				goto skip;
			goto callid;
		}
		/* CR LF or LF: the empty line. */
		if (*q == '\n' || (end - q >= 2 && q[1] == '\n'))
			return -1;
skip:
		/* A line to skip, from its second byte. */
		q = sip_next_line(q + 1, last, end, sip_txn_first);
		continue;
callid:
		/* Hashed after the branch, or again once the Via is found. */
		late = !(found & SIP_TXN_VIA);
		p = sip_txn_callid(p, end, &f);
		if (!p)
			return -1;
		found |= SIP_TXN_CALLID;
next:
		if (found == SIP_TXN_ALL)
			goto hash;
		/*
		 * @p is in the line, below @end: most values end with CR LF,
		 * and most lines after them are skipped from their second
		 * byte.
		 */
		if (end - p > 2 && p[0] == '\r' && p[1] == '\n') {
			q = p + 2;
			if (!sip_txn_first[*q])
				q = sip_next_line(q + 1, last, end,
						  sip_txn_first);
		} else {
			q = sip_next_line(p, last, end, sip_txn_first);
		}
	}
	return -1;

hash:
	h = f.h;
	if (late)
		h = sip_txn_hash(h, f.callid, f.callid_len, end);
	h = sip_txn_mix(h, f.cseq | (unsigned long long)f.method_len << 32);
	if (f.method_len <= 8)
		h = sip_txn_mix(h, f.mword);
	else
		h = sip_txn_hash(h, f.method, f.method_len, end);
	id->key = sip_txn_mix(h, f.branch_len |
				 (unsigned long long)f.callid_len << 32);
	id->method = f.method_id;
	return 0;
}
