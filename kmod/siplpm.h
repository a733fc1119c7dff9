/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The peer of an address: longest-prefix match over IPv4 and IPv6
 * prefixes, each naming a peer. Plain C with no kernel or libc header,
 * as sipparse.c: the module and the userspace unit tests and benchmark
 * compile this one source.
 *
 * The table is a trie of stride 8 with its prefixes expanded (controlled
 * prefix expansion): a node is 256 entries, one for each value of the
 * address's byte at its depth, and an entry holds either the peer of the
 * longest prefix that covers it (0: none) or the node of the next byte.
 * A look-up reads one entry a byte of the address, and stops at the
 * first that holds a peer: at most 4 for IPv4 and 16 for IPv6, whatever
 * the number of prefixes. The table is built whole from its prefixes and
 * never changed after: a new set of prefixes is a new table.
 */
#ifndef _SIPCODE_SIPLPM_H
#define _SIPCODE_SIPLPM_H

/* The root nodes. */
#define SIP_LPM_ROOT4 0
#define SIP_LPM_ROOT6 1

/* An entry: a peer (1 to SIP_LPM_PEER_MAX, 0 none), or a node. */
#define SIP_LPM_CHILD 0x8000
#define SIP_LPM_PEER_MAX 0x7fff
/* Nodes a table may have, the two roots among them. */
#define SIP_LPM_NODES_MAX 0x8000

/**
 * struct sip_lpm_prefix - a prefix and its peer
 * @addr: the address, in network order; an IPv4 address in the first 4
 *	bytes, the others 0. Bits past @len are 0 (sip_lpm_valid()).
 * @len: bits, 0 to 32 for IPv4, to 128 for IPv6
 * @v6: an IPv6 prefix
 * @peer: 1 to SIP_LPM_PEER_MAX
 */
struct sip_lpm_prefix {
	unsigned char addr[16];
	unsigned char len;
	unsigned char v6;
	unsigned short peer;
};

/**
 * struct sip_lpm - a table
 * @nodes: its nodes, sip_lpm_nodes()
 * @node: the nodes, SIP_LPM_ROOT4 and SIP_LPM_ROOT6 first
 */
struct sip_lpm {
	unsigned int nodes;
	unsigned short node[][256];
};

/* The bytes of a table of @nodes nodes. */
#define SIP_LPM_SIZE(nodes) \
	(sizeof(struct sip_lpm) + (unsigned long)(nodes) * 256 * \
	 sizeof(unsigned short))

/**
 * sip_lpm_valid() - is a prefix of the form struct sip_lpm_prefix says?
 * @p: the prefix
 *
 * Return: 1 when its length fits its family, no bit past it is set, and
 * its peer is in range; else 0.
 */
int sip_lpm_valid(const struct sip_lpm_prefix *p);

/**
 * sip_lpm_cmp() - the order of prefixes that sip_lpm_nodes() and
 *	sip_lpm_build() take
 * @a: a struct sip_lpm_prefix
 * @b: another
 *
 * IPv4 before IPv6, then by address, then by length: a prefix comes
 * before every longer prefix inside it. For sort() and qsort().
 *
 * Return: below 0, 0 or above 0 as @a comes before, with or after @b.
 */
int sip_lpm_cmp(const void *a, const void *b);

/**
 * sip_lpm_nodes() - the nodes a table of prefixes takes
 * @p: the prefixes, valid, in the order of sip_lpm_cmp()
 * @n: how many
 *
 * The two roots and a node for each distinct first k bytes (k from 1) of
 * the prefixes longer than 8k bits. Linear in @n.
 *
 * Return: the nodes; -1 when a prefix is there twice (same family,
 * address and length).
 */
long sip_lpm_nodes(const struct sip_lpm_prefix *p, unsigned int n);

/**
 * sip_lpm_build() - fill a table
 * @t: SIP_LPM_SIZE(@nodes) bytes, all 0
 * @nodes: sip_lpm_nodes() of the same prefixes, at most SIP_LPM_NODES_MAX
 * @p: the prefixes, valid, in the order of sip_lpm_cmp(), each once
 * @n: how many
 *
 * Each prefix is written over the entries it covers in the node of its
 * last byte, after every prefix that contains it (the order), so that a
 * longer prefix wins; a node made for a longer prefix starts with the
 * entry it replaces, the peer of the longest prefix that contains it.
 */
void sip_lpm_build(struct sip_lpm *t, unsigned int nodes,
		   const struct sip_lpm_prefix *p, unsigned int n);

/**
 * sip_lpm_lookup() - the peer of an address
 * @t: the table
 * @root: SIP_LPM_ROOT4 or SIP_LPM_ROOT6
 * @a: the address, in network order, each byte read once
 * @n: its bytes, 4 or 16
 *
 * Return: the peer of the longest prefix that contains @a, or 0.
 */
static inline unsigned int sip_lpm_lookup(const struct sip_lpm *t,
					  unsigned int root,
					  const unsigned char *a,
					  unsigned int n)
{
	unsigned int e = t->node[root][a[0]];
	unsigned int i;

	for (i = 1; (e & SIP_LPM_CHILD) && i < n; i++)
		e = t->node[e & SIP_LPM_PEER_MAX][a[i]];
	/* A node past the last byte: sip_lpm_build() makes none. */
	return e & SIP_LPM_CHILD ? 0 : e;
}

#endif /* _SIPCODE_SIPLPM_H */
