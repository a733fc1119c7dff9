/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One request to the sipcode generic netlink family, on a socket of its
 * own, with its replies handed to a parser and any failure reported; and
 * what the parsers of dumps share: the walk over the repeated nests of a
 * reply and the array they are gathered in.
 */
#ifndef SIPCODECTL_NL_H
#define SIPCODECTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

struct sipnl_req {
	const char *what;	/* names the request in errors: "ports set" */
	uint8_t cmd;		/* SIPCODE_CMD_* */
	int flags;		/* NLM_F_DUMP or 0 */
	/* Adds the attributes; 0 or a negative NLE_* code. May be NULL. */
	int (*fill)(struct nl_msg *msg, void *arg);
	/* Parses one reply; 0 or a negative NLE_* code. May be NULL. */
	int (*reply)(struct nlmsghdr *nlh, void *arg);
	/*
	 * Called when the kernel refuses the request with the negative
	 * errno @err and the extended ack @ext ("" when none): returns true
	 * when it has reported the refusal itself. May be NULL.
	 */
	bool (*refused)(int err, const char *ext, void *arg);
	/*
	 * A dump that spanned a change in the kernel (NLM_F_DUMP_INTR) is
	 * run again, after this forgets what the replies gave. NULL: such
	 * a dump is an error.
	 */
	void (*restart)(void *arg);
	void *arg;		/* for fill, reply, refused and restart */
	size_t size;		/* room for the request; 0: a page */
};

/*
 * Resolves the family, sends @req and reads every reply up to the ACK or
 * the end of the dump. Returns 0, or -1 after an error line on stderr
 * (printed by @req->refused when it takes the kernel's refusal).
 */
int sipnl_run(const struct sipnl_req *req);

/*
 * Calls @each on every top-level attribute of type @type of the generic
 * netlink message @nlh: the repeated nests of a dump. Stops at the first
 * negative return, and returns it; 0 otherwise.
 */
int sipnl_each(struct nlmsghdr *nlh, int type,
	       int (*each)(struct nlattr *nest, void *arg), void *arg);

/*
 * Checks the attributes of @nlh against @policy (SIPCODE_A_MAX + 1
 * entries), then calls sipnl_each(). 0 or a negative NLE_* code.
 */
int sipnl_nests(struct nlmsghdr *nlh, const struct nla_policy *policy,
		int type, int (*each)(struct nlattr *nest, void *arg),
		void *arg);

/*
 * Appends the @esize bytes at @e to the array @v of *@n elements with
 * room for *@size, the room doubled (from 64) when full. Returns the
 * array, maybe moved, or NULL when out of memory (@v is kept then).
 */
void *sipnl_append(void *v, size_t *n, size_t *size, const void *e,
		   size_t esize);

#endif /* SIPCODECTL_NL_H */
