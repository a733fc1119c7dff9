// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. Per packet: the IP and UDP headers, two bit tests
 * against the port set, at most SIP_PARSE_WINDOW bytes of payload parsed
 * where they lie in the skb's linear part (copied out with
 * skb_header_pointer() only where the skb is not linear there, never
 * linearised), one per-CPU increment and, for a response, one look-up
 * in the verdict table of the rules. No lock, no atomic, no allocation.
 *
 * The hook functions only dispatch: for a port that is not a SIP port
 * they return without a stack frame; everything that needs a buffer on
 * the stack (copies of headers or payload) is out of line, so that the
 * linear case pays neither for zeroing it (CONFIG_INIT_STACK_ALL_ZERO)
 * nor for a stack protector's canary.
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

#include "hook.h"
#include "insight.h"
#include "sipparse.h"

static __always_inline bool sipcode_port_match(const struct sipcode_net *sn,
					       __be16 sport, __be16 dport)
{
	return test_bit(ntohs(sport), sn->ports) ||
	       test_bit(ntohs(dport), sn->ports);
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
 * The verdict of the rules for code 100 + @idx, or NULL: count only, no
 * event.
 */
static const struct sipcode_verdict *
sipcode_verdict_in(const struct sipcode_rules *rules, unsigned int idx)
{
	if (!rules || (rules->verdict[idx].action <= SIPCODE_ACTION_COUNT &&
		       !rules->verdict[idx].notify))
		return NULL;
	return &rules->verdict[idx];
}

static const struct sipcode_verdict *
sipcode_verdict(const struct sipcode_net *sn, unsigned int idx)
{
	return sipcode_verdict_in(rcu_dereference(sn->rules), idx);
}

/* A verdict that drops or marks, not one that only notifies. */
static bool sipcode_acts(const struct sipcode_verdict *v)
{
	return v && v->action > SIPCODE_ACTION_COUNT;
}

/* Count what @v does to a response with code 100 + @idx. */
static void sipcode_account(struct sipcode_net *sn,
			    const struct sipcode_verdict *v, unsigned int idx)
{
	if (v->action == SIPCODE_ACTION_DROP)
		this_cpu_inc(sn->stats->dropped[idx]);
	else
		this_cpu_inc(sn->stats->marked[idx]);
}

/*
 * Do what @v says to the packet, unless its table is in dry-run mode:
 * the verdict and the mode come from one table, swapped as one pointer.
 */
static unsigned int sipcode_enforce(struct sk_buff *skb,
				    const struct sipcode_verdict *v)
{
	if (v->dry_run)
		return NF_ACCEPT;
	if (v->action == SIPCODE_ACTION_DROP)
		return NF_DROP;
	skb->mark = (skb->mark & ~v->mask) | v->mark;
	return NF_ACCEPT;
}

/*
 * The payload's length: the bytes from @off to the end of the skb, or
 * fewer when the UDP length says so. A UDP length below the header's
 * wraps, and is not believed.
 */
static __always_inline unsigned int
sipcode_udp_total(const struct sk_buff *skb, unsigned int off,
		  const struct udphdr *uh)
{
	unsigned int total = skb->len - off;
	unsigned int ulen = ntohs(uh->len) - sizeof(*uh);

	return ulen < total ? ulen : total;
}

/*
 * The insight of the response at @thoff of a UDP datagram, or its event,
 * after the rules gave the packet @verdict: out of line, with nothing on
 * the stack of its callers.
 */
static noinline unsigned int
sipcode_udp_insight(struct sipcode_net *sn, struct sk_buff *skb,
		    const struct nf_hook_state *state, unsigned int thoff,
		    unsigned int idx, const struct sipcode_verdict *v,
		    unsigned int verdict)
{
	struct sipcode_response r = {
		.thoff = thoff,
		.off = thoff + sizeof(struct udphdr),
		.idx = idx,
		.proto = IPPROTO_UDP,
		.family = state->pf,
		.action = sipcode_acts(v) ? v->action : SIPCODE_ACTION_COUNT,
		.net = state->net,
	};
	const struct udphdr *uh;
	struct udphdr _uh;

	/* The payload's length, as sipcode_udp() found it. */
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh)
		return verdict;
	r.len = sipcode_udp_total(skb, r.off, uh);
	sipcode_insight(sn, skb, &r, v);
	return verdict;
}

/*
 * A UDP response whose code has a rule that does more than count, or
 * while a table of insight is on: out of line, not the common case.
 */
static noinline unsigned int
sipcode_udp_more(struct sipcode_net *sn, struct sk_buff *skb,
		 const struct nf_hook_state *state, unsigned int thoff,
		 unsigned int idx)
{
	const struct sipcode_verdict *v = sipcode_verdict(sn, idx);
	unsigned int ret = NF_ACCEPT;

	if (sipcode_acts(v)) {
		sipcode_account(sn, v, idx);
		ret = sipcode_enforce(skb, v);
	}
	if (likely(!READ_ONCE(sn->insight) && !(v && v->notify)))
		return ret;
	return sipcode_udp_insight(sn, skb, state, thoff, idx, v, ret);
}

/*
 * Where the payload is not in the linear part of the skb: its first
 * bytes copied out with skb_header_pointer(). Out of line, so that the
 * buffer (zeroed on entry by CONFIG_INIT_STACK_ALL_ZERO) and the stack
 * protector's canary cost nothing to the linear case.
 */
static noinline int sipcode_peek_copy(const struct sk_buff *skb,
				      unsigned int off, unsigned int len,
				      unsigned int total)
{
	u8 buf[SIP_PARSE_WINDOW];
	const u8 *data;

	data = skb_header_pointer(skb, off, len, buf);
	if (unlikely(!data))
		return SIP_PARSE_TRUNCATED;
	return sip_parse_status(data, len, total);
}

/* Parse the payload of @total bytes at @off: a code or a reason. */
static __always_inline int sipcode_peek(const struct sk_buff *skb,
					unsigned int off, unsigned int total)
{
	unsigned int len = min_t(unsigned int, total, SIP_PARSE_WINDOW);

	if (likely(off + len <= skb_headlen(skb)))
		return sip_parse_status(skb->data + off, len, total);
	return sipcode_peek_copy(skb, off, len, total);
}

static bool sipcode_same(const struct sipcode_verdict *a,
			 const struct sipcode_verdict *b)
{
	return a == b || (a && b && a->action == b->action &&
			  a->mark == b->mark && a->mask == b->mask);
}

/*
 * A UDP GSO packet: gso_size bytes of payload a datagram, the last one
 * shorter. Each datagram is read once, counted, and its code kept for
 * the rest; the rules act on the packet only when all its datagrams get
 * the same verdict, as it cannot be cut here. The verdicts come from one
 * table, and what is done to the packet is what the events report.
 */
static noinline unsigned int
sipcode_udp_gso(struct sipcode_net *sn, struct sk_buff *skb,
		unsigned int thoff, unsigned int total,
		const struct nf_hook_state *state)
{
	const struct sipcode_rules *rules = rcu_dereference(sn->rules);
	unsigned int off = thoff + sizeof(struct udphdr), seg, n, i;
	unsigned int mss = skb_shinfo(skb)->gso_size ?: total;
	const struct sipcode_verdict *v = NULL, *w;
	u16 idx[SIPCODE_GSO_SEGS_MAX];
	unsigned int ret = NF_ACCEPT;
	u8 action = SIPCODE_ACTION_COUNT;
	bool same = true;
	int code;

	for (seg = 0, n = 0; seg < total && n < SIPCODE_GSO_SEGS_MAX;
	     seg += mss, n++) {
		code = sipcode_peek(skb, off + seg, min(mss, total - seg));
		sipcode_stats_count(sn->stats, code);
		idx[n] = code < SIPCODE_CODE_MIN ? SIPCODE_NCODES :
			 code - SIPCODE_CODE_MIN;
		w = code < SIPCODE_CODE_MIN ? NULL :
		    sipcode_verdict_in(rules, idx[n]);
		if (!sipcode_acts(w))
			w = NULL;
		if (!n)
			v = w;
		else
			same &= sipcode_same(v, w);
	}
	if (v && same) {
		action = v->action;
		ret = sipcode_enforce(skb, v);
	}
	for (i = 0, seg = 0; i < n; i++, seg += mss) {
		if (idx[i] >= SIPCODE_NCODES)
			continue;
		if (action != SIPCODE_ACTION_COUNT)
			sipcode_account(sn, v, idx[i]);
		w = sipcode_verdict_in(rules, idx[i]);
		if (w || READ_ONCE(sn->insight)) {
			struct sipcode_response r = {
				.thoff = thoff,
				.off = off + seg,
				.len = min(mss, total - seg),
				.idx = idx[i],
				.proto = IPPROTO_UDP,
				.family = state->pf,
				.action = action,
				.net = state->net,
			};

			sipcode_insight(sn, skb, &r, w);
		}
	}
	return ret;
}

/* Count the result of a parse, then the rest for a response that needs it. */
static __always_inline unsigned int
sipcode_udp_result(struct sipcode_net *sn, struct sk_buff *skb,
		   const struct nf_hook_state *state, unsigned int thoff,
		   int code)
{
	sipcode_stats_count(sn->stats, code);
	if (code < SIPCODE_CODE_MIN)
		return NF_ACCEPT;
	if (likely(!sipcode_verdict(sn, code - SIPCODE_CODE_MIN) &&
		   !READ_ONCE(sn->insight)))
		return NF_ACCEPT;
	return sipcode_udp_more(sn, skb, state, thoff, code - SIPCODE_CODE_MIN);
}

/*
 * A UDP datagram to or from a SIP port, its header at @uh (@thoff in the
 * skb), whatever its layout: every case, and the uncommon ones that
 * sipcode_udp_fast() hands over.
 */
static noinline unsigned int sipcode_udp(struct sipcode_net *sn,
					 struct sk_buff *skb,
					 unsigned int thoff,
					 const struct udphdr *uh,
					 const struct nf_hook_state *state)
{
	unsigned int off = thoff + sizeof(*uh);
	int code;

	if (sipcode_skip(state))
		return NF_ACCEPT;
	/* The header was read: skb->len >= off. */
	if (unlikely(skb_is_gso(skb)) &&
	    (skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4))
		return sipcode_udp_gso(sn, skb, thoff, skb->len - off, state);
	code = sipcode_peek(skb, off, sipcode_udp_total(skb, off, uh));
	return sipcode_udp_result(sn, skb, state, thoff, code);
}

/*
 * The common case of a datagram on a SIP port: one datagram, its first
 * SIP_PARSE_WINDOW bytes in the linear part, a status line or not SIP
 * at all. Nothing here returns to it but a tail call: it needs no
 * register saved, no stack. Any other case goes to sipcode_udp().
 */
static __always_inline unsigned int
sipcode_udp_fast(struct sipcode_net *sn, struct sk_buff *skb,
		 unsigned int thoff, const struct udphdr *uh,
		 const struct nf_hook_state *state)
{
	unsigned int off = thoff + sizeof(*uh), len;
	int code;

	if (unlikely(skb_is_gso(skb)))
		return sipcode_udp(sn, skb, thoff, uh, state);
	if (sipcode_skip(state))
		return NF_ACCEPT;
	len = min_t(unsigned int, sipcode_udp_total(skb, off, uh),
		    SIP_PARSE_WINDOW);
	if (unlikely(off + len > skb_headlen(skb)))
		return sipcode_udp(sn, skb, thoff, uh, state);
	code = sip_parse_status_fast(skb->data + off, len);
	if (unlikely(code < 0))
		return sipcode_udp(sn, skb, thoff, uh, state);
	return sipcode_udp_result(sn, skb, state, thoff, code);
}

/* The UDP header is not in the linear part of the skb: copy it. */
static noinline unsigned int sipcode_udp_copy(struct sipcode_net *sn,
					      struct sk_buff *skb,
					      unsigned int thoff,
					      const struct nf_hook_state *state)
{
	const struct udphdr *uh;
	struct udphdr _uh;

	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh || !sipcode_port_match(sn, uh->source, uh->dest))
		return NF_ACCEPT;
	return sipcode_udp(sn, skb, thoff, uh, state);
}

/*
 * The way in for UDP at @thoff: the ports tested on the linear header,
 * without a stack frame, so that other ports cost only this. Then most
 * payloads that are not SIP are told by their first byte (see
 * sip_may_start()) before any length is computed: when that byte is in
 * the linear part and in the datagram, and the skb is one datagram.
 */
static __always_inline unsigned int
sipcode_udp_in(struct sipcode_net *sn, struct sk_buff *skb,
	       unsigned int thoff, const struct nf_hook_state *state)
{
	const struct udphdr *uh;

	if (unlikely(thoff + sizeof(*uh) > skb_headlen(skb)))
		return sipcode_udp_copy(sn, skb, thoff, state);
	uh = (const struct udphdr *)(skb->data + thoff);
	if (!sipcode_port_match(sn, uh->source, uh->dest))
		return NF_ACCEPT;
	if (thoff + sizeof(*uh) < skb_headlen(skb) &&
	    !sip_may_start(*(const u8 *)(uh + 1)) &&
	    ntohs(uh->len) > sizeof(*uh) && !skb_is_gso(skb)) {
		if (!sipcode_skip(state))
			sipcode_stats_count(sn->stats, SIP_PARSE_NOT_RESPONSE);
		return NF_ACCEPT;
	}
	return sipcode_udp_fast(sn, skb, thoff, uh, state);
}

/*
 * Frame the message at @off of a TCP segment ending at @end: the offset
 * of the next message, or 0 when there is none to look at in the segment.
 * *@unframed tells a rest that cannot be framed (no Content-Length).
 */
static unsigned int sipcode_tcp_next(struct sk_buff *skb, unsigned int off,
				     unsigned int end, bool *unframed)
{
	u8 buf[SIPCODE_TCP_CHUNK];
	struct sip_framer f;
	unsigned int pos, n, hdr;
	const u8 *data;
	long clen;

	sip_framer_init(&f);
	for (pos = off; pos < end; pos += n) {
		n = min_t(unsigned int, end - pos, sizeof(buf));
		data = skb_header_pointer(skb, pos, n, buf);
		if (unlikely(!data))
			return 0;
		hdr = sip_framer_feed(&f, data, n);
		if (!hdr)
			continue;
		clen = sip_framer_clen(&f);
		if (clen < 0) {
			*unframed = pos + hdr < end;
			return 0;
		}
		return pos + hdr + clen < end ? pos + hdr + clen : 0;
	}
	return 0;	/* the headers go on in the next segment */
}

/*
 * Every message that starts in the segment is counted, up to
 * SIPCODE_TCP_MSGS_MAX: work is bounded by the segment's length (header
 * bytes read once each in SIPCODE_TCP_CHUNK pieces, bodies skipped) and
 * by that number of messages.
 */
static noinline unsigned int sipcode_tcp(struct sipcode_net *sn,
					 struct sk_buff *skb,
					 unsigned int thoff,
					 const struct nf_hook_state *state)
{
	/* One table for every message of the segment. */
	const struct sipcode_rules *rules = rcu_dereference(sn->rules);
	unsigned int off, end = skb->len, n;
	const struct sipcode_verdict *v;
	const struct tcphdr *th;
	u8 buf[SIP_PARSE_WINDOW];
	bool unframed = false;
	struct tcphdr _th;
	const u8 *data;
	int code;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || !sipcode_port_match(sn, th->source, th->dest) ||
	    sipcode_skip(state))
		return NF_ACCEPT;
	if (unlikely(th->doff < sizeof(*th) / 4)) {
		/* The header would overlap the payload: not parsed. */
		sipcode_stats_count(sn->stats, SIPCODE_UC_A_MALFORMED);
		return NF_ACCEPT;
	}
	off = thoff + th->doff * 4;
	if (off >= end)
		return NF_ACCEPT;	/* no payload */

	for (n = 0; off; n++) {
		unsigned int len = min_t(unsigned int, end - off,
					 SIP_PARSE_WINDOW);

		data = skb_header_pointer(skb, off, len, buf);
		if (unlikely(!data))
			break;
		code = sip_parse_status(data, len, end - off);
		if (code == SIP_PARSE_KEEPALIVE) {
			if (!n)
				sipcode_stats_count(sn->stats, code);
			break;
		}
		if (code == SIP_PARSE_NOT_RESPONSE && !sip_is_request(data, len)) {
			sipcode_stats_count(sn->stats, n ?
					    SIPCODE_UC_A_TCP_UNFRAMED :
					    SIPCODE_UC_A_TCP_MIDSTREAM);
			break;
		}
		if (n == SIPCODE_TCP_MSGS_MAX) {
			sipcode_stats_count(sn->stats, SIPCODE_UC_A_TCP_UNFRAMED);
			break;
		}
		sipcode_stats_count(sn->stats, code);
		v = code < SIPCODE_CODE_MIN ? NULL :
		    sipcode_verdict_in(rules, code - SIPCODE_CODE_MIN);
		/* A dropped segment would only come again: TCP is marked. */
		if (v && v->action == SIPCODE_ACTION_MARK) {
			sipcode_account(sn, v, code - SIPCODE_CODE_MIN);
			sipcode_enforce(skb, v);
		}
		if (code >= SIPCODE_CODE_MIN && (v || READ_ONCE(sn->insight))) {
			struct sipcode_response r = {
				.thoff = thoff,
				.off = off,
				.len = end - off,
				.idx = code - SIPCODE_CODE_MIN,
				.proto = IPPROTO_TCP,
				.family = state->pf,
				/* A dropped segment would come again. */
				.action = v && v->action == SIPCODE_ACTION_MARK ?
					  SIPCODE_ACTION_MARK :
					  SIPCODE_ACTION_COUNT,
				.net = state->net,
			};

			sipcode_insight(sn, skb, &r, v);
		}
		off = sipcode_tcp_next(skb, off, end, &unframed);
	}
	if (unframed)
		sipcode_stats_count(sn->stats, SIPCODE_UC_A_TCP_UNFRAMED);
	return NF_ACCEPT;
}

/* A later fragment of a UDP datagram: its payload is not a message start. */
static noinline unsigned int sipcode_fragment(struct sipcode_net *sn)
{
	sipcode_stats_count(sn->stats, SIPCODE_UC_A_FRAGMENT);
	return NF_ACCEPT;
}

static unsigned int sipcode_ipv4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sipcode_net *sn = priv;
	unsigned int thoff = skb_network_offset(skb) + ip_hdrlen(skb);

	if (likely(iph->protocol == IPPROTO_UDP)) {
		if (unlikely(iph->frag_off & htons(IP_OFFSET)))
			return sipcode_fragment(sn);
		return sipcode_udp_in(sn, skb, thoff, state);
	}
	if (iph->protocol == IPPROTO_TCP && !(iph->frag_off & htons(IP_OFFSET)))
		return sipcode_tcp(sn, skb, thoff, state);
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
			return sipcode_fragment(sn);
		return NF_ACCEPT;
	}
	if (nexthdr == IPPROTO_TCP)
		return sipcode_tcp(sn, skb, thoff, state);
	if (nexthdr == IPPROTO_UDP)
		return sipcode_udp_in(sn, skb, thoff, state);
	return NF_ACCEPT;
}

static unsigned int sipcode_ipv6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	unsigned int thoff = skb_network_offset(skb) + sizeof(struct ipv6hdr);
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	struct sipcode_net *sn = priv;

	if (likely(nexthdr == IPPROTO_UDP))
		return sipcode_udp_in(sn, skb, thoff, state);
	if (nexthdr == IPPROTO_TCP)
		return sipcode_tcp(sn, skb, thoff, state);
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
