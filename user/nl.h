/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One request to the sipcode generic netlink family, on a socket of its
 * own, with its replies handed to a parser and any failure reported.
 */
#ifndef SIPCODECTL_NL_H
#define SIPCODECTL_NL_H

#include <stdint.h>

#include <netlink/msg.h>

struct sipnl_req {
	const char *what;	/* names the request in errors: "ports set" */
	uint8_t cmd;		/* SIPCODE_CMD_* */
	int flags;		/* NLM_F_DUMP or 0 */
	/* Adds the attributes; 0 or a negative NLE_* code. May be NULL. */
	int (*fill)(struct nl_msg *msg, void *arg);
	/* Parses one reply; 0 or a negative NLE_* code. May be NULL. */
	int (*reply)(struct nlmsghdr *nlh, void *arg);
	void *arg;		/* for fill and reply */
};

/*
 * Resolves the family, sends @req and reads every reply up to the ACK or
 * the end of the dump. Returns 0, or -1 after an error line on stderr.
 */
int sipnl_run(const struct sipnl_req *req);

#endif /* SIPCODECTL_NL_H */
