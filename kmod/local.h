/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a received packet goes: to the host, or through it. The packet
 * path asks at PRE_ROUTING, before the route is looked up, from the
 * destination address.
 */
#ifndef _SIPCODE_LOCAL_H
#define _SIPCODE_LOCAL_H

#include <linux/skbuff.h>
#include <linux/types.h>

/**
 * sipcode_to_host() - whether a received packet's destination is the host's
 * @skb: the packet, its network header set
 * @v6: IPv6, else IPv4
 *
 * Context: RCU read side (the hook).
 * Return: true when the destination address is one of the namespace's.
 */
bool sipcode_to_host(const struct sk_buff *skb, bool v6);

/**
 * sipcode_relayed() - whether the host forwards a received packet
 * @skb: the packet, at PRE_ROUTING, its network header set
 * @v6: IPv6, else IPv4
 *
 * The packet is relayed when forwarding is on (IPv4: on its device;
 * IPv6: in the namespace) and its destination, once the destination NAT
 * that conntrack has set up for it applies, is a unicast address that
 * is not the host's. The NAT is taken from the packet's conntrack entry
 * (the other direction's source), since the NAT hook runs after sipcode's.
 *
 * Context: RCU read side (the hook).
 * Return: true when relayed.
 */
bool sipcode_relayed(const struct sk_buff *skb, bool v6);

#endif /* _SIPCODE_LOCAL_H */
