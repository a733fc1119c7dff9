// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of any netfilter hook, for the benchmark: one IPv4 hook at
 * PRE_ROUTING, sipcode's priority (-175), that returns NF_ACCEPT and
 * does nothing else, in every network namespace; with init_only=1, in
 * the initial one only: what a namespace without a hook pays on a host
 * where another has one (netfilter's static key is then on for all).
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

static bool init_only;
module_param(init_only, bool, 0444);
MODULE_PARM_DESC(init_only, "hook the initial network namespace only");

static unsigned int nfnull_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static const struct nf_hook_ops nfnull_ops = {
	.hook		= nfnull_hook,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_PRE_ROUTING,
	.priority	= NF_IP_PRI_CONNTRACK + 25,
};

static int __net_init nfnull_net_init(struct net *net)
{
	if (init_only && !net_eq(net, &init_net))
		return 0;
	return nf_register_net_hook(net, &nfnull_ops);
}

static void __net_exit nfnull_net_exit(struct net *net)
{
	if (init_only && !net_eq(net, &init_net))
		return;
	nf_unregister_net_hook(net, &nfnull_ops);
}

static struct pernet_operations nfnull_net_ops = {
	.init = nfnull_net_init,
	.exit = nfnull_net_exit,
};

static int __init nfnull_init(void)
{
	return register_pernet_subsys(&nfnull_net_ops);
}

static void __exit nfnull_exit(void)
{
	unregister_pernet_subsys(&nfnull_net_ops);
}

module_init(nfnull_init);
module_exit(nfnull_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sipcode benchmark: a netfilter hook that accepts");
