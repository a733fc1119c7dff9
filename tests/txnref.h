/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slow reference for kmod/siptxn.c, shared by the unit tests and the
 * fuzzer: the definition in kmod/siptxn.h read one line and one byte at
 * a time, with nothing shared with the parser, and its key computed a
 * byte at a time.
 */
#ifndef SIPCODE_TXNREF_H
#define SIPCODE_TXNREF_H

#include <string.h>

#include "sipref.h"

struct ref_txn {
	const unsigned char *branch, *callid, *method;
	unsigned int nbranch, ncallid, nmethod;
	unsigned long long cseq;
	unsigned long long key;
	unsigned int method_id;
};

/* The hash of kmod/siptxn.h: its words built a byte at a time. */
static inline unsigned long long ref_txn_mix(unsigned long long h,
					     unsigned long long w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ h >> 32;
}

static inline unsigned long long ref_txn_bytes(unsigned long long h,
					       const unsigned char *p,
					       unsigned int n)
{
	unsigned long long w;
	unsigned int i, k;

	for (i = 0; i < n; i += 8) {
		w = 0;
		for (k = 0; k < 8 && i + k < n; k++)
			w |= (unsigned long long)p[i + k] << 8 * k;
		h = ref_txn_mix(h, w);
	}
	return h;
}

static inline unsigned long long ref_txn_key(const struct ref_txn *r)
{
	unsigned long long h = 0x243f6a8885a308d3ULL;

	h = ref_txn_bytes(h, r->branch, r->nbranch);
	h = ref_txn_bytes(h, r->callid, r->ncallid);
	h = ref_txn_mix(h, r->cseq | (unsigned long long)r->nmethod << 32);
	h = ref_txn_bytes(h, r->method, r->nmethod);
	return ref_txn_mix(h, r->nbranch |
			      (unsigned long long)r->ncallid << 32);
}

/*
 * The top Via's value, @v[0..@n) (the line after the colon, without its
 * LF; @whole when the LF follows): 1 with the branch in @r, else -1.
 */
static inline int ref_txn_via(const unsigned char *v, unsigned int n,
			      int whole, struct ref_txn *r)
{
	unsigned int i = 0, name, b;

	/* The first value ends at ',' or CR: its parameters follow ';'. */
	for (;;) {
		while (i < n && v[i] != ';' && v[i] != ',' && v[i] != '\r')
			i++;
		if (i == n || v[i] != ';')
			return -1;
		i++;
		while (i < n && ref_blank(v[i]))
			i++;
		for (name = i; i < n && ref_token(v[i]); i++)
			;
		if (ref_name_is(v + name, i - name, "branch"))
			break;
	}
	while (i < n && ref_blank(v[i]))
		i++;
	if (i == n || v[i] != '=')
		return -1;
	i++;
	while (i < n && ref_blank(v[i]))
		i++;
	for (b = i; i < n && !strchr(";, \t\r", v[i]); i++)
		;
	if (i == b || (i == n && !whole))
		return -1;
	r->branch = v + b;
	r->nbranch = i - b;
	return 1;
}

static inline int ref_txn_callid(const unsigned char *v, unsigned int n,
				 int whole, struct ref_txn *r)
{
	unsigned int i = 0, e;

	while (i < n && ref_blank(v[i]))
		i++;
	for (e = i; e < n && v[e] != '\r'; e++)
		;
	if (e == n && !whole)
		return -1;
	while (e > i && ref_blank(v[e - 1]))
		e--;
	if (e == i)
		return -1;
	r->callid = v + i;
	r->ncallid = e - i;
	return 1;
}

static inline int ref_txn_cseq(const unsigned char *v, unsigned int n,
			       int whole, struct ref_txn *r)
{
	unsigned int i = 0, d, m;

	while (i < n && ref_blank(v[i]))
		i++;
	r->cseq = 0;
	for (d = i; i < n && ref_digit(v[i]); i++)
		r->cseq = r->cseq * 10 + (v[i] - '0');
	if (i == d || i - d > 10 || r->cseq > 0xffffffffULL)
		return -1;
	if (i == n || !ref_blank(v[i]))
		return -1;
	while (i < n && ref_blank(v[i]))
		i++;
	for (m = i; i < n && ref_token(v[i]); i++)
		;
	if (i == m || (i == n && !whole))
		return -1;
	if (i < n && !ref_blank(v[i]) && v[i] != '\r')
		return -1;
	r->method = v + m;
	r->nmethod = i - m;
	r->method_id = ref_method_id(v + m, i - m);
	return 1;
}

/*
 * sip_txn_id(), a line at a time: after leading CR and LF, the start
 * line; then each header line up to the empty one; a line that starts
 * with SP or HTAB, or CR not followed by LF, is no header; a header is a
 * name (no ':', SP, HTAB, CR), SP and HTAB, ':', its value. The first
 * Via (v), Call-ID (i) and CSeq, names in any case, each read once; the
 * first of them that is not of its form gives -1. Return: 0 with the
 * fields and the key in @r, once all three are read; else -1.
 */
static inline int ref_txn(const unsigned char *p, unsigned int len,
			  struct ref_txn *r)
{
	unsigned int i, e, n, name, colon, seen = 0;
	const unsigned char *lf, *v;
	int whole, ret;

	memset(r, 0, sizeof(*r));
	i = ref_skip(p, len);
	lf = i < len ? memchr(p + i, '\n', len - i) : NULL;
	if (!lf)
		return -1;
	for (i = lf - p + 1; i < len && seen != 7; i = e + 1) {
		lf = memchr(p + i, '\n', len - i);
		whole = lf != NULL;
		e = whole ? (unsigned int)(lf - p) : len;
		n = e - i;
		if (whole && (n == 0 || (n == 1 && p[i] == '\r')))
			return -1;
		if (!n || ref_blank(p[i]) || p[i] == '\r')
			continue;
		for (name = 0; name < n && p[i + name] != ':' &&
		     !ref_blank(p[i + name]) && p[i + name] != '\r'; name++)
			;
		for (colon = name; colon < n && ref_blank(p[i + colon]);
		     colon++)
			;
		if (colon == n || p[i + colon] != ':')
			continue;
		v = p + i + colon + 1;
		n -= colon + 1;
		if (!(seen & 1) && (ref_name_is(p + i, name, "via") ||
				    ref_name_is(p + i, name, "v"))) {
			ret = ref_txn_via(v, n, whole, r);
			seen |= 1;
		} else if (!(seen & 2) &&
			   (ref_name_is(p + i, name, "call-id") ||
			    ref_name_is(p + i, name, "i"))) {
			ret = ref_txn_callid(v, n, whole, r);
			seen |= 2;
		} else if (!(seen & 4) && ref_name_is(p + i, name, "cseq")) {
			ret = ref_txn_cseq(v, n, whole, r);
			seen |= 4;
		} else {
			ret = 0;
		}
		if (ret < 0)
			return -1;
	}
	if (seen != 7)
		return -1;
	r->key = ref_txn_key(r);
	return 0;
}

#endif /* SIPCODE_TXNREF_H */
