/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters in the Prometheus text exposition format 0.0.4: what
 * "stats -o prometheus" prints and "exporter" serves.
 */
#ifndef SIPCODECTL_PROM_H
#define SIPCODECTL_PROM_H

#include <stdbool.h>
#include <stdio.h>

#include "method.h"
#include "stats.h"

/* The Content-Type of the format, for HTTP. */
#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/*
 * Reads what prom_write() writes: the counters and settings into @s,
 * and when per-method counting is on, its table into @m (free() m->m;
 * m->on is false when it is off, or went off meanwhile). @what names
 * the requests in errors. Returns 0, or -1 after an error line on
 * stderr.
 */
int prom_read(const char *what, struct stats *s, struct methods *m);

/*
 * Writes @s to @f: the version, "sipcode_up 1", the codes stats_listed()
 * lists (every known code too with @all), every not-counted bucket, the
 * dry-run mode, what became of the events, and the counts per method
 * when @m is on. With @s NULL (the counters could not be read), only the
 * version and "sipcode_up 0".
 */
void prom_write(FILE *f, const struct stats *s, bool all,
		const struct methods *m);

#endif /* SIPCODECTL_PROM_H */
