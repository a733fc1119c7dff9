// SPDX-License-Identifier: GPL-2.0
/*
 * The peers of a namespace: see peers.h. A change copies the set, changes
 * the copy, sorts its prefixes (sip_lpm_cmp()), counts the nodes of its
 * table and refuses it past SIPCODE_PEER_NODES_MAX, then builds the table
 * and publishes the copy; the old set goes after a grace period.
 */
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/ctype.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "local.h"
#include "peers.h"
#include "sipcode.h"

/*
 * The codes with a column of their own: those of data/sip-codes.tsv, the
 * codes sipcodectl names (tests/codes.sh checks the two agree). The
 * classes' columns follow them.
 */
static const u16 sipcode_peer_codes[] = {
	100, 180, 181, 182, 183, 199,
	200, 202, 204,
	300, 301, 302, 305, 380,
	400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
	413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 425, 428, 429,
	430, 433, 436, 437, 438, 439, 440, 469, 470, 480, 481, 482, 483,
	484, 485, 486, 487, 488, 489, 491, 493, 494,
	500, 501, 502, 503, 504, 505, 513, 555, 580,
	600, 603, 604, 606, 607, 608,
};

static_assert(ARRAY_SIZE(sipcode_peer_codes) + 6 == SIPCODE_PEER_COLUMNS);

u8 sipcode_peer_col[SIPCODE_NCODES] __ro_after_init;

/* The generation of the last set built anew, in any namespace. */
static atomic64_t sipcode_peers_gen = ATOMIC64_INIT(0);

void sipcode_peer_cols_init(void)
{
	unsigned int i, n = ARRAY_SIZE(sipcode_peer_codes);

	for (i = 0; i < SIPCODE_NCODES; i++)
		sipcode_peer_col[i] = n + i / 100;
	for (i = 0; i < n; i++)
		sipcode_peer_col[sipcode_peer_codes[i] - SIPCODE_CODE_MIN] = i;
}

unsigned int sipcode_peer_col_code(unsigned int col)
{
	unsigned int n = ARRAY_SIZE(sipcode_peer_codes);

	return col < n ? sipcode_peer_codes[col] : col - n + 1;
}

/* Free the counters @p owns. */
static void sipcode_peers_free_ctrs(struct sipcode_peers *p)
{
	unsigned int slot;

	for_each_set_bit(slot, p->own, SIPCODE_PEERS_MAX)
		free_percpu(p->ctr[slot]);
}

struct sipcode_peers *sipcode_peers_new(const struct sipcode_peers *old,
					unsigned int room)
{
	unsigned int n = old ? old->nprefixes : 0;
	struct sipcode_peers *p;

	if (room > SIPCODE_PEER_PREFIXES_MAX)
		room = SIPCODE_PEER_PREFIXES_MAX;
	p = kvmalloc(struct_size(p, prefix, n + room), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	p->lpm = NULL;
	p->room = n + room;
	if (old) {
		p->npeers = old->npeers;
		p->nprefixes = n;
		memcpy(p->name, old->name, sizeof(p->name));
		memcpy(p->ctr, old->ctr, sizeof(p->ctr));
		memcpy(p->prefix, old->prefix, n * sizeof(p->prefix[0]));
		p->gen = old->gen;
	} else {
		p->gen = 0;
		p->npeers = 0;
		p->nprefixes = 0;
		memset(p->name, 0, sizeof(p->name));
		memset(p->ctr, 0, sizeof(p->ctr));
	}
	bitmap_zero(p->own, SIPCODE_PEERS_MAX);
	return p;
}

int sipcode_peers_find(const struct sipcode_peers *p, const char *name)
{
	unsigned int i;

	for (i = 0; i < SIPCODE_PEERS_MAX; i++)
		if (!strcmp(p->name[i], name))
			return i;
	return -1;
}

int sipcode_peers_add(struct sipcode_peers *p, const char *name,
		      const struct sip_lpm_prefix *prefix, unsigned int n,
		      struct netlink_ext_ack *extack)
{
	unsigned int i;
	int slot;

	if (sipcode_peers_find(p, name) >= 0) {
		NL_SET_ERR_MSG(extack, "a peer has this name");
		return -EEXIST;
	}
	if (p->npeers == SIPCODE_PEERS_MAX) {
		NL_SET_ERR_MSG(extack, "too many peers (peers-max)");
		return -ENOSPC;
	}
	if (n > SIPCODE_PEER_PREFIXES_MAX - p->nprefixes ||
	    n > p->room - p->nprefixes) {
		NL_SET_ERR_MSG(extack, "too many prefixes (peer-prefixes-max)");
		return -ENOSPC;
	}
	slot = sipcode_peers_find(p, "");
	p->ctr[slot] = alloc_percpu_gfp(struct sipcode_peer_ctr,
					GFP_KERNEL_ACCOUNT);
	if (!p->ctr[slot]) {
		NL_SET_ERR_MSG(extack, "out of memory for the peer's counters");
		return -ENOMEM;
	}
	__set_bit(slot, p->own);
	strscpy(p->name[slot], name, sizeof(p->name[slot]));
	p->npeers++;
	for (i = 0; i < n; i++) {
		p->prefix[p->nprefixes] = prefix[i];
		p->prefix[p->nprefixes++].peer = slot + 1;
	}
	return 0;
}

int sipcode_peers_del(struct sipcode_peers *p, const char *name)
{
	int slot = sipcode_peers_find(p, name);
	unsigned int i, n = 0;

	if (!*name || slot < 0)
		return -ENOENT;
	p->name[slot][0] = '\0';
	/* Counters of this change's own go now; the published set's, with it. */
	if (__test_and_clear_bit(slot, p->own))
		free_percpu(p->ctr[slot]);
	p->ctr[slot] = NULL;
	p->npeers--;
	for (i = 0; i < p->nprefixes; i++)
		if (p->prefix[i].peer != slot + 1)
			p->prefix[n++] = p->prefix[i];
	p->nprefixes = n;
	return 0;
}

/* Insertion sort of the named slots by name: at most SIPCODE_PEERS_MAX. */
static void sipcode_peers_order(struct sipcode_peers *p)
{
	unsigned int i, j, n = 0;
	u16 s;

	for (i = 0; i < SIPCODE_PEERS_MAX; i++) {
		if (!p->name[i][0])
			continue;
		s = i;
		for (j = n;
		     j > 0 && strcmp(p->name[p->order[j - 1]], p->name[s]) > 0;
		     j--)
			p->order[j] = p->order[j - 1];
		p->order[j] = s;
		n++;
	}
}

int sipcode_peers_finish(struct sipcode_peers *p,
			 struct netlink_ext_ack *extack)
{
	long nodes;

	sort(p->prefix, p->nprefixes, sizeof(p->prefix[0]), sip_lpm_cmp, NULL);
	nodes = sip_lpm_nodes(p->prefix, p->nprefixes);
	if (nodes < 0) {
		NL_SET_ERR_MSG(extack,
			       "a prefix (address and length) is given twice, to one peer or two");
		return -EEXIST;
	}
	if (nodes > SIPCODE_PEER_NODES_MAX) {
		NL_SET_ERR_MSG(extack,
			       "the prefixes would take too many nodes (peer-nodes-max)");
		return -ENOSPC;
	}
	p->lpm = kvzalloc(SIP_LPM_SIZE(nodes), GFP_KERNEL_ACCOUNT);
	if (!p->lpm)
		return -ENOMEM;
	sip_lpm_build(p->lpm, nodes, p->prefix, p->nprefixes);
	sipcode_peers_order(p);
	return 0;
}

void sipcode_peers_free(struct sipcode_peers *p)
{
	if (!p)
		return;
	sipcode_peers_free_ctrs(p);
	kvfree(p->lpm);
	kvfree(p);
}

static void sipcode_peers_free_rcu(struct rcu_head *head)
{
	sipcode_peers_free(container_of(head, struct sipcode_peers, rcu));
}

struct sipcode_peers *sipcode_peers_locked(struct sipcode_net *sn)
{
	return rcu_dereference_protected(sn->peers, lockdep_is_held(sn->lock));
}

void sipcode_peers_publish(struct sipcode_net *sn, struct sipcode_peers *p)
{
	struct sipcode_peers *old = sipcode_peers_locked(sn);
	unsigned int slot;

	if (p && !p->npeers) {
		sipcode_peers_free(p);
		p = NULL;
	}
	/*
	 * The new set owns its peers' counters; the old set keeps, to free,
	 * those of the peers deleted (all of them when there is no new set).
	 */
	for (slot = 0; p && slot < SIPCODE_PEERS_MAX; slot++) {
		if (p->ctr[slot])
			__set_bit(slot, p->own);
		if (old && old->ctr[slot] == p->ctr[slot])
			__clear_bit(slot, old->own);
	}
	/* A set not copied from another: its slots are new. */
	if (p && !p->gen)
		p->gen = atomic64_inc_return(&sipcode_peers_gen);
	/* A packet that sees the flag and no set counts under no peer. */
	rcu_assign_pointer(sn->peers, p);
	sipcode_more_set(sn, SIPCODE_MORE_PEERS, p);
	sn->gen++;
	if (old)
		call_rcu(&old->rcu, sipcode_peers_free_rcu);
}

void sipcode_peers_sum(const u64 __percpu *row, u64 *sum)
{
	unsigned int col;

	for (col = 0; col < SIPCODE_PEER_COLUMNS; col++)
		sum[col] = sipcode_stats_sum(&row[col]);
}

void sipcode_peers_reset(struct sipcode_net *sn)
{
	struct sipcode_peers *p = sipcode_peers_locked(sn);
	unsigned int slot;

	for (slot = 0; p && slot < SIPCODE_PEERS_MAX; slot++)
		if (p->ctr[slot])
			sipcode_stats_zero((u64 __percpu *)p->ctr[slot],
					   sizeof(struct sipcode_peer_ctr) /
					   sizeof(u64));
}

void sipcode_peers_txn(struct sipcode_net *sn, const struct sk_buff *skb,
		       unsigned int dir, int method, unsigned int mi,
		       unsigned int col)
{
	const struct sipcode_peers *p = rcu_dereference(sn->peers);
	bool v6 = ip_hdr(skb)->version == 6;
	unsigned int src = 0, dst;

	if (!p)
		return;
	dst = sipcode_peer_of(p, skb, 1, v6);
	if (dir == SIPCODE_DIR_IN) {
		src = sipcode_peer_of(p, skb, 0, v6);
		if (dst && sipcode_to_host(skb, v6))
			dst = 0;
	}
	if (method >= 0) {
		if (dst)
			this_cpu_inc(p->ctr[dst - 1]->txn[SIPCODE_DIR_IN][method]);
		if (src)
			this_cpu_inc(p->ctr[src - 1]->txn[SIPCODE_DIR_OUT][method]);
		return;
	}
	if (src)
		this_cpu_inc(p->ctr[src - 1]->final[SIPCODE_DIR_IN][mi][col]);
	if (dst)
		this_cpu_inc(p->ctr[dst - 1]->final[SIPCODE_DIR_OUT][mi][col]);
}

void sipcode_peers_release(struct sipcode_net *sn)
{
	sipcode_peers_free(rcu_dereference_protected(sn->peers, true));
}

bool sipcode_peer_name_valid(const char *name)
{
	size_t i, n = strnlen(name, SIPCODE_PEER_NAME_MAX);

	if (!n || n == SIPCODE_PEER_NAME_MAX)
		return false;
	/* ASCII only: the kernel's isalnum() takes Latin-1 letters too. */
	for (i = 0; i < n; i++)
		if (!isascii(name[i]) || (!isalnum(name[i]) &&
					  !strchr("-_.:@", name[i])))
			return false;
	return true;
}
