/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_STATS_H
#define SIPCODECTL_STATS_H

#include <stdbool.h>

/*
 * "sipcodectl stats ...": @argv holds the arguments after "stats".
 * Returns the exit code.
 */
int stats_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_STATS_H */
