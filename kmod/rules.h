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

/**
 * struct sipcode_verdict - what a rule does to a response
 * @mark: with the mark action: what the bits @mask of the packet's mark
 *	are set to
 * @mask: with the mark action: the bits of the packet's mark it changes
 * @action: enum sipcode_action; 0: no rule
 * @notify: also send an event
 * @dry_run: in the verdict table only: the table's dry-run mode, so that
 *	a packet reads its verdict and the mode from one table
 */
struct sipcode_verdict {
	u32 mark;
	u32 mask;
	u8 action;
	u8 notify;
	u8 dry_run;
};

/*
 * The action of a code in the first table (struct sipcode_rules) that a
 * peer has a rule for: the response's verdict is its peer's, read by
 * sipcode_peer_verdict() (hook.c). Never a rule's action.
 */
#define SIPCODE_ACTION_PEER 0xff

/**
 * struct sipcode_rule_set - rules as given: for every response, or a peer's
 * @code: by code (code - 100)
 * @range: by the low code of a range (code - 100)
 * @range_high: the high code of the range at @range; 0: no range starts
 *	here
 * @class: by class (1 to SIPCODE_NCLASSES)
 * @nrules: how many rules
 */
struct sipcode_rule_set {
	struct sipcode_verdict code[SIPCODE_NCODES];
	struct sipcode_verdict range[SIPCODE_NCODES];
	u16 range_high[SIPCODE_NCODES];
	struct sipcode_verdict class[SIPCODE_NCLASSES + 1];
	unsigned int nrules;
};

/**
 * struct sipcode_rule_scope - the rules of every response, or of a peer
 * @verdict: indexed by code - 100: the verdict for a response of the
 *	scope: a peer's rule where one matches, else the rules of every
 *	response
 * @set: the scope's rules
 * @slot: the peer's slot (struct sipcode_peers); scope 0's: unused
 * @name: the peer's name; "" for scope 0, the rules of every response
 */
struct sipcode_rule_scope {
	struct sipcode_verdict verdict[SIPCODE_NCODES];
	struct sipcode_rule_set set;
	u16 slot;
	char name[SIPCODE_PEER_NAME_MAX];
};

/**
 * struct sipcode_rules - a table of rules, and the verdict per code
 * @rcu: first: kvfree_rcu() needs it near
 * @verdict: indexed by code - 100: what the packet path reads, scope 0's
 *	verdicts, and SIPCODE_ACTION_PEER for the codes a peer has a rule
 *	for
 * @peers_gen: the generation of the peers (struct sipcode_peers) whose
 *	slots @tab is indexed by
 * @nrules: how many rules, of every scope
 * @nscopes: scope 0, then the peers with rules, by name
 * @dry_run: set by sipcode_rules_publish()
 * @tab: indexed by the peer of a response (0: none; else its slot + 1):
 *	its scope, 0 for a peer with no rule
 * @scope: the rules of every response, then each peer's
 */
struct sipcode_rules {
	struct rcu_head rcu;
	struct sipcode_verdict verdict[SIPCODE_NCODES];
	u64 peers_gen;
	unsigned int nrules;
	unsigned int nscopes;
	bool dry_run;
	u8 tab[SIPCODE_PEERS_MAX + 1];
	struct sipcode_rule_scope scope[];
};

/**
 * struct sipcode_match - what a rule matches
 * @type: SIPCODE_RULE_A_CODE, _CLASS or _LOW
 * @low: the code, the class or the low code
 * @high: the high code of a range
 * @peer: the name of the peer whose rule it is; "": every response's
 */
struct sipcode_match {
	u8 type;
	u16 low;
	u16 high;
	char peer[SIPCODE_PEER_NAME_MAX];
};

struct sipcode_net;
struct sipcode_peers;

/**
 * sipcode_rules_alloc() - a table with no rule, to build a new one aside
 *
 * Return: the table, or NULL: no memory.
 */
struct sipcode_rules *sipcode_rules_alloc(void);

/**
 * sipcode_rules_copy() - a copy of the rules of a namespace
 * @sn: the namespace's state
 *
 * Context: Under sn->lock.
 * Return: a copy of the published table of @sn, or a table with no rule;
 * NULL: no memory.
 */
struct sipcode_rules *sipcode_rules_copy(struct sipcode_net *sn);

/**
 * sipcode_rules_insert() - add a rule to a table not published
 * @rp: the table; a peer's first rule replaces it with a larger one
 * @m: the rule's match
 * @v: what it does
 * @peers: the peers of @m->peer, or NULL for none
 * @extack: for a message on failure
 *
 * Return: 0; -EEXIST (and a message in @extack) when a rule of the scope
 * has the same match, or a range of the scope overlaps; -ENOENT when no
 * peer of @peers has the name; -ENOSPC with SIPCODE_RULE_PEERS_MAX peers
 * with rules already; -ENOMEM.
 */
int sipcode_rules_insert(struct sipcode_rules **rp,
			 const struct sipcode_match *m,
			 const struct sipcode_verdict *v,
			 const struct sipcode_peers *peers,
			 struct netlink_ext_ack *extack);
/**
 * sipcode_rules_publish() - make a table the rules of a namespace
 * @sn: the namespace's state
 * @new: the table; NULL or no rule: none
 *
 * Publish @new with the dry-run mode of @sn and the generation of its
 * peers, in one pointer, and free the old table after a grace period.
 * @new is the table's now. Its peers are those of @sn: publish them
 * first.
 *
 * Context: Under sn->lock.
 */
void sipcode_rules_publish(struct sipcode_net *sn, struct sipcode_rules *new);

/**
 * sipcode_rules_add() - add a rule to a namespace
 * @sn: the namespace's state
 * @m: the rule's match
 * @v: what it does
 * @extack: for a message on failure
 *
 * Context: Under sn->lock.
 * Return: 0, or an error of sipcode_rules_insert().
 */
int sipcode_rules_add(struct sipcode_net *sn, const struct sipcode_match *m,
		      const struct sipcode_verdict *v,
		      struct netlink_ext_ack *extack);
/**
 * sipcode_rules_del() - delete a rule of a namespace
 * @sn: the namespace's state; may be NULL: a namespace not configured has
 *      no rule
 * @m: the rule's match
 * @extack: for a message on failure
 *
 * Context: Under sn->lock.
 * Return: 0; -ENOENT (and a message in @extack) when no rule has the
 * match @m; or -ENOMEM.
 */
int sipcode_rules_del(struct sipcode_net *sn, const struct sipcode_match *m,
		      struct netlink_ext_ack *extack);

/**
 * sipcode_rules_flush() - delete every rule of a namespace
 * @sn: the namespace's state
 *
 * Context: Under sn->lock.
 */
void sipcode_rules_flush(struct sipcode_net *sn);

/**
 * sipcode_rules_free() - free the table of a namespace
 * @sn: the namespace's state
 *
 * Context: At namespace exit, once no packet path can run.
 */
void sipcode_rules_free(struct sipcode_net *sn);

/**
 * sipcode_rules_next() - a rule of a dump
 * @rules: the table
 * @pos: the position to start at
 * @m: set to the rule's match
 * @v: set to what it does
 *
 * The rule at position @pos of a dump (scope by scope: codes, then
 * ranges, then classes, each ascending) or later: fills @m and @v.
 *
 * Return: its position, or -1 after the last.
 */
int sipcode_rules_next(const struct sipcode_rules *rules, int pos,
		       struct sipcode_match *m, struct sipcode_verdict *v);

/**
 * sipcode_rules_of_peer() - does a peer have rules?
 * @sn: the namespace's state
 * @name: the peer's name; NULL: any peer
 *
 * Context: Under sn->lock.
 * Return: true when it has (any has).
 */
bool sipcode_rules_of_peer(struct sipcode_net *sn, const char *name);

#endif /* _SIPCODE_RULES_H */
