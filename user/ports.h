/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_PORTS_H
#define SIPCODECTL_PORTS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * "sipcodectl ports ...": @argv holds the arguments after "ports".
 * Returns the exit code.
 */
int ports_main(int argc, char **argv, bool json);

/*
 * Checks "sipcodectl ports ..." as ports_main() would, but asks the
 * kernel nothing: returns EXIT_SUCCESS, or the exit code of the usage
 * error after its line on stderr.
 */
int ports_check(int argc, char **argv);

/*
 * The ports of "ports set ..." (@argv after "ports"), checked before by
 * ports_check(), into @out (SIPCODE_PORTS_MAX), ascending: how many.
 */
unsigned int ports_parse(int argc, char **argv, uint16_t *out);

#endif /* SIPCODECTL_PORTS_H */
