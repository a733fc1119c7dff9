// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/sipparse.c. The parser gets a buffer of
 * exactly the window it may read, and its answer is checked against a
 * byte-at-a-time reading of the definition in sipparse.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipparse.h"
#include "sipref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The TCP framer and the request-line check: fed in two pieces cut where
 * the first byte says, the framer must answer as when fed whole.
 */
static void fuzz_framer(const uint8_t *data, size_t size)
{
	struct sip_framer whole, cut;
	unsigned int n, m, at;
	unsigned char *buf;

	if (!size)
		return;
	buf = malloc(size);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	sip_is_request(buf, size < SIP_PARSE_WINDOW ? size : SIP_PARSE_WINDOW);
	at = buf[0] % size;
	sip_framer_init(&whole);
	n = sip_framer_feed(&whole, buf, size);
	sip_framer_init(&cut);
	m = sip_framer_feed(&cut, buf, at);
	if (!m) {
		m = sip_framer_feed(&cut, buf + at, size - at);
		m = m ? at + m : 0;
	}
	free(buf);
	if (n > size || n != m ||
	    sip_framer_clen(&whole) != sip_framer_clen(&cut) ||
	    sip_framer_method(&whole) != sip_framer_method(&cut) ||
	    sip_framer_method(&whole) >= SIPCODE_NMETHODS) {
		fprintf(stderr, "sip_framer_feed: %u/%ld whole, %u/%ld cut at %u\n",
			n, sip_framer_clen(&whole), m, sip_framer_clen(&cut), at);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int len = size < SIP_PARSE_WINDOW ? size : SIP_PARSE_WINDOW;
	unsigned char *buf = malloc(len);
	int ret, want;

	if (!buf && len)
		abort();
	if (len)
		memcpy(buf, data, len);
	fuzz_framer(data, size);
	ret = sip_parse_status(buf, len, size);
	want = ref_classify(buf, len, size);
	if (ret >= SIPCODE_CODE_MIN && ret <= SIPCODE_CODE_MAX) {
		const unsigned char *phrase;
		unsigned int plen = sip_reason(buf, len, &phrase);

		/* Inside the window, and no CR or LF in it. */
		if (plen > SIPCODE_REASON_MAX || phrase < buf ||
		    phrase + plen > buf + len ||
		    memchr(phrase, '\r', plen) || memchr(phrase, '\n', plen)) {
			fprintf(stderr, "sip_reason: %u bytes at %td\n", plen,
				phrase - buf);
			abort();
		}
	}
	free(buf);

	if (!(ret >= SIPCODE_CODE_MIN && ret <= SIPCODE_CODE_MAX) &&
	    ret != SIP_PARSE_NOT_RESPONSE && ret != SIP_PARSE_MALFORMED &&
	    ret != SIP_PARSE_TRUNCATED && ret != SIP_PARSE_KEEPALIVE) {
		fprintf(stderr, "sip_parse_status: invalid result %d\n", ret);
		abort();
	}
	if (ret != want) {
		fprintf(stderr, "sip_parse_status: %d, want %d\n", ret, want);
		abort();
	}
	return 0;
}
