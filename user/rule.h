/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_RULE_H
#define SIPCODECTL_RULE_H

#include <stdbool.h>

/*
 * "sipcodectl rule ...": @argv holds the arguments after "rule".
 * Returns the exit code.
 */
int rule_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_RULE_H */
