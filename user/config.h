/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_CONFIG_H
#define SIPCODECTL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* The settings of a namespace (SIPCODE_CMD_CONFIG_GET and _SET). */
struct config {
	bool dry_run;		/* SIPCODE_A_DRY_RUN */
	bool by_method;		/* SIPCODE_A_BY_METHOD */
	bool reasons;		/* SIPCODE_A_REASONS */
	uint32_t event_rate;	/* SIPCODE_A_EVENT_RATE */
	/*
	 * Which of them are there, by 1 << CONFIG_*: those the kernel
	 * answered, or those to set.
	 */
	unsigned int have;
};

enum config_key {
	CONFIG_DRY_RUN,
	CONFIG_BY_METHOD,
	CONFIG_REASONS,
	CONFIG_EVENT_RATE,
	CONFIG_NKEYS,
};

/*
 * Reads the settings of the namespace into @c; @what names the request
 * in errors. Returns 0, or -1 after an error line on stderr (the dry-run
 * mode is always there, the others when the module has them).
 */
int config_read(const char *what, struct config *c);

/*
 * Reads whether the namespace is in dry-run mode (SIPCODE_CMD_CONFIG_GET);
 * @what names the request in errors. Returns 0, or -1 after an error line
 * on stderr.
 */
int config_dry_run(const char *what, bool *on);

/*
 * "sipcodectl config ...": @argv holds the arguments after "config".
 * Returns the exit code.
 */
int config_main(int argc, char **argv, bool json);

/*
 * Checks "sipcodectl config ..." as config_main() would, but asks the
 * kernel nothing: returns EXIT_SUCCESS, or the exit code of the usage
 * error after its line on stderr.
 */
int config_check(int argc, char **argv);

/*
 * The settings of "config KEY VALUE..." (@argv after "config"), checked
 * before by config_check(), into @c (c->have says which).
 */
void config_parse(int argc, char **argv, struct config *c);

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
