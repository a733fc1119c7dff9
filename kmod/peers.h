/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The peers of a namespace: named sets of IPv4 and IPv6 prefixes, and the
 * table (siplpm.h) that gives the peer of an address. A set of peers is
 * never changed once published: a change builds a new set, a copy of the
 * old one changed, validated and with its table built, then swaps it in
 * under RCU. Everything is charged to the memory cgroup of who changed
 * it.
 */
#ifndef _SIPCODE_PEERS_H
#define _SIPCODE_PEERS_H

#include <linux/bitmap.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sipcode.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#include "siplpm.h"

struct netlink_ext_ack;
struct sipcode_net;

/*
 * A peer's counters, on one CPU: @n, its responses by direction (enum
 * sipcode_direction) and column. The columns are SIPCODE_PEER_COLUMNS:
 * one for each code of data/sip-codes.tsv, then one for each class, which
 * counts the class's other codes; sipcode_peer_col gives the column of a
 * code. With the transaction table on, @txn and @final count the
 * transactions (their requests remembered) by method, and the first
 * final responses of INVITE's (0) and REGISTER's (1) by column: in (0),
 * those the peer answered, whose requests went to its addresses and
 * first finals came from them; out (1), those it asked, whose requests
 * came from its addresses and first finals went to them.
 */
struct sipcode_peer_ctr {
	u64 n[2][SIPCODE_PEER_COLUMNS];
	u64 txn[2][SIPCODE_NMETHODS];
	u64 final[2][2][SIPCODE_PEER_COLUMNS];
};

/* The column of each code - SIPCODE_CODE_MIN (sipcode_peer_cols_init()). */
extern u8 sipcode_peer_col[SIPCODE_NCODES];

/**
 * sipcode_peer_cols_init() - fill sipcode_peer_col, at the module's load
 */
void sipcode_peer_cols_init(void);

/**
 * sipcode_peer_col_code() - what a column counts
 * @col: a column
 *
 * Return: its code, 100 to 699; or, for a class's column, the class, 1
 * to 6.
 */
unsigned int sipcode_peer_col_code(unsigned int col);

/**
 * struct sipcode_peers - a set of peers
 * @rcu: frees it after a grace period
 * @lpm: the table of the prefixes, built by sipcode_peers_finish(); NULL
 *	before
 * @gen: the same for a set and its copies, whose slots are the same
 *	peers', and for no other set; 0 until a set built anew is published
 * @npeers: peers named
 * @nprefixes: prefixes in @prefix
 * @room: prefixes @prefix has room for
 * @order: the slots of the peers, by name (sipcode_peers_finish())
 * @name: each slot's name, "" for a free slot. A peer keeps its slot
 *	from its creation to its deletion.
 * @ctr: each named slot's counters, NULL for a free slot. A peer's
 *	counters go from set to set with it, from its creation to its
 *	deletion.
 * @own: the counters this set frees when it is freed: those it
 *	allocated until it is published; once published, those of the
 *	peers it has, then only those of the peers its successor deleted
 * @prefix: the prefixes of every peer, each with its slot + 1 as its
 *	peer; in the order of sip_lpm_cmp() once finished
 */
struct sipcode_peers {
	struct rcu_head rcu;
	struct sip_lpm *lpm;
	u64 gen;
	unsigned int npeers;
	unsigned int nprefixes;
	unsigned int room;
	u16 order[SIPCODE_PEERS_MAX];
	char name[SIPCODE_PEERS_MAX][SIPCODE_PEER_NAME_MAX];
	struct sipcode_peer_ctr __percpu *ctr[SIPCODE_PEERS_MAX];
	DECLARE_BITMAP(own, SIPCODE_PEERS_MAX);
	struct sip_lpm_prefix prefix[];
};

/**
 * sipcode_peer_of() - the peer of an address of a packet
 * @p: the set, or NULL
 * @skb: the packet, its network header set
 * @dst: the destination address, else the source
 * @v6: the family; a constant at a caller that knows it, and the look-up
 *	made for it
 *
 * Return: the slot + 1 of the peer of the longest prefix that holds the
 * address; 0 for none, or no set.
 */
static __always_inline unsigned int
sipcode_peer_of(const struct sipcode_peers *p, const struct sk_buff *skb,
		unsigned int dst, bool v6)
{
	if (p && !v6) {
		const struct iphdr *iph = ip_hdr(skb);

		return sip_lpm_lookup(p->lpm, SIP_LPM_ROOT4,
				      (const u8 *)(dst ? &iph->daddr :
						   &iph->saddr), 4);
	} else if (p) {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		return sip_lpm_lookup(p->lpm, SIP_LPM_ROOT6,
				      (dst ? &ip6h->daddr : &ip6h->saddr)->s6_addr,
				      16);
	}
	return 0;
}

/**
 * sipcode_peers_txn() - a transaction and its peers
 * @sn: the namespace's state, with peers
 * @skb: the request of a transaction the table remembered anew, or the
 *	first final response of an INVITE or REGISTER transaction
 * @dir: the hook's direction (enum sipcode_direction)
 * @method: with a request: its method; with a response: -1
 * @mi: with a response: 0 for INVITE, 1 for REGISTER
 * @col: with a response: its code's column
 *
 * Counts it under the peer of each of its addresses that is not the
 * host's: a request's destination's peer answers it (in), its source's
 * peer asked (out); a response's source's peer answered (in), its
 * destination's peer gets the answer (out). A packet the host sends has
 * the host's source; one it receives may have the host's destination,
 * whose peer is then none.
 */
void sipcode_peers_txn(struct sipcode_net *sn, const struct sk_buff *skb,
		       unsigned int dir, int method, unsigned int mi,
		       unsigned int col);

/**
 * sipcode_peers_new() - a set of peers to build
 * @old: the set to copy, or NULL for none
 * @room: room for this many more prefixes
 *
 * Context: Under the namespace's lock, which keeps @old.
 * Return: the copy, not finished; NULL when out of memory.
 */
struct sipcode_peers *sipcode_peers_new(const struct sipcode_peers *old,
					unsigned int room);

/**
 * sipcode_peers_add() - add a peer to a set being built
 * @p: the set
 * @name: its name, valid (sipcode_peer_name_valid())
 * @prefix: its prefixes, valid (sip_lpm_valid(), the peer ignored)
 * @n: how many, at most the room left in @p
 * @extack: for a message
 *
 * The peer's counters are allocated, zero, charged to the caller's memory
 * cgroup.
 *
 * Return: 0; -EEXIST when a peer has the name; -ENOSPC with
 * SIPCODE_PEERS_MAX peers already, or past SIPCODE_PEER_PREFIXES_MAX
 * prefixes; -ENOMEM.
 */
int sipcode_peers_add(struct sipcode_peers *p, const char *name,
		      const struct sip_lpm_prefix *prefix, unsigned int n,
		      struct netlink_ext_ack *extack);

/**
 * sipcode_peers_find() - the slot of a peer
 * @p: the set
 * @name: the peer's name; "" finds a free slot
 *
 * Return: its slot, or -1 when no peer has the name.
 */
int sipcode_peers_find(const struct sipcode_peers *p, const char *name);

/**
 * sipcode_peers_del() - delete a peer and its prefixes from a set being
 *	built
 * @p: the set
 * @name: the peer's name
 *
 * Return: 0, or -ENOENT when no peer has the name.
 */
int sipcode_peers_del(struct sipcode_peers *p, const char *name);

/**
 * sipcode_peers_finish() - validate a set and build its table
 * @p: the set
 * @extack: for a message
 *
 * Return: 0; -EEXIST when a prefix (its address and length) is there
 * twice; -ENOSPC when its table would take more than
 * SIPCODE_PEER_NODES_MAX nodes; -ENOMEM.
 */
int sipcode_peers_finish(struct sipcode_peers *p,
			 struct netlink_ext_ack *extack);

/**
 * sipcode_peers_free() - free a set that was never published
 * @p: the set, or NULL
 *
 * With the counters it allocated, not those of the set it copied.
 */
void sipcode_peers_free(struct sipcode_peers *p);

/**
 * sipcode_peers_locked() - the namespace's set, under its lock
 * @sn: the namespace's state
 *
 * Context: Under the namespace's lock.
 * Return: the set, or NULL for none.
 */
struct sipcode_peers *sipcode_peers_locked(struct sipcode_net *sn);

/**
 * sipcode_peers_publish() - make a finished set the namespace's
 * @sn: the namespace's state
 * @p: the set, or NULL for none; owned by @sn now
 *
 * The old set is freed after a grace period, with the counters of the
 * peers @p no longer has. A set of no peer is freed now, and published as
 * NULL. SIPCODE_MORE_PEERS says whether there is a set.
 *
 * Context: Under the namespace's lock.
 */
void sipcode_peers_publish(struct sipcode_net *sn, struct sipcode_peers *p);

/**
 * sipcode_peers_release() - free the namespace's set at its exit
 * @sn: the namespace's state, which no packet path runs on any more
 */
void sipcode_peers_release(struct sipcode_net *sn);

/**
 * sipcode_peers_reset() - set the counters of every peer to zero
 * @sn: the namespace's state
 *
 * As sipcode_stats_reset(): subtracts what it read.
 *
 * Context: Under the namespace's lock.
 */
void sipcode_peers_reset(struct sipcode_net *sn);

/**
 * sipcode_peers_sum() - a row of counters, summed over every CPU
 * @row: the SIPCODE_PEER_COLUMNS counters of a peer's direction, or of
 *	sn->stats->unpeered's
 * @sum: set to each column's sum
 */
void sipcode_peers_sum(const u64 __percpu *row, u64 *sum);

/**
 * sipcode_peer_name_valid() - is a name one a peer may have?
 * @name: a NUL-terminated name
 *
 * Return: true for 1 to SIPCODE_PEER_NAME_MAX - 1 bytes, each a letter,
 * a digit or one of "-_.:@".
 */
bool sipcode_peer_name_valid(const char *name);

#endif /* _SIPCODE_PEERS_H */
