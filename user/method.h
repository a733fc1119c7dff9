/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The responses counted per (code, CSeq method): SIPCODE_CMD_METHOD_GET,
 * for "stats --by-method" and the Prometheus output.
 */
#ifndef SIPCODECTL_METHOD_H
#define SIPCODECTL_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match.h"

struct method_count {
	unsigned int code;	/* 100-699 */
	unsigned int method;	/* enum sipcode_method */
	uint64_t count;
};

/* A dump, in the kernel's order: ascending by code, then method. */
struct methods {
	struct method_count *m;
	size_t n, size;
	bool on;	/* the table is on: the dump came */
};

/* Long enough for any name method_name() gives. */
#define METHOD_NAME_LEN	16

/*
 * The name of @method: "INVITE", "other" for SIPCODE_METHOD_OTHER, or
 * the number, in @buf (METHOD_NAME_LEN bytes), for one this sipcodectl
 * does not know.
 */
const char *method_name(unsigned int method, char *buf);

/*
 * Dumps the table into @l (empty first); @what names the request in
 * errors. Returns 0; 1 when the table is off, after an error line that
 * says so unless @quiet; or -1 after an error line. free() l->m.
 */
int methods_read(const char *what, struct methods *l, bool quiet);

/*
 * "stats --by-method [MATCH]": prints the table, the codes @filter
 * matches only when not NULL, or JSON. Returns the exit code.
 */
int methods_show(const struct match *filter, bool json);

#endif /* SIPCODECTL_METHOD_H */
