/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reason phrase as the kernel reports it (any bytes, at most
 * SIPCODE_REASON_MAX) printed for a terminal.
 */
#ifndef SIPCODECTL_PHRASE_H
#define SIPCODECTL_PHRASE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Writes the @len bytes at @p to @f between double quotes: printable
 * ASCII and valid UTF-8 as they are, but '"' and '\' as \" and \\, and
 * any other byte (a control character, a C1 control, invalid UTF-8) as
 * \xNN.
 */
void phrase_print(FILE *f, const void *p, size_t len);

#endif /* SIPCODECTL_PHRASE_H */
