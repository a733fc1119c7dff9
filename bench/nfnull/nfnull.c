// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of any netfilter hook, for the benchmark: one IPv4 hook at
 * PRE_ROUTING, sipcode's priority (-175), that returns NF_ACCEPT and
 * does nothing else, in every network namespace.
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

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
	return nf_register_net_hook(net, &nfnull_ops);
}

static void __net_exit nfnull_net_exit(struct net *net)
{
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
