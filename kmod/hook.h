/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPCODE_HOOK_H
#define _SIPCODE_HOOK_H

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
