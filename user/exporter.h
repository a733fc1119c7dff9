/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_EXPORTER_H
#define SIPCODECTL_EXPORTER_H

#include <stdbool.h>

/*
 * "sipcodectl exporter": serves the counters to Prometheus over HTTP
 * until SIGINT or SIGTERM. Returns the exit code.
 */
int exporter_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_EXPORTER_H */
