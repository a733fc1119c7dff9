/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_SAVE_H
#define SIPCODECTL_SAVE_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Writes the configuration of the namespace to @f as the commands that
 * restore it, one a line: "ports set", "dry-run", "config", "rule
 * flush" and a "rule add" per rule. Returns 0, or -1 after an error line on stderr.
 */
int save_config(FILE *f);

/* "sipcodectl save": @argv holds the arguments after "save". */
int save_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_SAVE_H */
