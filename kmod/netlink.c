// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: the protocol is the netlink spec
 * Documentation/netlink/specs/sipcode.yaml. Its policies (one per
 * command; a command with no policy takes no attribute) and its op table
 * are generated from it into netlink-gen.c, which calls the handlers
 * here; what a policy cannot say (one match in a rule, a mark only with
 * the mark action, LOW <= HIGH) is checked here.
 *
 * The family runs its commands in parallel (no global genetlink lock):
 * each namespace's own lock serialises what changes it, and nothing
 * under it waits for a grace period. Dumps keep their position in a
 * struct sipcode_dump in cb->ctx.
 */
#include <linux/build_bug.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "config.h"
#include "events.h"
#include "netlink.h"
#include "netlink-gen.h"
#include "peers.h"
#include "sipcode.h"

static struct genl_family sipcode_genl_family;

struct sipcode_dump {
	unsigned int pos;	/* the next code, rule position, or peer */
	unsigned int sub;	/* PEER_GET: the peer's next prefix */
	bool head;		/* STATS_GET: the first message was sent */
	bool done;		/* everything was sent */
	/* REASON_GET: room for sipcode_reasons_read(), once per dump. */
	struct sipcode_reason *buf;
};

static_assert(sizeof(struct sipcode_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

static struct sipcode_dump *sipcode_dump(struct netlink_callback *cb)
{
	return (struct sipcode_dump *)cb->ctx;
}

static struct sipcode_net *sipcode_nl_sn(struct netlink_callback *cb)
{
	return sipcode_net(sock_net(cb->skb->sk));
}

static struct mutex *sipcode_nl_lock(struct genl_info *info)
{
	return &sipcode_pernet(genl_info_net(info))->lock;
}

static void *sipcode_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			      u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &sipcode_genl_family, NLM_F_MULTI, cmd);
}

/*
 * Marks the message @hdr NLM_F_DUMP_INTR when what the dump reads
 * changed since its previous message (cb->seq 0 means "not checked").
 */
static void sipcode_dump_check(struct netlink_callback *cb,
			       const struct sipcode_net *sn, void *hdr)
{
	cb->seq = READ_ONCE(sn->gen) + 1;
	genl_dump_check_consistent(cb, hdr);
}

/*
 * The commands that take no attribute, before their handler (split ops
 * without a policy would ignore any; genl_ops, before 6.2, are given the
 * core's policy that refuses all).
 */
int sipcode_nl_no_attrs(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info)
{
	if (genlmsg_len(info->genlhdr) > 0) {
		NL_SET_ERR_MSG(info->extack, "this command takes no attribute");
		return -EINVAL;
	}
	return 0;
}

int sipcode_nl_dump_no_attrs(struct netlink_callback *cb)
{
	if (nlmsg_attrlen(cb->nlh, GENL_HDRLEN) > 0) {
		NL_SET_ERR_MSG(cb->extack, "this command takes no attribute");
		return -EINVAL;
	}
	return 0;
}

/* The spec's group, with the flag its generator cannot render. */
static const struct genl_multicast_group sipcode_mcgrps[] = {
	[SIPCODE_NLGRP_EVENTS] = {
		.name = SIPCODE_GENL_MCGRP_EVENTS,
		/* Events carry addresses: for the namespace's admin. */
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/*
 * A code's counters; with @tt (transactions on), its first finals too;
 * with @relayed (the switch on), its relayed responses.
 */
static int sipcode_put_code(struct sk_buff *skb, unsigned int idx,
			    const struct sipcode_code_stats *cs,
			    const struct sipcode_txns *tt, bool relayed)
{
	struct nlattr *nest = nla_nest_start(skb, SIPCODE_A_CODE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SIPCODE_CODE_A_CODE, SIPCODE_CODE_MIN + idx) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_SEEN, cs->seen,
			      SIPCODE_CODE_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_DROPPED, cs->dropped,
			      SIPCODE_CODE_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_MARKED, cs->marked,
			      SIPCODE_CODE_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_IN, cs->in,
			      SIPCODE_CODE_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPCODE_CODE_A_OUT, cs->out,
			      SIPCODE_CODE_A_PAD) ||
	    (relayed &&
	     nla_put_u64_64bit(skb, SIPCODE_CODE_A_RELAYED, cs->relayed,
			       SIPCODE_CODE_A_PAD)) ||
	    (tt &&
	     (nla_put_u64_64bit(skb, SIPCODE_CODE_A_FIRST_FINAL,
				sipcode_stats_sum(&tt->stats->first[idx]),
				SIPCODE_CODE_A_PAD) ||
	      nla_put_u64_64bit(skb, SIPCODE_CODE_A_RETRANSMITTED,
				sipcode_stats_sum(&tt->stats->retrans[idx]),
				SIPCODE_CODE_A_PAD)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A nest of per-CPU counters summed, one u64 attribute each: @counters
 * is indexed by attribute type, from the one after @pad (the padding
 * attribute) to @max. The uncounted buckets and the events counters.
 */
static int sipcode_put_counters(struct sk_buff *skb, int type,
				const u64 __percpu *counters, int pad, int max)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int attr;

	if (!nest)
		return -EMSGSIZE;
	for (attr = pad + 1; attr <= max; attr++) {
		if (nla_put_u64_64bit(skb, attr,
				      sipcode_stats_sum(&counters[attr]), pad)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

int sipcode_nl_stats_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct sipcode_dump *d = sipcode_dump(cb);
	struct sipcode_net *sn = sipcode_nl_sn(cb);
	const struct sipcode_txns *tt;
	struct sipcode_code_stats cs;
	unsigned int idx;
	bool relayed;
	void *hdr;

	if (d->done)
		return 0;
	hdr = sipcode_dump_put(skb, cb, SIPCODE_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (!sn) {
		if (nla_put_flag(skb, SIPCODE_A_INACTIVE)) {
			genlmsg_cancel(skb, hdr);
			return -EMSGSIZE;
		}
		d->done = true;
		genlmsg_end(skb, hdr);
		return skb->len;
	}
	if (!d->head) {
		if (sipcode_put_counters(skb, SIPCODE_A_UNCOUNTED,
					 sn->stats->uncounted, SIPCODE_UC_A_PAD,
					 SIPCODE_UC_A_MAX) ||
		    sipcode_put_counters(skb, SIPCODE_A_EVENTS,
					 sn->stats->events, SIPCODE_EVENTS_A_PAD,
					 SIPCODE_EVENTS_A_MAX)) {
			genlmsg_cancel(skb, hdr);
			return -EMSGSIZE;
		}
		d->head = true;
	}
	rcu_read_lock();
	tt = rcu_dereference(sn->txns);
	relayed = READ_ONCE(sn->more) & SIPCODE_MORE_RELAYED;
	for (idx = d->pos; idx < SIPCODE_NCODES; idx++) {
		sipcode_stats_code(sn->stats, idx, &cs);
		if (!cs.seen && !cs.dropped && !cs.marked)
			continue;
		if (sipcode_put_code(skb, idx, &cs, tt, relayed))
			break;
	}
	rcu_read_unlock();
	d->pos = idx;
	d->done = idx == SIPCODE_NCODES;
	genlmsg_end(skb, hdr);
	return skb->len;
}

/* Nothing to reset in a namespace that is not inspected. */
int sipcode_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_net(genl_info_net(info));
	int err = 0;

	if (!sn)
		return 0;
	mutex_lock(sn->lock);
	sipcode_stats_reset(sn->stats);
	sipcode_peers_reset(sn);
	sipcode_txn_reset(sn);
	err = sipcode_insight_reset(sn);
	mutex_unlock(sn->lock);
	if (err)
		NL_SET_ERR_MSG(info->extack,
			       "no memory for new insight tables: they were not reset");
	return err;
}

/* The ports of @sn, or those a namespace starts with when it is NULL. */
static int sipcode_put_ports(struct sk_buff *msg, const struct sipcode_net *sn)
{
	u16 ports[SIPCODE_PORTS_MAX];
	unsigned int i, n;

	n = sn ? sipcode_ports_get(sn, ports) : sipcode_default_ports(ports);
	for (i = 0; i < n; i++)
		if (nla_put_u32(msg, SIPCODE_PORT_A_PORT, ports[i]))
			return -EMSGSIZE;
	return 0;
}

int sipcode_nl_ports_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mutex *lock = sipcode_nl_lock(info);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(nla_total_size(0) + SIPCODE_PORTS_MAX *
			  nla_total_size(sizeof(u32)), GFP_KERNEL_ACCOUNT);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sipcode_genl_family, 0,
				SIPCODE_CMD_PORTS_GET);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, SIPCODE_A_PORTS);
	if (!nest)
		goto nospace;
	mutex_lock(lock);
	err = sipcode_put_ports(msg, sipcode_net(genl_info_net(info)));
	mutex_unlock(lock);
	if (err)
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* The port set of PORTS_SET and CONFIG_REPLACE, into @ports. */
static int sipcode_nl_ports(struct genl_info *info, u16 *ports,
			    unsigned int *n)
{
	struct nlattr *attr;
	int rem;

	if (GENL_REQ_ATTR_CHECK(info, SIPCODE_A_PORTS)) {
		NL_SET_ERR_MSG(info->extack, "the port set is missing");
		return -EINVAL;
	}
	*n = 0;
	nla_for_each_nested(attr, info->attrs[SIPCODE_A_PORTS], rem) {
		if (*n == SIPCODE_PORTS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many ports: at most "
					    __stringify(SIPCODE_PORTS_MAX));
			return -EINVAL;
		}
		ports[(*n)++] = nla_get_u32(attr);
	}
	if (!*n) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SIPCODE_A_PORTS],
				    "no port given");
		return -EINVAL;
	}
	return 0;
}

int sipcode_nl_ports_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mutex *lock = sipcode_nl_lock(info);
	u16 ports[SIPCODE_PORTS_MAX];
	struct sipcode_net *sn;
	unsigned int n;
	int err;

	err = sipcode_nl_ports(info, ports, &n);
	if (err)
		return err;
	mutex_lock(lock);
	sn = sipcode_configure(genl_info_net(info), info->extack);
	if (sn)
		sipcode_ports_replace(sn, ports, n);
	mutex_unlock(lock);
	return sn ? 0 : -ENOMEM;
}

static int sipcode_nl_match(struct nlattr **tb, const struct nlattr *nest,
			    struct sipcode_match *m,
			    struct netlink_ext_ack *extack)
{
	bool range = tb[SIPCODE_RULE_A_LOW] || tb[SIPCODE_RULE_A_HIGH];

	if (!!tb[SIPCODE_RULE_A_CODE] + !!tb[SIPCODE_RULE_A_CLASS] + range != 1) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a rule matches one of: a code, a class, a range");
		return -EINVAL;
	}
	if (tb[SIPCODE_RULE_A_CODE]) {
		m->type = SIPCODE_RULE_A_CODE;
		m->low = nla_get_u32(tb[SIPCODE_RULE_A_CODE]);
		m->high = m->low;
	} else if (tb[SIPCODE_RULE_A_CLASS]) {
		m->type = SIPCODE_RULE_A_CLASS;
		m->low = nla_get_u32(tb[SIPCODE_RULE_A_CLASS]);
		m->high = m->low;
	} else {
		if (!tb[SIPCODE_RULE_A_LOW] || !tb[SIPCODE_RULE_A_HIGH]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "a range needs a low and a high code");
			return -EINVAL;
		}
		m->type = SIPCODE_RULE_A_LOW;
		m->low = nla_get_u32(tb[SIPCODE_RULE_A_LOW]);
		m->high = nla_get_u32(tb[SIPCODE_RULE_A_HIGH]);
		if (m->low > m->high) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SIPCODE_RULE_A_HIGH],
					    "the range's low code is above its high code");
			return -EINVAL;
		}
	}
	m->peer[0] = '\0';
	if (tb[SIPCODE_RULE_A_PEER]) {
		nla_strscpy(m->peer, tb[SIPCODE_RULE_A_PEER], sizeof(m->peer));
		if (!sipcode_peer_name_valid(m->peer)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SIPCODE_RULE_A_PEER],
					    "a peer's name is letters, digits and -_.:@");
			return -EINVAL;
		}
	}
	return 0;
}

static int sipcode_nl_verdict(struct nlattr **tb, const struct nlattr *nest,
			      struct sipcode_verdict *v,
			      struct netlink_ext_ack *extack)
{
	bool mark;

	if (!tb[SIPCODE_RULE_A_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a rule needs an action");
		return -EINVAL;
	}
	v->action = nla_get_u32(tb[SIPCODE_RULE_A_ACTION]);
	mark = v->action == SIPCODE_ACTION_MARK;
	if (mark && !tb[SIPCODE_RULE_A_MARK]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "the mark action needs a mark value");
		return -EINVAL;
	}
	if (!mark && (tb[SIPCODE_RULE_A_MARK] || tb[SIPCODE_RULE_A_MASK])) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a mark or a mask goes with the mark action only");
		return -EINVAL;
	}
	v->notify = nla_get_flag(tb[SIPCODE_RULE_A_NOTIFY]);
	v->mark = mark ? nla_get_u32(tb[SIPCODE_RULE_A_MARK]) : 0;
	v->mask = tb[SIPCODE_RULE_A_MASK] ?
		  nla_get_u32(tb[SIPCODE_RULE_A_MASK]) : (mark ? U32_MAX : 0);
	if (v->mark & ~v->mask) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPCODE_RULE_A_MARK],
				    "the mark has bits outside the mask");
		return -EINVAL;
	}
	return 0;
}

/* RULE_ADD and RULE_DEL: the nest was validated by the op's policy. */
static int sipcode_nl_rule(struct genl_info *info, bool add)
{
	struct mutex *lock = sipcode_nl_lock(info);
	struct nlattr *tb[SIPCODE_RULE_A_MAX + 1];
	struct sipcode_verdict v = {};
	struct sipcode_net *sn;
	struct sipcode_match m;
	struct nlattr *nest;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPCODE_A_RULE)) {
		NL_SET_ERR_MSG(info->extack, "the rule is missing");
		return -EINVAL;
	}
	nest = info->attrs[SIPCODE_A_RULE];
	err = nla_parse_nested(tb, SIPCODE_RULE_A_MAX, nest,
			       sipcode_rule_nl_policy, info->extack);
	if (err)
		return err;
	if (!add && (tb[SIPCODE_RULE_A_ACTION] || tb[SIPCODE_RULE_A_MARK] ||
		     tb[SIPCODE_RULE_A_MASK] || tb[SIPCODE_RULE_A_NOTIFY])) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "a rule to delete is given by its match only");
		return -EINVAL;
	}
	err = sipcode_nl_match(tb, nest, &m, info->extack);
	if (!err && add)
		err = sipcode_nl_verdict(tb, nest, &v, info->extack);
	if (err)
		return err;

	mutex_lock(lock);
	if (add) {
		sn = sipcode_configure(genl_info_net(info), info->extack);
		err = sn ? sipcode_rules_add(sn, &m, &v, info->extack) :
		      -ENOMEM;
	} else {
		sn = sipcode_net(genl_info_net(info));
		err = sipcode_rules_del(sn, &m, info->extack);
	}
	mutex_unlock(lock);
	return err;
}

int sipcode_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sipcode_nl_rule(info, true);
}

int sipcode_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sipcode_nl_rule(info, false);
}

int sipcode_nl_rule_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_net(genl_info_net(info));

	if (!sn)
		return 0;
	mutex_lock(sn->lock);
	sipcode_rules_flush(sn);
	mutex_unlock(sn->lock);
	return 0;
}

static int sipcode_put_rule(struct sk_buff *skb, const struct sipcode_match *m,
			    const struct sipcode_verdict *v)
{
	struct nlattr *nest = nla_nest_start(skb, SIPCODE_A_RULE);
	int err;

	if (!nest)
		return -EMSGSIZE;
	switch (m->type) {
	case SIPCODE_RULE_A_CODE:
		err = nla_put_u32(skb, SIPCODE_RULE_A_CODE, m->low);
		break;
	case SIPCODE_RULE_A_CLASS:
		err = nla_put_u32(skb, SIPCODE_RULE_A_CLASS, m->low);
		break;
	default:
		err = nla_put_u32(skb, SIPCODE_RULE_A_LOW, m->low) ||
		      nla_put_u32(skb, SIPCODE_RULE_A_HIGH, m->high);
	}
	if (err || (m->peer[0] &&
		    nla_put_string(skb, SIPCODE_RULE_A_PEER, m->peer)) ||
	    nla_put_u32(skb, SIPCODE_RULE_A_ACTION, v->action) ||
	    (v->notify && nla_put_flag(skb, SIPCODE_RULE_A_NOTIFY)) ||
	    (v->action == SIPCODE_ACTION_MARK &&
	     (nla_put_u32(skb, SIPCODE_RULE_A_MARK, v->mark) ||
	      nla_put_u32(skb, SIPCODE_RULE_A_MASK, v->mask)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Each message is read from one table; a change in between is flagged. */
int sipcode_nl_rule_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct sipcode_dump *d = sipcode_dump(cb);
	struct sipcode_net *sn = sipcode_nl_sn(cb);
	const struct sipcode_rules *rules;
	struct sipcode_verdict v;
	struct sipcode_match m;
	int pos = d->pos;
	void *hdr;

	if (d->done || !sn)
		return 0;
	hdr = sipcode_dump_put(skb, cb, SIPCODE_CMD_RULE_GET);
	if (!hdr)
		return -EMSGSIZE;
	sipcode_dump_check(cb, sn, hdr);
	rcu_read_lock();
	rules = rcu_dereference(sn->rules);
	while ((pos = sipcode_rules_next(rules, pos, &m, &v)) >= 0) {
		if (sipcode_put_rule(skb, &m, &v))
			break;
		pos++;
	}
	rcu_read_unlock();
	d->pos = pos;
	d->done = pos < 0;
	genlmsg_end(skb, hdr);
	return skb->len;
}

int sipcode_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_net(genl_info_net(info));
	bool dry_run = sn ? READ_ONCE(sn->dry_run) : sipcode_default_dry_run();
	u32 rate = sn ? READ_ONCE(sn->event_rate) : SIPCODE_EVENT_RATE_DEFAULT;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(7 * nla_total_size(sizeof(u32)), GFP_KERNEL_ACCOUNT);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sipcode_genl_family, 0,
				SIPCODE_CMD_CONFIG_GET);
	if (!hdr ||
	    nla_put_u32(msg, SIPCODE_A_DRY_RUN, dry_run) ||
	    nla_put_u32(msg, SIPCODE_A_BY_METHOD,
			sn && rcu_access_pointer(sn->methods)) ||
	    nla_put_u32(msg, SIPCODE_A_REASONS,
			sn && rcu_access_pointer(sn->reasons)) ||
	    nla_put_u32(msg, SIPCODE_A_EVENT_RATE, rate) ||
	    nla_put_u32(msg, SIPCODE_A_TRANSACTIONS,
			sn && rcu_access_pointer(sn->txns)) ||
	    nla_put_u32(msg, SIPCODE_A_TXN_MAX,
			sn ? READ_ONCE(sn->txn_max) : SIPCODE_TXN_MAX_DEFAULT) ||
	    nla_put_u32(msg, SIPCODE_A_RELAYED,
			sn && (READ_ONCE(sn->more) & SIPCODE_MORE_RELAYED))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* -1 when @attr is not given, else its value (0 or 1). */
static int sipcode_nl_switch(const struct nlattr *attr)
{
	return attr ? nla_get_u32(attr) : -1;
}

/*
 * Every attribute given is applied, or none: only the tables can fail
 * (no memory), and they are allocated before anything changes.
 */
int sipcode_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mutex *lock = sipcode_nl_lock(info);
	struct sipcode_rules *rules = NULL;
	struct nlattr **tb = info->attrs;
	struct sipcode_net *sn;
	int err = -ENOMEM;
	u32 max;

	if (!tb[SIPCODE_A_DRY_RUN] && !tb[SIPCODE_A_BY_METHOD] &&
	    !tb[SIPCODE_A_REASONS] && !tb[SIPCODE_A_EVENT_RATE] &&
	    !tb[SIPCODE_A_TRANSACTIONS] && !tb[SIPCODE_A_TXN_MAX] &&
	    !tb[SIPCODE_A_RELAYED]) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}
	mutex_lock(lock);
	sn = sipcode_configure(genl_info_net(info), info->extack);
	if (!sn)
		goto out;
	/* The rules carry the dry-run mode: a new table to publish. */
	if (tb[SIPCODE_A_DRY_RUN]) {
		rules = sipcode_rules_copy(sn);
		if (!rules) {
			NL_SET_ERR_MSG(info->extack,
				       "out of memory: nothing was changed");
			goto out;
		}
	}
	max = tb[SIPCODE_A_TXN_MAX] ?
	      nla_get_u32(tb[SIPCODE_A_TXN_MAX]) : 0;
	err = sipcode_config_tables(sn,
				    sipcode_nl_switch(tb[SIPCODE_A_BY_METHOD]),
				    sipcode_nl_switch(tb[SIPCODE_A_REASONS]),
				    sipcode_nl_switch(tb[SIPCODE_A_TRANSACTIONS]),
				    max, info->extack);
	if (err) {
		kvfree(rules);
		goto out;
	}
	if (tb[SIPCODE_A_DRY_RUN]) {
		WRITE_ONCE(sn->dry_run, nla_get_u32(tb[SIPCODE_A_DRY_RUN]));
		sipcode_rules_publish(sn, rules);
	}
	if (tb[SIPCODE_A_EVENT_RATE])
		sipcode_events_set_rate(sn,
					nla_get_u32(tb[SIPCODE_A_EVENT_RATE]));
	if (tb[SIPCODE_A_RELAYED])
		sipcode_more_set(sn, SIPCODE_MORE_RELAYED,
				 nla_get_u32(tb[SIPCODE_A_RELAYED]));
out:
	mutex_unlock(lock);
	return err;
}

/*
 * A prefix nest into @p: an address of 4 or 16 bytes and a length that
 * fits it, no bit set past the length.
 */
static int sipcode_nl_prefix(struct nlattr *nest, struct sip_lpm_prefix *p,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SIPCODE_PREFIX_A_MAX + 1];
	int err, alen;
	u32 len;

	err = nla_parse_nested(tb, SIPCODE_PREFIX_A_MAX, nest,
			       sipcode_prefix_nl_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, SIPCODE_PREFIX_A_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, SIPCODE_PREFIX_A_LEN)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a prefix needs its address and its length");
		return -EINVAL;
	}
	alen = nla_len(tb[SIPCODE_PREFIX_A_ADDR]);
	if (alen != 4 && alen != 16) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPCODE_PREFIX_A_ADDR],
				    "an address is 4 bytes (IPv4) or 16 (IPv6)");
		return -EINVAL;
	}
	len = nla_get_u32(tb[SIPCODE_PREFIX_A_LEN]);
	if (len > 8 * alen) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPCODE_PREFIX_A_LEN],
				    "the length is longer than the address");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	nla_memcpy(p->addr, tb[SIPCODE_PREFIX_A_ADDR], alen);
	p->v6 = alen == 16;
	p->len = len;
	p->peer = 1;
	if (!sip_lpm_valid(p)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPCODE_PREFIX_A_ADDR],
				    "the address has bits set past the prefix length");
		return -EINVAL;
	}
	return 0;
}

/* The prefix nests in a peer nest. */
static unsigned int sipcode_nl_nprefixes(const struct nlattr *nest)
{
	const struct nlattr *attr;
	unsigned int n = 0;
	int rem;

	nla_for_each_nested(attr, nest, rem)
		n += nla_type(attr) == SIPCODE_PEER_A_PREFIX;
	return n;
}

/*
 * A peer nest: its name into @name, and its prefixes into @prefix, which
 * has room for all (sipcode_nl_nprefixes()), their number into *@n.
 */
static int sipcode_nl_peer(struct nlattr *nest, char *name,
			   struct sip_lpm_prefix *prefix, unsigned int *n,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SIPCODE_PEER_A_MAX + 1];
	struct nlattr *attr;
	int rem, err;

	*n = 0;
	err = nla_parse_nested(tb, SIPCODE_PEER_A_MAX, nest,
			       sipcode_peer_nl_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, SIPCODE_PEER_A_NAME)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "the peer's name is missing");
		return -EINVAL;
	}
	nla_strscpy(name, tb[SIPCODE_PEER_A_NAME], SIPCODE_PEER_NAME_MAX);
	if (!sipcode_peer_name_valid(name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPCODE_PEER_A_NAME],
				    "a peer's name is letters, digits and -_.:@");
		return -EINVAL;
	}
	if (!prefix)
		return 0;
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != SIPCODE_PEER_A_PREFIX)
			continue;
		err = sipcode_nl_prefix(attr, &prefix[*n], extack);
		if (err)
			return err;
		(*n)++;
	}
	if (!*n) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a peer needs a prefix at least");
		return -EINVAL;
	}
	return 0;
}

/*
 * The SIPCODE_A_PEER nests of a request into a set of peers, built and
 * finished, in *@peers: NULL when there is none.
 */
static int sipcode_nl_peers(struct genl_info *info,
			    struct sipcode_peers **peers)
{
	char name[SIPCODE_PEER_NAME_MAX];
	struct sip_lpm_prefix *prefix;
	unsigned int total = 0, most = 0, k, n;
	struct sipcode_peers *p;
	struct nlattr *attr;
	int rem, err = 0;

	*peers = NULL;
	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != SIPCODE_A_PEER)
			continue;
		k = sipcode_nl_nprefixes(attr);
		total += k;
		most = max(most, k);
		if (total > SIPCODE_PEER_PREFIXES_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many prefixes (peer-prefixes-max)");
			return -ENOSPC;
		}
	}
	if (!most)
		return 0;
	prefix = kvmalloc_array(most, sizeof(*prefix), GFP_KERNEL_ACCOUNT);
	p = sipcode_peers_new(NULL, total);
	if (!prefix || !p) {
		err = -ENOMEM;
		goto out;
	}
	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != SIPCODE_A_PEER)
			continue;
		err = sipcode_nl_peer(attr, name, prefix, &n, info->extack);
		if (!err) {
			err = sipcode_peers_add(p, name, prefix, n, info->extack);
			if (err)
				NL_SET_BAD_ATTR(info->extack, attr);
		}
		if (err)
			goto out;
	}
	err = sipcode_peers_finish(p, info->extack);
out:
	kvfree(prefix);
	if (err)
		sipcode_peers_free(p);
	else
		*peers = p;
	return err;
}

int sipcode_nl_peer_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mutex *lock = sipcode_nl_lock(info);
	char name[SIPCODE_PEER_NAME_MAX];
	struct sip_lpm_prefix *prefix;
	struct sipcode_peers *p = NULL;
	struct sipcode_net *sn;
	unsigned int n;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPCODE_A_PEER)) {
		NL_SET_ERR_MSG(info->extack, "the peer is missing");
		return -EINVAL;
	}
	n = sipcode_nl_nprefixes(info->attrs[SIPCODE_A_PEER]);
	if (n > SIPCODE_PEER_PREFIXES_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "too many prefixes (peer-prefixes-max)");
		return -ENOSPC;
	}
	prefix = kvmalloc_array(max(n, 1U), sizeof(*prefix),
				GFP_KERNEL_ACCOUNT);
	if (!prefix)
		return -ENOMEM;
	err = sipcode_nl_peer(info->attrs[SIPCODE_A_PEER], name, prefix, &n,
			      info->extack);
	if (err)
		goto out;
	mutex_lock(lock);
	sn = sipcode_configure(genl_info_net(info), info->extack);
	if (sn)
		p = sipcode_peers_new(sipcode_peers_locked(sn), n);
	err = p ? sipcode_peers_add(p, name, prefix, n, info->extack) :
	      -ENOMEM;
	if (!err)
		err = sipcode_peers_finish(p, info->extack);
	if (!err)
		sipcode_peers_publish(sn, p);
	else
		sipcode_peers_free(p);
	mutex_unlock(lock);
out:
	kvfree(prefix);
	return err;
}

int sipcode_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mutex *lock = sipcode_nl_lock(info);
	char name[SIPCODE_PEER_NAME_MAX];
	struct sipcode_peers *old, *p;
	struct sipcode_net *sn;
	struct nlattr *nest;
	unsigned int n;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPCODE_A_PEER)) {
		NL_SET_ERR_MSG(info->extack, "the peer is missing");
		return -EINVAL;
	}
	nest = info->attrs[SIPCODE_A_PEER];
	if (sipcode_nl_nprefixes(nest)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "a peer to delete is given by its name only");
		return -EINVAL;
	}
	err = sipcode_nl_peer(nest, name, NULL, &n, info->extack);
	if (err)
		return err;
	mutex_lock(lock);
	sn = sipcode_net(genl_info_net(info));
	if (sipcode_rules_of_peer(sn, name)) {
		NL_SET_ERR_MSG(info->extack,
			       "the peer has rules: delete them first");
		mutex_unlock(lock);
		return -EBUSY;
	}
	old = sn ? sipcode_peers_locked(sn) : NULL;
	p = old ? sipcode_peers_new(old, 0) : NULL;
	err = !old ? -ENOENT : p ? sipcode_peers_del(p, name) : -ENOMEM;
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no peer with this name");
	if (!err)
		err = sipcode_peers_finish(p, info->extack);
	if (!err)
		sipcode_peers_publish(sn, p);
	else
		sipcode_peers_free(p);
	mutex_unlock(lock);
	return err;
}

int sipcode_nl_peer_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_net(genl_info_net(info));
	int err = 0;

	if (!sn)
		return 0;
	mutex_lock(sn->lock);
	if (sipcode_rules_of_peer(sn, NULL)) {
		NL_SET_ERR_MSG(info->extack,
			       "a peer has rules: delete them first");
		err = -EBUSY;
	} else {
		sipcode_peers_publish(sn, NULL);
	}
	mutex_unlock(sn->lock);
	return err;
}

/*
 * The peer of @slot in @p: its name, and its prefixes from the one at
 * *@at in p->prefix, as many as the message holds.
 * Return: 0 with all of them put; -EMSGSIZE with *@at the first left out
 * (the nest put with those before it, or not at all when none fit).
 */
static int sipcode_put_peer(struct sk_buff *skb, const struct sipcode_peers *p,
			    unsigned int slot, unsigned int *at)
{
	struct nlattr *nest = nla_nest_start(skb, SIPCODE_A_PEER), *pn;
	const struct sip_lpm_prefix *x;
	unsigned int i, put = 0;

	if (!nest || nla_put_string(skb, SIPCODE_PEER_A_NAME, p->name[slot]))
		goto cancel;
	for (i = *at; i < p->nprefixes; i++) {
		x = &p->prefix[i];
		if (x->peer != slot + 1)
			continue;
		pn = nla_nest_start(skb, SIPCODE_PEER_A_PREFIX);
		if (!pn || nla_put(skb, SIPCODE_PREFIX_A_ADDR, x->v6 ? 16 : 4,
				   x->addr) ||
		    nla_put_u32(skb, SIPCODE_PREFIX_A_LEN, x->len)) {
			if (pn)
				nla_nest_cancel(skb, pn);
			if (!put)
				goto cancel;
			nla_nest_end(skb, nest);
			*at = i;
			return -EMSGSIZE;
		}
		nla_nest_end(skb, pn);
		put++;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	if (nest)
		nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * Each message is read from one set of peers; a change in between is
 * flagged. A peer with more prefixes than a message holds goes on in a
 * nest of the same name in the next message.
 */
int sipcode_nl_peer_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct sipcode_dump *d = sipcode_dump(cb);
	struct sipcode_net *sn = sipcode_nl_sn(cb);
	const struct sipcode_peers *p;
	void *hdr;

	if (d->done || !sn)
		return 0;
	hdr = sipcode_dump_put(skb, cb, SIPCODE_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	sipcode_dump_check(cb, sn, hdr);
	rcu_read_lock();
	p = rcu_dereference(sn->peers);
	while (p && d->pos < p->npeers) {
		if (sipcode_put_peer(skb, p, p->order[d->pos], &d->sub))
			break;
		d->pos++;
		d->sub = 0;
	}
	d->done = !p || d->pos >= p->npeers;
	rcu_read_unlock();
	genlmsg_end(skb, hdr);
	return skb->len;
}

/*
 * Per-CPU counters by code column (sipcode_peer_col), @row: a code nest
 * @type for each column that is not zero, code and seen, by code: the
 * classes' columns come last, and read 1 to 6, so they are put first.
 */
static int sipcode_put_columns(struct sk_buff *skb, int type,
			       const u64 __percpu *row)
{
	u64 sum[SIPCODE_PEER_COLUMNS];
	unsigned int i, col;
	struct nlattr *cn;

	sipcode_peers_sum(row, sum);
	for (i = 0; i < SIPCODE_PEER_COLUMNS; i++) {
		col = (i + SIPCODE_PEER_COLUMNS - 6) % SIPCODE_PEER_COLUMNS;
		if (!sum[col])
			continue;
		cn = nla_nest_start(skb, type);
		if (!cn || nla_put_u32(skb, SIPCODE_CODE_A_CODE,
				       sipcode_peer_col_code(col)) ||
		    nla_put_u64_64bit(skb, SIPCODE_CODE_A_SEEN, sum[col],
				      SIPCODE_CODE_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, cn);
	}
	return 0;
}

/*
 * The counters of a peer (@name), or of no peer (NULL), in direction
 * @dir: the columns that are not zero. Return: 0, or -EMSGSIZE with
 * nothing put.
 */
static int sipcode_put_peer_stats(struct sk_buff *skb, const char *name,
				  unsigned int dir, const u64 __percpu *row)
{
	struct nlattr *nest = nla_nest_start(skb, SIPCODE_A_PEER_STATS);

	if (!nest)
		return -EMSGSIZE;
	if ((name ? nla_put_string(skb, SIPCODE_PEER_STATS_A_NAME, name) :
		    nla_put_flag(skb, SIPCODE_PEER_STATS_A_OTHER)) ||
	    nla_put_u32(skb, SIPCODE_PEER_STATS_A_DIRECTION, dir))
		goto cancel;
	if (sipcode_put_columns(skb, SIPCODE_PEER_STATS_A_CODE, row))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * A peer's transactions of @method in direction @dir: a peer-stats nest
 * of its name and direction with a txn-method nest, method, tracked and,
 * for INVITE and REGISTER, the first finals. Return: 0, with nothing put
 * when there is nothing to count; -EMSGSIZE with nothing put.
 */
static int sipcode_put_peer_txn(struct sk_buff *skb, const char *name,
				unsigned int dir, unsigned int method,
				const struct sipcode_peer_ctr __percpu *ctr)
{
	u64 tracked = sipcode_stats_sum(&ctr->txn[dir][method]);
	struct nlattr *nest, *tm;
	unsigned int len;
	int mi = method == SIPCODE_METHOD_INVITE ? 0 :
		 method == SIPCODE_METHOD_REGISTER ? 1 : -1;

	if (!tracked && mi < 0)
		return 0;
	nest = nla_nest_start(skb, SIPCODE_A_PEER_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, SIPCODE_PEER_STATS_A_NAME, name) ||
	    nla_put_u32(skb, SIPCODE_PEER_STATS_A_DIRECTION, dir))
		goto full;
	tm = nla_nest_start(skb, SIPCODE_PEER_STATS_A_TXN_METHOD);
	if (!tm || nla_put_u32(skb, SIPCODE_TXN_METHOD_A_METHOD, method) ||
	    nla_put_u64_64bit(skb, SIPCODE_TXN_METHOD_A_TRACKED, tracked,
			      SIPCODE_TXN_METHOD_A_PAD))
		goto full;
	len = skb->len;
	if (mi >= 0 && sipcode_put_columns(skb, SIPCODE_TXN_METHOD_A_FINAL,
					   ctr->final[dir][mi]))
		goto full;
	/* Nothing tracked and no final: nothing to say. */
	if (!tracked && skb->len == len) {
		nla_nest_cancel(skb, nest);
		return 0;
	}
	nla_nest_end(skb, tm);
	nla_nest_end(skb, nest);
	return 0;
full:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* The nests of a row: its codes, then its transactions of each method. */
#define SIPCODE_PEER_ROW_PARTS (1 + SIPCODE_NMETHODS)

/*
 * Two rows a peer, in then out, by name, then two for no peer; each row
 * its codes, then, for a peer, a nest for each method with transactions.
 * d->pos counts the parts of rows put. Each message is read from one set
 * of peers; a change in between is flagged.
 */
int sipcode_nl_peer_stats_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	struct sipcode_dump *d = sipcode_dump(cb);
	struct sipcode_net *sn = sipcode_nl_sn(cb);
	const struct sipcode_peers *p;
	unsigned int slot, dir, row, part, end;
	const char *name;
	void *hdr;
	int err;

	if (d->done || !sn)
		return 0;
	hdr = sipcode_dump_put(skb, cb, SIPCODE_CMD_PEER_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	sipcode_dump_check(cb, sn, hdr);
	rcu_read_lock();
	p = rcu_dereference(sn->peers);
	end = p ? 2 * (p->npeers + 1) * SIPCODE_PEER_ROW_PARTS : 0;
	while (d->pos < end) {
		row = d->pos / SIPCODE_PEER_ROW_PARTS;
		part = d->pos % SIPCODE_PEER_ROW_PARTS;
		dir = row % 2;
		if (row / 2 < p->npeers) {
			slot = p->order[row / 2];
			name = p->name[slot];
			err = part ? sipcode_put_peer_txn(skb, name, dir,
							  part - 1,
							  p->ctr[slot]) :
			      sipcode_put_peer_stats(skb, name, dir,
						     p->ctr[slot]->n[dir]);
		} else {
			err = part ? 0 : sipcode_put_peer_stats(skb, NULL, dir,
						sn->stats->unpeered[dir]);
		}
		if (err)
			break;
		d->pos++;
	}
	d->done = d->pos >= end;
	rcu_read_unlock();
	genlmsg_end(skb, hdr);
	return skb->len;
}

/*
 * The whole configuration, built aside (config.c) from the request:
 * each SIPCODE_A_RULE nest in turn, the one refused named in the extack.
 */
int sipcode_nl_config_replace_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *rule[SIPCODE_RULE_A_MAX + 1];
	struct nlattr **tb = info->attrs;
	struct sipcode_config *cfg;
	struct sipcode_match m;
	struct sipcode_verdict v;
	struct nlattr *attr;
	int rem, err;

	cfg = sipcode_config_alloc();
	if (!cfg) {
		NL_SET_ERR_MSG(info->extack, "out of memory: nothing was changed");
		return -ENOMEM;
	}
	err = sipcode_nl_ports(info, cfg->ports, &cfg->nports);
	if (err)
		goto out;
	if (tb[SIPCODE_A_DRY_RUN])
		cfg->dry_run = nla_get_u32(tb[SIPCODE_A_DRY_RUN]);
	if (tb[SIPCODE_A_BY_METHOD])
		cfg->by_method = nla_get_u32(tb[SIPCODE_A_BY_METHOD]);
	if (tb[SIPCODE_A_REASONS])
		cfg->reasons = nla_get_u32(tb[SIPCODE_A_REASONS]);
	if (tb[SIPCODE_A_EVENT_RATE])
		cfg->event_rate = nla_get_u32(tb[SIPCODE_A_EVENT_RATE]);
	if (tb[SIPCODE_A_TRANSACTIONS])
		cfg->transactions = nla_get_u32(tb[SIPCODE_A_TRANSACTIONS]);
	if (tb[SIPCODE_A_TXN_MAX])
		cfg->txn_max = nla_get_u32(tb[SIPCODE_A_TXN_MAX]);
	if (tb[SIPCODE_A_RELAYED])
		cfg->relayed = nla_get_u32(tb[SIPCODE_A_RELAYED]);
	err = sipcode_nl_peers(info, &cfg->peers);
	if (err)
		goto out;
	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != SIPCODE_A_RULE)
			continue;
		memset(&v, 0, sizeof(v));
		err = nla_parse_nested(rule, SIPCODE_RULE_A_MAX, attr,
				       sipcode_rule_nl_policy, info->extack);
		if (!err)
			err = sipcode_nl_match(rule, attr, &m, info->extack);
		if (!err)
			err = sipcode_nl_verdict(rule, attr, &v, info->extack);
		if (!err) {
			err = sipcode_config_rule(cfg, &m, &v, info->extack);
			if (err)
				NL_SET_BAD_ATTR(info->extack, attr);
		}
		if (err)
			goto out;
	}
	err = sipcode_config_replace(genl_info_net(info), cfg, info->extack);
out:
	sipcode_config_free(cfg);
	return err;
}

/* A nest @type of u64 attributes, from the one after @pad to @max: @v[type]. */
static int sipcode_put_u64s(struct sk_buff *skb, int type, int pad, int max,
			    const u64 *v)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int attr;

	if (!nest)
		return -EMSGSIZE;
	for (attr = pad + 1; attr <= max; attr++)
		if (nla_put_u64_64bit(skb, attr, v[attr], pad))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The requests of each method with a count, one nest each; INVITE's and
 * REGISTER's with their first final responses.
 */
static int sipcode_put_txn_methods(struct sk_buff *skb,
				   const struct sipcode_txn_stats __percpu *st)
{
	struct nlattr *nest;
	unsigned int m;
	u64 v[4];

	for (m = 0; m < SIPCODE_NMETHODS; m++) {
		v[0] = sipcode_stats_sum(&st->tracked[m]);
		v[1] = sipcode_stats_sum(&st->untracked[m]);
		v[2] = sipcode_stats_sum(&st->retransmitted[m]);
		v[3] = sipcode_stats_sum(&st->timeouts[m]);
		if (!v[0] && !v[1] && !v[2] && !v[3])
			continue;
		nest = nla_nest_start(skb, SIPCODE_A_TXN_METHOD);
		if (!nest ||
		    nla_put_u32(skb, SIPCODE_TXN_METHOD_A_METHOD, m) ||
		    nla_put_u64_64bit(skb, SIPCODE_TXN_METHOD_A_TRACKED, v[0],
				      SIPCODE_TXN_METHOD_A_PAD) ||
		    nla_put_u64_64bit(skb, SIPCODE_TXN_METHOD_A_UNTRACKED, v[1],
				      SIPCODE_TXN_METHOD_A_PAD) ||
		    nla_put_u64_64bit(skb, SIPCODE_TXN_METHOD_A_RETRANSMITTED,
				      v[2], SIPCODE_TXN_METHOD_A_PAD) ||
		    nla_put_u64_64bit(skb, SIPCODE_TXN_METHOD_A_TIMEOUTS, v[3],
				      SIPCODE_TXN_METHOD_A_PAD) ||
		    (m == SIPCODE_METHOD_INVITE &&
		     sipcode_put_columns(skb, SIPCODE_TXN_METHOD_A_FINAL,
					 st->final[0])) ||
		    (m == SIPCODE_METHOD_REGISTER &&
		     sipcode_put_columns(skb, SIPCODE_TXN_METHOD_A_FINAL,
					 st->final[1])))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* Histogram @h (txn.h) when it has a delay. */
static int sipcode_put_delay(struct sk_buff *skb,
			     const struct sipcode_txn_stats __percpu *st,
			     unsigned int h)
{
	u64 count = 0, bucket[SIPCODE_DELAY_BUCKETS];
	struct nlattr *nest, *b;
	unsigned int i;

	for (i = 0; i < SIPCODE_DELAY_BUCKETS; i++) {
		bucket[i] = sipcode_stats_sum(&st->hist[h].bucket[i]);
		count += bucket[i];
	}
	if (!count)
		return 0;
	nest = nla_nest_start(skb, SIPCODE_A_DELAY);
	if (!nest ||
	    nla_put_u32(skb, SIPCODE_DELAY_A_KIND, sipcode_hist_kind(h)) ||
	    (h > SIPCODE_HIST_RRD &&
	     nla_put_u32(skb, SIPCODE_DELAY_A_CLASS, sipcode_hist_class(h))) ||
	    nla_put_u64_64bit(skb, SIPCODE_DELAY_A_COUNT, count,
			      SIPCODE_DELAY_A_PAD) ||
	    nla_put_u64_64bit(skb, SIPCODE_DELAY_A_SUM_US,
			      sipcode_stats_sum(&st->hist[h].sum_us),
			      SIPCODE_DELAY_A_PAD))
		return -EMSGSIZE;
	for (i = 0; i < SIPCODE_DELAY_BUCKETS; i++) {
		b = nla_nest_start(skb, SIPCODE_DELAY_A_BUCKET);
		if (!b ||
		    nla_put_u32(skb, SIPCODE_DELAY_BUCKET_A_LE_US,
				sipcode_delay_le_us[i]) ||
		    nla_put_u64_64bit(skb, SIPCODE_DELAY_BUCKET_A_COUNT,
				      bucket[i], SIPCODE_DELAY_BUCKET_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, b);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The largest reply of TXN_GET: every method, every column of INVITE's
 * and REGISTER's first final responses, and every histogram.
 */
#define SIPCODE_TXN_U64 nla_total_size_64bit(sizeof(u64))
#define SIPCODE_TXN_MSG_SIZE						\
	(nla_total_size(sizeof(u32)) +					\
	 nla_total_size(SIPCODE_TXN_A_MAX * SIPCODE_TXN_U64) +		\
	 SIPCODE_NMETHODS *						\
	 nla_total_size(nla_total_size(sizeof(u32)) + 4 * SIPCODE_TXN_U64) + \
	 2 * SIPCODE_PEER_COLUMNS *					\
	 nla_total_size(nla_total_size(sizeof(u32)) + SIPCODE_TXN_U64) +	\
	 SIPCODE_TXN_NHIST *						\
	 nla_total_size(2 * nla_total_size(sizeof(u32)) + 2 * SIPCODE_TXN_U64 + \
			SIPCODE_DELAY_BUCKETS *				\
			nla_total_size(nla_total_size(sizeof(u32)) +	\
				       SIPCODE_TXN_U64)))

int sipcode_nl_txn_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sipcode_net *sn = sipcode_net(genl_info_net(info));
	const struct sipcode_txn_stats __percpu *st;
	const struct sipcode_txns *tt;
	struct sk_buff *msg;
	unsigned int h, m;
	u64 v[SIPCODE_TXN_A_MAX + 1] = {};
	void *hdr;

	msg = genlmsg_new(SIPCODE_TXN_MSG_SIZE, GFP_KERNEL_ACCOUNT);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sipcode_genl_family, 0,
				SIPCODE_CMD_TXN_GET);
	if (!hdr)
		goto nomem;
	rcu_read_lock();
	tt = sn ? rcu_dereference(sn->txns) : NULL;
	if (!tt) {
		rcu_read_unlock();
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack, "transactions are off");
		return -ENODATA;
	}
	st = tt->stats;
	v[SIPCODE_TXN_A_ENTRIES] = max(sipcode_txn_entries(tt), 0L);
	for (m = 0; m < SIPCODE_NMETHODS; m++) {
		v[SIPCODE_TXN_A_TRACKED] += sipcode_stats_sum(&st->tracked[m]);
		v[SIPCODE_TXN_A_UNTRACKED] +=
			sipcode_stats_sum(&st->untracked[m]);
		v[SIPCODE_TXN_A_RETRANSMITTED] +=
			sipcode_stats_sum(&st->retransmitted[m]);
		v[SIPCODE_TXN_A_TIMEOUTS] += sipcode_stats_sum(&st->timeouts[m]);
	}
	v[SIPCODE_TXN_A_UNMATCHED] = sipcode_stats_sum(&st->unmatched);
	if (nla_put_u32(msg, SIPCODE_A_TXN_MAX, tt->max) ||
	    sipcode_put_u64s(msg, SIPCODE_A_TXN, SIPCODE_TXN_A_PAD,
			     SIPCODE_TXN_A_MAX, v) ||
	    sipcode_put_txn_methods(msg, st))
		goto unlock;
	for (h = 0; h < SIPCODE_TXN_NHIST; h++)
		if (sipcode_put_delay(msg, st, h))
			goto unlock;
	rcu_read_unlock();
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
unlock:
	rcu_read_unlock();
nomem:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * METHOD_GET and REASON_GET: a code's entries go in one message, and
 * each message is read from one table.
 */
static int sipcode_put_methods(struct sk_buff *skb,
			       const struct sipcode_methods *m,
			       unsigned int idx)
{
	struct nlattr *nest;
	unsigned int method;
	u64 count;

	for (method = 0; method < SIPCODE_NMETHODS; method++) {
		count = sipcode_methods_read(m, idx, method);
		if (!count)
			continue;
		nest = nla_nest_start(skb, SIPCODE_A_METHOD);
		if (!nest ||
		    nla_put_u32(skb, SIPCODE_METHOD_A_CODE,
				SIPCODE_CODE_MIN + idx) ||
		    nla_put_u32(skb, SIPCODE_METHOD_A_METHOD, method) ||
		    nla_put_u64_64bit(skb, SIPCODE_METHOD_A_COUNT, count,
				      SIPCODE_METHOD_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int sipcode_put_reasons(struct sk_buff *skb,
			       const struct sipcode_reasons *rs,
			       unsigned int idx, struct sipcode_reason *buf)
{
	unsigned int i, n = sipcode_reasons_read(rs, idx, buf);
	struct nlattr *nest;

	for (i = 0; i < n; i++) {
		nest = nla_nest_start(skb, SIPCODE_A_REASON);
		if (!nest ||
		    nla_put_u32(skb, SIPCODE_REASON_A_CODE,
				SIPCODE_CODE_MIN + idx) ||
		    nla_put(skb, SIPCODE_REASON_A_PHRASE, buf[i].len,
			    buf[i].phrase) ||
		    nla_put_u64_64bit(skb, SIPCODE_REASON_A_COUNT, buf[i].count,
				      SIPCODE_REASON_A_PAD) ||
		    (buf[i].truncated &&
		     nla_put_flag(skb, SIPCODE_REASON_A_TRUNCATED)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/*
 * METHOD_GET and REASON_GET. A table that is off is refused by the first
 * call (an extack there reaches the client on every kernel, where one
 * from .start does not); one switched off or reset since ends the dump
 * flagged as interrupted.
 */
static int sipcode_nl_insight_dump(struct sk_buff *skb,
				   struct netlink_callback *cb, u8 cmd)
{
	struct sipcode_dump *d = sipcode_dump(cb);
	struct sipcode_net *sn = sipcode_nl_sn(cb);
	const struct sipcode_methods *m = NULL;
	const struct sipcode_reasons *rs = NULL;
	bool reasons = cmd == SIPCODE_CMD_REASON_GET;
	unsigned int idx;
	void *hdr, *mark;
	int err = 0;

	if (d->done)
		return 0;
	if (reasons && !d->buf) {
		d->buf = kvmalloc_array(SIPCODE_REASONS_READ_MAX,
					sizeof(*d->buf), GFP_KERNEL_ACCOUNT);
		if (!d->buf)
			return -ENOMEM;
	}
	hdr = sipcode_dump_put(skb, cb, cmd);
	if (!hdr)
		return -EMSGSIZE;
	rcu_read_lock();
	if (sn) {
		m = rcu_dereference(sn->methods);
		rs = rcu_dereference(sn->reasons);
		sipcode_dump_check(cb, sn, hdr);
	}
	if (reasons ? !rs : !m) {
		rcu_read_unlock();
		genlmsg_cancel(skb, hdr);
		if (d->pos || d->head) {
			d->done = true;	/* switched off since the start */
			return 0;
		}
		if (reasons)
			NL_SET_ERR_MSG(cb->extack, "reason phrases are off");
		else
			NL_SET_ERR_MSG(cb->extack, "per-method counting is off");
		return -ENODATA;
	}
	d->head = true;
	for (idx = d->pos; idx < SIPCODE_NCODES; idx++) {
		mark = skb_tail_pointer(skb);
		if (reasons)
			err = sipcode_put_reasons(skb, rs, idx, d->buf);
		else
			err = sipcode_put_methods(skb, m, idx);
		if (err) {
			nlmsg_trim(skb, mark);
			break;
		}
	}
	rcu_read_unlock();
	if (err && idx == d->pos) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;	/* one code cannot fit a message */
	}
	d->pos = idx;
	d->done = idx == SIPCODE_NCODES;
	genlmsg_end(skb, hdr);
	return skb->len;
}

int sipcode_nl_method_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return sipcode_nl_insight_dump(skb, cb, SIPCODE_CMD_METHOD_GET);
}

int sipcode_nl_reason_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return sipcode_nl_insight_dump(skb, cb, SIPCODE_CMD_REASON_GET);
}

int sipcode_nl_reason_done(struct netlink_callback *cb)
{
	kvfree(sipcode_dump(cb)->buf);
	return 0;
}

bool sipcode_nl_has_listeners(struct net *net)
{
	return genl_has_listeners(&sipcode_genl_family, net,
				  SIPCODE_NLGRP_EVENTS);
}

void *sipcode_nl_event_put(struct sk_buff *msg)
{
	return genlmsg_put(msg, 0, 0, &sipcode_genl_family, 0,
			   SIPCODE_CMD_EVENT);
}

int sipcode_nl_event_send(struct net *net, struct sk_buff *msg)
{
	return genlmsg_multicast_netns(&sipcode_genl_family, net, msg, 0,
				       SIPCODE_NLGRP_EVENTS, GFP_ATOMIC);
}

#ifndef SIPCODE_HAVE_GENL_SPLIT_OPS
/* Before 6.2: the generated table as genl_ops (compat/genl.h). */
static struct genl_ops sipcode_genl_ops[ARRAY_SIZE(sipcode_nl_ops)] __ro_after_init;
#endif

static struct genl_family sipcode_genl_family __ro_after_init = {
	.name		= SIPCODE_GENL_NAME,
	.version	= SIPCODE_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
#ifdef SIPCODE_HAVE_GENL_SPLIT_OPS
	.split_ops	= sipcode_nl_ops,
	.n_split_ops	= ARRAY_SIZE(sipcode_nl_ops),
#else
	.ops		= sipcode_genl_ops,
#endif
	.mcgrps		= sipcode_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sipcode_mcgrps),
};

int __init sipcode_genl_register(void)
{
#ifndef SIPCODE_HAVE_GENL_SPLIT_OPS
	sipcode_genl_family.n_ops =
		sipcode_genl_ops_from_split(sipcode_genl_ops, sipcode_nl_ops,
					    ARRAY_SIZE(sipcode_nl_ops));
#endif
	return genl_register_family(&sipcode_genl_family);
}

void sipcode_genl_unregister(void)
{
	genl_unregister_family(&sipcode_genl_family);
}
