/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: objects, arrays, unsigned integers,
 * booleans, strings and null, on one line. Where a member is written,
 * @key is its name; inside an array or at the top, @key is NULL.
 */
#ifndef SIPCODECTL_JSON_H
#define SIPCODECTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
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
/*
 * Escapes the @len bytes at @buf, which may hold any byte: valid UTF-8
 * is kept, and any other byte becomes the code point of its value
 * ("\u00e9" for a lone 0xe9), as do NUL and the control characters.
 */
void json_bytes(struct json *j, const char *key, const void *buf, size_t len);
void json_null(struct json *j, const char *key);
/* Ends the document with a newline. */
void json_finish(struct json *j);

/*
 * Length of the valid UTF-8 sequence (RFC 3629) at @s, of @len bytes at
 * most; 0 if invalid or cut short.
 */
unsigned int utf8_seq(const unsigned char *s, size_t len);

#endif /* SIPCODECTL_JSON_H */
