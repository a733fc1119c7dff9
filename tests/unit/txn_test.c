// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the transaction of a message, kmod/siptxn.c. Every call
 * hands sip_txn_id() a buffer malloc'd to exactly the bytes it may read,
 * so that AddressSanitizer catches any read outside it; every answer is
 * also checked against the slow reference of tests/txnref.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 6.1 harness leaves parameters unused in its own code and in TEST(). */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "siptxn.h"
#include "txnref.h"
#include "rnd.h"

/* sipp's default uac INVITE, as sipp sends it. */
#define INVITE_LINE "INVITE sip:service@192.0.2.1:5060 SIP/2.0\r\n"
#define VIA "Via: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-0\r\n"
#define FROM "From: sipp <sip:sipp@192.0.2.2:5061>;tag=4567SIPpTag001\r\n"
#define TO "To: service <sip:service@192.0.2.1:5060>\r\n"
#define CALLID "Call-ID: 1-4567@192.0.2.2\r\n"
#define CSEQ "CSeq: 1 INVITE\r\n"
#define INVITE_REST \
	"Contact: sip:sipp@192.0.2.2:5061\r\n" \
	"Max-Forwards: 70\r\n" \
	"Subject: Performance Test\r\n" \
	"Content-Type: application/sdp\r\n" \
	"Content-Length:   129\r\n" \
	"\r\n" \
	"v=0\r\n" \
	"o=user1 53655765 2353687637 IN IP4 192.0.2.2\r\n" \
	"s=-\r\n" \
	"c=IN IP4 192.0.2.2\r\n" \
	"t=0 0\r\n" \
	"m=audio 6000 RTP/AVP 0\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n"

static const char invite[] =
	INVITE_LINE VIA FROM TO CALLID CSEQ INVITE_REST;

/* sipp's default uas 200 OK to it: the headers copied, a tag added. */
static const char ok[] =
	"SIP/2.0 200 OK\r\n"
	VIA
	FROM
	"To: service <sip:service@192.0.2.1:5060>;tag=8910SIPpTag011\r\n"
	CALLID
	CSEQ
	"Contact: <sip:192.0.2.1:5060;transport=UDP>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length:   129\r\n"
	"\r\n"
	"v=0\r\n";

/*
 * sip_txn_id() on the first @n bytes of @msg, in a buffer of exactly
 * that size, checked against the reference: its result, with the key
 * and method in @id.
 */
static int txn_n(const void *msg, unsigned int n, struct sip_txn_id *id)
{
	unsigned char *buf = malloc(n ? n : 1);
	struct ref_txn ref;
	int ret, want;

	if (!buf) {
		perror("malloc");
		abort();
	}
	memcpy(buf, msg, n);
	ret = sip_txn_id(buf, n, id);
	want = ref_txn(buf, n, &ref);
	free(buf);
	if (ret != want || (!ret && (id->key != ref.key ||
				     id->method != ref.method_id))) {
		fprintf(stderr, "sip_txn_id: %d %016llx %u, reference %d %016llx %u: %.*s\n",
			ret, ret ? 0 : id->key, ret ? 0 : id->method, want,
			ref.key, ref.method_id, (int)n, (const char *)msg);
		abort();
	}
	return ret;
}

static int txn(const char *msg, struct sip_txn_id *id)
{
	return txn_n(msg, strlen(msg), id);
}

/* The key of a message, which must have one. */
static unsigned long long key_of(struct __test_metadata *_metadata,
				 const char *msg)
{
	struct sip_txn_id id;

	EXPECT_EQ(0, txn(msg, &id)) {
		TH_LOG("no transaction in: %s", msg);
	}
	return id.key;
}

#define KEY(msg) key_of(_metadata, msg)

/* A request with the given Via, Call-ID and CSeq lines. */
#define REQ(via, callid, cseq) \
	"INVITE sip:b@example.com SIP/2.0\r\n" via "From: <sip:a@x>\r\n" \
	callid cseq "\r\n"

#define BASE REQ(VIA, CALLID, CSEQ)

TEST(request_and_response)
{
	struct sip_txn_id req, resp;

	ASSERT_EQ(0, txn(invite, &req));
	ASSERT_EQ(0, txn(ok, &resp));
	EXPECT_EQ(req.key, resp.key);
	EXPECT_EQ(SIPCODE_METHOD_INVITE, req.method);
	EXPECT_EQ(SIPCODE_METHOD_INVITE, resp.method);
	/* The headers in another order, others between them. */
	EXPECT_EQ(req.key,
		  KEY("SIP/2.0 180 Ringing\r\n" CSEQ "Server: x\r\n" CALLID
		      "Record-Route: <sip:p>\r\n" VIA "\r\n"));
	EXPECT_EQ(req.key, KEY(BASE));
}

TEST(fields_differ)
{
	unsigned long long base = KEY(BASE);
	struct sip_txn_id id;

	EXPECT_NE(base, KEY(REQ("Via: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-1\r\n",
				CALLID, CSEQ)));
	EXPECT_NE(base, KEY(REQ(VIA, "Call-ID: 1-4567@192.0.2.3\r\n", CSEQ)));
	EXPECT_NE(base, KEY(REQ(VIA, CALLID, "CSeq: 2 INVITE\r\n")));
	EXPECT_NE(base, KEY(REQ(VIA, CALLID, "CSeq: 1 CANCEL\r\n")));
	EXPECT_NE(base, KEY(REQ(VIA, CALLID, "CSeq: 1 INVITEX\r\n")));
	EXPECT_NE(base, KEY(REQ(VIA, CALLID, "CSeq: 4294967295 INVITE\r\n")));
	/* The bytes of one field moved to the next: not the same key. */
	EXPECT_NE(KEY(REQ("Via: x;branch=ab\r\n", "Call-ID: c\r\n", CSEQ)),
		  KEY(REQ("Via: x;branch=a\r\n", "Call-ID: bc\r\n", CSEQ)));
	EXPECT_NE(KEY(REQ(VIA, "Call-ID: 12345678A\r\n", "CSeq: 1 B\r\n")),
		  KEY(REQ(VIA, "Call-ID: 12345678\r\n", "CSeq: 1 AB\r\n")));
	/* Lengths on the 8-byte steps: 8 bytes, and 7 and 9. */
	EXPECT_NE(KEY(REQ("Via: x;branch=12345678\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x;branch=1234567\r\n", CALLID, CSEQ)));
	EXPECT_NE(KEY(REQ("Via: x;branch=12345678\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x;branch=123456789\r\n", CALLID, CSEQ)));
	/* The number read as a number: leading zeros do not count. */
	EXPECT_EQ(base, KEY(REQ(VIA, CALLID, "CSeq: 0001 INVITE\r\n")));
	/* Methods are case-sensitive. */
	ASSERT_EQ(0, txn(REQ(VIA, CALLID, "CSeq: 1 invite\r\n"), &id));
	EXPECT_EQ(SIPCODE_METHOD_OTHER, id.method);
	EXPECT_NE(base, id.key);
}

TEST(other_bytes)
{
	unsigned long long base = KEY(BASE);

	/* Other headers, the start line, the rest of each line. */
	EXPECT_EQ(base, KEY("SIP/2.0 486 Busy Here\r\n" VIA
			    "From: <sip:z@y>;tag=99\r\nTo: <sip:q@r>;tag=1\r\n"
			    CALLID CSEQ "Contact: <sip:c>\r\n\r\n"));
	EXPECT_EQ(base, KEY(REQ("Via: SIP/2.0/TCP host;branch=z9hG4bK-4567-1-0;received=192.0.2.9;rport=5\r\n",
				CALLID, "CSeq: 1 INVITE  \r\n")));
	EXPECT_EQ(base, KEY(REQ("Via: SIP/2.0/UDP 192.0.2.2:5061;rport;branch=z9hG4bK-4567-1-0\r\n",
				"Call-ID: 1-4567@192.0.2.2 \t \r\n", CSEQ)));
	/* Leading CR and LF. */
	EXPECT_EQ(base, KEY("\r\n\r\n" BASE));
	/* The scan stops once all three are read: anything may follow. */
	EXPECT_EQ(base, KEY(REQ(VIA, CALLID, CSEQ "CSeq: x\r\nCall-ID:\r\n")));
	EXPECT_EQ(base, KEY(INVITE_LINE VIA CALLID CSEQ "Via: bad"));
}

TEST(compact_and_case)
{
	unsigned long long base = KEY(BASE);

	EXPECT_EQ(base, KEY(REQ("v: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-0\r\n",
				"i: 1-4567@192.0.2.2\r\n", CSEQ)));
	EXPECT_EQ(base, KEY(REQ("V: SIP/2.0/UDP 192.0.2.2:5061;BRANCH=z9hG4bK-4567-1-0\r\n",
				"I: 1-4567@192.0.2.2\r\n", "CSEQ: 1 INVITE\r\n")));
	EXPECT_EQ(base, KEY(REQ("vIA: SIP/2.0/UDP 192.0.2.2:5061;bRaNcH=z9hG4bK-4567-1-0\r\n",
				"call-id: 1-4567@192.0.2.2\r\n", "cseq: 1 INVITE\r\n")));
	EXPECT_EQ(base, KEY(REQ(VIA, "CALL-ID: 1-4567@192.0.2.2\r\n", CSEQ)));
	/* The values are not lowered. */
	EXPECT_NE(base, KEY(REQ("Via: SIP/2.0/UDP 192.0.2.2:5061;branch=Z9hG4bK-4567-1-0\r\n",
				CALLID, CSEQ)));
	EXPECT_NE(base, KEY(REQ(VIA, "Call-ID: 1-4567@192.0.2.2X\r\n", CSEQ)));
}

TEST(white_space)
{
	unsigned long long base = KEY(BASE);

	EXPECT_EQ(base, KEY(REQ("Via \t:\tSIP/2.0/UDP 192.0.2.2:5061 ; branch \t= z9hG4bK-4567-1-0 ;x\r\n",
				"Call-ID  :  1-4567@192.0.2.2  \r\n",
				"CSeq\t:\t1 \t INVITE\t\r\n")));
	EXPECT_EQ(base, KEY(REQ("v:SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-0\r\n",
				"i:1-4567@192.0.2.2\r\n", "CSeq:1 INVITE\r\n")));
	/* Bare LF lines, and a mix. */
	EXPECT_EQ(base, KEY("INVITE sip:b@example.com SIP/2.0\n"
			    "Via: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-0\n"
			    "From: <sip:a@x>\nCall-ID: 1-4567@192.0.2.2\n"
			    "CSeq: 1 INVITE\n\n"));
	EXPECT_EQ(base, KEY("INVITE sip:b@example.com SIP/2.0\n" VIA
			    "From: <sip:a@x>\n" CALLID "CSeq: 1 INVITE\n\n"));
}

TEST(via_values_and_lines)
{
	unsigned long long base = KEY(BASE);
	struct sip_txn_id id;

	/* The first value of the first line. */
	EXPECT_EQ(base, KEY(REQ("Via: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bK-4567-1-0, SIP/2.0/UDP p;branch=z9hG4bKp\r\n",
				CALLID, CSEQ)));
	EXPECT_EQ(base, KEY(REQ(VIA "Via: SIP/2.0/UDP p;branch=z9hG4bKp\r\n",
				CALLID, CSEQ)));
	EXPECT_EQ(base, KEY(REQ(VIA "v: SIP/2.0/UDP p;branch=z9hG4bKp\r\n",
				CALLID, CSEQ)));
	EXPECT_EQ(base, KEY(INVITE_LINE CALLID VIA CSEQ
			    "Via: SIP/2.0/UDP p;branch=z9hG4bKp\r\n"));
	/* The branch is in a later value, or a later line: none. */
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP p, SIP/2.0/UDP q;branch=z9hG4bKq\r\n",
			      CALLID, CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP p\r\n" VIA, CALLID, CSEQ),
			  &id));
	/* Not a branch parameter. */
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP p;branches=1;xbranch=2;maddr=branch\r\n",
			      CALLID, CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP p;branch;x=1\r\n", CALLID,
			      CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP p;branch=\r\n", CALLID, CSEQ),
			  &id));
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP p;branch=;x\r\n", CALLID,
			      CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP p branch=x\r\n", CALLID,
			      CSEQ), &id));
	/* Names that start as ours. */
	EXPECT_EQ(-1, txn(REQ("Vias: SIP/2.0/UDP p;branch=x\r\n", CALLID,
			      CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ("Vi: SIP/2.0/UDP p;branch=x\r\n", CALLID, CSEQ),
			  &id));
	EXPECT_EQ(base, KEY(REQ("Via-X: SIP/2.0/UDP p;branch=x\r\n" VIA,
				"Call-Info: <x>\r\nCall-IDs: x\r\nid: x\r\n" CALLID,
				"CSeqs: 3 BYE\r\nC: 3 BYE\r\n" CSEQ)));
	/* The branch ends at the first of ; , SP HTAB CR LF. */
	EXPECT_EQ(KEY(REQ("Via: x;branch=abc\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x;branch=abc;y\r\n", CALLID, CSEQ)));
	EXPECT_EQ(KEY(REQ("Via: x;branch=abc\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x;branch=abc, y\r\n", CALLID, CSEQ)));
	EXPECT_EQ(KEY(REQ("Via: x;branch=abc\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x;branch=abc\t;y\r\n", CALLID, CSEQ)));
	EXPECT_EQ(KEY(REQ("Via: x;branch=abc\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x;branch=abc\n", CALLID, CSEQ)));
	/* Other control bytes are part of it. */
	EXPECT_NE(KEY(REQ("Via: x;branch=abc\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x;branch=abc\x01\r\n", CALLID, CSEQ)));
	EXPECT_NE(KEY(REQ("Via: x\t;branch=12345678abc\r\n", CALLID, CSEQ)),
		  KEY(REQ("Via: x\t;branch=12345678abc\x01\r\n", CALLID,
			  CSEQ)));
}

TEST(missing)
{
	struct sip_txn_id id;

	EXPECT_EQ(-1, txn(REQ("", CALLID, CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ(VIA, "", CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ(VIA, CALLID, ""), &id));
	EXPECT_EQ(-1, txn(REQ("Via: SIP/2.0/UDP 192.0.2.2:5061\r\n", CALLID,
			      CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ(VIA, "Call-ID:  \t\r\n", CSEQ), &id));
	/* The first of each counts, even when a good one follows. */
	EXPECT_EQ(-1, txn(REQ(VIA, "Call-ID:\r\n" CALLID, CSEQ), &id));
	EXPECT_EQ(-1, txn(REQ(VIA, CALLID, "CSeq: x INVITE\r\n" CSEQ), &id));
	/* In the body: not a header. */
	EXPECT_EQ(-1, txn(INVITE_LINE VIA CALLID "\r\n" CSEQ, &id));
	EXPECT_EQ(-1, txn(INVITE_LINE VIA CALLID "\n" CSEQ, &id));
	EXPECT_EQ(-1, txn(INVITE_LINE "\r\n" VIA CALLID CSEQ, &id));
	/* No start line: the first line is skipped, whatever it is. */
	EXPECT_EQ(-1, txn(VIA CALLID CSEQ, &id));
	EXPECT_EQ(-1, txn("", &id));
	EXPECT_EQ(-1, txn("\r\n\r\n", &id));
	/* A folded line is skipped, not joined. */
	EXPECT_EQ(-1, txn(REQ("Via:\r\n SIP/2.0/UDP p;branch=z9hG4bK1\r\n",
			      CALLID, CSEQ), &id));
	EXPECT_EQ(0, txn(REQ(VIA, CALLID, "X: 1\r\n CSeq: 2 BYE\r\n" CSEQ),
			 &id));
	/* A CR not followed by LF does not end the headers. */
	EXPECT_EQ(0, txn(INVITE_LINE VIA "\rX: 1\r\n" CALLID CSEQ, &id));
}

TEST(cseq_forms)
{
	struct sip_txn_id id;
	static const char *const bad[] = {
		"CSeq: INVITE\r\n",
		"CSeq: 1INVITE\r\n",
		"CSeq: 1\r\n",
		"CSeq: 1 \r\n",
		"CSeq: 12345678901 INVITE\r\n",
		"CSeq: 00000000001 INVITE\r\n",
		"CSeq: 4294967296 INVITE\r\n",
		"CSeq: 99999999999999999999 INVITE\r\n",
		"CSeq: 1 INVITE;x\r\n",
		"CSeq: 1 INV@TE\r\n",
		"CSeq: -1 INVITE\r\n",
		"CSeq: 1 \"INVITE\"\r\n",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char msg[512];

		snprintf(msg, sizeof(msg), INVITE_LINE VIA CALLID "%s" CSEQ,
			 bad[i]);
		EXPECT_EQ(-1, txn(msg, &id)) {
			TH_LOG("%s", bad[i]);
		}
	}
	EXPECT_EQ(KEY(BASE), KEY(REQ(VIA, CALLID,
				     "CSeq: 0000000001 INVITE\r\n")));
	ASSERT_EQ(0, txn(REQ(VIA, CALLID, "CSeq: 4294967295 ACK\r\n"), &id));
	EXPECT_EQ(SIPCODE_METHOD_ACK, id.method);
	ASSERT_EQ(0, txn(REQ(VIA, CALLID, "CSeq: 0 FOO-BAR.x!\r\n"), &id));
	EXPECT_EQ(SIPCODE_METHOD_OTHER, id.method);
	ASSERT_EQ(0, txn(REQ(VIA, CALLID, "CSeq: 7 SUBSCRIBE and more\r\n"),
			 &id));
	EXPECT_EQ(SIPCODE_METHOD_SUBSCRIBE, id.method);
	ASSERT_EQ(0, txn(REQ(VIA, CALLID, "CSeq: 7 UPDATE\n"), &id));
	EXPECT_EQ(SIPCODE_METHOD_UPDATE, id.method);
	/* Each method its own key. */
	EXPECT_NE(KEY(REQ(VIA, CALLID, "CSeq: 1 FOO\r\n")),
		  KEY(REQ(VIA, CALLID, "CSeq: 1 BAR\r\n")));
}

/*
 * Cut at every length, in a buffer of exactly that size: -1, or the key
 * of the whole message, and the whole message has one.
 */
static void every_length(struct __test_metadata *_metadata, const char *msg,
			 unsigned int found_from)
{
	unsigned int n, len = strlen(msg);
	struct sip_txn_id whole, id;
	int ret;

	ASSERT_EQ(0, txn(msg, &whole));
	for (n = 0; n <= len; n++) {
		ret = txn_n(msg, n, &id);
		EXPECT_EQ(n >= found_from ? 0 : -1, ret) {
			TH_LOG("cut at %u", n);
		}
		if (!ret) {
			EXPECT_EQ(whole.key, id.key);
			EXPECT_EQ(whole.method, id.method);
		}
	}
}

TEST(cut_everywhere)
{
	const char *p = strstr(invite, CSEQ);

	/* Found once the CSeq's method is followed by its CR. */
	every_length(_metadata, invite, p - invite + strlen(CSEQ) - 1);
	p = strstr(ok, CSEQ);
	every_length(_metadata, ok, p - ok + strlen(CSEQ) - 1);
	/* Bare LFs: found with the last LF. */
	every_length(_metadata, "\n\nA\ni:x\nv:;branch=y\ncseq:1 A\n",
		     strlen("\n\nA\ni:x\nv:;branch=y\ncseq:1 A\n"));
	every_length(_metadata, "A\nv:;branch=y\ncseq:1 A\ni:x\n",
		     strlen("A\nv:;branch=y\ncseq:1 A\ni:x\n"));
}

/*
 * Messages made of lines of a small vocabulary, the fields in random
 * order and forms: sip_txn_id() agrees with the reference on each and on
 * each of its cuts (txn_n() checks).
 */
TEST(random_messages)
{
	static const char *const lines[] = {
		"INVITE sip:a@b SIP/2.0", "SIP/2.0 200 OK", "", "\r",
		"Via: SIP/2.0/UDP h;branch=z9hG4bK1", "v:x;branch=z9hG4bK2;r",
		"Via : a , b;branch=c", "VIA:x;Branch = 0123456789abcdef;",
		"Via: x; branch\t=\tq,y", "Via: x;rport;branch=", "Via: x",
		"Call-ID: abc", "i:abcdefgh12345678  ", "call-id :\t", "I: x y",
		"CSeq: 1 INVITE", "cseq:\t4294967295\tACK ", "CSeq: 1", "CSeq: 2 BYE",
		"CSEQ: 12345678901 X", "From: a", "To: b;tag=c", " folded",
		"Contact: <sip:c>", "Content-Length: 0", "\tVia: x;branch=f",
		"Call-ID", "C", "Vi", "i", "v", "c: x", "branch=x",
	};
	unsigned int round, k, nlines, n, len;
	struct sip_txn_id id;
	char msg[1024];
	int found = 0;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (round = 0; round < 20000; round++) {
		len = 0;
		nlines = 1 + rnd_below(8);
		for (k = 0; k < nlines; k++) {
			const char *l = lines[rnd_below(sizeof(lines) /
							sizeof(lines[0]))];

			len += snprintf(msg + len, sizeof(msg) - len, "%s%s", l,
					rnd_below(4) ? "\r\n" : "\n");
		}
		found += !txn_n(msg, len, &id);
		/* And a few cuts of it. */
		for (k = 0; k < 4; k++) {
			n = rnd_below(len + 1);
			txn_n(msg, n, &id);
		}
	}
	/* The vocabulary makes messages with a transaction, too. */
	EXPECT_LT(100, found);
}

TEST_HARNESS_MAIN
