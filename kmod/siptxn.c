// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The transaction of a SIP message: see siptxn.h. No header but our own,
 * so that the same object serves the module and userspace.
 *
 * The header lines are found by sip_next_line(), which skips 16 bytes a
 * step past the lines whose first byte cannot start a name of ours. The
 * fields are found first, then hashed in a fixed order.
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
 * Call-ID and the method, each at its place in the message, and the CSeq
 * number.
 */
struct sip_txn_fields {
	const unsigned char *branch;
	const unsigned char *callid;
	const unsigned char *method;
	unsigned int branch_len;
	unsigned int callid_len;
	unsigned int method_len;
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

/* The high bit of each byte of @w that is @c, exactly for the first. */
static inline unsigned long long sip_txn_eq(unsigned long long w,
					    unsigned char c)
{
	unsigned long long x = w ^ SIP_ONES * c;

	return (x - SIP_ONES) & ~x & SIP_HIGHS;
}

/* The same for each byte below @c (at most 0x80). */
static inline unsigned long long sip_txn_below(unsigned long long w,
					       unsigned char c)
{
	return (w - SIP_ONES * c) & ~w & SIP_HIGHS;
}

/* The first byte of @w that a mask of sip_txn_eq() and _below() flags. */
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

/* SP and HTAB, ':', SP and HTAB from @p: the byte after them, or NULL. */
static inline const unsigned char *sip_txn_colon(const unsigned char *p,
						 const unsigned char *end)
{
	while (p < end && sip_is_blank(*p))
		p++;
	if (p == end || *p != ':')
		return (const unsigned char *)0;
	do
		p++;
	while (p < end && sip_is_blank(*p));
	return p;
}

/*
 * The next parameter of a Via value, from @p: the ';' before it, or NULL
 * when ',', CR or LF (the end of the value) or @end comes first.
 */
static const unsigned char *sip_txn_semi(const unsigned char *p,
					 const unsigned char *end)
{
	unsigned long long w, m;
	unsigned char c;

	while (end - p >= 8) {
		w = sip_load64le(p);
		/* Below 0x0e: CR, LF, and HTAB and others to pass. */
		m = sip_txn_eq(w, ';') | sip_txn_eq(w, ',') |
		    sip_txn_below(w, 0x0e);
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

static inline int sip_txn_branch_end(unsigned char c)
{
	return c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\r' ||
	       c == '\n';
}

/*
 * The end of a branch from @p: the first ';', ',', SP, HTAB, CR or LF, or
 * NULL when @end comes first.
 */
static const unsigned char *sip_txn_branch(const unsigned char *p,
					   const unsigned char *end)
{
	unsigned long long w, m;

	while (end - p >= 8) {
		w = sip_load64le(p);
		/* Below 0x21: SP, HTAB, CR, LF, and others to pass. */
		m = sip_txn_eq(w, ';') | sip_txn_eq(w, ',') |
		    sip_txn_below(w, 0x21);
		if (!m) {
			p += 8;
			continue;
		}
		p += sip_txn_first_of(m);
		if (sip_txn_branch_end(*p))
			return p;
		p++;
	}
	for (; p < end; p++)
		if (sip_txn_branch_end(*p))
			return p;
	return (const unsigned char *)0;
}

/*
 * The top Via: the value from @p, after the colon. Return: the byte after
 * its branch, which @f now holds, or NULL when it has none.
 */
static const unsigned char *sip_txn_via(const unsigned char *p,
					const unsigned char *end,
					struct sip_txn_fields *f)
{
	const unsigned char *v;

	for (;;) {
		p = sip_txn_semi(p, end);
		if (!p)
			return p;
		do
			p++;
		while (p < end && sip_is_blank(*p));
		/* "branch" in any case, then no more of a name. */
		if (sip_txn_is_branch(sip_txn_load(p, end)) &&
		    (end - p == 6 || !sip_is_token(p[6])))
			break;
	}
	p += 6;
	while (p < end && sip_is_blank(*p))
		p++;
	if (p == end || *p != '=')
		return (const unsigned char *)0;
	do
		p++;
	while (p < end && sip_is_blank(*p));
	v = p;
	p = sip_txn_branch(p, end);
	if (!p || p == v)
		return (const unsigned char *)0;
	f->branch = v;
	f->branch_len = p - v;
	return p;
}

/*
 * The Call-ID: the value from @p, after the colon. Return: the CR or LF
 * that ends it, or NULL for an empty value or one that @end cuts.
 */
static const unsigned char *sip_txn_callid(const unsigned char *p,
					   const unsigned char *end,
					   struct sip_txn_fields *f)
{
	const unsigned char *v = p, *e;
	unsigned long long m;

	while (end - p >= 8) {
		/* Below 0x0e: CR, LF, and HTAB and others to pass. */
		m = sip_txn_below(sip_load64le(p), 0x0e);
		if (!m) {
			p += 8;
			continue;
		}
		p += sip_txn_first_of(m);
		if (*p == '\r' || *p == '\n')
			goto found;
		p++;
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
	return p;
}

/*
 * The CSeq: the value from @p, after the colon. Return: the byte after
 * its method, or NULL for a value of another form, or one that @end cuts.
 */
static const unsigned char *sip_txn_cseq(const unsigned char *p,
					 const unsigned char *end,
					 struct sip_txn_fields *f)
{
	const unsigned char *d = p, *m;
	unsigned long long n = 0;

	for (; p < end && sip_is_digit(*p); p++) {
		if (p - d == 10)
			return (const unsigned char *)0;
		n = n * 10 + *p - '0';
	}
	if (p == d || n > 0xffffffffULL || p == end || !sip_is_blank(*p))
		return (const unsigned char *)0;
	do
		p++;
	while (p < end && sip_is_blank(*p));
	for (m = p; p < end && sip_is_token(*p); p++)
		;
	if (p == m || p == end ||
	    (!sip_is_blank(*p) && *p != '\r' && *p != '\n'))
		return (const unsigned char *)0;
	f->cseq = n;
	f->method = m;
	f->method_len = p - m;
	return p;
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
		h = sip_txn_mix(h, sip_txn_load(p, end) &
				   ((1ULL << 8 * n) - 1));
	return h;
}

int sip_txn_id(const unsigned char *buf, unsigned int len,
	       struct sip_txn_id *id)
{
	const unsigned char *end = buf + len, *p = buf, *q;
	/* The steps of 16 bytes of sip_next_line() start below it. */
	const unsigned char *last = len > 16 ? end - 16 : buf;
	/* All set once found: 0 for the compiler, which cannot tell. */
	struct sip_txn_fields f = { 0 };
	unsigned int found = 0;
	unsigned long long w, h;

	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	/* Past the start line. */
	q = sip_next_line(p, last, end, sip_txn_first);
	while (q) {
		/* @q, below @end, begins a line. */
		switch (sip_txn_first[*q]) {
		case SIP_TXN_V:
			if (found & SIP_TXN_VIA)
				break;
			p = q + 1;
			if (end - p >= 2 && (p[0] | 0x20) == 'i' &&
			    (p[1] | 0x20) == 'a')
				p += 2;
			p = sip_txn_colon(p, end);
			if (!p)
				break;
			p = sip_txn_via(p, end, &f);
			if (!p)
				return -1;
			found |= SIP_TXN_VIA;
			goto next;
		case SIP_TXN_I:
			if (found & SIP_TXN_CALLID)
				break;
			p = sip_txn_colon(q + 1, end);
			if (!p)
				break;
			goto callid;
		case SIP_TXN_C:
			w = sip_txn_load(q, end);
			if (!(found & SIP_TXN_CALLID) && sip_txn_is_callid(w)) {
				p = sip_txn_colon(q + 7, end);
				if (!p)
					break;
				goto callid;
			}
			if (!(found & SIP_TXN_CSEQ) && sip_txn_is_cseq(w)) {
				p = sip_txn_colon(q + 4, end);
				if (!p)
					break;
				p = sip_txn_cseq(p, end, &f);
				if (!p)
					return -1;
				found |= SIP_TXN_CSEQ;
				goto next;
			}
			break;
		case SIP_TXN_CR:
			if (end - q >= 2 && q[1] == '\n')
				return -1;
			break;
		case SIP_TXN_LF:
			return -1;
		}
		/* A line to skip, from its second byte. */
		q = sip_next_line(q + 1, last, end, sip_txn_first);
		continue;
callid:
		p = sip_txn_callid(p, end, &f);
		if (!p)
			return -1;
		found |= SIP_TXN_CALLID;
next:
		if (found == SIP_TXN_ALL)
			goto hash;
		q = sip_next_line(p, last, end, sip_txn_first);
	}
	return -1;

hash:
	h = sip_txn_hash(SIP_TXN_SEED, f.branch, f.branch_len, end);
	h = sip_txn_hash(h, f.callid, f.callid_len, end);
	h = sip_txn_mix(h, f.cseq | (unsigned long long)f.method_len << 32);
	h = sip_txn_hash(h, f.method, f.method_len, end);
	id->key = sip_txn_mix(h, f.branch_len |
				 (unsigned long long)f.callid_len << 32);
	id->method = sip_method_id(f.method, f.method_len);
	return 0;
}
