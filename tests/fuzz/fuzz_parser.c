// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/sipparse.c. Each function gets a buffer of
 * exactly the bytes it may read, and its answer is checked against the
 * slow references of tests/sipref.h: the status line, the request line,
 * the reason phrase, the framer's end of headers, Content-Length and
 * CSeq method, fed whole, in two pieces and in three, and the transaction
 * of kmod/siptxn.c against tests/txnref.h, whole and cut.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipparse.h"
#include "siptxn.h"
#include "sipref.h"
#include "txnref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cut(const struct sip_framer *whole, unsigned int n,
		      const struct sip_framer *cut, unsigned int m,
		      const unsigned int *cuts, unsigned int ncuts)
{
	if (n != m || sip_framer_clen(whole) != sip_framer_clen(cut) ||
	    sip_framer_method(whole) != sip_framer_method(cut)) {
		fprintf(stderr, "sip_framer_feed: %u/%ld/%u whole, %u/%ld/%u cut at %u, %u\n",
			n, sip_framer_clen(whole), sip_framer_method(whole),
			m, sip_framer_clen(cut), sip_framer_method(cut),
			cuts[0], ncuts > 1 ? cuts[1] : cuts[0]);
		abort();
	}
}

/*
 * The request-line check, on the window; the TCP framer, fed whole, then
 * in two pieces cut where the first byte says, and in three cut where
 * the first two say: all must answer as the reference does.
 */
static void fuzz_framer(const uint8_t *data, size_t size)
{
	unsigned int win = size < SIP_PARSE_WINDOW ? size : SIP_PARSE_WINDOW;
	struct sip_framer whole, cut;
	unsigned int n, m, cuts[2];
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
	sip_framer_init(&whole);
	n = sip_framer_feed(&whole, buf, size);
	if (n != want.end || sip_framer_clen(&whole) != want.clen ||
	    sip_framer_method(&whole) != want.method) {
		fprintf(stderr, "sip_framer_feed: end %u, length %ld, method %u; want %u, %ld, %u\n",
			n, sip_framer_clen(&whole), sip_framer_method(&whole),
			want.end, want.clen, want.method);
		abort();
	}
	/* Framing only: the same end and length, whole and cut in two. */
	sip_framer_init_length(&cut);
	m = sip_framer_feed(&cut, buf, size);
	if (m != n || sip_framer_clen(&cut) != sip_framer_clen(&whole) ||
	    sip_framer_method(&cut) != SIPCODE_METHOD_OTHER) {
		fprintf(stderr, "sip_framer_init_length: end %u, length %ld; want %u, %ld\n",
			m, sip_framer_clen(&cut), n, sip_framer_clen(&whole));
		abort();
	}
	cuts[0] = buf[0] % size;
	sip_framer_init_length(&cut);
	m = sip_framer_feed(&cut, buf, cuts[0]);
	if (!m)
		m = sip_framer_feed(&cut, buf + cuts[0], size - cuts[0]) +
		    cuts[0];
	if ((m != n && !(n == 0 && m == cuts[0])) ||
	    (n && sip_framer_clen(&cut) != sip_framer_clen(&whole))) {
		fprintf(stderr, "sip_framer_init_length, cut at %u: end %u; want %u\n",
			cuts[0], m, n);
		abort();
	}
	m = feed_pieces(&cut, data, size, cuts, 1);
	check_cut(&whole, n, &cut, m, cuts, 1);
	cuts[1] = cuts[0] + (size > 1 ? buf[1] : 0) % (size - cuts[0] + 1);
	m = feed_pieces(&cut, data, size, cuts, 2);
	check_cut(&whole, n, &cut, m, cuts, 2);
	free(buf);
}

/*
 * sip_txn_id() on the input, at most SIPCODE_HEADERS_SCAN_MAX bytes of
 * it as the module hands it, and cut where its last byte says: the
 * reference's answer, key and method; a cut gives -1 or the whole key.
 */
static void fuzz_txn(const uint8_t *data, size_t size)
{
	unsigned int len = size < SIPCODE_HEADERS_SCAN_MAX ? size :
			   SIPCODE_HEADERS_SCAN_MAX;
	struct sip_txn_id whole, id;
	unsigned char *buf, *cut;
	struct ref_txn ref;
	unsigned int n;
	int ret, want;

	buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	memcpy(buf, data, len);
	ret = sip_txn_id(buf, len, &whole);
	want = ref_txn(buf, len, &ref);
	if (ret != want || (!ret && (whole.key != ref.key ||
				     whole.method != ref.method_id))) {
		fprintf(stderr, "sip_txn_id: %d %016llx %u, want %d %016llx %u\n",
			ret, ret ? 0 : whole.key, ret ? 0 : whole.method, want,
			ref.key, ref.method_id);
		abort();
	}
	n = len ? buf[len - 1] % len : 0;
	cut = malloc(n ? n : 1);
	if (!cut)
		abort();
	memcpy(cut, buf, n);
	if (!sip_txn_id(cut, n, &id) &&
	    (ret || id.key != whole.key || id.method != whole.method)) {
		fprintf(stderr, "sip_txn_id: cut at %u: %016llx %u, whole %d %016llx %u\n",
			n, id.key, id.method, ret, ret ? 0 : whole.key,
			ret ? 0 : whole.method);
		abort();
	}
	free(cut);
	free(buf);
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
	fuzz_txn(data, size);
	ret = sip_parse_status(buf, len, size);
	want = ref_classify(buf, len, size);
	if (ret >= SIPCODE_CODE_MIN && ret <= SIPCODE_CODE_MAX &&
	    ret == want) {
		const unsigned char *phrase;
		unsigned int plen, wlen, off;
		int trunc, wtrunc;

		plen = sip_reason(buf, len, &phrase, &trunc);
		wlen = ref_reason(buf, len, &off, &wtrunc);
		/*
		 * Inside the window, no CR or LF in it, the reference's; cut
		 * only at SIPCODE_REASON_MAX bytes.
		 */
		if (plen > SIPCODE_REASON_MAX || phrase < buf ||
		    phrase + plen > buf + len ||
		    memchr(phrase, '\r', plen) || memchr(phrase, '\n', plen) ||
		    plen != wlen || (plen && phrase != buf + off) ||
		    trunc != wtrunc || (trunc && plen != SIPCODE_REASON_MAX)) {
			fprintf(stderr, "sip_reason: %u bytes at %td (cut %d), want %u at %u (cut %d)\n",
				plen, phrase - buf, trunc, wlen, off, wtrunc);
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
