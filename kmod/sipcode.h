/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state of one network namespace, shared by the packet path
 * (hook.c), the counters (stats.c) and the control path (netlink.c).
 *
 * A namespace holds only a lock and a pointer until it is configured
 * (a port set, a rule or a setting written to it): then its state is
 * allocated, charged to the memory cgroup of whoever configured it, and
 * its hooks are registered. The initial namespace is configured when
 * the module loads; every namespace is, with the all_netns parameter.
 */
#ifndef _SIPCODE_SIPCODE_H
#define _SIPCODE_SIPCODE_H

#include <linux/bitmap.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/ratelimit_types.h>
#include <linux/swab.h>
#include <linux/sipcode.h>
#include <net/net_namespace.h>

#include "insight.h"
#include "peers.h"
#include "rules.h"
#include "stats.h"
#include "txn.h"

#define SIPCODE_NHOOKS 4

/* The bits of sipcode_net.more. */
#define SIPCODE_MORE_INSIGHT 1
#define SIPCODE_MORE_TXN 2
#define SIPCODE_MORE_PEERS 4
#define SIPCODE_MORE_RELAYED 8

/**
 * struct sipcode_net - the state of a configured namespace: the hooks' priv
 * @stats: counters, written by the packet path only
 * @rules: NULL when there is no rule. The table carries the dry-run mode
 *	too: a packet reads both from one pointer.
 * @dry_run: rules count what they would do, and do nothing: the setting,
 *	for the control path; the packet path reads the table's copy
 * @more: SIPCODE_MORE_INSIGHT: a table of insight is on;
 *	SIPCODE_MORE_TXN: the transaction table is on; SIPCODE_MORE_PEERS:
 *	the namespace has peers; SIPCODE_MORE_RELAYED: the relayed responses
 *	are told apart (the switch relayed). The one test of the packet path
 *	for a response without a rule
 * @unheard: the last event sent found no listener in this namespace
 * @methods: the responses by CSeq method; NULL while switched off
 * @reasons: the reason phrases by code; NULL while switched off
 * @flows: the TCP flows followed (tcp.h); NULL with tcp_flows=0
 * @txns: the transaction table; NULL while switched off
 * @txn_max: its size, set while off too
 * @peers: the peers (peers.h); NULL while there is none
 * @events_rs: events a second (burst as many)
 * @event_rate: its setting
 * @gen: bumped under the lock by every change a dump of rules or insight
 *	must not span: the dumps' genl_dump_check_consistent()
 * @net: the namespace this is the state of
 * @ports: ports inspected, a bit per port at sipcode_port_bit(). The
 *	packet path reads it without a lock; a change sets the new bits
 *	before it clears the old ones, so a port in both sets is never
 *	missed.
 * @ops: the hooks, each with this state as its priv
 */
struct sipcode_net {
	struct sipcode_stats __percpu *stats;
	struct sipcode_rules __rcu *rules;
	bool dry_run;
	u8 more;
	bool unheard;
	struct sipcode_methods __rcu *methods;
	struct sipcode_reasons __rcu *reasons;
	struct sipcode_flows *flows;
	struct sipcode_txns __rcu *txns;
	u32 txn_max;
	struct sipcode_peers __rcu *peers;
	struct ratelimit_state events_rs;
	u32 event_rate;
	unsigned int gen;
	/**
	 * @lock: the namespace's lock (struct sipcode_pernet): the control
	 * path
	 */
	struct mutex *lock;
	struct net *net;
	DECLARE_BITMAP(ports, 65536);
	struct nf_hook_ops ops[SIPCODE_NHOOKS];
};

/**
 * sipcode_more_set() - set or clear a bit of sn->more
 * @sn: the namespace's state
 * @bit: a SIPCODE_MORE_ bit
 * @on: set it, else clear it
 *
 * Context: Under sn->lock, which serialises the writers.
 */
static inline void sipcode_more_set(struct sipcode_net *sn, u8 bit, bool on)
{
	WRITE_ONCE(sn->more, (sn->more & ~bit) | (on ? bit : 0));
}

/**
 * sipcode_port_bit() - the bit of a port in sn->ports
 * @port: the port, or a bit
 *
 * The bit is the port as the header holds it, in network order, which the
 * packet path tests as it reads it. The same call turns a bit back into
 * its port.
 *
 * Return: the bit of @port, or the port of the bit @port.
 */
static inline unsigned int sipcode_port_bit(unsigned int port)
{
	return swab16(port);
}

/**
 * struct sipcode_pernet - what every namespace holds (net_generic)
 * @sn: NULL until the namespace is configured; never changes after
 */
struct sipcode_pernet {
	/** @lock: serialises the control path: configuration, rules, resets */
	struct mutex lock;
	struct sipcode_net *sn;
};

/**
 * sipcode_pernet() - what a namespace holds
 * @net: the namespace
 *
 * Return: the struct sipcode_pernet of @net (net_generic).
 */
struct sipcode_pernet *sipcode_pernet(const struct net *net);

/**
 * sipcode_net() - the state of a namespace
 * @net: the namespace
 *
 * Return: the state of @net, or NULL while nothing was configured there.
 */
static inline struct sipcode_net *sipcode_net(const struct net *net)
{
	/* Pairs with the release in sipcode_configure(): sn is whole. */
	return smp_load_acquire(&sipcode_pernet(net)->sn);
}

/**
 * sipcode_configure() - the state of a namespace, configured now if it was not
 * @net: the namespace
 * @extack: for a message on failure
 *
 * Context: Under the namespace's lock.
 * Return: the state of @net; NULL, with a message in @extack, when it
 * cannot be allocated.
 */
struct sipcode_net *sipcode_configure(struct net *net,
				      struct netlink_ext_ack *extack);

/**
 * sipcode_ports_sort() - sort ports, ascending
 * @ports: the ports
 * @n: how many at @ports
 */
void sipcode_ports_sort(u16 *ports, unsigned int n);

/**
 * sipcode_default_ports() - the ports a namespace starts with
 * @ports: room for SIPCODE_PORTS_MAX
 *
 * The module parameter "ports", into @ports, ascending, each once.
 *
 * Return: how many.
 */
unsigned int sipcode_default_ports(u16 *ports);

/**
 * sipcode_default_dry_run() - does a namespace start in dry-run mode?
 *
 * Return: the module parameter "dry_run".
 */
bool sipcode_default_dry_run(void);

#endif /* _SIPCODE_SIPCODE_H */
