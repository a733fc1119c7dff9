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
#include "rules.h"
#include "stats.h"

#define SIPCODE_NHOOKS 4

/* The state of a configured namespace: the hooks' priv. */
struct sipcode_net {
	/* Counters, written by the packet path only. */
	struct sipcode_stats __percpu *stats;
	/*
	 * NULL when there is no rule. The table carries the dry-run mode
	 * too: a packet reads both from one pointer.
	 */
	struct sipcode_rules __rcu *rules;
	/*
	 * Rules count what they would do, and do nothing: the setting, for
	 * the control path; the packet path reads the table's copy.
	 */
	bool dry_run;
	/* A table of insight is on: the one test of the packet path. */
	bool insight;
	/* The last event sent found no listener in this namespace. */
	bool unheard;
	/* NULL while switched off. */
	struct sipcode_methods __rcu *methods;
	struct sipcode_reasons __rcu *reasons;
	/* Events a second (burst as many), and its setting. */
	struct ratelimit_state events_rs;
	u32 event_rate;
	/*
	 * Bumped under the lock by every change a dump of rules or insight
	 * must not span: the dumps' genl_dump_check_consistent().
	 */
	unsigned int gen;
	/* The namespace's lock (struct sipcode_pernet): the control path. */
	struct mutex *lock;
	/* The namespace this is the state of. */
	struct net *net;
	/*
	 * Ports inspected, a bit per port at sipcode_port_bit(). The
	 * packet path reads it without a lock; a change sets the new bits
	 * before it clears the old ones, so a port in both sets is never
	 * missed.
	 */
	DECLARE_BITMAP(ports, 65536);
	struct nf_hook_ops ops[SIPCODE_NHOOKS];
};

/*
 * The bit of @port in sn->ports: the port as the header holds it, in
 * network order, which the packet path tests as it reads it. The same
 * call turns a bit back into its port.
 */
static inline unsigned int sipcode_port_bit(unsigned int port)
{
	return swab16(port);
}

/* What every namespace holds (net_generic). */
struct sipcode_pernet {
	/* Serialises the control path: configuration, rules, resets. */
	struct mutex lock;
	/* NULL until the namespace is configured; never changes after. */
	struct sipcode_net *sn;
};

struct sipcode_pernet *sipcode_pernet(const struct net *net);

/* The state of @net, or NULL while nothing was configured there. */
static inline struct sipcode_net *sipcode_net(const struct net *net)
{
	/* Pairs with the release in sipcode_configure(): sn is whole. */
	return smp_load_acquire(&sipcode_pernet(net)->sn);
}

/*
 * The state of @net, configured now if it was not: under the namespace's
 * lock. NULL, with a message in @extack, when it cannot be allocated.
 */
struct sipcode_net *sipcode_configure(struct net *net,
				      struct netlink_ext_ack *extack);

/*
 * The ports a namespace starts with (module parameter "ports"), into
 * @ports (SIPCODE_PORTS_MAX), ascending, each once: returns how many.
 */
unsigned int sipcode_default_ports(u16 *ports);
bool sipcode_default_dry_run(void);

#endif /* _SIPCODE_SIPCODE_H */
