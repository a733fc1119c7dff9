/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_CONFIG_H
#define SIPCODECTL_CONFIG_H

#include <stdbool.h>

/*
 * Reads whether the namespace is in dry-run mode (SIPCODE_CMD_CONFIG_GET);
 * @what names the request in errors. Returns 0, or -1 after an error line
 * on stderr.
 */
int config_dry_run(const char *what, bool *on);

/*
 * "sipcodectl dry-run ...": @argv holds the arguments after "dry-run".
 * Returns the exit code.
 */
int dryrun_main(int argc, char **argv, bool json);

/*
 * Checks "sipcodectl dry-run ..." as dryrun_main() would, but asks the
 * kernel nothing: returns EXIT_SUCCESS, or the exit code of the usage
 * error after its line on stderr.
 */
int dryrun_check(int argc, char **argv);

#endif /* SIPCODECTL_CONFIG_H */
