// SPDX-License-Identifier: GPL-2.0
/*
 * Rule changes: copy the published table (or start a new one, for a
 * configuration built aside: config.c), change the copy, compute its
 * verdicts and publish it. Publishing holds sn->lock.
 *
 * A table has a scope for the rules of every response, then one for each
 * peer with rules, by name: a peer's first rule adds its scope (a larger
 * copy of the table), its last one removes it.
 */
#include <linux/lockdep.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "peers.h"
#include "rules.h"
#include "sipcode.h"

#define SIPCODE_RULES_DUMP_RANGES SIPCODE_NCODES
#define SIPCODE_RULES_DUMP_CLASSES (2 * SIPCODE_NCODES)
#define SIPCODE_RULES_DUMP_END (SIPCODE_RULES_DUMP_CLASSES + SIPCODE_NCLASSES)

static_assert(SIPCODE_RULE_PEERS_MAX < U8_MAX);

static struct sipcode_rules *sipcode_rules_get(struct sipcode_net *sn)
{
	return rcu_dereference_protected(sn->rules,
					 lockdep_is_held(sn->lock));
}

/* The verdicts of the rules of @r alone: most specific last. */
static void sipcode_rules_compute_set(const struct sipcode_rule_set *r,
				      struct sipcode_verdict *verdict)
{
	unsigned int i, j;

	for (i = 0; i < SIPCODE_NCODES; i++)
		verdict[i] = r->class[1 + i / 100];
	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (!r->range_high[i])
			continue;
		for (j = i; j <= r->range_high[i] - SIPCODE_CODE_MIN; j++)
			verdict[j] = r->range[i];
	}
	for (i = 0; i < SIPCODE_NCODES; i++)
		if (r->code[i].action)
			verdict[i] = r->code[i];
}

/*
 * Each scope's verdicts: a peer's rule where one matches, else scope 0's;
 * the first table, scope 0's but for the codes a peer has a rule for; the
 * scope of each peer's slot.
 */
static void sipcode_rules_compute(struct sipcode_rules *r)
{
	struct sipcode_rule_scope *s;
	unsigned int i, k;

	memset(r->tab, 0, sizeof(r->tab));
	sipcode_rules_compute_set(&r->scope[0].set, r->scope[0].verdict);
	for (i = 0; i < SIPCODE_NCODES; i++)
		r->scope[0].verdict[i].dry_run = r->dry_run;
	memcpy(r->verdict, r->scope[0].verdict, sizeof(r->verdict));
	for (k = 1; k < r->nscopes; k++) {
		s = &r->scope[k];
		r->tab[s->slot + 1] = k;
		sipcode_rules_compute_set(&s->set, s->verdict);
		for (i = 0; i < SIPCODE_NCODES; i++) {
			if (s->verdict[i].action)
				r->verdict[i].action = SIPCODE_ACTION_PEER;
			else
				s->verdict[i] = r->scope[0].verdict[i];
			s->verdict[i].dry_run = r->dry_run;
		}
	}
}

static struct sipcode_rules *sipcode_rules_new(unsigned int nscopes)
{
	return kvzalloc(struct_size((struct sipcode_rules *)NULL, scope,
				    nscopes), GFP_KERNEL_ACCOUNT);
}

struct sipcode_rules *sipcode_rules_alloc(void)
{
	struct sipcode_rules *r = sipcode_rules_new(1);

	if (r)
		r->nscopes = 1;
	return r;
}

struct sipcode_rules *sipcode_rules_copy(struct sipcode_net *sn)
{
	struct sipcode_rules *old = sipcode_rules_get(sn), *new;
	size_t size;

	if (!old)
		return sipcode_rules_alloc();
	size = struct_size(old, scope, old->nscopes);
	new = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (new)
		memcpy(new, old, size);
	return new;
}

void sipcode_rules_publish(struct sipcode_net *sn, struct sipcode_rules *new)
{
	struct sipcode_rules *old = sipcode_rules_get(sn);
	struct sipcode_peers *peers = sipcode_peers_locked(sn);

	if (new && !new->nrules) {
		kvfree(new);
		new = NULL;
	}
	if (new) {
		new->dry_run = sn->dry_run;
		new->peers_gen = peers ? peers->gen : 0;
		sipcode_rules_compute(new);
	}
	rcu_assign_pointer(sn->rules, new);
	sn->gen++;
	if (old)
		kvfree_rcu(old, rcu);
}

/* The scope of the peer named @name in @r: 0 for "", -1 for none. */
static int sipcode_rules_scope(const struct sipcode_rules *r, const char *name)
{
	unsigned int k;

	if (!*name)
		return 0;
	for (k = 1; k < r->nscopes; k++)
		if (!strcmp(r->scope[k].name, name))
			return k;
	return -1;
}

/* A scope for the peer named @name, added to *@rp in its place by name. */
static int sipcode_rules_add_scope(struct sipcode_rules **rp, const char *name,
				   const struct sipcode_peers *peers,
				   struct netlink_ext_ack *extack)
{
	struct sipcode_rules *old = *rp, *new;
	int slot = peers ? sipcode_peers_find(peers, name) : -1;
	unsigned int k;

	if (slot < 0) {
		NL_SET_ERR_MSG(extack, "no peer with this name");
		return -ENOENT;
	}
	if (old->nscopes > SIPCODE_RULE_PEERS_MAX) {
		NL_SET_ERR_MSG(extack, "too many peers with rules (rule-peers-max)");
		return -ENOSPC;
	}
	new = sipcode_rules_new(old->nscopes + 1);
	if (!new)
		return -ENOMEM;
	for (k = 1; k < old->nscopes && strcmp(old->scope[k].name, name) < 0;
	     k++)
		;
	memcpy(new, old, struct_size(old, scope, k));
	memcpy(&new->scope[k + 1], &old->scope[k],
	       (old->nscopes - k) * sizeof(old->scope[0]));
	new->nscopes = old->nscopes + 1;
	new->scope[k].slot = slot;
	strscpy(new->scope[k].name, name, sizeof(new->scope[k].name));
	kvfree(old);
	*rp = new;
	return k;
}

/* The slot of the rule with match @m in @r. */
static struct sipcode_verdict *sipcode_rules_slot(struct sipcode_rule_set *r,
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

static bool sipcode_rules_overlap(const struct sipcode_rule_set *r,
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

int sipcode_rules_insert(struct sipcode_rules **rp,
			 const struct sipcode_match *m,
			 const struct sipcode_verdict *v,
			 const struct sipcode_peers *peers,
			 struct netlink_ext_ack *extack)
{
	int k = sipcode_rules_scope(*rp, m->peer);
	struct sipcode_verdict *slot;
	struct sipcode_rule_set *r;

	if (k < 0)
		k = sipcode_rules_add_scope(rp, m->peer, peers, extack);
	if (k < 0)
		return k;
	r = &(*rp)->scope[k].set;
	slot = sipcode_rules_slot(r, m);
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
	(*rp)->nrules++;
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
	err = sipcode_rules_insert(&new, m, v, sipcode_peers_locked(sn),
				   extack);
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
	struct sipcode_rule_set *set;
	int k = old ? sipcode_rules_scope(old, m->peer) : -1;

	if (k < 0 || !sipcode_rules_slot(&old->scope[k].set, m)->action ||
	    (m->type == SIPCODE_RULE_A_LOW &&
	     old->scope[k].set.range_high[idx] != m->high)) {
		NL_SET_ERR_MSG(extack, "no rule with this match");
		return -ENOENT;
	}
	new = sipcode_rules_copy(sn);
	if (!new)
		return -ENOMEM;
	set = &new->scope[k].set;
	memset(sipcode_rules_slot(set, m), 0, sizeof(struct sipcode_verdict));
	if (m->type == SIPCODE_RULE_A_LOW)
		set->range_high[idx] = 0;
	set->nrules--;
	new->nrules--;
	/* A peer's last rule: its scope goes (the table keeps its size). */
	if (k && !set->nrules) {
		memmove(&new->scope[k], &new->scope[k + 1],
			(new->nscopes - k - 1) * sizeof(new->scope[0]));
		new->nscopes--;
	}
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

bool sipcode_rules_of_peer(struct sipcode_net *sn, const char *name)
{
	struct sipcode_rules *r = sn ? sipcode_rules_get(sn) : NULL;

	if (!r)
		return false;
	return name ? sipcode_rules_scope(r, name) > 0 : r->nscopes > 1;
}

int sipcode_rules_next(const struct sipcode_rules *rules, int pos,
		       struct sipcode_match *m, struct sipcode_verdict *v)
{
	const struct sipcode_rule_set *r;
	unsigned int k, at;

	for (; rules && pos < rules->nscopes * SIPCODE_RULES_DUMP_END; pos++) {
		k = pos / SIPCODE_RULES_DUMP_END;
		at = pos % SIPCODE_RULES_DUMP_END;
		r = &rules->scope[k].set;
		if (at < SIPCODE_RULES_DUMP_RANGES) {
			*v = r->code[at];
			m->type = SIPCODE_RULE_A_CODE;
			m->low = at + SIPCODE_CODE_MIN;
		} else if (at < SIPCODE_RULES_DUMP_CLASSES) {
			unsigned int i = at - SIPCODE_RULES_DUMP_RANGES;

			*v = r->range[i];
			m->type = SIPCODE_RULE_A_LOW;
			m->low = i + SIPCODE_CODE_MIN;
			m->high = r->range_high[i];
		} else {
			*v = r->class[1 + at - SIPCODE_RULES_DUMP_CLASSES];
			m->type = SIPCODE_RULE_A_CLASS;
			m->low = 1 + at - SIPCODE_RULES_DUMP_CLASSES;
		}
		if (v->action) {
			strscpy(m->peer, rules->scope[k].name, sizeof(m->peer));
			return pos;
		}
	}
	return -1;
}
