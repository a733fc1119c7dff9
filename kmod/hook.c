// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. A packet comes in at sipcode_ipv4() or sipcode_ipv6(),
 * which find its transport header. For UDP:
 *
 *   sipcode_udp()       the common case, inline in the entry point: the
 *                       ports tested on the header as it is, the first
 *                       SIP_STATUS_LEN bytes parsed where they lie, one
 *                       per-CPU increment, one look-up of the rules'
 *                       verdict for the code; with peers and nothing
 *                       else on, the response's peer (one look-up of
 *                       the prefix table, one increment). No stack
 *                       frame without peers.
 *   sipcode_udp_slow()  everything the common case hands over: headers
 *                       or payload not in the linear part (copied with
 *                       skb_header_pointer(), never linearised), short
 *                       payloads, leading CR and LF, GSO packets.
 *   sipcode_udp_more()  a counted response with a verdict, or while
 *                       insight is on: its verdict, its peer's when a
 *                       peer has a rule for the code (one look-up of the
 *                       prefix table, one index of the peer's verdicts:
 *                       sipcode_peer_verdict()); described (struct
 *                       sipcode_response) for
 *   sipcode_after()     what a rule does more than count (the mark, the
 *                       drop), the insight tables, the events and, while
 *                       the switch relayed is on, whether a received
 *                       response is relayed (sipcode_relayed(), local.c):
 *                       for UDP, GSO and TCP alike, out of line.
 *
 * TCP: sipcode_tcp() (tcp.c) frames the messages of a stream across its
 * segments and hands each counted response to sipcode_after().
 *
 * No lock, no atomic, no allocation on the way; the cost of each step is
 * measured in BENCHMARKS.md.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "events.h"
#include "hook.h"
#include "insight.h"
#include "local.h"
#include "sipparse.h"
#include "tcp.h"
#include "txn.h"

/*
 * The response at @idx counted under its peer, or under no peer: the
 * peer of its source address when it was received (@dir 0), of its
 * destination when the host sent it. The network header is in the
 * linear part at both hooks.
 *
 * Return: the peer's name, for the event; NULL for none.
 */
static __always_inline const char *
sipcode_peer_at(struct sipcode_net *sn, const struct sk_buff *skb,
		unsigned int dir, unsigned int idx, bool v6)
{
	const struct sipcode_peers *p = rcu_dereference(sn->peers);
	unsigned int col = sipcode_peer_col[idx];
	unsigned int peer = sipcode_peer_of(p, skb, dir, v6);

	/* A peer in the table has its counters: the set was finished. */
	if (!peer) {
		this_cpu_inc(sn->stats->unpeered[dir][col]);
		return NULL;
	}
	this_cpu_inc(p->ctr[peer - 1]->n[dir][col]);
	return p->name[peer - 1];
}

noinline const struct sipcode_verdict *
sipcode_peer_verdict(struct sipcode_net *sn, const struct sipcode_rules *rules,
		     const struct sk_buff *skb,
		     const struct nf_hook_state *state, unsigned int idx)
{
	const struct sipcode_peers *p = rcu_dereference(sn->peers);
	unsigned int scope = 0;

	/* Peers of another generation: the rules' slots are not theirs. */
	if (p && p->gen == rules->peers_gen)
		scope = rules->tab[sipcode_peer_of(p, skb, sipcode_dir(state),
						   state->pf == NFPROTO_IPV6)];
	return sipcode_verdict_more(&rules->scope[scope].verdict[idx]);
}

/* For sipcode_udp(), which knows the family: one look-up each. */
static noinline void sipcode_peer_count4(struct sipcode_net *sn,
					 const struct sk_buff *skb,
					 unsigned int dir, unsigned int idx)
{
	sipcode_peer_at(sn, skb, dir, idx, false);
}

static noinline void sipcode_peer_count6(struct sipcode_net *sn,
					 const struct sk_buff *skb,
					 unsigned int dir, unsigned int idx)
{
	sipcode_peer_at(sn, skb, dir, idx, true);
}

noinline unsigned int sipcode_after(struct sipcode_net *sn, struct sk_buff *skb,
				    const struct nf_hook_state *state,
				    const struct sipcode_verdict *v,
				    struct sipcode_response r)
{
	unsigned int ret = NF_ACCEPT;
	u8 more = READ_ONCE(sn->more);
	const char *peer = NULL;
	bool notify;

	if (r.action == SIPCODE_ACTION_DROP) {
		this_cpu_inc(sn->stats->dropped[r.idx]);
		if (!v->dry_run)
			ret = NF_DROP;
	} else if (r.action == SIPCODE_ACTION_MARK) {
		this_cpu_inc(sn->stats->marked[r.idx]);
		if (!v->dry_run)
			skb->mark = (skb->mark & ~v->mask) | v->mark;
	}
	if (more & SIPCODE_MORE_PEERS)
		peer = sipcode_peer_at(sn, skb, sipcode_dir(state), r.idx,
				       state->pf == NFPROTO_IPV6);
	if ((more & SIPCODE_MORE_RELAYED) &&
	    sipcode_dir(state) == SIPCODE_DIR_IN &&
	    sipcode_relayed(skb, state->pf == NFPROTO_IPV6))
		this_cpu_inc(sn->stats->relayed[r.idx]);
	notify = v && v->notify && sipcode_event_wanted(sn);
	if (notify || (more & SIPCODE_MORE_INSIGHT))
		sipcode_insight(sn, skb, &r, notify ? v : NULL, state->pf,
				peer);
	if ((more & SIPCODE_MORE_TXN) && !r.split)
		sipcode_txn(sn, skb, sipcode_dir(state), r.off, r.len,
			    SIPCODE_CODE_MIN + r.idx);
	return ret;
}

/* Two verdicts that do the same to a packet. */
static bool sipcode_same(const struct sipcode_verdict *a,
			 const struct sipcode_verdict *b)
{
	return sipcode_action(a) == sipcode_action(b) &&
	       (sipcode_action(a) != SIPCODE_ACTION_MARK ||
		(a->mark == b->mark && a->mask == b->mask));
}

/*
 * The payload's length: the bytes from @off to the end of the skb, or
 * fewer when the UDP length says so. A UDP length below the header's
 * wraps, and is not believed.
 */
static __always_inline unsigned int
sipcode_udp_len(const struct sk_buff *skb, unsigned int off,
		const struct udphdr *uh)
{
	unsigned int total = skb->len - off;
	unsigned int ulen = ntohs(uh->len) - sizeof(*uh);

	return ulen < total ? ulen : total;
}

/*
 * A UDP datagram that sipcode_udp() hands over, whatever its layout:
 * the header or payload copied out where the skb is not linear, each
 * datagram of a GSO packet counted. The rules act on a GSO packet only
 * when all its datagrams get the same verdict, as it cannot be cut here.
 */
static noinline unsigned int sipcode_udp_slow(struct sipcode_net *sn,
					      struct sk_buff *skb,
					      unsigned int thoff,
					      const struct nf_hook_state *state)
{
	/* One table for every datagram of the packet. */
	const struct sipcode_rules *rules = rcu_dereference(sn->rules);
	/*
	 * Written before they are read: codes[i] for i < n, and buf by
	 * skb_header_pointer().
	 */
	u16 codes[SIPCODE_GSO_SEGS_MAX] __uninitialized;
	const struct sipcode_verdict *v = NULL, *w;
	struct sipcode_response r = {
		.off = thoff + sizeof(struct udphdr),
		.thoff = thoff,
		.proto = IPPROTO_UDP,
	};
	unsigned int off = r.off, total, mss, len, n, i, ret = NF_ACCEPT;
	u8 buf[SIP_PARSE_WINDOW] __uninitialized;
	const struct udphdr *uh;
	struct udphdr _uh;
	bool same = true;
	const u8 *data;
	int code;

	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh || !sipcode_port_match(sn, uh->source, uh->dest) ||
	    sipcode_skip(state))
		return NF_ACCEPT;
	total = sipcode_udp_len(skb, off, uh);
	mss = total;
	if (skb_is_gso(skb) && (skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4)) {
		/* gso_size bytes a datagram, the last one shorter. */
		total = skb->len - off;
		mss = skb_shinfo(skb)->gso_size ?: total;
	}
	/* Each datagram read once, counted, and its code kept. */
	for (n = 0; !n || (n * mss < total && n < SIPCODE_GSO_SEGS_MAX); n++) {
		len = min(mss, total - n * mss);
		data = skb_header_pointer(skb, off + n * mss,
					  min(len, SIP_PARSE_WINDOW), buf);
		code = data ? sip_parse_status(data, min(len, SIP_PARSE_WINDOW),
					       len) : SIP_PARSE_TRUNCATED;
		sipcode_stats_count(sn->stats, code, sipcode_dir(state));
		codes[n] = code;
		w = code < SIPCODE_CODE_MIN ? NULL :
		    sipcode_verdict_of(sn, rules, skb, state,
				       code - SIPCODE_CODE_MIN);
		if (!n)
			v = w;
		same &= sipcode_same(v, w);
	}
	r.action = same ? sipcode_action(v) : SIPCODE_ACTION_COUNT;
	for (i = 0; i < n; i++) {
		r.off = off + i * mss;
		r.len = min(mss, total - i * mss);
		if (codes[i] == SIP_PARSE_NOT_RESPONSE &&
		    (READ_ONCE(sn->more) & SIPCODE_MORE_TXN))
			sipcode_txn(sn, skb, sipcode_dir(state), r.off, r.len,
				    codes[i]);
		if (codes[i] < SIPCODE_CODE_MIN)
			continue;
		r.idx = codes[i] - SIPCODE_CODE_MIN;
		/* An action the datagrams agree on: each has its verdict. */
		w = sipcode_verdict_of(sn, rules, skb, state, r.idx);
		if (w || READ_ONCE(sn->more))
			ret = sipcode_after(sn, skb, state, w, r);
	}
	return ret;
}

/*
 * A response of a linear datagram that sipcode_udp() counted and that
 * needs sipcode_after(): described here, out of line, as building the
 * description in sipcode_udp() would cost every packet the registers it
 * takes there.
 */
static noinline unsigned int sipcode_udp_more(struct sipcode_net *sn,
					      struct sk_buff *skb,
					      const struct nf_hook_state *state,
					      const struct sipcode_rules *rules,
					      unsigned int thoff, int code)
{
	const struct udphdr *uh = (const struct udphdr *)(skb->data + thoff);
	const struct sipcode_verdict *v;
	struct sipcode_response r = {
		.off = thoff + sizeof(*uh),
		.thoff = thoff,
		.idx = code - SIPCODE_CODE_MIN,
		.proto = IPPROTO_UDP,
	};

	v = sipcode_verdict_of(sn, rules, skb, state, r.idx);
	r.action = sipcode_action(v);

	r.len = sipcode_udp_len(skb, r.off, uh);
	return sipcode_after(sn, skb, state, v, r);
}

/* A linear datagram that is not a response, with the transactions on. */
static noinline unsigned int sipcode_udp_request(struct sipcode_net *sn,
						 struct sk_buff *skb,
						 unsigned int thoff,
						 unsigned int dir)
{
	const struct udphdr *uh = (const struct udphdr *)(skb->data + thoff);
	unsigned int off = thoff + sizeof(*uh);

	sipcode_txn(sn, skb, dir, off, sipcode_udp_len(skb, off, uh),
		    SIP_PARSE_NOT_RESPONSE);
	return NF_ACCEPT;
}

/*
 * The common case of a UDP datagram at @thoff, without a stack frame: one
 * datagram whose header and first SIP_STATUS_LEN bytes are in the linear
 * part, from which sip_parse_status_fast() tells a well-formed status
 * line or a payload that cannot be one. Anything else, sipcode_udp_slow().
 * @v6: the family, a constant at each caller (the peer's look-up).
 */
static __always_inline unsigned int
sipcode_udp(struct sipcode_net *sn, struct sk_buff *skb, unsigned int thoff,
	    const struct nf_hook_state *state, bool v6)
{
	const struct udphdr *uh = (const struct udphdr *)(skb->data + thoff);
	unsigned int off = thoff + sizeof(*uh);
	const struct sipcode_verdict *v;
	const struct sipcode_rules *rules;
	int code;
	u8 more;

	if (unlikely(off > skb_headlen(skb)))
		return sipcode_udp_slow(sn, skb, thoff, state);
	if (!sipcode_port_match(sn, uh->source, uh->dest))
		return NF_ACCEPT;
	if (unlikely(off + SIP_STATUS_LEN > skb_headlen(skb) ||
		     ntohs(uh->len) < sizeof(*uh) + SIP_STATUS_LEN ||
		     skb_is_gso(skb)))
		return sipcode_udp_slow(sn, skb, thoff, state);
	code = sip_parse_status_fast(skb->data + off, SIP_STATUS_LEN);
	if (unlikely(code < 0))
		return sipcode_udp_slow(sn, skb, thoff, state);
	if (sipcode_skip(state))
		return NF_ACCEPT;
	sipcode_stats_count(sn->stats, code, sipcode_dir(state));
	if (code < SIPCODE_CODE_MIN) {
		if (unlikely(READ_ONCE(sn->more) & SIPCODE_MORE_TXN) &&
		    code == SIP_PARSE_NOT_RESPONSE)
			return sipcode_udp_request(sn, skb, thoff,
						   sipcode_dir(state));
		return NF_ACCEPT;
	}
	rules = rcu_dereference(sn->rules);
	v = sipcode_verdict(rules, code - SIPCODE_CODE_MIN);
	more = READ_ONCE(sn->more);
	if (likely(!v && !more))
		return NF_ACCEPT;
	/* Peers alone: the response's peer counted, nothing described. */
	if (!v && more == SIPCODE_MORE_PEERS) {
		if (v6)
			sipcode_peer_count6(sn, skb, sipcode_dir(state),
					    code - SIPCODE_CODE_MIN);
		else
			sipcode_peer_count4(sn, skb, sipcode_dir(state),
					    code - SIPCODE_CODE_MIN);
		return NF_ACCEPT;
	}
	return sipcode_udp_more(sn, skb, state, rules, thoff, code);
}

/*
 * TCP at @thoff: the ports, and a segment with no payload and no SYN, FIN
 * or RST (an ACK), tested here on the header as it lies; the rest out of
 * line, in tcp.c.
 */
static __always_inline unsigned int
sipcode_tcp_in(struct sipcode_net *sn, struct sk_buff *skb,
	       unsigned int thoff, const struct nf_hook_state *state)
{
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + thoff);

	if (unlikely(thoff + sizeof(*th) > skb_headlen(skb)))
		return sipcode_tcp(sn, skb, thoff, state);
	if (!sipcode_port_match(sn, th->source, th->dest))
		return NF_ACCEPT;
	if (skb->len <= thoff + th->doff * 4 &&
	    !(tcp_flag_word(th) & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST)))
		return NF_ACCEPT;
	return sipcode_tcp(sn, skb, thoff, state);
}

/* A later fragment of a UDP datagram: its payload is not a message start. */
static void sipcode_fragment(struct sipcode_net *sn)
{
	sipcode_stats_uncounted(sn->stats, SIPCODE_UC_A_FRAGMENT);
}

static unsigned int sipcode_ipv4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sipcode_net *sn = priv;
	unsigned int thoff = skb_network_offset(skb) + ip_hdrlen(skb);

	if (likely(iph->protocol == IPPROTO_UDP)) {
		if (likely(!(iph->frag_off & htons(IP_OFFSET))))
			return sipcode_udp(sn, skb, thoff, state, false);
		sipcode_fragment(sn);
		return NF_ACCEPT;
	}
	if (iph->protocol == IPPROTO_TCP && !(iph->frag_off & htons(IP_OFFSET)))
		return sipcode_tcp_in(sn, skb, thoff, state);
	return NF_ACCEPT;
}

/* IPv6 with extension headers before UDP or TCP, or a fragment. */
static noinline unsigned int sipcode_ipv6_ext(struct sipcode_net *sn,
					      struct sk_buff *skb, int thoff,
					      u8 nexthdr,
					      const struct nf_hook_state *state)
{
	__be16 frag_off;

	thoff = ipv6_skip_exthdr(skb, thoff, &nexthdr, &frag_off);
	if (thoff < 0)
		return NF_ACCEPT;
	if (frag_off & htons(IP6_OFFSET)) {
		/* Stopped at the fragment header: its first byte is nexthdr. */
		u8 _nh, *nh = skb_header_pointer(skb, thoff, 1, &_nh);

		if (nh && *nh == IPPROTO_UDP)
			sipcode_fragment(sn);
		return NF_ACCEPT;
	}
	if (nexthdr == IPPROTO_TCP)
		return sipcode_tcp_in(sn, skb, thoff, state);
	if (nexthdr == IPPROTO_UDP)
		return sipcode_udp(sn, skb, thoff, state, true);
	return NF_ACCEPT;
}

static unsigned int sipcode_ipv6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	unsigned int thoff = skb_network_offset(skb) + sizeof(struct ipv6hdr);
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	struct sipcode_net *sn = priv;

	if (likely(nexthdr == IPPROTO_UDP))
		return sipcode_udp(sn, skb, thoff, state, true);
	if (nexthdr == IPPROTO_TCP)
		return sipcode_tcp_in(sn, skb, thoff, state);
	if (ipv6_ext_hdr(nexthdr))
		return sipcode_ipv6_ext(sn, skb, thoff, nexthdr, state);
	return NF_ACCEPT;
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
