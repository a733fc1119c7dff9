// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. Per packet: the IP and UDP headers, two bit tests
 * against the port set, at most SIP_PARSE_WINDOW bytes of payload read
 * with skb_header_pointer() (copied only where the skb is not linear
 * there, never linearised), one parse, one per-CPU increment and, for a
 * response, one look-up in the verdict table of the rules. No lock, no
 * atomic, no allocation.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "hook.h"
#include "sipparse.h"

static bool sipcode_port_match(const struct sipcode_net *sn,
			       const struct udphdr *uh)
{
	return test_bit(ntohs(uh->source), sn->ports) ||
	       test_bit(ntohs(uh->dest), sn->ports);
}

/* What the rules say of a response with code 100 + @idx. */
static unsigned int sipcode_act(struct sipcode_net *sn, struct sk_buff *skb,
				unsigned int idx)
{
	const struct sipcode_rules *rules = rcu_dereference(sn->rules);
	const struct sipcode_verdict *v;

	if (!rules)
		return NF_ACCEPT;
	v = &rules->verdict[idx];
	switch (v->action) {
	case SIPCODE_ACTION_DROP:
		this_cpu_inc(sn->stats->dropped[idx]);
		return READ_ONCE(sn->dry_run) ? NF_ACCEPT : NF_DROP;
	case SIPCODE_ACTION_MARK:
		this_cpu_inc(sn->stats->marked[idx]);
		if (!READ_ONCE(sn->dry_run))
			skb->mark = (skb->mark & ~v->mask) | v->mark;
		return NF_ACCEPT;
	}
	return NF_ACCEPT;
}

static unsigned int sipcode_udp(struct sipcode_net *sn, struct sk_buff *skb,
				unsigned int thoff,
				const struct nf_hook_state *state)
{
	u8 buf[SIP_PARSE_WINDOW];
	const struct udphdr *uh;
	struct udphdr _uh;
	unsigned int total, ulen, len;
	const u8 *data;
	int code;

	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh || !sipcode_port_match(sn, uh))
		return NF_ACCEPT;
	/* A looped-back packet was counted when it left, at LOCAL_OUT. */
	if (state->hook == NF_INET_PRE_ROUTING &&
	    (state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;

	/* skb_header_pointer() succeeded: skb->len >= thoff + 8. */
	total = skb->len - thoff - sizeof(*uh);
	ulen = ntohs(uh->len);
	if (ulen >= sizeof(*uh) && ulen - sizeof(*uh) < total)
		total = ulen - sizeof(*uh);
	len = min_t(unsigned int, total, SIP_PARSE_WINDOW);
	data = skb_header_pointer(skb, thoff + sizeof(*uh), len, buf);
	if (unlikely(!data))
		return NF_ACCEPT;

	code = sip_parse_status(data, len, total);
	sipcode_stats_count(sn->stats, code);
	if (code < SIPCODE_CODE_MIN)
		return NF_ACCEPT;
	return sipcode_act(sn, skb, code - SIPCODE_CODE_MIN);
}

static unsigned int sipcode_ipv4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sipcode_net *sn = priv;

	if (iph->protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	if (unlikely(iph->frag_off & htons(IP_OFFSET))) {
		sipcode_stats_count(sn->stats, SIPCODE_UC_A_FRAGMENT);
		return NF_ACCEPT;
	}
	return sipcode_udp(sn, skb, skb_network_offset(skb) + ip_hdrlen(skb),
			   state);
}

static unsigned int sipcode_ipv6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	int thoff = skb_network_offset(skb) + sizeof(struct ipv6hdr);
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	struct sipcode_net *sn = priv;
	__be16 frag_off;

	if (unlikely(nexthdr != IPPROTO_UDP)) {
		if (!ipv6_ext_hdr(nexthdr))
			return NF_ACCEPT;
		thoff = ipv6_skip_exthdr(skb, thoff, &nexthdr, &frag_off);
		if (thoff < 0 || nexthdr != IPPROTO_UDP)
			return NF_ACCEPT;
		if (frag_off & htons(IP6_OFFSET)) {
			sipcode_stats_count(sn->stats, SIPCODE_UC_A_FRAGMENT);
			return NF_ACCEPT;
		}
	}
	return sipcode_udp(sn, skb, thoff, state);
}

static const struct nf_hook_ops sipcode_hook_ops[SIPCODE_NHOOKS] = {
	{
		.hook		= sipcode_ipv4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SIPCODE_HOOK_PRIORITY,
	},
	{
		.hook		= sipcode_ipv4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= SIPCODE_HOOK_PRIORITY,
	},
	{
		.hook		= sipcode_ipv6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= SIPCODE_HOOK_PRIORITY,
	},
	{
		.hook		= sipcode_ipv6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= SIPCODE_HOOK_PRIORITY,
	},
};

int sipcode_hooks_register(struct net *net, struct sipcode_net *sn)
{
	unsigned int i;

	for (i = 0; i < SIPCODE_NHOOKS; i++) {
		sn->ops[i] = sipcode_hook_ops[i];
		sn->ops[i].priv = sn;
	}
	return nf_register_net_hooks(net, sn->ops, SIPCODE_NHOOKS);
}

void sipcode_hooks_unregister(struct net *net, struct sipcode_net *sn)
{
	nf_unregister_net_hooks(net, sn->ops, SIPCODE_NHOOKS);
}
