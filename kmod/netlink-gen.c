// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sipcode.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/sipcode.h>
#include <compat/genl.h>

/* Integer value ranges */
static const struct netlink_range_validation sipcode_a_event_rate_range = {
	.min	= SIPCODE_EVENT_RATE_MIN,
	.max	= SIPCODE_EVENT_RATE_MAX,
};

static const struct netlink_range_validation sipcode_a_txn_max_range = {
	.min	= SIPCODE_TXN_MAX_MIN,
	.max	= SIPCODE_TXN_MAX_MAX,
};

static const struct netlink_range_validation sipcode_port_a_port_range = {
	.min	= 1ULL,
	.max	= 65535ULL,
};

/* Common nested types */
const struct nla_policy sipcode_peer_nl_policy[SIPCODE_PEER_A_PREFIX + 1] = {
	[SIPCODE_PEER_A_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[SIPCODE_PEER_A_PREFIX] = NLA_POLICY_NESTED(sipcode_prefix_nl_policy),
};

const struct nla_policy sipcode_port_nl_policy[SIPCODE_PORT_A_PORT + 1] = {
	[SIPCODE_PORT_A_PORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &sipcode_port_a_port_range),
};

const struct nla_policy sipcode_prefix_nl_policy[SIPCODE_PREFIX_A_LEN + 1] = {
	[SIPCODE_PREFIX_A_ADDR] = { .type = NLA_BINARY, },
	[SIPCODE_PREFIX_A_LEN] = NLA_POLICY_MAX(NLA_U32, 128),
};

const struct nla_policy sipcode_rule_nl_policy[SIPCODE_RULE_A_PEER + 1] = {
	[SIPCODE_RULE_A_CODE] = NLA_POLICY_RANGE(NLA_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	[SIPCODE_RULE_A_CLASS] = NLA_POLICY_RANGE(NLA_U32, 1, 6),
	[SIPCODE_RULE_A_LOW] = NLA_POLICY_RANGE(NLA_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	[SIPCODE_RULE_A_HIGH] = NLA_POLICY_RANGE(NLA_U32, SIPCODE_CODE_MIN, SIPCODE_CODE_MAX),
	[SIPCODE_RULE_A_ACTION] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[SIPCODE_RULE_A_MARK] = { .type = NLA_U32, },
	[SIPCODE_RULE_A_MASK] = NLA_POLICY_MIN(NLA_U32, 1),
	[SIPCODE_RULE_A_NOTIFY] = { .type = NLA_FLAG, },
	[SIPCODE_RULE_A_PEER] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* SIPCODE_CMD_PORTS_SET - do */
static const struct nla_policy sipcode_ports_set_nl_policy[SIPCODE_A_PORTS + 1] = {
	[SIPCODE_A_PORTS] = NLA_POLICY_NESTED(sipcode_port_nl_policy),
};

/* SIPCODE_CMD_RULE_ADD - do */
static const struct nla_policy sipcode_rule_add_nl_policy[SIPCODE_A_RULE + 1] = {
	[SIPCODE_A_RULE] = NLA_POLICY_NESTED(sipcode_rule_nl_policy),
};

/* SIPCODE_CMD_RULE_DEL - do */
static const struct nla_policy sipcode_rule_del_nl_policy[SIPCODE_A_RULE + 1] = {
	[SIPCODE_A_RULE] = NLA_POLICY_NESTED(sipcode_rule_nl_policy),
};

/* SIPCODE_CMD_CONFIG_SET - do */
static const struct nla_policy sipcode_config_set_nl_policy[SIPCODE_A_RELAYED + 1] = {
	[SIPCODE_A_DRY_RUN] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_BY_METHOD] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_REASONS] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_EVENT_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &sipcode_a_event_rate_range),
	[SIPCODE_A_TRANSACTIONS] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_TXN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &sipcode_a_txn_max_range),
	[SIPCODE_A_RELAYED] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* SIPCODE_CMD_CONFIG_REPLACE - do */
static const struct nla_policy sipcode_config_replace_nl_policy[SIPCODE_A_RELAYED + 1] = {
	[SIPCODE_A_PORTS] = NLA_POLICY_NESTED(sipcode_port_nl_policy),
	[SIPCODE_A_DRY_RUN] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_BY_METHOD] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_REASONS] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_EVENT_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &sipcode_a_event_rate_range),
	[SIPCODE_A_TRANSACTIONS] = NLA_POLICY_MAX(NLA_U32, 1),
	[SIPCODE_A_TXN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &sipcode_a_txn_max_range),
	[SIPCODE_A_RULE] = NLA_POLICY_NESTED(sipcode_rule_nl_policy),
	[SIPCODE_A_PEER] = NLA_POLICY_NESTED(sipcode_peer_nl_policy),
	[SIPCODE_A_RELAYED] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* SIPCODE_CMD_PEER_ADD - do */
static const struct nla_policy sipcode_peer_add_nl_policy[SIPCODE_A_PEER + 1] = {
	[SIPCODE_A_PEER] = NLA_POLICY_NESTED(sipcode_peer_nl_policy),
};

/* SIPCODE_CMD_PEER_DEL - do */
static const struct nla_policy sipcode_peer_del_nl_policy[SIPCODE_A_PEER + 1] = {
	[SIPCODE_A_PEER] = NLA_POLICY_NESTED(sipcode_peer_nl_policy),
};

/* Ops table for sipcode */
const struct genl_split_ops sipcode_nl_ops[19] = {
	{
		.cmd	= SIPCODE_CMD_STATS_GET,
		.start	= sipcode_nl_dump_no_attrs,
		.dumpit	= sipcode_nl_stats_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SIPCODE_CMD_STATS_RESET,
		.pre_doit	= sipcode_nl_no_attrs,
		.doit		= sipcode_nl_stats_reset_doit,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_PORTS_GET,
		.pre_doit	= sipcode_nl_no_attrs,
		.doit		= sipcode_nl_ports_get_doit,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_PORTS_SET,
		.doit		= sipcode_nl_ports_set_doit,
		.policy		= sipcode_ports_set_nl_policy,
		.maxattr	= SIPCODE_A_PORTS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_RULE_ADD,
		.doit		= sipcode_nl_rule_add_doit,
		.policy		= sipcode_rule_add_nl_policy,
		.maxattr	= SIPCODE_A_RULE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_RULE_DEL,
		.doit		= sipcode_nl_rule_del_doit,
		.policy		= sipcode_rule_del_nl_policy,
		.maxattr	= SIPCODE_A_RULE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SIPCODE_CMD_RULE_GET,
		.start	= sipcode_nl_dump_no_attrs,
		.dumpit	= sipcode_nl_rule_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SIPCODE_CMD_RULE_FLUSH,
		.pre_doit	= sipcode_nl_no_attrs,
		.doit		= sipcode_nl_rule_flush_doit,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_CONFIG_GET,
		.pre_doit	= sipcode_nl_no_attrs,
		.doit		= sipcode_nl_config_get_doit,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_CONFIG_SET,
		.doit		= sipcode_nl_config_set_doit,
		.policy		= sipcode_config_set_nl_policy,
		.maxattr	= SIPCODE_A_RELAYED,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SIPCODE_CMD_METHOD_GET,
		.start	= sipcode_nl_dump_no_attrs,
		.dumpit	= sipcode_nl_method_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= SIPCODE_CMD_REASON_GET,
		.start	= sipcode_nl_dump_no_attrs,
		.dumpit	= sipcode_nl_reason_get_dumpit,
		.done	= sipcode_nl_reason_done,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SIPCODE_CMD_CONFIG_REPLACE,
		.doit		= sipcode_nl_config_replace_doit,
		.policy		= sipcode_config_replace_nl_policy,
		.maxattr	= SIPCODE_A_RELAYED,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_TXN_GET,
		.pre_doit	= sipcode_nl_no_attrs,
		.doit		= sipcode_nl_txn_get_doit,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_PEER_ADD,
		.doit		= sipcode_nl_peer_add_doit,
		.policy		= sipcode_peer_add_nl_policy,
		.maxattr	= SIPCODE_A_PEER,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SIPCODE_CMD_PEER_DEL,
		.doit		= sipcode_nl_peer_del_doit,
		.policy		= sipcode_peer_del_nl_policy,
		.maxattr	= SIPCODE_A_PEER,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SIPCODE_CMD_PEER_GET,
		.start	= sipcode_nl_dump_no_attrs,
		.dumpit	= sipcode_nl_peer_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SIPCODE_CMD_PEER_FLUSH,
		.pre_doit	= sipcode_nl_no_attrs,
		.doit		= sipcode_nl_peer_flush_doit,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SIPCODE_CMD_PEER_STATS_GET,
		.start	= sipcode_nl_dump_no_attrs,
		.dumpit	= sipcode_nl_peer_stats_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
};
