// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/sipparse.c. Each function gets a buffer of
 * exactly the bytes it may read, and its answer is checked against the
 * slow references of tests/sipref.h: the status line, the request line,
 * the reason phrase, and the framer's end of headers, Content-Length and
 * CSeq method, fed whole and in two pieces.
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
 * The request-line check, on the window; the TCP framer, fed whole, then
 * in two pieces cut where the first byte says: both must answer as the
 * reference does.
 */
static void fuzz_framer(const uint8_t *data, size_t size)
{
	unsigned int win = size < SIP_PARSE_WINDOW ? size : SIP_PARSE_WINDOW;
	struct sip_framer whole, cut;
	unsigned int n, m, at;
	struct ref_frame want;
	unsigned char *buf;
	int req;

	if (!size)
		return;
	buf = malloc(size);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	req = sip_is_request(buf, win);
	if (req != ref_is_request(buf, win)) {
		fprintf(stderr, "sip_is_request: %d, want %d\n", req, !req);
		abort();
	}
	want = ref_frame(buf, size);
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
	if (n != want.end || sip_framer_clen(&whole) != want.clen ||
	    sip_framer_method(&whole) != want.method) {
		fprintf(stderr, "sip_framer_feed: end %u, length %ld, method %u; want %u, %ld, %u\n",
			n, sip_framer_clen(&whole), sip_framer_method(&whole),
			want.end, want.clen, want.method);
		abort();
	}
	if (n != m || sip_framer_clen(&whole) != sip_framer_clen(&cut) ||
	    sip_framer_method(&whole) != sip_framer_method(&cut)) {
		fprintf(stderr, "sip_framer_feed: %u/%ld/%u whole, %u/%ld/%u cut at %u\n",
			n, sip_framer_clen(&whole), sip_framer_method(&whole),
			m, sip_framer_clen(&cut), sip_framer_method(&cut), at);
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
	if (ret >= SIPCODE_CODE_MIN && ret <= SIPCODE_CODE_MAX &&
	    ret == want) {
		const unsigned char *phrase;
		unsigned int plen = sip_reason(buf, len, &phrase), off;
		unsigned int wlen = ref_reason(buf, len, &off);

		/* Inside the window, no CR or LF in it, the reference's. */
		if (plen > SIPCODE_REASON_MAX || phrase < buf ||
		    phrase + plen > buf + len ||
		    memchr(phrase, '\r', plen) || memchr(phrase, '\n', plen) ||
		    plen != wlen || (plen && phrase != buf + off)) {
			fprintf(stderr, "sip_reason: %u bytes at %td, want %u at %u\n",
				plen, phrase - buf, wlen, off);
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
