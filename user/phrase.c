// SPDX-License-Identifier: GPL-2.0
/*
 * Reason phrases for a terminal: whatever bytes a peer sent, what is
 * printed can neither move the cursor nor hide a byte.
 */
#include "json.h"
#include "phrase.h"

void phrase_print(FILE *f, const void *p, size_t len)
{
	const unsigned char *s = p, *end = s + len;
	unsigned int n;

	fputc('"', f);
	while (s < end) {
		n = utf8_seq(s, end - s);
		/* U+0080 to U+009F: C1 controls, which some terminals obey. */
		if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
			n = 0;
		if (n > 1) {
			fwrite(s, 1, n, f);
		} else if (n && (*s == '"' || *s == '\\')) {
			fputc('\\', f);
			fputc(*s, f);
		} else if (n && *s >= 0x20 && *s < 0x7f) {
			fputc(*s, f);
		} else {
			fprintf(f, "\\x%02x", *s);
			n = 1;
		}
		s += n;
	}
	fputc('"', f);
}
