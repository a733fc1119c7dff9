// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl explain": a SIP status code's reason phrase, class, RFC and
 * meaning, and the reason phrases vendors send with it, from the table
 * of codes built from data/; or every code of a class. Asks the kernel
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sipcode.h>

#include "cli.h"
#include "codes.h"
#include "explain.h"
#include "json.h"

#define WRAP_WIDTH	78
#define LABEL_WIDTH	10

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Prints @text from column @col (the cursor is there), wrapped at
 * WRAP_WIDTH, the lines after the first indented by @indent.
 */
static void wrap(const char *text, int col, int indent)
{
	const char *p = text;
	size_t n;

	while (*p) {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (!n)
			break;
		if (col > indent && col + 1 + (int)n > WRAP_WIDTH) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)n, p);
		col += n;
		p += n;
	}
	putchar('\n');
}

static void field(const char *label, const char *text)
{
	printf("%-*s", LABEL_WIDTH, label);
	wrap(text, LABEL_WIDTH, LABEL_WIDTH);
}

static const char *or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

static void json_str_or_null(struct json *j, const char *key, const char *s)
{
	if (or_null(s))
		json_str(j, key, s);
	else
		json_null(j, key);
}

static unsigned int nphrases(int code)
{
	unsigned int i, n = 0;

	for (i = 0; i < sip_nphrases; i++)
		n += sip_phrases[i].code == code;
	return n;
}

static void explain_code_text(int code)
{
	const struct sip_code_info *ci = sip_code_lookup(code);
	unsigned int i, cls = code / 100;
	char buf[64];

	if (ci && or_null(ci->reason))
		printf("%d %s\n", code, ci->reason);
	else
		printf("%d: not a known SIP status code\n", code);
	snprintf(buf, sizeof(buf), "%uxx %s", cls, sip_class_names[cls]);
	field("Class:", buf);
	if (ci && or_null(ci->rfc))
		field("RFC:", ci->rfc);
	if (ci && or_null(ci->meaning))
		field("Meaning:", ci->meaning);
	if (!nphrases(code))
		return;
	puts("\nReason phrases sent for it in the field:");
	for (i = 0; i < sip_nphrases; i++) {
		if (sip_phrases[i].code != code)
			continue;
		printf("  \"%s\"\n      ", sip_phrases[i].phrase);
		wrap(sip_phrases[i].meaning, 6, 6);
	}
}

static void explain_code_json(int code)
{
	const struct sip_code_info *ci = sip_code_lookup(code);
	unsigned int i, cls = code / 100;
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_u64(&j, "code", code);
	json_bool(&j, "known", ci != NULL);
	json_str_or_null(&j, "reason", ci ? ci->reason : NULL);
	json_u64(&j, "class", cls);
	json_str(&j, "class_name", sip_class_names[cls]);
	json_str_or_null(&j, "rfc", ci ? ci->rfc : NULL);
	json_str_or_null(&j, "meaning", ci ? ci->meaning : NULL);
	json_arr_begin(&j, "phrases");
	for (i = 0; i < sip_nphrases; i++) {
		if (sip_phrases[i].code != code)
			continue;
		json_obj_begin(&j, NULL);
		json_str(&j, "phrase", sip_phrases[i].phrase);
		json_str(&j, "meaning", sip_phrases[i].meaning);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static void explain_class(unsigned int cls, bool json)
{
	const struct sip_code_info *ci;
	struct json j;
	unsigned int i;

	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_u64(&j, "class", cls);
		json_str(&j, "class_name", sip_class_names[cls]);
		json_arr_begin(&j, "codes");
	} else {
		printf("%uxx %s\n", cls, sip_class_names[cls]);
	}
	for (i = 0; i < sip_ncodes; i++) {
		ci = &sip_codes[i];
		if (ci->code / 100 != cls)
			continue;
		if (!json) {
			printf("%u  %s\n", ci->code, ci->reason);
			continue;
		}
		json_obj_begin(&j, NULL);
		json_u64(&j, "code", ci->code);
		json_str_or_null(&j, "reason", ci->reason);
		json_str_or_null(&j, "rfc", ci->rfc);
		json_obj_end(&j);
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	}
}

static void usage(void)
{
	puts("Usage: sipcodectl explain CODE|Nxx [-j|--json]\n"
	     "Print what a SIP status code (100-699) means: its reason phrase,\n"
	     "class, RFC and meaning, and the reason phrases vendors send with\n"
	     "it; or, for a class (1xx to 6xx), every code of the class with its\n"
	     "reason phrase. Needs no kernel module.\n"
	     "  -j, --json   print one JSON object (see sipcodectl(8))\n"
	     "  -h, --help   print this help");
}

int explain_main(int argc, char **argv, bool json)
{
	const char *arg = NULL;

	if (cli_help(argc, argv)) {
		usage();
		return EXIT_SUCCESS;
	}
	if (cli_words("explain", argc, argv, &json, &arg, 1) < 0)
		return EXIT_USAGE;
	if (!arg) {
		cli_err("explain: no code given (a code 100-699 or a class 1xx-6xx)");
		return EXIT_USAGE;
	}
	if (strlen(arg) == 3 && is_digit(arg[0]) &&
	    (arg[1] == 'x' || arg[1] == 'X') &&
	    (arg[2] == 'x' || arg[2] == 'X')) {
		if (arg[0] < '1' || arg[0] > '6') {
			cli_err("explain: invalid class \"%s\": 1xx to 6xx", arg);
			return EXIT_USAGE;
		}
		explain_class(arg[0] - '0', json);
		return EXIT_SUCCESS;
	}
	if (strlen(arg) != 3 || !is_digit(arg[0]) || !is_digit(arg[1]) ||
	    !is_digit(arg[2]) || atoi(arg) < SIPCODE_CODE_MIN ||
	    atoi(arg) > SIPCODE_CODE_MAX) {
		cli_err("explain: invalid code \"%s\": a code 100-699 or a class 1xx-6xx",
			arg);
		return EXIT_USAGE;
	}
	if (json)
		explain_code_json(atoi(arg));
	else
		explain_code_text(atoi(arg));
	return EXIT_SUCCESS;
}
