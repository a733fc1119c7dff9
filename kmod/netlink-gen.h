/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sipcode.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SIPCODE_GEN_H
#define _LINUX_SIPCODE_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/sipcode.h>
#include <compat/genl.h>

/* Common nested types */
extern const struct nla_policy sipcode_peer_nl_policy[SIPCODE_PEER_A_PREFIX + 1];
extern const struct nla_policy sipcode_port_nl_policy[SIPCODE_PORT_A_PORT + 1];
extern const struct nla_policy sipcode_prefix_nl_policy[SIPCODE_PREFIX_A_LEN + 1];
extern const struct nla_policy sipcode_rule_nl_policy[SIPCODE_RULE_A_PEER + 1];

/* Ops table for sipcode */
extern const struct genl_split_ops sipcode_nl_ops[19];

int sipcode_nl_no_attrs(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
int sipcode_nl_dump_no_attrs(struct netlink_callback *cb);
int sipcode_nl_reason_done(struct netlink_callback *cb);

int sipcode_nl_stats_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int sipcode_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_ports_get_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_ports_set_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_rule_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int sipcode_nl_rule_flush_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_method_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int sipcode_nl_reason_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int sipcode_nl_config_replace_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_txn_get_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_peer_add_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_peer_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int sipcode_nl_peer_flush_doit(struct sk_buff *skb, struct genl_info *info);
int sipcode_nl_peer_stats_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb);

enum {
	SIPCODE_NLGRP_EVENTS,
};

#endif /* _LINUX_SIPCODE_GEN_H */
