/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands of sipcodectl: each main takes the command's words,
 * argv[0] its name, and returns the exit code. And what the stats, the
 * Prometheus output and the exporter share.
 */
#ifndef SIPCODECTL_CMDS_H
#define SIPCODECTL_CMDS_H

#include <stdbool.h>
#include <stdio.h>

#include "libsipcode.h"

int stats_main(int argc, char **argv, bool json);
int ports_main(int argc, char **argv, bool json);
int rule_main(int argc, char **argv, bool json);
int dryrun_main(int argc, char **argv, bool json);
int config_main(int argc, char **argv, bool json);
int monitor_main(int argc, char **argv, bool json);
int explain_main(int argc, char **argv, bool json);
int exporter_main(int argc, char **argv, bool json);
int save_main(int argc, char **argv, bool json);
int restore_main(int argc, char **argv, bool json);
/* "restore FILE" or "-f FILE": @path "-" is standard input. */
int restore_file(const char *path, bool check);

/* A rule as "rule list" prints it: a line, or a JSON object. */
void rule_print(const struct sc_rule *r);

/* Is the code at index @i listed: counted, or with @all, known. */
bool stats_listed(const struct sc_stats *s, bool all, unsigned int i);

/* What the Prometheus output shows, read with one handle. */
struct prom {
	struct sc_stats s;
	struct sc_config c;
	struct sc_method_count *m;	/* when c.sw[SC_BY_METHOD]; free() */
	size_t nm;
	bool on;			/* the method table came */
};

#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* 0 or a negative errno (sc_why(h) says why). */
int prom_read(struct sc_handle *h, struct prom *p);
void prom_write(FILE *f, const struct prom *p, bool all);

#endif /* SIPCODECTL_CMDS_H */
