/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPCODE_NETLINK_H
#define _SIPCODE_NETLINK_H

#include <linux/types.h>

struct net;
struct sk_buff;

int sipcode_genl_register(void);
void sipcode_genl_unregister(void);

/* The events group, for events.c. */
bool sipcode_nl_has_listeners(struct net *net);
void *sipcode_nl_event_put(struct sk_buff *msg);
int sipcode_nl_event_send(struct net *net, struct sk_buff *msg);

#endif /* _SIPCODE_NETLINK_H */
