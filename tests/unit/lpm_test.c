// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the peer of an address, kmod/siplpm.c. Every table is
 * malloc'd to exactly SIP_LPM_SIZE(sip_lpm_nodes()), so that
 * AddressSanitizer catches a node too few; every look-up is checked
 * against a scan of all the prefixes for the longest that holds the
 * address.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 6.1 harness leaves parameters unused in its own code and in TEST(). */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "siplpm.h"
#include "rnd.h"

/* A prefix from its text: "192.0.2.0/24" or "2001:db8::/32". */
static struct sip_lpm_prefix pfx(const char *s, unsigned int peer)
{
	struct sip_lpm_prefix p = { .peer = peer };
	unsigned int a[4], i, n = 0;
	const char *c;

	if (sscanf(s, "%u.%u.%u.%u/%u", &a[0], &a[1], &a[2], &a[3], &n) == 5) {
		for (i = 0; i < 4; i++)
			p.addr[i] = a[i];
	} else {
		/* hex groups, "::" once, then "/len" */
		unsigned int g[8], ng = 0, at = 8, v;

		for (c = s; *c != '/'; ) {
			if (c[0] == ':' && c[1] == ':') {
				at = ng;
				c += 2;
				continue;
			}
			if (*c == ':')
				c++;
			v = strtoul(c, (char **)&c, 16);
			g[ng++] = v;
		}
		n = atoi(c + 1);
		for (i = 0; i < ng; i++) {
			unsigned int k = i < at ? i : 8 - ng + i;

			p.addr[2 * k] = g[i] >> 8;
			p.addr[2 * k + 1] = g[i];
		}
		p.v6 = 1;
	}
	p.len = n;
	return p;
}

/* Does @p hold the address @a of its family? */
static int holds(const struct sip_lpm_prefix *p, const unsigned char *a)
{
	unsigned int i, keep;

	for (i = 0; 8 * i < p->len; i++) {
		keep = p->len - 8 * i >= 8 ? 0xff : 0xff00 >> (p->len - 8 * i);
		if ((a[i] ^ p->addr[i]) & keep & 0xff)
			return 0;
	}
	return 1;
}

/* The reference: the peer of the longest prefix that holds @a. */
static unsigned int scan(const struct sip_lpm_prefix *p, unsigned int n,
			 int v6, const unsigned char *a)
{
	unsigned int i, peer = 0;
	int best = -1;

	for (i = 0; i < n; i++)
		if (p[i].v6 == v6 && (int)p[i].len > best && holds(&p[i], a)) {
			best = p[i].len;
			peer = p[i].peer;
		}
	return peer;
}

/* A table of the @n prefixes at @p, sorted here; NULL for a duplicate. */
static struct sip_lpm *table(struct sip_lpm_prefix *p, unsigned int n)
{
	struct sip_lpm *t;
	long nodes;

	qsort(p, n, sizeof(*p), sip_lpm_cmp);
	nodes = sip_lpm_nodes(p, n);
	if (nodes < 0)
		return NULL;
	if (nodes > SIP_LPM_NODES_MAX)
		abort();
	t = calloc(1, SIP_LPM_SIZE(nodes));
	if (!t)
		abort();
	sip_lpm_build(t, nodes, p, n);
	return t;
}

/* Is every node past the roots the child of exactly one entry? */
static int all_used(const struct sip_lpm *t)
{
	unsigned int *refs = calloc(t->nodes, sizeof(*refs)), i, k, e;
	int ok = 1;

	for (i = 0; i < t->nodes; i++)
		for (k = 0; k < 256; k++) {
			e = t->node[i][k];
			if (e & SIP_LPM_CHILD)
				refs[e & SIP_LPM_PEER_MAX]++;
		}
	for (i = 2; i < t->nodes; i++)
		ok &= refs[i] == 1;
	ok &= !refs[0] && !refs[1];
	free(refs);
	return ok;
}

static unsigned int look(const struct sip_lpm *t, const char *s)
{
	struct sip_lpm_prefix a = pfx(s, 1);

	return a.v6 ? sip_lpm_lookup(t, SIP_LPM_ROOT6, a.addr, 16) :
		      sip_lpm_lookup(t, SIP_LPM_ROOT4, a.addr, 4);
}

TEST(nested)
{
	struct sip_lpm_prefix p[] = {
		pfx("192.0.2.0/24", 1),
		pfx("192.0.2.128/25", 2),
		pfx("192.0.0.0/16", 3),
		pfx("192.0.2.7/32", 4),
		pfx("10.0.0.0/8", 5),
		pfx("2001:db8::/32", 6),
		pfx("2001:db8:a::/48", 7),
		pfx("2001:db8:a:1::/64", 8),
		pfx("2001:db8:a:1::5/128", 9),
	};
	struct sip_lpm *t = table(p, sizeof(p) / sizeof(p[0]));

	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, look(t, "192.0.2.1/32"));
	EXPECT_EQ(1, look(t, "192.0.2.127/32"));
	EXPECT_EQ(2, look(t, "192.0.2.128/32"));
	EXPECT_EQ(2, look(t, "192.0.2.255/32"));
	EXPECT_EQ(3, look(t, "192.0.3.0/32"));
	EXPECT_EQ(3, look(t, "192.0.255.255/32"));
	EXPECT_EQ(4, look(t, "192.0.2.7/32"));
	EXPECT_EQ(1, look(t, "192.0.2.6/32"));
	EXPECT_EQ(0, look(t, "192.1.2.7/32"));
	EXPECT_EQ(5, look(t, "10.255.0.1/32"));
	EXPECT_EQ(0, look(t, "11.0.0.0/32"));
	EXPECT_EQ(6, look(t, "2001:db8:b::1/128"));
	EXPECT_EQ(7, look(t, "2001:db8:a:2::1/128"));
	EXPECT_EQ(8, look(t, "2001:db8:a:1::4/128"));
	EXPECT_EQ(9, look(t, "2001:db8:a:1::5/128"));
	EXPECT_EQ(0, look(t, "2001:db9::/128"));
	/* The families apart: an IPv4 prefix holds no IPv6 address. */
	EXPECT_EQ(0, look(t, "c000:200::/128"));
	EXPECT_TRUE(all_used(t));
	free(t);
}

TEST(defaults_and_hosts)
{
	struct sip_lpm_prefix p[] = {
		pfx("0.0.0.0/0", 1),
		pfx("::/0", 2),
		pfx("255.255.255.255/32", 3),
		pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 4),
		pfx("0.0.0.0/32", 5),
	};
	struct sip_lpm *t = table(p, sizeof(p) / sizeof(p[0]));

	ASSERT_NE(NULL, t);
	/* 2 roots; 3 nodes under each host route of IPv4, 15 of IPv6. */
	EXPECT_EQ(2 + 3 + 3 + 15, t->nodes);
	EXPECT_EQ(1, look(t, "1.2.3.4/32"));
	EXPECT_EQ(3, look(t, "255.255.255.255/32"));
	EXPECT_EQ(1, look(t, "255.255.255.254/32"));
	EXPECT_EQ(5, look(t, "0.0.0.0/32"));
	EXPECT_EQ(1, look(t, "0.0.0.1/32"));
	EXPECT_EQ(2, look(t, "::1/128"));
	EXPECT_EQ(4, look(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"));
	EXPECT_EQ(2, look(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128"));
	EXPECT_TRUE(all_used(t));
	free(t);
}

TEST(empty)
{
	struct sip_lpm_prefix p[1];
	struct sip_lpm *t = table(p, 0);

	ASSERT_NE(NULL, t);
	EXPECT_EQ(2, t->nodes);
	EXPECT_EQ(0, look(t, "192.0.2.1/32"));
	EXPECT_EQ(0, look(t, "::1/128"));
	free(t);
}

TEST(duplicate)
{
	struct sip_lpm_prefix p[] = {
		pfx("192.0.2.0/24", 1),
		pfx("198.51.100.0/24", 2),
		pfx("192.0.2.0/24", 3),
	};
	struct sip_lpm_prefix q[] = {
		pfx("2001:db8::/32", 1),
		pfx("2001:db8::/32", 1),
	};
	/* The same address with another length, or family, is another. */
	struct sip_lpm_prefix r[] = {
		pfx("192.0.2.0/24", 1),
		pfx("192.0.2.0/25", 2),
		pfx("::/24", 3),
		pfx("0.0.0.0/24", 4),
	};
	struct sip_lpm *t;

	EXPECT_EQ(NULL, table(p, 3));
	EXPECT_EQ(NULL, table(q, 2));
	t = table(r, 4);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(2, look(t, "192.0.2.1/32"));
	EXPECT_EQ(1, look(t, "192.0.2.129/32"));
	EXPECT_EQ(4, look(t, "0.0.0.9/32"));
	EXPECT_EQ(3, look(t, "::9/128"));
	free(t);
}

TEST(valid)
{
	struct sip_lpm_prefix p;

	p = pfx("192.0.2.0/24", 1);
	EXPECT_TRUE(sip_lpm_valid(&p));
	p = pfx("192.0.2.1/24", 1);
	EXPECT_FALSE(sip_lpm_valid(&p));
	p = pfx("192.0.2.128/25", 1);
	EXPECT_TRUE(sip_lpm_valid(&p));
	p = pfx("192.0.2.64/25", 1);
	EXPECT_FALSE(sip_lpm_valid(&p));
	p = pfx("192.0.2.1/32", 1);
	EXPECT_TRUE(sip_lpm_valid(&p));
	p = pfx("192.0.2.1/33", 1);
	EXPECT_FALSE(sip_lpm_valid(&p));
	p = pfx("192.0.2.0/24", 0);
	EXPECT_FALSE(sip_lpm_valid(&p));
	p = pfx("192.0.2.0/24", SIP_LPM_PEER_MAX);
	EXPECT_TRUE(sip_lpm_valid(&p));
	p = pfx("192.0.2.0/24", SIP_LPM_PEER_MAX + 1);
	EXPECT_FALSE(sip_lpm_valid(&p));
	/* An IPv4 prefix with a byte past its four. */
	p = pfx("192.0.2.0/24", 1);
	p.addr[4] = 1;
	EXPECT_FALSE(sip_lpm_valid(&p));
	p = pfx("2001:db8::/32", 1);
	EXPECT_TRUE(sip_lpm_valid(&p));
	p = pfx("2001:db8::1/32", 1);
	EXPECT_FALSE(sip_lpm_valid(&p));
	p = pfx("2001:db8::1/128", 1);
	EXPECT_TRUE(sip_lpm_valid(&p));
	p = pfx("2001:db8::1/129", 1);
	EXPECT_FALSE(sip_lpm_valid(&p));
	p = pfx("::/0", 1);
	EXPECT_TRUE(sip_lpm_valid(&p));
	p = pfx("::/0", 1);
	p.v6 = 2;
	EXPECT_FALSE(sip_lpm_valid(&p));
}

/* A random valid prefix near one of @nb bases, so that many nest. */
static struct sip_lpm_prefix near(const unsigned char (*base)[16],
				  unsigned int nb, int v6, unsigned int peer)
{
	struct sip_lpm_prefix p = { .v6 = v6, .peer = peer };
	unsigned int bits = v6 ? 128 : 32, i;

	memcpy(p.addr, base[rnd_below(nb)], bits / 8);
	/* Lengths of every kind, most of them long. */
	p.len = rnd_below(4) ? bits - rnd_below(bits / 2 + 1) :
			       rnd_below(bits + 1);
	/* A few low bits of the prefix changed, then masked. */
	if (p.len)
		p.addr[(p.len - 1) / 8] ^= rnd_below(4);
	for (i = 0; i < 16; i++) {
		int left = (int)p.len - 8 * (int)i;

		p.addr[i] &= left >= 8 ? 0xff : left <= 0 ? 0 :
			     0xff00 >> left;
	}
	return p;
}

/* An address of a family, mostly near the bases or inside a prefix. */
static void address(const unsigned char (*base)[16], unsigned int nb,
		    const struct sip_lpm_prefix *p, unsigned int n, int v6,
		    unsigned char *a)
{
	unsigned int bytes = v6 ? 16 : 4, i;
	const struct sip_lpm_prefix *q;

	switch (rnd_below(3)) {
	case 0:
		for (i = 0; i < bytes; i++)
			a[i] = rnd();
		return;
	case 1:
		memcpy(a, base[rnd_below(nb)], bytes);
		a[rnd_below(bytes)] ^= 1 << rnd_below(8);
		return;
	}
	/* A prefix's first address, its last, or one past either. */
	q = &p[rnd_below(n)];
	memcpy(a, q->addr, bytes);
	if (rnd_below(2))
		for (i = q->len; i < 8 * bytes; i++)
			a[i / 8] |= 0x80 >> i % 8;
	if (rnd_below(2))
		a[bytes - 1] += rnd_below(2) ? 1 : -1;
}

TEST(random_against_scan)
{
	unsigned char base[8][16], a[16];
	unsigned int round, i, n, bad = 0, looked = 0, peers[3] = {};

	rng_state = 0x5eed1e55ULL;
	for (round = 0; round < 200; round++) {
		struct sip_lpm_prefix p[300];
		struct sip_lpm *t;
		unsigned int got, want;
		int v6;

		for (i = 0; i < 8; i++)
			for (n = 0; n < 16; n++)
				base[i][n] = rnd();
		n = 1 + rnd_below(300);
		for (i = 0; i < n; i++)
			p[i] = near((const unsigned char (*)[16])base,
				    1 + round % 8, rnd_below(2), 1 + i);
		/* Duplicates out, as a configuration refuses them. */
		qsort(p, n, sizeof(p[0]), sip_lpm_cmp);
		for (i = 1; i < n; )
			if (!sip_lpm_cmp(&p[i - 1], &p[i]))
				memmove(&p[i], &p[i + 1], (--n - i) * sizeof(p[0]));
			else
				i++;
		for (i = 0; i < n; i++)
			ASSERT_TRUE(sip_lpm_valid(&p[i]));
		/* In another order: table() sorts them again. */
		for (i = n - 1; i > 0; i--) {
			unsigned int j = rnd_below(i + 1);
			struct sip_lpm_prefix x = p[i];

			p[i] = p[j];
			p[j] = x;
		}
		t = table(p, n);
		ASSERT_NE(NULL, t);
		ASSERT_TRUE(all_used(t));
		for (i = 0; i < 2000; i++) {
			v6 = rnd_below(2);
			memset(a, 0, sizeof(a));
			address((const unsigned char (*)[16])base,
				1 + round % 8, p, n, v6, a);
			got = v6 ? sip_lpm_lookup(t, SIP_LPM_ROOT6, a, 16) :
				   sip_lpm_lookup(t, SIP_LPM_ROOT4, a, 4);
			want = scan(p, n, v6, a);
			if (got != want && bad++ < 5)
				TH_LOG("round %u: look-up %u, scan %u", round,
				       got, want);
			looked++;
			peers[!want ? 0 : want == got ? 1 : 2]++;
		}
		free(t);
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(400000, looked);
	/* Both kinds of answer were asked for, many times. */
	EXPECT_LT(50000, peers[0]);
	EXPECT_LT(100000, peers[1]);
}

/* 1,000 prefixes: the table's nodes, and a look-up's steps, bounded. */
TEST(thousand)
{
	struct sip_lpm_prefix p[1000];
	struct sip_lpm *t;
	unsigned int i;

	rng_state = 0x1000ULL;
	for (i = 0; i < 1000; i++) {
		/* /24s of 10.0.0.0/8, /48s of 2001:db8::/32, distinct. */
		memset(&p[i], 0, sizeof(p[i]));
		p[i].peer = 1 + i % 64;
		if (i % 2) {
			p[i].addr[0] = 10;
			p[i].addr[1] = i >> 8;
			p[i].addr[2] = i;
			p[i].len = 24;
		} else {
			p[i] = pfx("2001:db8::/48", 1 + i % 64);
			p[i].addr[4] = i >> 8;
			p[i].addr[5] = i;
		}
	}
	t = table(p, 1000);
	ASSERT_NE(NULL, t);
	/*
	 * IPv4: under 10 (1), then under 10.x for x in 0..3 (4); IPv6:
	 * under 20, 20 01, 20 01 0d, 20 01 0d b8 (4), then under
	 * 2001:db8:x00 for x in 0..3 (4).
	 */
	EXPECT_EQ(2 + 1 + 4 + 4 + 4, t->nodes);
	EXPECT_TRUE(all_used(t));
	EXPECT_EQ(1 + 999 % 64, look(t, "10.3.231.9/32"));
	EXPECT_EQ(1 + 998 % 64, look(t, "2001:db8:3e6::1/128"));
	EXPECT_EQ(0, look(t, "10.4.0.1/32"));
	free(t);
}

TEST_HARNESS_MAIN
