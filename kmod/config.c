// SPDX-License-Identifier: GPL-2.0
/*
 * SIPCODE_CMD_CONFIG_REPLACE: see config.h. The swap, under the lock:
 * the transaction table and the insight tables first (the steps that
 * allocate: switched on, they are allocated before anything changes),
 * then the ports (the new bits set before the old ones are cleared, so
 * that a port in both sets is never missed), then the peers, a set built
 * and finished aside with the request, then the rules and the dry-run
 * mode as one pointer, so that every packet gets the verdict of the old
 * configuration or of the new one, never a mixture: while the new peers
 * meet the old rules, their generations differ, and no peer's rule
 * applies. The old rules, peers and tables are freed after a grace
 * period, by RCU callbacks.
 */
#include <linux/bitmap.h>
#include <linux/slab.h>

#include "config.h"
#include "events.h"
#include "sipcode.h"

struct sipcode_config *sipcode_config_alloc(void)
{
	struct sipcode_config *cfg;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return NULL;
	cfg->rules = sipcode_rules_alloc();
	if (!cfg->rules) {
		kfree(cfg);
		return NULL;
	}
	cfg->dry_run = sipcode_default_dry_run();
	cfg->event_rate = SIPCODE_EVENT_RATE_DEFAULT;
	cfg->txn_max = SIPCODE_TXN_MAX_DEFAULT;
	return cfg;
}

void sipcode_config_free(struct sipcode_config *cfg)
{
	if (!cfg)
		return;
	kvfree(cfg->rules);
	sipcode_peers_free(cfg->peers);
	kfree(cfg);
}

int sipcode_config_rule(struct sipcode_config *cfg,
			const struct sipcode_match *m,
			const struct sipcode_verdict *v,
			struct netlink_ext_ack *extack)
{
	return sipcode_rules_insert(&cfg->rules, m, v, cfg->peers, extack);
}

void sipcode_ports_replace(struct sipcode_net *sn, const u16 *ports,
			   unsigned int n)
{
	unsigned int i, port;

	unsigned int bit;

	for (i = 0; i < n; i++)
		set_bit(sipcode_port_bit(ports[i]), sn->ports);
	for_each_set_bit(bit, sn->ports, 65536) {
		port = sipcode_port_bit(bit);
		for (i = 0; i < n && ports[i] != port; i++)
			;
		if (i == n)
			clear_bit(bit, sn->ports);
	}
}

unsigned int sipcode_ports_get(const struct sipcode_net *sn, u16 *ports)
{
	unsigned int bit, n = 0;

	for_each_set_bit(bit, sn->ports, 65536)
		if (n < SIPCODE_PORTS_MAX)
			ports[n++] = sipcode_port_bit(bit);
	sipcode_ports_sort(ports, n);
	return n;
}

int sipcode_config_tables(struct sipcode_net *sn, int by_method, int reasons,
			  int transactions, u32 txn_max,
			  struct netlink_ext_ack *extack)
{
	struct sipcode_txn_change txn;
	int err;

	err = sipcode_txn_prepare(sn, &txn, transactions, txn_max);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "no memory for the transaction table: nothing was changed");
		return err;
	}
	err = sipcode_insight_set(sn, by_method, reasons);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "no memory for the insight tables: nothing was changed");
		sipcode_txn_abort(&txn);
		return err;
	}
	sipcode_txn_commit(sn, &txn);
	return 0;
}

int sipcode_config_replace(struct net *net, struct sipcode_config *cfg,
			   struct netlink_ext_ack *extack)
{
	struct sipcode_pernet *pn = sipcode_pernet(net);
	struct sipcode_net *sn;
	int err = -ENOMEM;

	mutex_lock(&pn->lock);
	sn = sipcode_configure(net, extack);
	if (!sn)
		goto out;
	err = sipcode_config_tables(sn, cfg->by_method, cfg->reasons,
				    cfg->transactions, cfg->txn_max, extack);
	if (err)
		goto out;
	/* Nothing fails from here. */
	sipcode_ports_replace(sn, cfg->ports, cfg->nports);
	WRITE_ONCE(sn->dry_run, cfg->dry_run);
	/* The rules' peers first: the rules take their generation. */
	sipcode_peers_publish(sn, cfg->peers);
	cfg->peers = NULL;
	sipcode_rules_publish(sn, cfg->rules);
	cfg->rules = NULL;
	sipcode_events_set_rate(sn, cfg->event_rate);
	sipcode_more_set(sn, SIPCODE_MORE_RELAYED, cfg->relayed);
out:
	mutex_unlock(&pn->lock);
	return err;
}
