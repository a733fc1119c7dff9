/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_EXPLAIN_H
#define SIPCODECTL_EXPLAIN_H

#include <stdbool.h>

/*
 * "sipcodectl explain CODE|Nxx": what a status code or a class means,
 * from the table of codes; needs no kernel module. Returns the exit code.
 */
int explain_main(int argc, char **argv, bool json);

#endif /* SIPCODECTL_EXPLAIN_H */
