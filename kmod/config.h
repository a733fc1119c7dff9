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

#include "peers.h"
#include "rules.h"

struct net;
struct sipcode_net;

/**
 * struct sipcode_config - the whole configuration of a namespace
 * @ports: the ports inspected; duplicates allowed
 * @nports: how many at @ports
 * @dry_run: the dry-run mode
 * @by_method: the table of insight by method is on
 * @reasons: the table of reason phrases is on
 * @event_rate: events a second
 * @transactions: the transaction table is on
 * @txn_max: its size
 * @relayed: the relayed responses are told apart (SIPCODE_MORE_RELAYED)
 * @rules: built by sipcode_config_rule(); NULL once swapped in
 * @peers: the peers, finished (peers.h); NULL for none, and once swapped in
 */
struct sipcode_config {
	u16 ports[SIPCODE_PORTS_MAX];
	unsigned int nports;
	bool dry_run;
	bool by_method;
	bool reasons;
	u32 event_rate;
	bool transactions;
	u32 txn_max;
	bool relayed;
	struct sipcode_rules *rules;
	struct sipcode_peers *peers;
};

/**
 * sipcode_config_alloc() - a new configuration
 *
 * Return: a configuration holding what a new namespace starts with, save
 * the ports (none yet), and no rule; NULL when out of memory.
 */
struct sipcode_config *sipcode_config_alloc(void);

/**
 * sipcode_config_free() - free a configuration, and its rules
 * @cfg: the configuration; may be NULL
 */
void sipcode_config_free(struct sipcode_config *cfg);

/**
 * sipcode_config_rule() - add a rule to a configuration
 * @cfg: the configuration
 * @m: the rule's match; its peer one of @cfg's peers, which are set
 *	first
 * @v: what it does
 * @extack: for a message on failure
 *
 * Return: 0, or an error of sipcode_rules_insert(), with a message in
 * @extack, as RULE_ADD.
 */
int sipcode_config_rule(struct sipcode_config *cfg,
			const struct sipcode_match *m,
			const struct sipcode_verdict *v,
			struct netlink_ext_ack *extack);

/**
 * sipcode_config_tables() - switch the tables that allocate, all or none
 * @sn: the namespace, its lock held
 * @by_method: the table of insight by method: 1 on, 0 off, -1 as it is
 * @reasons: the table of reason phrases: 1 on, 0 off, -1 as it is
 * @transactions: the transaction table: 1 on, 0 off, -1 as it is
 * @txn_max: the transaction table's size; 0 as it is
 * @extack: for a message on failure
 *
 * What config-set and config-replace switch first: each table switched
 * on is allocated before any changes.
 *
 * Return: 0; -ENOMEM, with a message in @extack, and nothing changed.
 */
int sipcode_config_tables(struct sipcode_net *sn, int by_method, int reasons,
			  int transactions, u32 txn_max,
			  struct netlink_ext_ack *extack);

/**
 * sipcode_config_replace() - make a configuration that of a namespace
 * @net: the namespace, configured now if it was not
 * @cfg: the configuration
 * @extack: for a message on failure
 *
 * Make @cfg the configuration of @net: all of it, or nothing.
 *
 * Context: Takes the namespace's lock; never waits for a grace period.
 * Return: 0, or -ENOMEM, and a message in @extack.
 */
int sipcode_config_replace(struct net *net, struct sipcode_config *cfg,
			   struct netlink_ext_ack *extack);

/**
 * sipcode_ports_replace() - make a set of ports that of a namespace
 * @sn: the namespace's state
 * @ports: the ports; duplicates allowed
 * @n: how many at @ports
 *
 * Make @ports the port set of @sn: the new ones set before the old ones
 * are cleared, so that the packet path never misses a port in both sets.
 *
 * Context: Under sn->lock.
 */
void sipcode_ports_replace(struct sipcode_net *sn, const u16 *ports,
			   unsigned int n);
/**
 * sipcode_ports_get() - the ports of a namespace
 * @sn: the namespace's state
 * @ports: room for SIPCODE_PORTS_MAX
 *
 * The port set of @sn into @ports, ascending.
 *
 * Context: Under sn->lock.
 * Return: how many.
 */
unsigned int sipcode_ports_get(const struct sipcode_net *sn, u16 *ports);

#endif /* _SIPCODE_CONFIG_H */
