// SPDX-License-Identifier: GPL-2.0
/*
 * Text or JSON (RFC 8259), one call per field: see print.h.
 */
#include <stdarg.h>
#include <string.h>

#include "print.h"

bool print_pretty;

static struct printer {
	FILE *f;
	bool json;
	bool sep;	/* the next value needs a comma before it */
	int depth;
} out;

bool is_json(void)
{
	return out.json;
}

void print_start(FILE *f, bool json)
{
	out = (struct printer){ .f = f, .json = json };
}

void print_end(void)
{
	if (out.json)
		fputc('\n', out.f);
	out.sep = false;
}

/* Length of the valid UTF-8 sequence at @s (at most @len), 0 if none. */
static unsigned int utf8_seq(const unsigned char *s, size_t len)
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
 * @len bytes at @str quoted: in JSON (@json), a byte that is not UTF-8
 * is U+FFFD, or with @latin1 the code point of its value; in text, a
 * control, a C1 control or such a byte is \xNN.
 */
static void quote(const void *str, size_t len, bool json, bool latin1)
{
	const unsigned char *s = str, *end = s + len;
	unsigned int n;

	fputc('"', out.f);
	for (; s < end; s += n) {
		n = utf8_seq(s, end - s);
		/* U+0080 to U+009F: C1 controls, which some terminals obey. */
		if (!json && n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
			n = 0;
		if (n > 1) {
			fwrite(s, 1, n, out.f);
		} else if (n && (*s == '"' || *s == '\\')) {
			fprintf(out.f, "\\%c", *s);
		} else if (n && *s >= 0x20 && *s < 0x7f) {
			fputc(*s, out.f);
		} else {
			fprintf(out.f, !json ? "\\x%02x" : n || latin1 ?
				"\\u%04x" : "\\ufffd", *s);
			n = 1;
		}
	}
	fputc('"', out.f);
}

static void indent(void)
{
	if (print_pretty)
		fprintf(out.f, "\n%*s", out.depth * 2, "");
}

static void key_of(const char *key)
{
	if (out.sep)
		fputc(',', out.f);
	if (out.depth)
		indent();
	if (key) {
		quote(key, strlen(key), true, false);
		fputs(print_pretty ? ": " : ":", out.f);
	}
	out.sep = true;
}

void open_json(const char *key, char c)
{
	if (!out.json)
		return;
	key_of(key);
	fputc(c, out.f);
	out.sep = false;
	out.depth++;
}

void close_json(char c)
{
	if (!out.json)
		return;
	out.depth--;
	if (out.sep)
		indent();
	fputc(c, out.f);
	out.sep = true;
}

/* Whether a field of @t prints now; in JSON, after its @key. */
static bool field(enum output_type t, const char *key)
{
	if (!(t & (out.json ? PRINT_JSON : PRINT_FP)))
		return false;
	if (out.json)
		key_of(key);
	return true;
}

void print_uint_w(enum output_type t, const char *key, const char *fmt,
		  int w, uint64_t v)
{
	if (field(t, key))
		fprintf(out.f, out.json ? "%*" PRIu64 : fmt,
			out.json ? 0 : w, v);
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t v)
{
	if (field(t, key))
		fprintf(out.f, out.json ? "%" PRIu64 : fmt, v);
}

void print_float(enum output_type t, const char *key, const char *fmt,
		 double v)
{
	if (field(t, key))
		fprintf(out.f, out.json ? "%.2f" : fmt, v);
}

void print_string_w(enum output_type t, const char *key, const char *fmt,
		    int w, const char *s)
{
	if (!field(t, key))
		return;
	if (!out.json)
		fprintf(out.f, fmt, w, s ? s : "-");
	else if (s)
		quote(s, strlen(s), true, false);
	else
		fputs("null", out.f);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *s)
{
	if (out.json)
		print_string_w(t, key, NULL, 0, s);
	else if (t & PRINT_FP)
		fprintf(out.f, fmt, s ? s : "-");
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool v)
{
	if (field(t, key))
		fprintf(out.f, out.json ? "%s" : fmt, out.json ?
			(v ? "true" : "false") : v ? "on" : "off");
}

void print_fp(const char *fmt, ...)
{
	va_list ap;

	if (out.json)
		return;
	va_start(ap, fmt);
	vfprintf(out.f, fmt, ap);
	va_end(ap);
}

void print_phrase(enum output_type t, const char *key, const void *p,
		  size_t len, bool truncated)
{
	if (field(t, key))
		quote(p, len, out.json, out.json);
	print_bool(PRINT_JSON, "truncated", NULL, truncated);
	print_fp("%s", truncated ? "..." : "");
}

int width_of(uint64_t v, int w)
{
	int n = snprintf(NULL, 0, "%" PRIu64, v);

	return n > w ? n : w;
}
