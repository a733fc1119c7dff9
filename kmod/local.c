// SPDX-License-Identifier: GPL-2.0
/*
 * Where a received packet goes: see local.h. IPv4 asks the local routing
 * table (inet_addr_type()), IPv6 the hash of the host's addresses
 * (ipv6_chk_addr()): the look-ups the routing code makes itself.
 */
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "local.h"

bool sipcode_to_host(const struct sk_buff *skb, bool v6)
{
	struct net *net = dev_net(skb->dev);

	if (v6)
		return ipv6_chk_addr(net, &ipv6_hdr(skb)->daddr, NULL, 0);
	return inet_addr_type(net, ip_hdr(skb)->daddr) == RTN_LOCAL;
}

/*
 * The packet's conntrack entry, not a template: its other direction's
 * source is where the destination NAT sends the packet (its own
 * destination when there is no NAT). NULL without one.
 */
static const struct nf_conntrack_tuple *
sipcode_nat_tuple(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (ct && !nf_ct_is_template(ct))
		return &ct->tuplehash[!CTINFO2DIR(ctinfo)].tuple;
#endif
	return NULL;
}

static bool sipcode_relayed4(const struct sk_buff *skb)
{
	const struct nf_conntrack_tuple *t;
	struct in_device *in_dev;
	__be32 daddr;

	in_dev = __in_dev_get_rcu(skb->dev);
	if (!in_dev || !IN_DEV_FORWARD(in_dev))
		return false;
	t = sipcode_nat_tuple(skb);
	daddr = t ? t->src.u3.ip : ip_hdr(skb)->daddr;
	/* Broadcast and multicast are not forwarded as unicast is. */
	return inet_addr_type(dev_net(skb->dev), daddr) == RTN_UNICAST;
}

static bool sipcode_relayed6(const struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct nf_conntrack_tuple *t;
	const struct in6_addr *daddr;

	if (!READ_ONCE(net->ipv6.devconf_all->forwarding))
		return false;
	t = sipcode_nat_tuple(skb);
	daddr = t ? &t->src.u3.in6 : &ipv6_hdr(skb)->daddr;
	if (ipv6_addr_is_multicast(daddr))
		return false;
	return !ipv6_chk_addr(net, daddr, NULL, 0);
}

bool sipcode_relayed(const struct sk_buff *skb, bool v6)
{
	return v6 ? sipcode_relayed6(skb) : sipcode_relayed4(skb);
}
