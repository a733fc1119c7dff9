// SPDX-License-Identifier: GPL-2.0
/*
 * The look-up share of a response's peer, for callgrind: the peer of its
 * source address, else of its destination (kmod/siplpm.c, compiled for
 * userspace), N times, over a table of 1 or of 1,000 prefixes. The
 * addresses change at every call, as a host's peers do: with one
 * prefix, hosts of it; with 1,000, a host of each in turn.
 *
 *   lpm N 1|1000 4|6 from|to|other    (make -C bench lpm: callgrind)
 *
 * from: the source is a peer's; to: the destination is, the source not;
 * other: neither. Exits 1 when a look-up does not find what it should.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siplpm.h"

/* Not static, for callgrind's --toggle-collect: the peer, and 0x8000 for to. */
unsigned int peer_of(const struct sip_lpm *t, unsigned int root,
		     const unsigned char *src, const unsigned char *dst,
		     unsigned int n);
__attribute__((noinline))
unsigned int peer_of(const struct sip_lpm *t, unsigned int root,
		     const unsigned char *src, const unsigned char *dst,
		     unsigned int n)
{
	unsigned int peer = sip_lpm_lookup(t, root, src, n);

	if (peer)
		return peer;
	peer = sip_lpm_lookup(t, root, dst, n);
	return peer ? peer | 0x8000 : 0;
}

/*
 * Prefix @i of @np: IPv4 /24s in 10.0.0.0/8, IPv6 /48s in 2001:db8::/32;
 * the one prefix of a table of one is 10.0.0.0/24 or 2001:db8::/48.
 */
static void prefix(struct sip_lpm_prefix *p, unsigned int i, int v6)
{
	static const unsigned char db8[] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(p, 0, sizeof(*p));
	p->v6 = v6;
	p->peer = 1 + i % 64;
	if (v6) {
		memcpy(p->addr, db8, 4);
		p->addr[4] = i >> 8;
		p->addr[5] = i;
		p->len = 48;
	} else {
		p->addr[0] = 10;
		p->addr[1] = i >> 8;
		p->addr[2] = i;
		p->len = 24;
	}
}

int main(int argc, char **argv)
{
	static struct sip_lpm_prefix p[1000];
	static unsigned char addr[1000][16], none[1000][16];
	unsigned int np, n, i, got, want, root;
	unsigned long calls, k, sum = 0;
	const char *dir;
	struct sip_lpm *t;
	long nodes;
	int v6;

	if (argc != 5) {
		fprintf(stderr, "usage: lpm N 1|1000 4|6 from|to|other\n");
		return 2;
	}
	calls = strtoul(argv[1], NULL, 0);
	np = atoi(argv[2]);
	v6 = atoi(argv[3]) == 6;
	dir = argv[4];
	if ((np != 1 && np != 1000) || (strcmp(dir, "from") &&
	    strcmp(dir, "to") && strcmp(dir, "other"))) {
		fprintf(stderr, "lpm: 1 or 1000 prefixes; from, to or other\n");
		return 2;
	}
	n = v6 ? 16 : 4;
	root = v6 ? SIP_LPM_ROOT6 : SIP_LPM_ROOT4;
	for (i = 0; i < np; i++)
		prefix(&p[i], i, v6);
	qsort(p, np, sizeof(p[0]), sip_lpm_cmp);
	nodes = sip_lpm_nodes(p, np);
	t = nodes > 0 ? calloc(1, SIP_LPM_SIZE(nodes)) : NULL;
	if (!t)
		return 1;
	sip_lpm_build(t, nodes, p, np);
	/* 1,000 addresses: hosts of the prefixes, and hosts of none. */
	for (i = 0; i < 1000; i++) {
		memcpy(addr[i], p[i % np].addr, n);
		addr[i][n - 1] = 1 + i % 250;
		memcpy(none[i], addr[i], n);
		none[i][0] ^= 0x80;
	}
	for (i = 0; i < 1000; i++) {
		want = p[i % np].peer;
		got = peer_of(t, root, addr[i], none[i], n);
		got |= peer_of(t, root, none[i], addr[i], n) << 16;
		got |= peer_of(t, root, none[i], none[i], n) && 1;
		if (got != (want | (want | 0x8000) << 16)) {
			fprintf(stderr, "lpm: address %u: %x\n", i, got);
			return 1;
		}
	}
	for (k = 0; k < calls; k++) {
		i = k % 1000;
		if (!strcmp(dir, "from"))
			sum += peer_of(t, root, addr[i], none[i], n);
		else if (!strcmp(dir, "to"))
			sum += peer_of(t, root, none[i], addr[i], n);
		else
			sum += peer_of(t, root, none[i], none[i], n);
	}
	printf("%lu nodes %ld\n", sum, nodes);
	free(t);
	return 0;
}
