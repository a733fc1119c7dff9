/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: objects, arrays, unsigned integers,
 * booleans, strings and null, on one line. Where a member is written,
 * @key is its name; inside an array or at the top, @key is NULL.
 */
#ifndef SIPCODECTL_JSON_H
#define SIPCODECTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	bool sep;	/* the next value needs a comma before it */
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
/* Escapes @s; a byte that is not valid UTF-8 becomes U+FFFD. */
void json_str(struct json *j, const char *key, const char *s);
void json_null(struct json *j, const char *key);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif /* SIPCODECTL_JSON_H */
