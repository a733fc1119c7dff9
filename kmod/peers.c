// SPDX-License-Identifier: GPL-2.0
/*
 * The peers of a namespace: see peers.h. A change copies the set, changes
 * the copy, sorts its prefixes (sip_lpm_cmp()), counts the nodes of its
 * table and refuses it past SIPCODE_PEER_NODES_MAX, then builds the table
 * and publishes the copy; the old set goes after a grace period.
 */
#include <linux/ctype.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "peers.h"
#include "sipcode.h"

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
		memcpy(p->prefix, old->prefix, n * sizeof(p->prefix[0]));
	} else {
		p->npeers = 0;
		p->nprefixes = 0;
		memset(p->name, 0, sizeof(p->name));
	}
	return p;
}

/* The slot of the peer named @name, or -1. */
static int sipcode_peers_find(const struct sipcode_peers *p, const char *name)
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

	if (p && !p->npeers) {
		sipcode_peers_free(p);
		p = NULL;
	}
	rcu_assign_pointer(sn->peers, p);
	sn->gen++;
	if (old)
		call_rcu(&old->rcu, sipcode_peers_free_rcu);
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
