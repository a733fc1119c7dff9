/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_RULE_H
#define SIPCODECTL_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "match.h"

/*
 * "sipcodectl rule ...": @argv holds the arguments after "rule".
 * Returns the exit code.
 */
int rule_main(int argc, char **argv, bool json);

/* What a "rule" command would do, as rule_check() finds it. */
struct rule_check {
	const char *sub;	/* "add", "del", "flush", "list" or "show" */
	/* With "add" and "del": */
	char match[16];		/* as "rule list" prints it: "503", "5xx" */
	bool range;		/* the match is a range */
	unsigned int low, high;	/* the codes it matches: 500 and 599 */
	/* With "add" and "del": the rule, for a request of one's own. */
	struct match m;
	uint8_t action;		/* SIPCODE_ACTION_* */
	uint32_t mark, mask;	/* SIPCODE_ACTION_MARK */
	bool notify;
};

/*
 * Checks "sipcodectl rule ..." as rule_main() would, but asks the kernel
 * nothing: returns EXIT_SUCCESS and fills @chk, or the exit code of the
 * usage error after its line on stderr.
 */
int rule_check(int argc, char **argv, struct rule_check *chk);

#endif /* SIPCODECTL_RULE_H */
