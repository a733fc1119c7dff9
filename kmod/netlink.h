/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPCODE_NETLINK_H
#define _SIPCODE_NETLINK_H

#include <linux/types.h>

struct net;
struct sk_buff;

/**
 * sipcode_genl_register() - register the generic netlink family
 *
 * Return: 0, or an error of genl_register_family().
 */
int sipcode_genl_register(void);

/**
 * sipcode_genl_unregister() - unregister the generic netlink family
 */
void sipcode_genl_unregister(void);

/* The events group, for events.c. */

/**
 * sipcode_nl_has_listeners() - does the events group have listeners?
 * @net: the namespace
 *
 * Return: whether anybody listens: known for all namespaces at once
 * (see sipcode_event_wanted()).
 */
bool sipcode_nl_has_listeners(struct net *net);

/**
 * sipcode_nl_event_put() - start an event message
 * @msg: the message
 *
 * Return: its user header (genlmsg_put()), or NULL when @msg has no room.
 */
void *sipcode_nl_event_put(struct sk_buff *msg);

/**
 * sipcode_nl_event_send() - send an event message to the events group
 * @net: the namespace
 * @msg: the message, which this consumes
 *
 * Context: Never sleeps (GFP_ATOMIC).
 * Return: 0, -ESRCH when nobody listens in @net, or another error of
 * genlmsg_multicast_netns().
 */
int sipcode_nl_event_send(struct net *net, struct sk_buff *msg);

#endif /* _SIPCODE_NETLINK_H */
