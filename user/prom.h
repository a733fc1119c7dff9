/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters in the Prometheus text exposition format 0.0.4: what
 * "stats -o prometheus" prints and "exporter" serves.
 */
#ifndef SIPCODECTL_PROM_H
#define SIPCODECTL_PROM_H

#include <stdbool.h>
#include <stdio.h>

#include "stats.h"

/* The Content-Type of the format, for HTTP. */
#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/*
 * Writes @s to @f: the codes stats_listed() lists (every known code too
 * with @all), every not-counted bucket, and the dry-run mode.
 */
void prom_write(FILE *f, const struct stats *s, bool all);

#endif /* SIPCODECTL_PROM_H */
