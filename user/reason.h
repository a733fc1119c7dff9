/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPCODECTL_REASON_H
#define SIPCODECTL_REASON_H

#include <stdbool.h>

#include "match.h"

/*
 * "stats --reasons [MATCH]": prints the reason phrases the kernel kept
 * (SIPCODE_CMD_REASON_GET), those of the codes @filter matches when not
 * NULL, as a table or JSON. Returns the exit code.
 */
int reasons_show(const struct match *filter, bool json);

#endif /* SIPCODECTL_REASON_H */
