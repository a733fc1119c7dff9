// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer (RFC 8259) for sipcodectl's output.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

unsigned int utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	unsigned int n, i;

	if (!len)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len < n)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * @len bytes at @str as a JSON string; a byte that is not valid UTF-8
 * becomes U+FFFD, or with @latin1, the code point of its value.
 */
static void json_quote(FILE *f, const void *str, size_t len, bool latin1)
{
	const unsigned char *s = str, *end = s + len;
	unsigned int n;

	fputc('"', f);
	while (s < end) {
		n = utf8_seq(s, end - s);
		if (!n && latin1) {
			fprintf(f, "\\u%04x", *s);
			n = 1;
		} else if (!n) {
			fputs("\\ufffd", f);
			n = 1;
		} else if (n > 1) {
			fwrite(s, 1, n, f);
		} else if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s, f);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s);
		} else {
			fputc(*s, f);
		}
		s += n;
	}
	fputc('"', f);
}

static void json_key(struct json *j, const char *key)
{
	if (j->sep)
		fputc(',', j->f);
	if (key) {
		json_quote(j->f, key, strlen(key), false);
		fputc(':', j->f);
	}
}

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->sep = false;
}

void json_obj_begin(struct json *j, const char *key)
{
	json_key(j, key);
	fputc('{', j->f);
	j->sep = false;
}

void json_obj_end(struct json *j)
{
	fputc('}', j->f);
	j->sep = true;
}

void json_arr_begin(struct json *j, const char *key)
{
	json_key(j, key);
	fputc('[', j->f);
	j->sep = false;
}

void json_arr_end(struct json *j)
{
	fputc(']', j->f);
	j->sep = true;
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, v);
	j->sep = true;
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
	j->sep = true;
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_quote(j->f, s, strlen(s), false);
	j->sep = true;
}

void json_bytes(struct json *j, const char *key, const void *buf, size_t len)
{
	json_key(j, key);
	json_quote(j->f, buf, len, true);
	j->sep = true;
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
	j->sep = true;
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
	j->sep = false;
}
