/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules of a namespace (see "Rules" in the netlink spec, sipcode.yaml)
 * and the verdict per code they give, which the packet path reads. A
 * published table is never changed: a change builds a new one and swaps
 * it under RCU, so the packet path takes no lock and looks up a code in
 * O(1) however many rules there are.
 */
#ifndef _SIPCODE_RULES_H
#define _SIPCODE_RULES_H

#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/sipcode.h>
#include <linux/types.h>

#define SIPCODE_NCLASSES 6

struct sipcode_verdict {
	u32 mark;
	u32 mask;
	u8 action;	/* enum sipcode_action; 0: no rule */
	u8 notify;	/* also send an event */
	/*
	 * In the verdict table only: the table's dry-run mode, so that a
	 * packet reads its verdict and the mode from one table.
	 */
	u8 dry_run;
};

struct sipcode_rules {
	struct rcu_head rcu;	/* first: kvfree_rcu() needs it near */
	/* Indexed by code - 100: what the packet path reads. */
	struct sipcode_verdict verdict[SIPCODE_NCODES];
	/* The rules as given: by code, by the low code of a range, by class. */
	struct sipcode_verdict code[SIPCODE_NCODES];
	struct sipcode_verdict range[SIPCODE_NCODES];
	u16 range_high[SIPCODE_NCODES];	/* 0: no range starts here */
	struct sipcode_verdict class[SIPCODE_NCLASSES + 1];
	unsigned int nrules;
	bool dry_run;	/* set by sipcode_rules_publish() */
};

/* What a rule matches: type is SIPCODE_RULE_A_CODE, _CLASS or _LOW. */
struct sipcode_match {
	u8 type;
	u16 low;	/* the code, the class or the low code */
	u16 high;	/* the high code of a range */
};

struct sipcode_net;

/* A table with no rule (NULL: no memory), to build a new one aside. */
struct sipcode_rules *sipcode_rules_alloc(void);
/* A copy of the published table of @sn, or a table with no rule. */
struct sipcode_rules *sipcode_rules_copy(struct sipcode_net *sn);
/*
 * Add a rule to @r, a table not published: -EEXIST (and a message in
 * @extack) when a rule has the same match, or a range overlaps.
 */
int sipcode_rules_insert(struct sipcode_rules *r, const struct sipcode_match *m,
			 const struct sipcode_verdict *v,
			 struct netlink_ext_ack *extack);
/*
 * Publish @new (NULL or no rule: none) with the dry-run mode of @sn,
 * in one pointer, and free the old table after a grace period. Under
 * sn->lock; @new is the table's now.
 */
void sipcode_rules_publish(struct sipcode_net *sn, struct sipcode_rules *new);

int sipcode_rules_add(struct sipcode_net *sn, const struct sipcode_match *m,
		      const struct sipcode_verdict *v,
		      struct netlink_ext_ack *extack);
/* @sn may be NULL: a namespace not configured has no rule. */
int sipcode_rules_del(struct sipcode_net *sn, const struct sipcode_match *m,
		      struct netlink_ext_ack *extack);
void sipcode_rules_flush(struct sipcode_net *sn);
void sipcode_rules_free(struct sipcode_net *sn);

/*
 * The rule at position @pos of a dump (codes, then ranges, then classes,
 * each ascending) or later: fills @m and @v and returns its position, or
 * -1 after the last.
 */
int sipcode_rules_next(const struct sipcode_rules *rules, int pos,
		       struct sipcode_match *m, struct sipcode_verdict *v);

#endif /* _SIPCODE_RULES_H */
