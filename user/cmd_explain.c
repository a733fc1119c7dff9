// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl explain": a SIP status code's reason phrase, class, RFC and
 * meaning, and the reason phrases vendors send with it, from the table
 * of codes built from data/; or every code of a class. Asks the kernel
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "codes.h"
#include "print.h"

#define WRAP_WIDTH	78
#define LABEL_WIDTH	10

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

static void explain_code(unsigned int code)
{
	const struct sip_code_info *ci = sip_code_lookup(code);
	unsigned int i, cls = code / 100;
	bool any = false;
	char buf[64];

	open_json_object(NULL);
	print_uint(PRINT_ANY, "code", "%" PRIu64, code);
	print_bool(PRINT_JSON, "known", NULL, ci != NULL);
	if (!ci || !or_null(ci->reason))
		print_fp(": not a known SIP status code");
	print_string(ci && or_null(ci->reason) ? PRINT_ANY : PRINT_JSON,
		     "reason", " %s", ci ? or_null(ci->reason) : NULL);
	print_fp("\n");
	print_uint(PRINT_JSON, "class", NULL, cls);
	print_string(PRINT_JSON, "class_name", NULL, sip_class_names[cls]);
	snprintf(buf, sizeof(buf), "%uxx %s", cls, sip_class_names[cls]);
	if (!is_json())
		field("Class:", buf);
	print_string(PRINT_JSON, "rfc", NULL, ci ? or_null(ci->rfc) : NULL);
	if (!is_json() && ci && or_null(ci->rfc))
		field("RFC:", ci->rfc);
	print_string(PRINT_JSON, "meaning", NULL, ci ? or_null(ci->meaning) : NULL);
	if (!is_json() && ci && or_null(ci->meaning))
		field("Meaning:", ci->meaning);
	open_json_array("phrases");
	for (i = 0; i < sip_nphrases; i++) {
		if (sip_phrases[i].code != code)
			continue;
		if (!any)
			print_fp("\nReason phrases sent for it in the field:\n");
		any = true;
		open_json_object(NULL);
		print_string(PRINT_ANY, "phrase", "  \"%s\"\n      ",
			     sip_phrases[i].phrase);
		print_string(PRINT_JSON, "meaning", NULL, sip_phrases[i].meaning);
		if (!is_json())
			wrap(sip_phrases[i].meaning, 6, 6);
		close_json_object();
	}
	close_json_array();
	close_json_object();
}

static void explain_class(unsigned int cls)
{
	const struct sip_code_info *ci;
	unsigned int i;

	open_json_object(NULL);
	print_uint(PRINT_ANY, "class", "%" PRIu64 "xx", cls);
	print_string(PRINT_ANY, "class_name", " %s\n", sip_class_names[cls]);
	open_json_array("codes");
	for (i = 0; i < sip_ncodes; i++) {
		ci = &sip_codes[i];
		if (ci->code / 100 != cls)
			continue;
		open_json_object(NULL);
		print_uint(PRINT_ANY, "code", "%" PRIu64, ci->code);
		print_string(PRINT_ANY, "reason", "  %s\n", or_null(ci->reason));
		print_string(PRINT_JSON, "rfc", NULL, or_null(ci->rfc));
		close_json_object();
	}
	close_json_array();
	close_json_object();
}

int explain_main(int argc, char **argv, bool json)
{
	const char **w = calloc(argc + 1, sizeof(*w));
	bool help = false;
	int n, ret = EXIT_USAGE;
	struct sc_rule r;

	n = w ? cli_words(argc, argv, w, &json, &help) : -1;
	if (n >= 0 && help) {
		ret = EXIT_HELP;
	} else if (n > 2) {
		cli_err("explain: unexpected argument \"%s\"", w[2]);
	} else if (n == 1) {
		cli_err("explain: no code given (a code 100-699 or a class 1xx-6xx)");
	} else if (n == 2 && (!cli_match(NULL, w[1], &r) ||
			      r.type == SC_MATCH_RANGE)) {
		cli_err("explain: invalid code \"%s\": a code 100-699 or a class 1xx-6xx",
			w[1]);
	} else if (n == 2) {
		print_start(stdout, json);
		if (r.type == SC_MATCH_CLASS)
			explain_class(r.low / 100);
		else
			explain_code(r.low);
		print_end();
		ret = EXIT_SUCCESS;
	}
	free(w);
	return ret;
}
