/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_PORTS_H
#define SIPCODECTL_PORTS_H

#include <stdbool.h>

/*
 * "sipcodectl ports ...": @argv holds the arguments after "ports".
 * Returns the exit code.
 */
int ports_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_PORTS_H */
