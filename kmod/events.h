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

void sipcode_events_init(struct sipcode_net *sn);
/* No event is sent after this returns: before the family goes. */
void sipcode_events_stop(void);
void sipcode_events_set_rate(struct sipcode_net *sn, u32 rate);

/*
 * Is the event of a notified response to be sent? Not when nobody
 * listens or over the rate: then false, and counted as such.
 */
bool sipcode_event_wanted(struct sipcode_net *sn);

/*
 * Send the event of the response @r of @skb, a packet of @family (matched
 * by the rule @v, which did @r->action to it) after
 * sipcode_event_wanted(); @method and the reason @phrase (@plen bytes;
 * NULL when it could not be read) as found. Never sleeps; each call lands
 * in one counter of enum sipcode_events_attr.
 */
void sipcode_event(struct sipcode_net *sn, struct sk_buff *skb,
		   const struct sipcode_response *r,
		   const struct sipcode_verdict *v, u8 family,
		   unsigned int method, const u8 *phrase, unsigned int plen);

#endif /* _SIPCODE_EVENTS_H */
