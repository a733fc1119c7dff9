/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_WATCH_H
#define SIPCODECTL_WATCH_H

#include <stdbool.h>

/*
 * "sipcodectl stats -w": prints the stats table every @secs seconds,
 * with the rate of each code since the table before, @count times (0:
 * until SIGINT or SIGTERM). Returns the exit code.
 */
int watch_run(bool all, double secs, unsigned long count);

#endif /* SIPCODECTL_WATCH_H */
