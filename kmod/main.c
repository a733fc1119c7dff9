// SPDX-License-Identifier: GPL-2.0
/*
 * sipcode: count SIP responses per status code in a netfilter hook.
 * Module parameters and per network namespace state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "events.h"
#include "hook.h"
#include "netlink.h"
#include "sipcode.h"

static unsigned short ports[SIPCODE_PORTS_MAX] = { 5060 };
static int nports = 1;
module_param_array(ports, ushort, &nports, 0444);
MODULE_PARM_DESC(ports,
		 "UDP ports a new network namespace inspects (default 5060)");

static bool dry_run;
module_param(dry_run, bool, 0444);
MODULE_PARM_DESC(dry_run,
		 "A new network namespace starts in dry-run mode: rules count what they would drop or mark, and do nothing");

static unsigned int sipcode_net_id __read_mostly;

struct sipcode_net *sipcode_pernet(const struct net *net)
{
	return net_generic(net, sipcode_net_id);
}

static int __net_init sipcode_net_init(struct net *net)
{
	struct sipcode_net *sn = sipcode_pernet(net);
	int i, err;

	mutex_init(&sn->lock);
	sn->dry_run = dry_run;
	sipcode_events_init(sn);
	for (i = 0; i < nports; i++)
		__set_bit(ports[i], sn->ports);
	sn->stats = sipcode_stats_alloc();
	if (!sn->stats)
		return -ENOMEM;
	err = sipcode_hooks_register(net, sn);
	if (err)
		sipcode_stats_free(sn->stats);
	return err;
}

static void __net_exit sipcode_net_exit(struct net *net)
{
	struct sipcode_net *sn = sipcode_pernet(net);

	sipcode_hooks_unregister(net, sn);
	sipcode_rules_free(sn);
	sipcode_insight_free(sn);
	sipcode_stats_free(sn->stats);
	mutex_destroy(&sn->lock);
}

static struct pernet_operations sipcode_net_ops = {
	.init	= sipcode_net_init,
	.exit	= sipcode_net_exit,
	.id	= &sipcode_net_id,
	.size	= sizeof(struct sipcode_net),
};

static int __init sipcode_init(void)
{
	int i, err;

	if (!nports) {
		pr_err("ports: at least one port is needed\n");
		return -EINVAL;
	}
	for (i = 0; i < nports; i++) {
		if (!ports[i]) {
			pr_err("ports: 0 is not a port\n");
			return -EINVAL;
		}
	}
	err = register_pernet_subsys(&sipcode_net_ops);
	if (err)
		return err;
	err = sipcode_genl_register();
	if (err)
		unregister_pernet_subsys(&sipcode_net_ops);
	return err;
}

static void __exit sipcode_exit(void)
{
	sipcode_genl_unregister();
	unregister_pernet_subsys(&sipcode_net_ops);
}

module_init(sipcode_init);
module_exit(sipcode_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Count SIP responses per status code");
MODULE_AUTHOR("The sipcode authors");
MODULE_ALIAS_GENL_FAMILY(SIPCODE_GENL_NAME);
