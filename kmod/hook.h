/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPCODE_HOOK_H
#define _SIPCODE_HOOK_H

#include <linux/netdevice.h>

#include "insight.h"
#include "sipcode.h"

/*
 * The hooks run at PRE_ROUTING and LOCAL_OUT, IPv4 and IPv6, so that a
 * response is counted once on the host it crosses, whether forwarded,
 * delivered or sent locally. Priority -175: after defragmentation (-400)
 * and conntrack (-200), before mangle (-150), DNAT (-100) and the
 * nftables filter chains (0), which so see the verdict and the mark.
 */
#define SIPCODE_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK + 25)

/* At most this many datagrams of a UDP GSO packet are looked at. */
#define SIPCODE_GSO_SEGS_MAX 128

/* Either port in the set: tested as the header holds them. */
static __always_inline bool sipcode_port_match(const struct sipcode_net *sn,
					       __be16 sport, __be16 dport)
{
	return test_bit((__force u16)sport, sn->ports) ||
	       test_bit((__force u16)dport, sn->ports);
}

/*
 * Packets seen twice by the hooks are counted once: a looped-back packet
 * when it left, at LOCAL_OUT; a packet of a VRF on its own device, not
 * again when the VRF device runs the same hook for it.
 */
static __always_inline bool sipcode_skip(const struct nf_hook_state *state)
{
	if (state->hook == NF_INET_PRE_ROUTING)
		return (state->in->flags & IFF_LOOPBACK) ||
		       netif_is_l3_master(state->in);
	return state->out && netif_is_l3_master(state->out);
}

/*
 * The direction of a response at the hook: received at PRE_ROUTING
 * (SIPCODE_DIR_IN, 0), sent by the host at LOCAL_OUT (SIPCODE_DIR_OUT, 1).
 */
static __always_inline unsigned int
sipcode_dir(const struct nf_hook_state *state)
{
	return state->hook != NF_INET_PRE_ROUTING;
}

/* @v when it does more than count (drop, mark or notify), else NULL. */
static __always_inline const struct sipcode_verdict *
sipcode_verdict_more(const struct sipcode_verdict *v)
{
	return v->action <= SIPCODE_ACTION_COUNT && !v->notify ? NULL : v;
}

/*
 * The verdict of @rules for code 100 + @idx when it does more than count
 * (drop, mark or notify), else NULL: SIPCODE_ACTION_PEER when a peer has
 * a rule for the code (sipcode_verdict_of() then reads the peer's).
 */
static __always_inline const struct sipcode_verdict *
sipcode_verdict(const struct sipcode_rules *rules, unsigned int idx)
{
	return rules ? sipcode_verdict_more(&rules->verdict[idx]) : NULL;
}

/**
 * sipcode_peer_verdict() - the verdict of a response by its peer's rules
 * @sn: the namespace's state
 * @rules: its rules, which have SIPCODE_ACTION_PEER for the code
 * @skb: the packet
 * @state: the hook's
 * @idx: the code - 100
 *
 * Return: as sipcode_verdict(), from the table of the response's peer
 * when it has rules, else from that of every response.
 */
const struct sipcode_verdict *
sipcode_peer_verdict(struct sipcode_net *sn, const struct sipcode_rules *rules,
		     const struct sk_buff *skb,
		     const struct nf_hook_state *state, unsigned int idx);

/*
 * sipcode_verdict() for a response of @skb, whatever its code: one index
 * of the first table; a second, of its peer's table, when a peer has a
 * rule for the code.
 */
static __always_inline const struct sipcode_verdict *
sipcode_verdict_of(struct sipcode_net *sn, const struct sipcode_rules *rules,
		   const struct sk_buff *skb, const struct nf_hook_state *state,
		   unsigned int idx)
{
	const struct sipcode_verdict *v = sipcode_verdict(rules, idx);

	if (unlikely(v && v->action == SIPCODE_ACTION_PEER))
		return sipcode_peer_verdict(sn, rules, skb, state, idx);
	return v;
}

/* What @v does to the packet: DROP, MARK or COUNT. */
static inline u8 sipcode_action(const struct sipcode_verdict *v)
{
	return v && v->action > SIPCODE_ACTION_COUNT ? v->action :
	       SIPCODE_ACTION_COUNT;
}

/**
 * sipcode_after() - what follows the count of a response
 * @sn: the namespace's state
 * @skb: the packet
 * @state: the hook's
 * @v: the response's verdict from sipcode_verdict(), or NULL
 * @r: where the response lies, and r->action: what to do to the packet
 *
 * Counts and does r->action (unless the table is in dry-run mode: then
 * only counts it), then the insight tables, and the event of a rule that
 * notifies when it is wanted (see sipcode_event_wanted()), the
 * transaction table and the counters of the response's peer. Doing an
 * action twice to a packet is doing it once: a GSO or TCP packet calls
 * this for each of its responses.
 *
 * Return: NF_DROP when the packet is to be dropped, else NF_ACCEPT.
 */
unsigned int sipcode_after(struct sipcode_net *sn, struct sk_buff *skb,
			   const struct nf_hook_state *state,
			   const struct sipcode_verdict *v,
			   struct sipcode_response r);

/**
 * sipcode_hooks_register() - register the hooks of a namespace
 * @net: the namespace
 * @sn: its state, the hooks' priv
 *
 * Return: 0, or an error of nf_register_net_hooks().
 */
int sipcode_hooks_register(struct net *net, struct sipcode_net *sn);

/**
 * sipcode_hooks_unregister() - unregister the hooks of a namespace
 * @net: the namespace
 * @sn: its state
 */
void sipcode_hooks_unregister(struct net *net, struct sipcode_net *sn);

#endif /* _SIPCODE_HOOK_H */
