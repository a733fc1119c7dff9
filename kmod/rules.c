// SPDX-License-Identifier: GPL-2.0
/*
 * Rule changes: copy the published table (or start a new one, for a
 * configuration built aside: config.c), change the copy, compute its
 * verdicts and publish it. Publishing holds sn->lock.
 */
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "rules.h"
#include "sipcode.h"

#define SIPCODE_RULES_DUMP_RANGES SIPCODE_NCODES
#define SIPCODE_RULES_DUMP_CLASSES (2 * SIPCODE_NCODES)
#define SIPCODE_RULES_DUMP_END (SIPCODE_RULES_DUMP_CLASSES + SIPCODE_NCLASSES)

static struct sipcode_rules *sipcode_rules_get(struct sipcode_net *sn)
{
	return rcu_dereference_protected(sn->rules,
					 lockdep_is_held(sn->lock));
}

/* Most specific last: class, then range, then code. */
static void sipcode_rules_compute(struct sipcode_rules *r)
{
	unsigned int i, j;

	for (i = 0; i < SIPCODE_NCODES; i++)
		r->verdict[i] = r->class[1 + i / 100];
	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (!r->range_high[i])
			continue;
		for (j = i; j <= r->range_high[i] - SIPCODE_CODE_MIN; j++)
			r->verdict[j] = r->range[i];
	}
	for (i = 0; i < SIPCODE_NCODES; i++)
		if (r->code[i].action)
			r->verdict[i] = r->code[i];
	for (i = 0; i < SIPCODE_NCODES; i++)
		r->verdict[i].dry_run = r->dry_run;
}

struct sipcode_rules *sipcode_rules_alloc(void)
{
	return kvzalloc(sizeof(struct sipcode_rules), GFP_KERNEL_ACCOUNT);
}

struct sipcode_rules *sipcode_rules_copy(struct sipcode_net *sn)
{
	struct sipcode_rules *old = sipcode_rules_get(sn), *new;

	if (!old)
		return sipcode_rules_alloc();
	new = kvmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (new)
		memcpy(new, old, sizeof(*new));
	return new;
}

void sipcode_rules_publish(struct sipcode_net *sn, struct sipcode_rules *new)
{
	struct sipcode_rules *old = sipcode_rules_get(sn);

	if (new && !new->nrules) {
		kvfree(new);
		new = NULL;
	}
	if (new) {
		new->dry_run = sn->dry_run;
		sipcode_rules_compute(new);
	}
	rcu_assign_pointer(sn->rules, new);
	sn->gen++;
	if (old)
		kvfree_rcu(old, rcu);
}

/* The slot of the rule with match @m in @r. */
static struct sipcode_verdict *sipcode_rules_slot(struct sipcode_rules *r,
						  const struct sipcode_match *m)
{
	switch (m->type) {
	case SIPCODE_RULE_A_CODE:
		return &r->code[m->low - SIPCODE_CODE_MIN];
	case SIPCODE_RULE_A_CLASS:
		return &r->class[m->low];
	default:
		return &r->range[m->low - SIPCODE_CODE_MIN];
	}
}

static bool sipcode_rules_overlap(const struct sipcode_rules *r,
				  const struct sipcode_match *m)
{
	unsigned int i;

	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (r->range_high[i] && i + SIPCODE_CODE_MIN <= m->high &&
		    m->low <= r->range_high[i])
			return true;
	}
	return false;
}

int sipcode_rules_insert(struct sipcode_rules *r, const struct sipcode_match *m,
			 const struct sipcode_verdict *v,
			 struct netlink_ext_ack *extack)
{
	struct sipcode_verdict *slot = sipcode_rules_slot(r, m);

	if (m->type == SIPCODE_RULE_A_LOW) {
		if (sipcode_rules_overlap(r, m)) {
			NL_SET_ERR_MSG(extack, "the range overlaps another range");
			return -EEXIST;
		}
		r->range_high[m->low - SIPCODE_CODE_MIN] = m->high;
	} else if (slot->action) {
		NL_SET_ERR_MSG(extack, "a rule with this match exists");
		return -EEXIST;
	}
	*slot = *v;
	slot->dry_run = 0;
	r->nrules++;
	return 0;
}

int sipcode_rules_add(struct sipcode_net *sn, const struct sipcode_match *m,
		      const struct sipcode_verdict *v,
		      struct netlink_ext_ack *extack)
{
	struct sipcode_rules *new;
	int err;

	new = sipcode_rules_copy(sn);
	if (!new)
		return -ENOMEM;
	err = sipcode_rules_insert(new, m, v, extack);
	if (err) {
		kvfree(new);
		return err;
	}
	sipcode_rules_publish(sn, new);
	return 0;
}

int sipcode_rules_del(struct sipcode_net *sn, const struct sipcode_match *m,
		      struct netlink_ext_ack *extack)
{
	struct sipcode_rules *old = sn ? sipcode_rules_get(sn) : NULL, *new;
	unsigned int idx = m->low - SIPCODE_CODE_MIN;
	struct sipcode_verdict *slot;

	if (!old || !sipcode_rules_slot(old, m)->action ||
	    (m->type == SIPCODE_RULE_A_LOW && old->range_high[idx] != m->high)) {
		NL_SET_ERR_MSG(extack, "no rule with this match");
		return -ENOENT;
	}
	new = sipcode_rules_copy(sn);
	if (!new)
		return -ENOMEM;
	slot = sipcode_rules_slot(new, m);
	memset(slot, 0, sizeof(*slot));
	if (m->type == SIPCODE_RULE_A_LOW)
		new->range_high[idx] = 0;
	new->nrules--;
	sipcode_rules_publish(sn, new);
	return 0;
}

void sipcode_rules_flush(struct sipcode_net *sn)
{
	sipcode_rules_publish(sn, NULL);
}

/* At namespace exit, once no packet path can run. */
void sipcode_rules_free(struct sipcode_net *sn)
{
	kvfree(rcu_dereference_protected(sn->rules, true));
}

int sipcode_rules_next(const struct sipcode_rules *rules, int pos,
		       struct sipcode_match *m, struct sipcode_verdict *v)
{
	for (; rules && pos < SIPCODE_RULES_DUMP_END; pos++) {
		if (pos < SIPCODE_RULES_DUMP_RANGES) {
			*v = rules->code[pos];
			m->type = SIPCODE_RULE_A_CODE;
			m->low = pos + SIPCODE_CODE_MIN;
		} else if (pos < SIPCODE_RULES_DUMP_CLASSES) {
			unsigned int i = pos - SIPCODE_RULES_DUMP_RANGES;

			*v = rules->range[i];
			m->type = SIPCODE_RULE_A_LOW;
			m->low = i + SIPCODE_CODE_MIN;
			m->high = rules->range_high[i];
		} else {
			*v = rules->class[1 + pos - SIPCODE_RULES_DUMP_CLASSES];
			m->type = SIPCODE_RULE_A_CLASS;
			m->low = 1 + pos - SIPCODE_RULES_DUMP_CLASSES;
		}
		if (v->action)
			return pos;
	}
	return -1;
}
