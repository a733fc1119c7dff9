/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_RESTORE_H
#define SIPCODECTL_RESTORE_H

#include <stdbool.h>

/*
 * Applies the commands of the file @path ("-": standard input) all or
 * nothing, as "sipcodectl save" writes them; with @check, only checks
 * them. Returns the exit code.
 */
int restore_file(const char *path, bool check);

/* "sipcodectl restore": @argv holds the arguments after "restore". */
int restore_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_RESTORE_H */
