// SPDX-License-Identifier: GPL-2.0
/*
 * Events: see events.h. The way out, in order of cost: nobody listens
 * (one look at the group's listeners), over the rate (the kernel's
 * ratelimit, a trylock that never waits): both decided before the
 * message is read for its method and phrase; then one GFP_ATOMIC message
 * multicast to the group, which a full listener's socket drops.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"
#include "sipcode.h"

/* The largest event: both addresses IPv6, the longest phrase. */
#define SIPCODE_EVENT_SIZE						\
	(nla_total_size(0) +						\
	 nla_total_size(sizeof(u32)) * 7 +	/* code ... action */	\
	 nla_total_size(SIPCODE_REASON_MAX) +				\
	 nla_total_size(sizeof(struct in6_addr)) * 2 +			\
	 nla_total_size(sizeof(u32)) + nla_total_size(0) * 2 +		\
	 nla_total_size(SIPCODE_PEER_NAME_MAX))

/* Cleared, and a grace period waited for, before the family goes. */
static bool sipcode_events_live __read_mostly = true;

void sipcode_events_stop(void)
{
	WRITE_ONCE(sipcode_events_live, false);
	/* Every hook that saw it set (under RCU) has returned. */
	synchronize_rcu();
}

void sipcode_events_init(struct sipcode_net *sn)
{
	ratelimit_state_init(&sn->events_rs, HZ, SIPCODE_EVENT_RATE_DEFAULT);
	/* What is over the rate is counted, not printed. */
	ratelimit_set_flags(&sn->events_rs, RATELIMIT_MSG_ON_RELEASE);
	sn->event_rate = SIPCODE_EVENT_RATE_DEFAULT;
}

/* The caller holds sn->lock; the packet path may be in ___ratelimit(). */
void sipcode_events_set_rate(struct sipcode_net *sn, u32 rate)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sn->events_rs.lock, flags);
	sn->events_rs.burst = rate;
	raw_spin_unlock_irqrestore(&sn->events_rs.lock, flags);
	WRITE_ONCE(sn->event_rate, rate);
}

/* The family is the hook's, not a version field read from the packet. */
static int sipcode_event_addrs(struct sk_buff *msg, const struct sk_buff *skb,
			       u8 family)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (family == NFPROTO_IPV4)
		return nla_put_u32(msg, SIPCODE_EVENT_A_FAMILY, AF_INET) ||
		       nla_put_in_addr(msg, SIPCODE_EVENT_A_SADDR, iph->saddr) ||
		       nla_put_in_addr(msg, SIPCODE_EVENT_A_DADDR, iph->daddr);
	return nla_put_u32(msg, SIPCODE_EVENT_A_FAMILY, AF_INET6) ||
	       nla_put_in6_addr(msg, SIPCODE_EVENT_A_SADDR,
				&ipv6_hdr(skb)->saddr) ||
	       nla_put_in6_addr(msg, SIPCODE_EVENT_A_DADDR,
				&ipv6_hdr(skb)->daddr);
}

static int sipcode_event_fill(struct sipcode_net *sn, struct sk_buff *msg,
			      struct sk_buff *skb,
			      const struct sipcode_response *r,
			      const struct sipcode_verdict *v, u8 family,
			      unsigned int method, const u8 *phrase,
			      unsigned int plen, bool truncated,
			      const char *peer)
{
	bool dry_run = v->dry_run && r->action > SIPCODE_ACTION_COUNT;
	__be16 _ports[2];
	const __be16 *ports;
	struct nlattr *nest;

	ports = skb_header_pointer(skb, r->thoff, sizeof(_ports), _ports);
	nest = nla_nest_start(msg, SIPCODE_A_EVENT);
	if (!ports || !nest ||
	    nla_put_u32(msg, SIPCODE_EVENT_A_CODE, SIPCODE_CODE_MIN + r->idx) ||
	    nla_put_u32(msg, SIPCODE_EVENT_A_METHOD, method) ||
	    (phrase && nla_put(msg, SIPCODE_EVENT_A_PHRASE, plen, phrase)) ||
	    sipcode_event_addrs(msg, skb, family) ||
	    nla_put_u32(msg, SIPCODE_EVENT_A_PROTO, r->proto) ||
	    nla_put_u32(msg, SIPCODE_EVENT_A_SPORT, ntohs(ports[0])) ||
	    nla_put_u32(msg, SIPCODE_EVENT_A_DPORT, ntohs(ports[1])) ||
	    nla_put_u32(msg, SIPCODE_EVENT_A_ACTION, r->action) ||
	    nla_put_u32(msg, SIPCODE_EVENT_A_MARK, skb->mark) ||
	    (dry_run && nla_put_flag(msg, SIPCODE_EVENT_A_DRY_RUN)) ||
	    (truncated && nla_put_flag(msg, SIPCODE_EVENT_A_TRUNCATED)) ||
	    (peer && nla_put_string(msg, SIPCODE_EVENT_A_PEER, peer)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * Whether anybody listens is known for all namespaces at once; in this
 * one, only by sending: an event over the rate counts as unheard when
 * the last one sent here found nobody.
 */
bool sipcode_event_wanted(struct sipcode_net *sn)
{
	unsigned int result;

	if (!READ_ONCE(sipcode_events_live) || !sipcode_nl_has_listeners(sn->net))
		result = SIPCODE_EVENTS_A_UNHEARD;
	else if (!__ratelimit(&sn->events_rs))
		result = READ_ONCE(sn->unheard) ? SIPCODE_EVENTS_A_UNHEARD :
		       SIPCODE_EVENTS_A_RATELIMITED;
	else
		return true;
	this_cpu_inc(sn->stats->events[result]);
	return false;
}

void sipcode_event(struct sipcode_net *sn, struct sk_buff *skb,
		   const struct sipcode_response *r,
		   const struct sipcode_verdict *v, u8 family,
		   unsigned int method, const u8 *phrase, unsigned int plen,
		   bool truncated, const char *peer)
{
	unsigned int result = SIPCODE_EVENTS_A_LOST;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(SIPCODE_EVENT_SIZE, GFP_ATOMIC);
	if (!msg)
		goto out;
	hdr = sipcode_nl_event_put(msg);
	if (!hdr || sipcode_event_fill(sn, msg, skb, r, v, family, method,
				       phrase, plen, truncated, peer)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = sipcode_nl_event_send(sn->net, msg);
	if (!err)
		result = SIPCODE_EVENTS_A_SENT;
	else if (err == -ESRCH)
		result = SIPCODE_EVENTS_A_UNHEARD;	/* none in this namespace */
	if (READ_ONCE(sn->unheard) != (err == -ESRCH))
		WRITE_ONCE(sn->unheard, err == -ESRCH);
out:
	this_cpu_inc(sn->stats->events[result]);
}
