/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One request to the sipcode generic netlink family, on a socket of its
 * own, with its replies handed to a parser and any failure reported.
 */
#ifndef SIPCODECTL_NL_H
#define SIPCODECTL_NL_H

#include <stdbool.h>
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
	/*
	 * Called when the kernel refuses the request with the negative
	 * errno @err and the extended ack @ext ("" when none): returns true
	 * when it has reported the refusal itself. May be NULL.
	 */
	bool (*refused)(int err, const char *ext, void *arg);
	void *arg;		/* for fill, reply and refused */
};

/*
 * Resolves the family, sends @req and reads every reply up to the ACK or
 * the end of the dump. Returns 0, or -1 after an error line on stderr
 * (printed by @req->refused when it takes the kernel's refusal).
 */
int sipnl_run(const struct sipnl_req *req);

#endif /* SIPCODECTL_NL_H */
