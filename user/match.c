// SPDX-License-Identifier: GPL-2.0
/*
 * A match of status codes: a code, a class or a range of codes, parsed
 * and printed the one way every command writes it.
 */
#include <stdio.h>
#include <string.h>

#include <linux/sipcode.h>

#include "cli.h"
#include "match.h"

#define CLASS_MIN	(SIPCODE_CODE_MIN / 100)
#define CLASS_MAX	(SIPCODE_CODE_MAX / 100)

/* A code as written in a match: three digits, 100-699. */
static bool parse_code(const char *s, size_t len, unsigned int *code)
{
	size_t i;

	if (len != 3)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	*code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	return *code >= SIPCODE_CODE_MIN && *code <= SIPCODE_CODE_MAX;
}

bool match_parse(const char *what, const char *s, struct match *m)
{
	const char *sep = what ? ": " : "";
	size_t len = strlen(s);
	size_t dash = strcspn(s, "-");

	if (!what)
		what = "";
	if (len == 3 && s[0] >= '0' + CLASS_MIN && s[0] <= '0' + CLASS_MAX &&
	    (s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X')) {
		m->type = MATCH_CLASS;
		m->low = (s[0] - '0') * 100;
		m->high = m->low + 99;
		return true;
	}
	if (dash == len && parse_code(s, len, &m->low)) {
		m->type = MATCH_CODE;
		m->high = m->low;
		return true;
	}
	if (dash < len && parse_code(s, dash, &m->low) &&
	    parse_code(s + dash + 1, len - dash - 1, &m->high)) {
		if (m->low > m->high) {
			cli_err("%s%srange %u-%u: low is above high", what, sep,
				m->low, m->high);
			return false;
		}
		m->type = MATCH_RANGE;
		return true;
	}
	cli_err("%s%sinvalid match \"%s\": a code 100-699, a class 1xx-6xx or a range LOW-HIGH",
		what, sep, s);
	return false;
}

bool match_has(const struct match *m, unsigned int code)
{
	return code >= m->low && code <= m->high;
}

const char *match_str(const struct match *m, char *buf, size_t len)
{
	switch (m->type) {
	case MATCH_CODE:
		snprintf(buf, len, "%u", m->low);
		break;
	case MATCH_RANGE:
		snprintf(buf, len, "%u-%u", m->low, m->high);
		break;
	case MATCH_CLASS:
		snprintf(buf, len, "%uxx", m->low / 100);
		break;
	}
	return buf;
}
