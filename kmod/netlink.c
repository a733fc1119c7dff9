// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: the protocol is documented in
 * include/uapi/linux/sipcode.h. One policy per command; a command with
 * no policy takes no attribute (the core refuses any).
 */
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink.h"
#include "sipcode.h"

static struct genl_family sipcode_genl_family;

static const struct nla_policy sipcode_port_policy[SIPCODE_PORT_A_MAX + 1] = {
	[SIPCODE_PORT_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy
sipcode_ports_set_policy[SIPCODE_A_MAX + 1] = {
	[SIPCODE_A_PORTS] = NLA_POLICY_NESTED(sipcode_port_policy),
};

static int sipcode_put_code(struct sk_buff *skb, unsigned int idx,
			    const struct sipcode_code_stats *cs)
{
	struct nlattr *nest = nla_nest_start(skb, SIPCODE_A_CODE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, SIPCODE_CODE_A_CODE, SIPCODE_CODE_MIN + idx) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_SEEN, cs->seen,
			      SIPCODE_CODE_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_DROPPED, cs->dropped,
			      SIPCODE_CODE_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_MARKED, cs->marked,
			      SIPCODE_CODE_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int sipcode_put_uncounted(struct sk_buff *skb,
				 struct sipcode_stats __percpu *stats)
{
	struct nlattr *nest = nla_nest_start(skb, SIPCODE_A_UNCOUNTED);
	unsigned int reason;

	if (!nest)
		return -EMSGSIZE;
	for (reason = SIPCODE_UC_A_PAD + 1; reason <= SIPCODE_UC_A_MAX;
	     reason++) {
		if (nla_put_u64_64bit(skb, reason,
				      sipcode_stats_uncounted(stats, reason),
				      SIPCODE_UC_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * cb->args[0]: index of the next code to look at; cb->args[1]: the
 * uncounted buckets were sent; cb->args[2]: every code was sent.
 */
static int sipcode_nl_stats_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct sipcode_net *sn = sipcode_pernet(sock_net(skb->sk));
	struct sipcode_code_stats cs;
	unsigned int idx;
	void *hdr;

	if (cb->args[2])
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &sipcode_genl_family, NLM_F_MULTI,
			  SIPCODE_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (!cb->args[1]) {
		if (sipcode_put_uncounted(skb, sn->stats)) {
			genlmsg_cancel(skb, hdr);
			return -EMSGSIZE;
		}
		cb->args[1] = 1;
	}
	for (idx = cb->args[0]; idx < SIPCODE_NCODES; idx++) {
		sipcode_stats_code(sn->stats, idx, &cs);
		if (!cs.seen && !cs.dropped && !cs.marked)
			continue;
		if (sipcode_put_code(skb, idx, &cs))
			break;
	}
	cb->args[0] = idx;
	cb->args[2] = idx == SIPCODE_NCODES;
	genlmsg_end(skb, hdr);
	return skb->len;
}

static int sipcode_nl_stats_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_pernet(genl_info_net(info));

	mutex_lock(&sn->lock);
	sipcode_stats_reset(sn->stats);
	mutex_unlock(&sn->lock);
	return 0;
}

static int sipcode_nl_ports_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_pernet(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	unsigned int port;
	void *hdr;

	msg = genlmsg_new(nla_total_size(0) + SIPCODE_PORTS_MAX *
			  nla_total_size(sizeof(u16)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sipcode_genl_family, 0,
				SIPCODE_CMD_PORTS_GET);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, SIPCODE_A_PORTS);
	if (!nest)
		goto nospace;
	mutex_lock(&sn->lock);
	for_each_set_bit(port, sn->ports, 65536) {
		if (nla_put_u16(msg, SIPCODE_PORT_A_PORT, port)) {
			mutex_unlock(&sn->lock);
			goto nospace;
		}
	}
	mutex_unlock(&sn->lock);
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int sipcode_nl_ports_set(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_pernet(genl_info_net(info));
	u16 ports[SIPCODE_PORTS_MAX];
	unsigned int n = 0, i, port;
	struct nlattr *attr;
	int rem;

	if (GENL_REQ_ATTR_CHECK(info, SIPCODE_A_PORTS)) {
		NL_SET_ERR_MSG(info->extack, "the port set is missing");
		return -EINVAL;
	}
	nla_for_each_nested(attr, info->attrs[SIPCODE_A_PORTS], rem) {
		if (n == SIPCODE_PORTS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many ports: at most "
					    __stringify(SIPCODE_PORTS_MAX));
			return -EINVAL;
		}
		ports[n++] = nla_get_u16(attr);
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SIPCODE_A_PORTS],
				    "no port given");
		return -EINVAL;
	}

	mutex_lock(&sn->lock);
	for (i = 0; i < n; i++)
		set_bit(ports[i], sn->ports);
	for_each_set_bit(port, sn->ports, 65536) {
		for (i = 0; i < n && ports[i] != port; i++)
			;
		if (i == n)
			clear_bit(port, sn->ports);
	}
	mutex_unlock(&sn->lock);
	return 0;
}

static const struct genl_ops sipcode_genl_ops[] = {
	{
		.cmd	= SIPCODE_CMD_STATS_GET,
		.dumpit	= sipcode_nl_stats_dump,
	},
	{
		.cmd	= SIPCODE_CMD_STATS_RESET,
		.doit	= sipcode_nl_stats_reset,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= SIPCODE_CMD_PORTS_GET,
		.doit	= sipcode_nl_ports_get,
	},
	{
		.cmd	= SIPCODE_CMD_PORTS_SET,
		.doit	= sipcode_nl_ports_set,
		.policy	= sipcode_ports_set_policy,
		.maxattr = SIPCODE_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family sipcode_genl_family __ro_after_init = {
	.name		= SIPCODE_GENL_NAME,
	.version	= SIPCODE_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= sipcode_genl_ops,
	.n_ops		= ARRAY_SIZE(sipcode_genl_ops),
};

int __init sipcode_genl_register(void)
{
	return genl_register_family(&sipcode_genl_family);
}

void sipcode_genl_unregister(void)
{
	genl_unregister_family(&sipcode_genl_family);
}
