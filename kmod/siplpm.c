// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The peer of an address: see siplpm.h. No header but our own, so that
 * the same object serves the module and userspace.
 */
#include "siplpm.h"

int sip_lpm_valid(const struct sip_lpm_prefix *p)
{
	unsigned int bits = p->v6 ? 128 : 32, i;

	if (p->v6 > 1 || p->len > bits || !p->peer ||
	    p->peer > SIP_LPM_PEER_MAX)
		return 0;
	for (i = p->len / 8; i < 16; i++) {
		/* The bits of the byte past the length: all of them after. */
		unsigned int keep = i == p->len / 8 ? 0xff00 >> p->len % 8 : 0;

		if (p->addr[i] & ~keep & 0xff)
			return 0;
	}
	return 1;
}

int sip_lpm_cmp(const void *a, const void *b)
{
	const struct sip_lpm_prefix *p = a, *q = b;
	unsigned int i;

	if (p->v6 != q->v6)
		return p->v6 - q->v6;
	for (i = 0; i < 16; i++)
		if (p->addr[i] != q->addr[i])
			return p->addr[i] - q->addr[i];
	return p->len - q->len;
}

/* Do @p and @q share their family and their first @k bytes? */
static int sip_lpm_same(const struct sip_lpm_prefix *p,
			const struct sip_lpm_prefix *q, unsigned int k)
{
	unsigned int i;

	if (p->v6 != q->v6)
		return 0;
	for (i = 0; i < k; i++)
		if (p->addr[i] != q->addr[i])
			return 0;
	return 1;
}

long sip_lpm_nodes(const struct sip_lpm_prefix *p, unsigned int n)
{
	/* The last prefix that made a node at depth d + 1, for each d. */
	const struct sip_lpm_prefix *last[15] = {};
	long nodes = 2;
	unsigned int i, d;

	for (i = 0; i < n; i++) {
		if (i && !sip_lpm_cmp(&p[i - 1], &p[i]))
			return -1;
		/*
		 * The prefixes that share their first d + 1 bytes are
		 * together in this order: one node for each run of them.
		 */
		for (d = 0; 8 * (d + 1) < p[i].len; d++) {
			if (last[d] && sip_lpm_same(last[d], &p[i], d + 1))
				continue;
			last[d] = &p[i];
			nodes++;
		}
	}
	return nodes;
}

void sip_lpm_build(struct sip_lpm *t, unsigned int nodes,
		   const struct sip_lpm_prefix *p, unsigned int n)
{
	unsigned int used = 2, i, d, k, last, first, count, e;
	unsigned short *node;

	t->nodes = nodes;
	for (i = 0; i < n; i++, p++) {
		node = t->node[p->v6 ? SIP_LPM_ROOT6 : SIP_LPM_ROOT4];
		/* The byte the prefix ends in: its node's depth. */
		last = p->len ? (p->len - 1) / 8 : 0;
		for (d = 0; d < last; d++) {
			e = node[p->addr[d]];
			if (!(e & SIP_LPM_CHILD)) {
				/* sip_lpm_nodes() counted it: used < nodes. */
				for (k = 0; k < 256; k++)
					t->node[used][k] = e;
				e = SIP_LPM_CHILD | used++;
				node[p->addr[d]] = e;
			}
			node = t->node[e & SIP_LPM_PEER_MAX];
		}
		/* The entries of the last byte's values that it covers. */
		count = 1U << (8 * (last + 1) - p->len);
		first = p->addr[last];
		for (k = first; k < first + count; k++)
			node[k] = p->peer;
	}
}
