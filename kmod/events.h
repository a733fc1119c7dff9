/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events: a response matched by a rule with notify, sent to the events
 * multicast group (see "Events" in Documentation/netlink/specs/sipcode.yaml).
 */
#ifndef _SIPCODE_EVENTS_H
#define _SIPCODE_EVENTS_H

#include <linux/types.h>

struct sipcode_net;
struct sipcode_response;
struct sipcode_verdict;
struct sk_buff;

/**
 * sipcode_events_init() - set up the events of a new namespace
 * @sn: the namespace's state
 *
 * The rate limit, at the default rate.
 */
void sipcode_events_init(struct sipcode_net *sn);

/**
 * sipcode_events_stop() - stop sending events
 *
 * Context: Before the family goes: no event is sent after this returns.
 * May sleep: waits for a grace period.
 */
void sipcode_events_stop(void);

/**
 * sipcode_events_set_rate() - set the rate of events of a namespace
 * @sn: the namespace's state
 * @rate: events a second (burst as many)
 *
 * Context: The caller holds sn->lock; the packet path may be in
 * ___ratelimit().
 */
void sipcode_events_set_rate(struct sipcode_net *sn, u32 rate);

/**
 * sipcode_event_wanted() - is the event of a notified response to be sent?
 * @sn: the namespace's state
 *
 * Not when nobody listens or over the rate: then false, and counted as
 * such.
 *
 * Return: true when it is to be sent.
 */
bool sipcode_event_wanted(struct sipcode_net *sn);

/**
 * sipcode_event() - send the event of a response
 * @sn: the namespace's state
 * @skb: the packet
 * @r: the response
 * @v: the rule that matched it, which did @r->action to it
 * @family: of the packet
 * @method: the CSeq method as found (enum sipcode_method)
 * @phrase: the reason phrase as found; NULL when it could not be read
 * @plen: bytes at @phrase
 * @truncated: the phrase went on past them
 * @peer: the name of the response's peer, or NULL
 *
 * Send the event of the response @r of @skb, after
 * sipcode_event_wanted(). Each call lands in one counter of enum
 * sipcode_events_attr.
 *
 * Context: Never sleeps.
 */
void sipcode_event(struct sipcode_net *sn, struct sk_buff *skb,
		   const struct sipcode_response *r,
		   const struct sipcode_verdict *v, u8 family,
		   unsigned int method, const u8 *phrase, unsigned int plen,
		   bool truncated, const char *peer);

#endif /* _SIPCODE_EVENTS_H */
