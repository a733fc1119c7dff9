// SPDX-License-Identifier: GPL-2.0
/*
 * sipcode: count SIP responses per status code in a netfilter hook.
 * Module parameters, and the life of a namespace's state: configured on
 * first use (see sipcode.h), its hooks unregistered in .pre_exit and its
 * memory freed in .exit, after the grace period the core waits for in
 * between, so that no hook still runs on what is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "events.h"
#include "hook.h"
#include "netlink.h"
#include "sipcode.h"
#include "tcp.h"

static unsigned short ports[SIPCODE_PORTS_MAX] = { 5060 };
static int nports = 1;
module_param_array(ports, ushort, &nports, 0444);
MODULE_PARM_DESC(ports,
		 "Ports (UDP and TCP) a namespace inspects when it is configured (default 5060)");

static bool dry_run;
module_param(dry_run, bool, 0444);
MODULE_PARM_DESC(dry_run,
		 "A namespace starts in dry-run mode: rules count what they would drop or mark, and do nothing");

static bool all_netns;
module_param(all_netns, bool, 0444);
MODULE_PARM_DESC(all_netns,
		 "Inspect every network namespace from its creation, not only the initial one and those configured");

static unsigned int tcp_flows = 4096;
module_param(tcp_flows, uint, 0444);
MODULE_PARM_DESC(tcp_flows,
		 "TCP flows (a direction of a connection) a namespace follows at most, 624 bytes each, rounded down to a power of two (default 4096, at most 1048576; 0: none, each segment is framed on its own)");

static unsigned int sipcode_net_id __read_mostly;

struct sipcode_pernet *sipcode_pernet(const struct net *net)
{
	return net_generic(net, sipcode_net_id);
}

static int sipcode_port_cmp(const void *a, const void *b)
{
	return *(const u16 *)a - *(const u16 *)b;
}

void sipcode_ports_sort(u16 *ports, unsigned int n)
{
	sort(ports, n, sizeof(*ports), sipcode_port_cmp, NULL);
}

unsigned int sipcode_default_ports(u16 *out)
{
	unsigned int i, n = 0;

	memcpy(out, ports, nports * sizeof(*out));
	sipcode_ports_sort(out, nports);
	for (i = 0; i < nports; i++)
		if (!n || out[i] != out[n - 1])
			out[n++] = out[i];
	return n;
}

bool sipcode_default_dry_run(void)
{
	return dry_run;
}

static void sipcode_net_free(struct sipcode_net *sn)
{
	sipcode_rules_free(sn);
	sipcode_insight_free(sn);
	sipcode_txn_free(sn);
	sipcode_peers_release(sn);
	sipcode_stats_free(sn->stats);
	sipcode_flows_free(sn->flows);
	kvfree(sn);
}

static struct sipcode_net *sipcode_net_create(struct net *net,
					      struct sipcode_pernet *pn)
{
	u16 port[SIPCODE_PORTS_MAX];
	struct sipcode_net *sn;
	unsigned int i, n;

	sn = kvzalloc(sizeof(*sn), GFP_KERNEL_ACCOUNT);
	if (!sn)
		return NULL;
	sn->net = net;
	sn->lock = &pn->lock;
	sn->txn_max = SIPCODE_TXN_MAX_DEFAULT;
	sn->dry_run = dry_run;
	sipcode_events_init(sn);
	n = sipcode_default_ports(port);
	for (i = 0; i < n; i++)
		__set_bit(sipcode_port_bit(port[i]), sn->ports);
	sn->stats = sipcode_stats_alloc();
	sn->flows = sipcode_flows_alloc(tcp_flows);
	if (!sn->stats || IS_ERR(sn->flows) || sipcode_hooks_register(net, sn)) {
		sipcode_stats_free(sn->stats);
		if (!IS_ERR(sn->flows))
			sipcode_flows_free(sn->flows);
		kvfree(sn);
		return NULL;
	}
	return sn;
}

struct sipcode_net *sipcode_configure(struct net *net,
				      struct netlink_ext_ack *extack)
{
	struct sipcode_pernet *pn = sipcode_pernet(net);
	struct sipcode_net *sn;

	lockdep_assert_held(&pn->lock);
	if (pn->sn)
		return pn->sn;
	sn = sipcode_net_create(net, pn);
	if (!sn) {
		NL_SET_ERR_MSG(extack,
			       "cannot set up sipcode in this network namespace: out of memory");
		return NULL;
	}
	/* The hooks run already: they see sn whole, as readers will. */
	smp_store_release(&pn->sn, sn);
	return sn;
}

static int __net_init sipcode_net_init(struct net *net)
{
	struct sipcode_pernet *pn = sipcode_pernet(net);

	mutex_init(&pn->lock);
	if (!all_netns && !net_eq(net, &init_net))
		return 0;
	pn->sn = sipcode_net_create(net, pn);
	if (!pn->sn) {
		mutex_destroy(&pn->lock);
		return -ENOMEM;
	}
	return 0;
}

/* The hooks go first: the core waits for a grace period before .exit. */
static void __net_exit sipcode_net_pre_exit(struct net *net)
{
	struct sipcode_pernet *pn = sipcode_pernet(net);

	if (pn->sn)
		sipcode_hooks_unregister(net, pn->sn);
}

static void __net_exit sipcode_net_exit(struct net *net)
{
	struct sipcode_pernet *pn = sipcode_pernet(net);

	if (pn->sn)
		sipcode_net_free(pn->sn);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations sipcode_net_ops = {
	.init		= sipcode_net_init,
	.pre_exit	= sipcode_net_pre_exit,
	.exit		= sipcode_net_exit,
	.id		= &sipcode_net_id,
	.size		= sizeof(struct sipcode_pernet),
};

static int __init sipcode_init(void)
{
	int i, err;

	if (!nports) {
		pr_err("ports: at least one port is needed\n");
		return -EINVAL;
	}
	sipcode_peer_cols_init();
	for (i = 0; i < nports; i++) {
		if (!ports[i]) {
			pr_err("ports: 0 is not a port\n");
			return -EINVAL;
		}
	}
	if (tcp_flows > SIPCODE_FLOWS_MAX) {
		pr_err("tcp_flows: at most %u\n", SIPCODE_FLOWS_MAX);
		return -EINVAL;
	}
	err = register_pernet_subsys(&sipcode_net_ops);
	if (err)
		return err;
	err = sipcode_genl_register();
	if (err) {
		unregister_pernet_subsys(&sipcode_net_ops);
		rcu_barrier();
	}
	return err;
}

/*
 * Events stop before the family goes (the hooks still run until the
 * namespaces' state goes); the family goes before that state, so that no
 * request reaches it; the tables freed by call_rcu() go last.
 */
static void __exit sipcode_exit(void)
{
	sipcode_events_stop();
	sipcode_genl_unregister();
	unregister_pernet_subsys(&sipcode_net_ops);
	rcu_barrier();
}

module_init(sipcode_init);
module_exit(sipcode_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Count SIP responses per status code");
MODULE_AUTHOR("The sipcode authors");
MODULE_ALIAS_GENL_FAMILY(SIPCODE_GENL_NAME);
