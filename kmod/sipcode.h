/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state of one network namespace, shared by the packet path
 * (hook.c), the counters (stats.c) and the control path (netlink.c).
 */
#ifndef _SIPCODE_SIPCODE_H
#define _SIPCODE_SIPCODE_H

#include <linux/bitmap.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/ratelimit_types.h>
#include <linux/sipcode.h>
#include <net/net_namespace.h>

#include "insight.h"
#include "rules.h"
#include "stats.h"

#define SIPCODE_NHOOKS 4

struct sipcode_net {
	/* Counters, written by the packet path only. */
	struct sipcode_stats __percpu *stats;
	/* NULL when there is no rule. */
	struct sipcode_rules __rcu *rules;
	/* Rules count what they would do, and do nothing. */
	bool dry_run;
	/* A table of insight is on: the one test of the packet path. */
	bool insight;
	/* NULL while switched off. */
	struct sipcode_methods __rcu *methods;
	struct sipcode_reasons __rcu *reasons;
	/* Events a second (burst as many), and its setting. */
	struct ratelimit_state events_rs;
	u32 event_rate;
	/*
	 * Ports inspected, a bit per port. The packet path reads it
	 * without a lock; a change sets the new bits before it clears
	 * the old ones, so a port in both sets is never missed.
	 */
	DECLARE_BITMAP(ports, 65536);
	/* Serialises the control path: ports, rules, resets. */
	struct mutex lock;
	struct nf_hook_ops ops[SIPCODE_NHOOKS];
};

struct sipcode_net *sipcode_pernet(const struct net *net);

#endif /* _SIPCODE_SIPCODE_H */
