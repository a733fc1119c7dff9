/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON, as iproute2's json_print: each field
 * is one call, which prints its text with @fmt in text mode, or its
 * value under @key in JSON mode (PRINT_ANY), or only in one mode
 * (PRINT_FP, PRINT_JSON). In text mode @fmt takes the value; a width
 * may come first, as in "%*s", through the _w variants.
 */
#ifndef SIPCODECTL_PRINT_H
#define SIPCODECTL_PRINT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum output_type { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = 3 };

/* Starts a document on @f (stdout or stderr): JSON when @json. */
void print_start(FILE *f, bool json);
/* Ends it: in JSON, the newline after the top-level value. */
void print_end(void);
bool is_json(void);
/* JSON is indented, one member a line. */
extern bool print_pretty;

/* An object ('{') or an array ('['), under @key (NULL: none). */
void open_json(const char *key, char c);
void close_json(char c);
#define open_json_object(key)	open_json(key, '{')
#define close_json_object()	close_json('}')
#define open_json_array(key)	open_json(key, '[')
#define close_json_array()	close_json(']')

void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t v);
void print_uint_w(enum output_type t, const char *key, const char *fmt,
		  int w, uint64_t v);
/* In JSON a number of 2 decimals, in text @fmt. */
void print_float(enum output_type t, const char *key, const char *fmt,
		 double v);
/* NULL @s: null in JSON, "-" in text. */
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *s);
void print_string_w(enum output_type t, const char *key, const char *fmt,
		    int w, const char *s);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool v);
/* Text only: @fmt as printf. */
void print_fp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Bytes of the traffic (a reason phrase): in text quoted, any byte that
 * could move the cursor or hide as \xNN, "..." after it when @truncated;
 * in JSON a string (a byte not valid UTF-8: its value's code point).
 */
void print_phrase(enum output_type t, const char *key, const void *p,
		  size_t len, bool truncated);

/* The decimal digits of @v, or @w when wider. */
int width_of(uint64_t v, int w);

#endif /* SIPCODECTL_PRINT_H */
