/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIPCODE_CMD_CONFIG_REPLACE: the whole configuration of a namespace in
 * one transaction. A new configuration is built aside from the request
 * (no lock held, nothing published), validated whole, and only then
 * swapped in under the namespace's lock: what can fail (memory, a rule
 * refused) fails before anything changes.
 */
#ifndef _SIPCODE_CONFIG_H
#define _SIPCODE_CONFIG_H

#include <linux/netlink.h>
#include <linux/sipcode.h>
#include <linux/types.h>

#include "rules.h"

struct net;
struct sipcode_net;

struct sipcode_config {
	u16 ports[SIPCODE_PORTS_MAX];	/* duplicates allowed */
	unsigned int nports;
	bool dry_run;
	bool by_method;
	bool reasons;
	u32 event_rate;
	/* Built by sipcode_config_rule(); NULL once swapped in. */
	struct sipcode_rules *rules;
};

/*
 * A configuration holding what a new namespace starts with, save the
 * ports (none yet), and no rule: NULL when out of memory.
 */
struct sipcode_config *sipcode_config_alloc(void);
void sipcode_config_free(struct sipcode_config *cfg);

/* Add a rule: -EEXIST, with a message in @extack, as RULE_ADD. */
int sipcode_config_rule(struct sipcode_config *cfg,
			const struct sipcode_match *m,
			const struct sipcode_verdict *v,
			struct netlink_ext_ack *extack);

/*
 * Make @cfg the configuration of @net (configured now if it was not):
 * all of it, or nothing (-ENOMEM, and a message in @extack). Takes the
 * namespace's lock; never waits for a grace period.
 */
int sipcode_config_replace(struct net *net, struct sipcode_config *cfg,
			   struct netlink_ext_ack *extack);

/*
 * Make @ports (@n, duplicates allowed) the port set of @sn: the new
 * ones set before the old ones are cleared, so that the packet path
 * never misses a port in both sets. Under sn->lock.
 */
void sipcode_ports_replace(struct sipcode_net *sn, const u16 *ports,
			   unsigned int n);
/*
 * The port set of @sn into @ports (room for SIPCODE_PORTS_MAX),
 * ascending: returns how many. Under sn->lock.
 */
unsigned int sipcode_ports_get(const struct sipcode_net *sn, u16 *ports);

#endif /* _SIPCODE_CONFIG_H */
