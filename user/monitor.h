/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_MONITOR_H
#define SIPCODECTL_MONITOR_H

#include <stdbool.h>

/*
 * "sipcodectl monitor ...": prints the events of the notify rules as
 * they come, until a count, a time or a signal. @argv holds the
 * arguments after "monitor". Returns the exit code.
 */
int monitor_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_MONITOR_H */
