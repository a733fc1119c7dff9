// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the status-line parser, kmod/sipparse.c. Every call
 * hands the parser a buffer malloc'd to exactly the bytes it may read,
 * so that AddressSanitizer catches any read outside it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 6.1 harness leaves parameters unused in its own code and in TEST(). */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "sipparse.h"
#include "sipref.h"

static int parse_window(const void *data, unsigned int len,
			unsigned int total)
{
	unsigned char *buf = malloc(len);
	int ret;

	if (!buf && len) {
		perror("malloc");
		abort();
	}
	memcpy(buf, data, len);
	ret = sip_parse_status(buf, len, total);
	free(buf);
	return ret;
}

static int parse_n(const void *data, size_t n)
{
	unsigned int len = n < SIP_PARSE_WINDOW ? n : SIP_PARSE_WINDOW;

	return parse_window(data, len, n);
}

static int parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static const char *result_name(int r)
{
	static char code[8];

	switch (r) {
	case SIP_PARSE_NOT_RESPONSE:
		return "NOT_RESPONSE";
	case SIP_PARSE_MALFORMED:
		return "MALFORMED";
	case SIP_PARSE_TRUNCATED:
		return "TRUNCATED";
	case SIP_PARSE_KEEPALIVE:
		return "KEEPALIVE";
	}
	snprintf(code, sizeof(code), "%d", r);
	return code;
}

static const char *const reasons[] = {
	" Reason\r\n",
	(" OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n"
	 "To: Bob <sip:bob@example.com>;tag=a6c85cf\r\n\r\n"),
	"\r\n",
	"\n",
	"\r",
	" ",
	" \r\n",
	" 0123456789abcdefghijklmnopqrstuv\r\n",	/* SIPCODE_REASON_MAX */
	" Request Terminated By The Remote Party\r\n",	/* more */
};

FIXTURE(every_code) {
	char line[256];
};

FIXTURE_VARIANT(every_code) {
	const char *before;
	const char *version;
};

FIXTURE_VARIANT_ADD(every_code, plain) {
	.before = "",
	.version = "SIP/2.0",
};

FIXTURE_VARIANT_ADD(every_code, lower) {
	.before = "",
	.version = "sip/2.0",
};

FIXTURE_VARIANT_ADD(every_code, leading_crlf) {
	.before = "\r\n\r\n",
	.version = "Sip/2.0",
};

FIXTURE_VARIANT_ADD(every_code, leading_lf) {
	.before = "\n",
	.version = "sIP/2.0",
};

FIXTURE_SETUP(every_code)
{
	memset(self->line, 0, sizeof(self->line));
}

FIXTURE_TEARDOWN(every_code)
{
}

TEST_F(every_code, counted)
{
	unsigned int r;
	int code;

	for (code = 100; code <= 699; code++) {
		for (r = 0; r < ARRAY_SIZE(reasons); r++) {
			snprintf(self->line, sizeof(self->line), "%s%s %03d%s",
				 variant->before, variant->version, code,
				 reasons[r]);
			ASSERT_EQ(code, parse(self->line))
				TH_LOG("\"%s\"", self->line);
		}
	}
}

TEST_F(every_code, out_of_range)
{
	int code;

	for (code = 0; code <= 999; code++) {
		if (code == 100)
			code = 700;
		snprintf(self->line, sizeof(self->line), "%s%s %03d OK\r\n",
			 variant->before, variant->version, code);
		ASSERT_EQ(SIP_PARSE_MALFORMED, parse(self->line))
			TH_LOG("\"%s\"", self->line);
	}
	for (code = 1000; code <= 9999; code += 7) {
		snprintf(self->line, sizeof(self->line), "%s%s %d OK\r\n",
			 variant->before, variant->version, code);
		ASSERT_EQ(SIP_PARSE_MALFORMED, parse(self->line))
			TH_LOG("\"%s\"", self->line);
	}
}

TEST(version_any_case)
{
	char line[] = "SIP/2.0 200 OK\r\n";
	unsigned int mask;

	for (mask = 0; mask < 8; mask++) {
		line[0] = mask & 1 ? 's' : 'S';
		line[1] = mask & 2 ? 'i' : 'I';
		line[2] = mask & 4 ? 'p' : 'P';
		ASSERT_EQ(200, parse(line)) TH_LOG("\"%s\"", line);
	}
}

TEST(empty_reason)
{
	EXPECT_EQ(486, parse("SIP/2.0 486\r\n"));
	EXPECT_EQ(486, parse("SIP/2.0 486\n"));
	EXPECT_EQ(486, parse("SIP/2.0 486 \r\n"));
	EXPECT_EQ(486, parse("SIP/2.0 486\r"));
	EXPECT_EQ(486, parse("SIP/2.0 486 "));
	EXPECT_EQ(SIP_PARSE_TRUNCATED, parse("SIP/2.0 486"));
}

TEST(leading_crlf)
{
	char buf[SIP_PARSE_WINDOW + 32];
	unsigned int skip;

	EXPECT_EQ(200, parse("\r\nSIP/2.0 200 OK\r\n"));
	EXPECT_EQ(180, parse("\n\r\n\rSIP/2.0 180 Ringing\r\n"));
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse(" SIP/2.0 200 OK\r\n"));
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse("\r\n\tSIP/2.0 200 OK\r\n"));

	for (skip = 0; skip + 12 <= SIP_PARSE_WINDOW; skip++) {
		memset(buf, '\n', skip);
		memcpy(buf + skip, "SIP/2.0 603 Decline\r\n", 21);
		memset(buf + skip + 21, 'x', sizeof(buf) - skip - 21);
		ASSERT_EQ(603, parse_n(buf, sizeof(buf)))
			TH_LOG("%u leading LF", skip);
		ASSERT_EQ(603, parse_n(buf, skip + 12))
			TH_LOG("%u leading LF, payload ends after SP", skip);
	}
}

TEST(bad_version)
{
	static const char *const lines[] = {
		"SIP/3.0 200 OK\r\n",
		"SIP/2.1 200 OK\r\n",
		"SIP/1.0 200 OK\r\n",
		"SIP/2.0  200 OK\r\n",
		"SIP/2.0\t200 OK\r\n",
		"SIP/2.0\t200",
		"SIP/2.0\r\n200 OK\r\n",
		"SIP/20 200 OK\r\n",
		"SIP/ 2.0 200 OK\r\n",
		"SIP/2,0 200 OK\r\n",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		EXPECT_EQ(SIP_PARSE_MALFORMED, parse(lines[i]))
			TH_LOG("\"%s\"", lines[i]);
	}
	EXPECT_EQ(SIP_PARSE_MALFORMED, parse_n("sip/2.0\000200 OK\r\n", 16));
}

TEST(bad_code)
{
	static const char *const lines[] = {
		"SIP/2.0 abc Bad\r\n",
		"SIP/2.0 2a0 OK\r\n",
		"SIP/2.0 20a OK\r\n",
		"SIP/2.0 20 OK\r\n",
		"SIP/2.0 2 OK\r\n",
		"SIP/2.0 -20 OK\r\n",
		"SIP/2.0 +200 OK\r\n",
		"SIP/2.0 200x OK\r\n",
		"SIP/2.0 200\tOK\r\n",
		"SIP/2.0 2000 OK\r\n",
		"SIP/2.0 4860 Busy\r\n",
		"SIP/2.0 \r\n",
		"SIP/2.0 OK 200\r\n",
		"SIP/2.0 \xb2\xb0\xb0 OK\r\n",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		EXPECT_EQ(SIP_PARSE_MALFORMED, parse(lines[i]))
			TH_LOG("\"%s\"", lines[i]);
	}
	EXPECT_EQ(SIP_PARSE_MALFORMED, parse_n("SIP/2.0 200\0OK\r\n", 16));
	EXPECT_EQ(SIP_PARSE_MALFORMED, parse_n("SIP/2.0 \0\0\0 OK\r\n", 16));
}

TEST(not_response)
{
	static const unsigned char stun[] = {
		0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42,
		0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
		0xfa, 0x87, 0xdf, 0xae,
	};
	static const char *const lines[] = {
		"INVITE sip:bob@x SIP/2.0\r\n",
		("REGISTER sip:registrar.example.com SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7\r\n"),
		"OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n",
		"ACK sip:bob@x SIP/2.0\r\n",
		"BYE sip:bob@x SIP/2.0\r\n",
		"CANCEL sip:bob@x SIP/2.0\r\n",
		"SUBSCRIBE sip:bob@x SIP/2.0\r\n",
		"HTTP/1.1 200 OK\r\n",
		"SIPS/2.0 200 OK\r\n",
		"SIP 2.0 200 OK\r\n",
		"SI/2.0 200 OK\r\n",
		"sip:bob@x\r\n",
		" SIP/2.0 200 OK\r\n",
		"\r\n\r\nINVITE sip:bob@x SIP/2.0\r\n",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse(lines[i]))
			TH_LOG("\"%s\"", lines[i]);
	}
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse_n("\0IP/2.0 200 OK\r\n", 16));
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse_n("SI\0/2.0 200 OK\r\n", 16));
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse_n(stun, sizeof(stun)));
	for (i = 1; i <= sizeof(stun); i++) {
		EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse_n(stun, i))
			TH_LOG("STUN, %u bytes", i);
	}
}

TEST(keepalive)
{
	char crlf[SIP_PARSE_WINDOW];
	unsigned int n;

	EXPECT_EQ(SIP_PARSE_KEEPALIVE, parse_window("", 0, 0));
	EXPECT_EQ(SIP_PARSE_KEEPALIVE, parse("\r\n"));
	EXPECT_EQ(SIP_PARSE_KEEPALIVE, parse("\r\n\r\n"));
	EXPECT_EQ(SIP_PARSE_KEEPALIVE, parse("\n"));
	EXPECT_EQ(SIP_PARSE_KEEPALIVE, parse("\r"));
	EXPECT_EQ(SIP_PARSE_KEEPALIVE, parse("\n\r\n\r"));
	for (n = 0; n < sizeof(crlf); n++)
		crlf[n] = n & 1 ? '\n' : '\r';
	for (n = 1; n <= sizeof(crlf); n++) {
		ASSERT_EQ(SIP_PARSE_KEEPALIVE, parse_n(crlf, n))
			TH_LOG("%u bytes of CRLF", n);
	}
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse("\r\n\r\n "));
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE, parse_n("\r\n\0", 3));
}

TEST(truncated_prefixes)
{
	static const char *const lines[] = {
		"SIP/2.0 486 ",
		"sip/2.0 180 ",
		"\r\nSIP/2.0 699\r",
		"\n\n\nSip/2.0 100\n",
	};
	unsigned int i, n, s;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		const char *line = lines[i];
		size_t len = strlen(line);

		s = strspn(line, "\r\n");
		for (n = s + 1; n < len; n++) {
			ASSERT_EQ(SIP_PARSE_TRUNCATED, parse_n(line, n))
				TH_LOG("%u bytes of \"%s\"", n, line);
		}
		ASSERT_NE(SIP_PARSE_TRUNCATED, parse_n(line, len));
	}
}

struct prefix_case {
	const char *text;
	unsigned int judged;	/* bytes needed to tell what it is */
};

TEST(not_response_prefixes)
{
	static const struct prefix_case cases[] = {
		{ "INVITE sip:bob@x SIP/2.0\r\n", 1 },
		{ "REGISTER sip:bob@x SIP/2.0\r\n", 1 },
		{ "OPTIONS sip:bob@x SIP/2.0\r\n", 1 },
		{ "HTTP/1.1 200 OK\r\n", 1 },
		{ "\r\nBYE sip:bob@x SIP/2.0\r\n", 3 },
		{ "SUBSCRIBE sip:bob@x SIP/2.0\r\n", 2 },
		{ "SIx/2.0 200 OK\r\n", 3 },
		{ "sip:bob@x SIP/2.0 200 OK\r\n", 4 },
	};
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *text = cases[i].text;
		size_t len = strlen(text);

		for (n = cases[i].judged; n <= len; n++) {
			ASSERT_EQ(SIP_PARSE_NOT_RESPONSE, parse_n(text, n))
				TH_LOG("%u bytes of \"%s\"", n, text);
		}
	}
}

TEST(malformed_prefixes)
{
	static const struct prefix_case cases[] = {
		{ "SIP/3.0 200 OK\r\n", 5 },
		{ "sip/2.1 200 OK\r\n", 7 },
		{ "SIP/2.0  200 OK\r\n", 9 },
		{ "SIP/2.0 700 Bad\r\n", 9 },
		{ "SIP/2.0 099 Bad\r\n", 9 },
		{ "SIP/2.0 2x0 Bad\r\n", 10 },
		{ "SIP/2.0 20x Bad\r\n", 11 },
		{ "SIP/2.0 200x Bad\r\n", 12 },
		{ "\n\nSIP/2.0 200x Bad\r\n", 14 },
	};
	unsigned int i, n, s;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *text = cases[i].text;
		size_t len = strlen(text);

		s = strspn(text, "\r\n");
		for (n = s + 1; n < cases[i].judged; n++) {
			ASSERT_EQ(SIP_PARSE_TRUNCATED, parse_n(text, n))
				TH_LOG("%u bytes of \"%s\"", n, text);
		}
		for (n = cases[i].judged; n <= len; n++) {
			ASSERT_EQ(SIP_PARSE_MALFORMED, parse_n(text, n))
				TH_LOG("%u bytes of \"%s\"", n, text);
		}
	}
}

FIXTURE(window) {
	unsigned char payload[1500];
};

FIXTURE_SETUP(window)
{
	memset(self->payload, 'x', sizeof(self->payload));
}

FIXTURE_TEARDOWN(window)
{
}

TEST_F(window, all_crlf)
{
	unsigned int total;

	memset(self->payload, '\r', SIP_PARSE_WINDOW);
	for (total = SIP_PARSE_WINDOW + 1; total <= sizeof(self->payload);
	     total++) {
		ASSERT_EQ(SIP_PARSE_MALFORMED,
			  parse_window(self->payload, SIP_PARSE_WINDOW, total))
			TH_LOG("total %u", total);
	}
	EXPECT_EQ(SIP_PARSE_KEEPALIVE,
		  parse_window(self->payload, SIP_PARSE_WINDOW,
			       SIP_PARSE_WINDOW));
	memset(self->payload, '\n', SIP_PARSE_WINDOW);
	EXPECT_EQ(SIP_PARSE_MALFORMED,
		  parse_window(self->payload, SIP_PARSE_WINDOW, 65535));
}

TEST_F(window, status_line_inside)
{
	memcpy(self->payload, "SIP/2.0 183 Session Progress\r\n", 30);
	EXPECT_EQ(183, parse_window(self->payload, SIP_PARSE_WINDOW,
				    sizeof(self->payload)));
	EXPECT_EQ(183, parse_window(self->payload, SIP_PARSE_WINDOW,
				    SIP_PARSE_WINDOW + 1));
	memset(self->payload, '\n', SIP_PARSE_WINDOW - 12);
	memcpy(self->payload + SIP_PARSE_WINDOW - 12, "SIP/2.0 183 ", 12);
	EXPECT_EQ(183, parse_window(self->payload, SIP_PARSE_WINDOW,
				    sizeof(self->payload)));
	memcpy(self->payload + SIP_PARSE_WINDOW - 12, "SIP/2.0 183x", 12);
	EXPECT_EQ(SIP_PARSE_MALFORMED,
		  parse_window(self->payload, SIP_PARSE_WINDOW,
			       sizeof(self->payload)));
	memcpy(self->payload + SIP_PARSE_WINDOW - 12, "INVITE sip:b", 12);
	EXPECT_EQ(SIP_PARSE_NOT_RESPONSE,
		  parse_window(self->payload, SIP_PARSE_WINDOW,
			       sizeof(self->payload)));
}

TEST_F(window, status_line_cut)
{
	static const char line[] = "SIP/2.0 486 ";
	unsigned int n;
	int ret;

	for (n = 1; n < 12; n++) {
		memset(self->payload, '\r', SIP_PARSE_WINDOW - n);
		memcpy(self->payload + SIP_PARSE_WINDOW - n, line, n);
		ret = parse_window(self->payload, SIP_PARSE_WINDOW,
				   sizeof(self->payload));
		ASSERT_EQ(SIP_PARSE_MALFORMED, ret)
			TH_LOG("%u bytes of \"%s\" end the window: %s", n,
			       line, result_name(ret));
	}
}

/*
 * 1,000,000 pseudo-random payloads of 0 to 80 bytes, most of them a
 * status line with a few bytes changed.
 */
#define PROPERTY_RUNS 1000000
#define PROPERTY_MAX_LEN 80

struct gen {
	uint64_t state;
	unsigned char payload[PROPERTY_MAX_LEN];
};

FIXTURE(property) {
	struct gen gen;
	unsigned long seen[SIP_PARSE_KEEPALIVE + 1];
	unsigned long codes;
	unsigned long cut;	/* reason phrases truncated */
};

FIXTURE_SETUP(property)
{
	memset(self, 0, sizeof(*self));
	self->gen.state = 0x5ec0de5195eed001ULL;
}

FIXTURE_TEARDOWN(property)
{
}

static uint32_t prng(struct gen *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31)) >> 32;
}

static unsigned char interesting(struct gen *g)
{
	static const char set[] = "SIPsip/2.0 \r\n\t0123456789:x";

	if (prng(g) % 4 == 0)
		return prng(g);
	return set[prng(g) % (sizeof(set) - 1)];
}

static unsigned int make_payload(struct gen *g)
{
	unsigned char *p = g->payload;
	unsigned int n = prng(g) % (PROPERTY_MAX_LEN + 1);
	unsigned int kind = prng(g) % 8, i, skip, muts;
	char line[PROPERTY_MAX_LEN + 16];
	int len;

	if (kind == 0) {
		for (i = 0; i < n; i++)
			p[i] = prng(g);
		return n;
	}
	if (kind == 1) {
		for (i = 0; i < n; i++)
			p[i] = interesting(g);
		return n;
	}
	if (kind == 2) {
		for (i = 0; i < n; i++)
			p[i] = prng(g) % 3 ? '\r' : '\n';
		if (n && prng(g) % 2)
			p[prng(g) % n] = interesting(g);
		return n;
	}
	skip = prng(g) % 4 ? 0 : prng(g) % 60;
	for (i = 0; i < skip; i++)
		line[i] = prng(g) % 2 ? '\r' : '\n';
	len = snprintf(line + skip, sizeof(line) - skip, "%s %03u%s",
		       prng(g) % 2 ? "SIP/2.0" : "sIp/2.0",
		       prng(g) % 1000,
		       reasons[prng(g) % ARRAY_SIZE(reasons)]);
	len += skip;
	if (len > PROPERTY_MAX_LEN)
		len = PROPERTY_MAX_LEN;
	if (n > (unsigned int)len)
		n = len;
	memcpy(p, line, n);
	muts = prng(g) % 4;
	for (i = 0; n && i < muts; i++)
		p[prng(g) % n] = interesting(g);
	return n;
}

TEST_F_TIMEOUT(property, random_payloads, 600)
{
	unsigned long run;

	for (run = 0; run < PROPERTY_RUNS; run++) {
		unsigned int n = make_payload(&self->gen);
		unsigned int len = n < SIP_PARSE_WINDOW ? n : SIP_PARSE_WINDOW;
		int ret = parse_window(self->gen.payload, len, n);
		int want = ref_classify(self->gen.payload, len, n);

		if (ret >= SIPCODE_CODE_MIN && ret <= SIPCODE_CODE_MAX) {
			const unsigned char *phrase;
			unsigned int plen, wlen, off;
			int trunc, wtrunc;

			ASSERT_EQ(ret, ref_status_code(self->gen.payload, len))
				TH_LOG("run %lu: %u bytes: not a status line",
				       run, n);
			plen = sip_reason(self->gen.payload, len, &phrase,
					  &trunc);
			wlen = ref_reason(self->gen.payload, len, &off, &wtrunc);
			ASSERT_EQ(wlen, plen)
				TH_LOG("run %lu: reason phrase of %u bytes", run, n);
			ASSERT_EQ(wtrunc, trunc)
				TH_LOG("run %lu: reason phrase truncated", run);
			self->cut += trunc;
			if (plen)
				ASSERT_EQ(off, phrase - self->gen.payload)
					TH_LOG("run %lu: reason phrase", run);
			self->codes++;
		} else {
			ASSERT_TRUE(ret == SIP_PARSE_NOT_RESPONSE ||
				    ret == SIP_PARSE_MALFORMED ||
				    ret == SIP_PARSE_TRUNCATED ||
				    ret == SIP_PARSE_KEEPALIVE)
				TH_LOG("run %lu: result %d", run, ret);
			self->seen[ret]++;
		}
		ASSERT_EQ(want, ret)
			TH_LOG("run %lu: %u bytes: want %s, got %s", run, n,
			       result_name(want), result_name(ret));
		/* The hook's early way out for non-SIP first bytes. */
		if (n && !sip_may_start(self->gen.payload[0]))
			ASSERT_EQ(SIP_PARSE_NOT_RESPONSE, ret)
				TH_LOG("run %lu: first byte %#x", run,
				       self->gen.payload[0]);
	}
	TH_LOG("%lu codes (%lu phrases cut), %lu not response, %lu malformed, %lu truncated, %lu keep-alive",
	       self->codes, self->cut, self->seen[SIP_PARSE_NOT_RESPONSE],
	       self->seen[SIP_PARSE_MALFORMED],
	       self->seen[SIP_PARSE_TRUNCATED],
	       self->seen[SIP_PARSE_KEEPALIVE]);
	EXPECT_GT(self->codes, PROPERTY_RUNS / 10UL);
	EXPECT_GT(self->cut, 1000UL);
	EXPECT_GT(self->seen[SIP_PARSE_NOT_RESPONSE], 1000UL);
	EXPECT_GT(self->seen[SIP_PARSE_MALFORMED], 1000UL);
	EXPECT_GT(self->seen[SIP_PARSE_TRUNCATED], 1000UL);
	EXPECT_GT(self->seen[SIP_PARSE_KEEPALIVE], 1000UL);
}

/* Feed @msg to a framer whole: the header length, and the clen. */
static unsigned int frame(const char *msg, long *clen)
{
	struct sip_framer f;
	unsigned int n;

	sip_framer_init(&f);
	n = sip_framer_feed(&f, (const unsigned char *)msg, strlen(msg));
	*clen = sip_framer_clen(&f);
	return n;
}

TEST(framer_content_length)
{
	static const char *const hdrs[] = {
		"Content-Length: 5", "content-length:5", "CONTENT-LENGTH :\t5 ",
		"l: 5", "L:5", "Content-Length: 5\r\nl: 5",
	};
	char msg[256];
	unsigned int i;
	long clen;

	for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		snprintf(msg, sizeof(msg),
			 "\r\nSIP/2.0 200 OK\r\nVia: SIP/2.0/TCP x\r\n%s\r\n\r\nhello",
			 hdrs[i]);
		EXPECT_EQ(strlen(msg) - 5, frame(msg, &clen))
			TH_LOG("%s", hdrs[i]);
		EXPECT_EQ(5, clen) TH_LOG("%s", hdrs[i]);
	}
}

TEST(framer_no_or_bad_length)
{
	static const char *const hdrs[] = {
		"Via: x", "Content-Length: 5x", "Content-Length:", "lx: 5",
		"Content-Lengthy: 5", "Content-Length: 5\r\nContent-Length: 6",
		"Content-Length: 99999999999",
	};
	char msg[256];
	unsigned int i;
	long clen;

	for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		snprintf(msg, sizeof(msg), "SIP/2.0 200 OK\r\n%s\r\n\r\n",
			 hdrs[i]);
		EXPECT_EQ(strlen(msg), frame(msg, &clen)) TH_LOG("%s", hdrs[i]);
		EXPECT_EQ(-1, clen) TH_LOG("%s", hdrs[i]);
	}
}

TEST(framer_bare_lf_and_unfinished)
{
	long clen;

	EXPECT_EQ(strlen("SIP/2.0 200 OK\nl: 2\n\n"),
		  frame("SIP/2.0 200 OK\nl: 2\n\nab", &clen));
	EXPECT_EQ(2, clen);
	EXPECT_EQ(0, frame("SIP/2.0 200 OK\r\nContent-Length: 2\r\n", &clen));
	/* The start line is never a header, even one that reads like one. */
	EXPECT_EQ(0, frame("l: 5\r\n", &clen));
}

/*
 * @msg cut in two at every offset, each piece in a buffer of its own
 * (feed_pieces_init()), to a framer set up by sip_framer_init(), or by
 * sip_framer_init_length() (@length_only): the end of the headers @end
 * and the Content-Length @clen that feeding it whole gives, and no
 * method when the framer reads none.
 */
static void frame_every_cut(struct __test_metadata *_metadata,
			    const char *msg, int length_only,
			    unsigned int end, long clen)
{
	unsigned int len = strlen(msg), cut;
	struct sip_framer f;

	for (cut = 0; cut <= len; cut++) {
		ASSERT_EQ(end, feed_pieces_init(&f, length_only ?
						sip_framer_init_length :
						sip_framer_init,
						msg, len, &cut, 1))
			TH_LOG("cut at %u", cut);
		ASSERT_EQ(clen, sip_framer_clen(&f)) TH_LOG("cut at %u", cut);
		if (length_only)
			ASSERT_EQ(SIPCODE_METHOD_OTHER, sip_framer_method(&f))
				TH_LOG("cut at %u", cut);
	}
}

/* Every way of cutting a message in two gives what feeding it whole gives. */
TEST(framer_chunks)
{
	static const char msg[] =
		"NOTIFY sip:a@b SIP/2.0\r\nEvent: refer\r\n"
		"Content-Type: message/sipfrag\r\nContent-Length : 33\r\n\r\n"
		"SIP/2.0 503 Service Unavailable\r\n";
	unsigned int whole;
	long clen;

	whole = frame(msg, &clen);
	ASSERT_EQ(33, clen);
	ASSERT_EQ(strlen(msg) - 33, whole);
	frame_every_cut(_metadata, msg, 0, whole, 33);
}

/*
 * The TCP flow table is read and written without a lock, so a flow's
 * framer may be a torn copy (kmod/tcp.h): a framer whose every field is
 * any value must still read only its buffer and write only itself
 * (AddressSanitizer and UBSan watch), and end in a state it can go on
 * from.
 */
TEST(framer_any_state)
{
	static const char msg[] =
		"Content-Length: 12\r\nCSeq: 1 INVITE\r\nl:3\r\n\r\n";
	unsigned int i, j, r = 12345;
	struct {
		struct sip_framer f;
		unsigned char guard[16];
	} s;

	for (i = 0; i < 200000; i++) {
		unsigned char *p = (unsigned char *)&s.f;

		for (j = 0; j < sizeof(s.f); j++) {
			r = r * 1103515245 + 12345;
			p[j] = r >> 16;
		}
		/* Small values too: the states and positions the code knows. */
		if (i & 1) {
			s.f.state %= 16;
			s.f.pos %= 20;
			s.f.mlen %= SIP_METHOD_MAX + 3;
		}
		memset(s.guard, 0xa5, sizeof(s.guard));
		sip_framer_feed(&s.f, (const unsigned char *)msg + i % 7,
				sizeof(msg) - 1 - i % 7);
		sip_framer_clen(&s.f);
		sip_framer_method(&s.f);
		for (j = 0; j < sizeof(s.guard); j++)
			ASSERT_EQ(0xa5, s.guard[j]) TH_LOG("state %u", s.f.state);
	}
}

/* Framing only: CSeq lines skipped, the end and length as framed whole. */
TEST(framer_length_only)
{
	static const char msg[] =
		"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\ncseq:2 BYE\r\n"
		"CSeqX: 3\r\nC: x\r\nContent-Length: 4\r\nCSeq: 5 ACK\r\n\r\n"
		"body";
	unsigned int whole;
	long clen;

	whole = frame(msg, &clen);
	ASSERT_EQ(4, clen);
	frame_every_cut(_metadata, msg, 1, whole, 4);
}

TEST(request_lines)
{
	static const char *const yes[] = {
		"INVITE sip:bob@example.com SIP/2.0\r\n", "NOTIFY sips:x",
		"REGISTER tel:+15551234", "\r\nOPTIONS sip:", "ACK x+y.z-1:",
	};
	static const char *const no[] = {
		"SIP/2.0 200 OK\r\n", "hello world", "INVITE  sip:x",
		"INVITE :x", " INVITE sip:x", "INVITE 1sip:x", "INVITE sip",
		"ABCDEFGHIJKLMNOPQ sip:x", "", "\r\n",
		"Content-Type: application/sdp",
	};
	unsigned int i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		EXPECT_EQ(1, sip_is_request((const unsigned char *)yes[i],
					    strlen(yes[i]))) TH_LOG("%s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		EXPECT_EQ(0, sip_is_request((const unsigned char *)no[i],
					    strlen(no[i]))) TH_LOG("%s", no[i]);
}

/* The CSeq method of @msg fed whole, and fed in every pair of pieces. */
static unsigned int method_of(const char *msg, int *same_cut)
{
	unsigned int whole, m, cut, len = strlen(msg);
	struct sip_framer f;

	sip_framer_init(&f);
	sip_framer_feed(&f, (const unsigned char *)msg, len);
	whole = sip_framer_method(&f);
	*same_cut = 1;
	for (cut = 0; cut <= len; cut++) {
		sip_framer_init(&f);
		if (!sip_framer_feed(&f, (const unsigned char *)msg, cut))
			sip_framer_feed(&f, (const unsigned char *)msg + cut,
					len - cut);
		m = sip_framer_method(&f);
		if (m != whole)
			*same_cut = 0;
	}
	return whole;
}

TEST(cseq_methods)
{
	static const struct {
		const char *msg;
		unsigned int method;
	} cases[] = {
		{ "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n",
		  SIPCODE_METHOD_INVITE },
		{ "SIP/2.0 503 x\r\nVia: a\r\ncseq :  12  REGISTER\r\n\r\n",
		  SIPCODE_METHOD_REGISTER },
		{ "SIP/2.0 200 OK\r\nCSEQ:1\tOPTIONS\r\n\r\n",
		  SIPCODE_METHOD_OPTIONS },
		{ "SIP/2.0 200 OK\nCSeq: 7 SUBSCRIBE\n\n",
		  SIPCODE_METHOD_SUBSCRIBE },
		{ "SIP/2.0 200 OK\r\nCSeq: 7 UPDATE \r\n\r\n",
		  SIPCODE_METHOD_UPDATE },
		/* The first CSeq counts; a later one is not looked at. */
		{ "SIP/2.0 200 OK\r\nCSeq: 2 BYE\r\nCSeq: 3 ACK\r\n\r\n",
		  SIPCODE_METHOD_BYE },
		/* Not a CSeq we can read, or no CSeq: other. */
		{ "SIP/2.0 200 OK\r\nCSeq: 1 invite\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: 1 FOO\r\n\r\n", SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: INVITE\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: 1INVITE\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: 1 INVITEX\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: 1 SUBSCRIBEXXXXXXXXX\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nX-CSeq: 1 INVITE\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeqs: 1 INVITE\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
		  SIPCODE_METHOD_OTHER },
		/* Not a header: the start line, a body. */
		{ "CSeq: 1 INVITE\r\n\r\n", SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\n\r\nCSeq: 1 INVITE\r\n",
		  SIPCODE_METHOD_OTHER },
		/* Cut before the method ends: not known. */
		{ "SIP/2.0 200 OK\r\nCSeq: 1 INVITE", SIPCODE_METHOD_OTHER },
	};
	unsigned int i;
	int same;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(cases[i].method, method_of(cases[i].msg, &same))
			TH_LOG("%s", cases[i].msg);
		EXPECT_TRUE(same) TH_LOG("cut: %s", cases[i].msg);
	}
}

/*
 * 300,000 pseudo-random messages made of header lines that are, or are
 * nearly, Content-Length, l and CSeq, with a few bytes changed and cut
 * anywhere: the framer, fed whole and in two pieces, and the request-line
 * check answer as the references of tests/sipref.h do.
 */
#define FRAMER_RUNS 300000
#define FRAMER_MAX_LEN 400

static const char *const frame_names[] = {
	"Content-Length", "content-length", "CONTENT-length", "l", "L",
	"CSeq", "cseq", "CSEQ", "Via", "Content-Lengthy", "lx", "CSeqs",
	"Content-Lengt", "X-CSeq", "", " Folded", "\r",
};
static const char *const frame_blanks[] = { "", "", " ", "\t", " \t " };
static const char *const frame_values[] = {
	"5", "0", "005", "16777216", "16777217", "99999999999", "5x", "",
	"5 6", "1 INVITE", "12  REGISTER", "1\tOPTIONS", "7 SUBSCRIBE",
	"2 BYE;x", "1 invite", "INVITE", "1INVITE", "1 FOO", "3 ACK ",
	"1 SUBSCRIBEXXXXXXXX", "9 UPDATE\r", "4 MESSAGE", "1 PRACK",
	"8 NOTIFY", "5 CANCEL", "6 PUBLISH", "1 INFO", "1 REFER", "1 A!%*",
};
static const char *const frame_starts[] = {
	"SIP/2.0 200 OK", "INVITE sip:bob@example.com SIP/2.0", "x",
	"REGISTER tel:+1 SIP/2.0", "SIP/2.0 503",
};

#define PICK(g, a) ((a)[prng(g) % ARRAY_SIZE(a)])

static unsigned int make_message(struct gen *g, unsigned char *p,
				 unsigned int room)
{
	const char *eol = prng(g) % 3 ? "\r\n" : "\n";
	unsigned int lines = prng(g) % 7, i, muts;
	int n = 0;

#define ADD(...) do { \
		n += snprintf((char *)p + n, room - n, __VA_ARGS__); \
		if ((unsigned int)n >= room) \
			n = room - 1; \
	} while (0)

	for (i = prng(g) % 3; i; i--)
		ADD("%s", prng(g) % 2 ? "\r\n" : "\n");
	ADD("%s%s", PICK(g, frame_starts), eol);
	for (i = 0; i < lines; i++)
		ADD("%s%s%s%s%s%s%s", PICK(g, frame_names), PICK(g, frame_blanks),
		    prng(g) % 8 ? ":" : "", PICK(g, frame_blanks),
		    PICK(g, frame_values), PICK(g, frame_blanks),
		    prng(g) % 8 ? eol : "\r");
	if (prng(g) % 4)
		ADD("%s", prng(g) % 2 ? eol : "\r\r\n");
	ADD("body");
#undef ADD
	muts = prng(g) % 3;
	for (i = 0; n && i < muts; i++)
		p[prng(g) % n] = interesting(g);
	return prng(g) % 4 ? (unsigned int)n : prng(g) % (n + 1);
}

TEST_F_TIMEOUT(property, random_messages, 600)
{
	unsigned long run, ended = 0, lengths = 0, methods = 0, requests = 0;
	unsigned char msg[FRAMER_MAX_LEN];
	struct sip_framer whole, cut;
	unsigned int n, got, at, win;
	struct ref_frame want;
	unsigned char *buf;

	for (run = 0; run < FRAMER_RUNS; run++) {
		n = make_message(&self->gen, msg, sizeof(msg));
		buf = malloc(n ? n : 1);
		ASSERT_NE(NULL, buf);
		memcpy(buf, msg, n);
		win = n < SIP_PARSE_WINDOW ? n : SIP_PARSE_WINDOW;
		want = ref_frame(buf, n);
		sip_framer_init(&whole);
		got = sip_framer_feed(&whole, buf, n);
		EXPECT_EQ(want.end, got) TH_LOG("run %lu: \"%.*s\"", run, n, buf);
		EXPECT_EQ(want.clen, sip_framer_clen(&whole))
			TH_LOG("run %lu: \"%.*s\"", run, n, buf);
		EXPECT_EQ(want.method, sip_framer_method(&whole))
			TH_LOG("run %lu: \"%.*s\"", run, n, buf);
		at = n ? prng(&self->gen) % (n + 1) : 0;
		sip_framer_init(&cut);
		got = sip_framer_feed(&cut, buf, at);
		if (!got) {
			got = sip_framer_feed(&cut, buf + at, n - at);
			got = got ? at + got : 0;
		}
		EXPECT_EQ(want.end, got) TH_LOG("run %lu: cut at %u", run, at);
		EXPECT_EQ(want.clen, sip_framer_clen(&cut))
			TH_LOG("run %lu: cut at %u", run, at);
		EXPECT_EQ(want.method, sip_framer_method(&cut))
			TH_LOG("run %lu: cut at %u", run, at);
		EXPECT_EQ(ref_is_request(buf, win), sip_is_request(buf, win))
			TH_LOG("run %lu: \"%.*s\"", run, win, buf);
		ended += !!want.end;
		lengths += want.clen >= 0;
		methods += want.method != SIPCODE_METHOD_OTHER;
		requests += ref_is_request(buf, win);
		free(buf);
		if (!_metadata->passed)
			break;
	}
	TH_LOG("%lu messages: %lu ended, %lu with a length, %lu with a method, %lu requests",
	       run, ended, lengths, methods, requests);
	/* Each answer comes often enough to be tested. */
	EXPECT_GT(ended, FRAMER_RUNS / 4UL);
	EXPECT_GT(lengths, FRAMER_RUNS / 50UL);
	EXPECT_GT(methods, FRAMER_RUNS / 10UL);
	EXPECT_GT(requests, FRAMER_RUNS / 10UL);
}

/*
 * The lines that the framer's fast paths decide from their first bytes
 * (a name that cannot be ours skipped from its first byte, "cseq",
 * "content-" and "content-length" read a word at a time), and their
 * neighbours that must reach the byte path: each message gives the
 * reference's answer fed whole, in two pieces cut anywhere and in three.
 */
TEST(framer_fast_paths)
{
	static const struct {
		const char *hdrs;
		long clen;
		unsigned int method;
	} cases[] = {
		{ "l:5", 5, SIPCODE_METHOD_OTHER },
		{ "L :5", 5, SIPCODE_METHOD_OTHER },
		{ "l\t:\t5", 5, SIPCODE_METHOD_OTHER },
		{ "L \t : 5 ", 5, SIPCODE_METHOD_OTHER },
		{ "lx: 5", -1, SIPCODE_METHOD_OTHER },
		{ "L5: 3", -1, SIPCODE_METHOD_OTHER },
		{ "l\r: 5", -1, SIPCODE_METHOD_OTHER },
		{ "l", -1, SIPCODE_METHOD_OTHER },
		{ "c: 5\r\nC :5\r\nc\t: 5", -1, SIPCODE_METHOD_OTHER },
		{ "Content\rLength: 5", -1, SIPCODE_METHOD_OTHER },
		{ "Content\r-Length: 5", -1, SIPCODE_METHOD_OTHER },
		{ "CONTENT\r\nContent-Length: 6", 6, SIPCODE_METHOD_OTHER },
		{ "Content-Lengt: 5", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Lengthy: 5", -1, SIPCODE_METHOD_OTHER },
		{ "content-LENGTH:5", 5, SIPCODE_METHOD_OTHER },
		{ "Content-Length\t: 5", 5, SIPCODE_METHOD_OTHER },
		{ "Content-Type: a\r\nContact: b\r\nl: 4", 4,
		  SIPCODE_METHOD_OTHER },
		{ "content-: 5\r\ncontent: 5\r\ncontent-lengt\r\nl: 3", 3,
		  SIPCODE_METHOD_OTHER },
		{ "CSEQ: 1 INVITE", -1, SIPCODE_METHOD_INVITE },
		{ "cseq\t: 2 BYE", -1, SIPCODE_METHOD_BYE },
		{ "CSeq :3 ACK", -1, SIPCODE_METHOD_ACK },
		{ "cseq: 3\tACK\t", -1, SIPCODE_METHOD_ACK },
		{ "CSeqs: 1 BYE\r\nCSeq: 2 ACK", -1, SIPCODE_METHOD_ACK },
		{ "CSe: 1 BYE\r\ncs: 1 BYE\r\nc:\r\nCSeq: 4 PRACK", -1,
		  SIPCODE_METHOD_PRACK },
		{ "CSe\r: 1 BYE\r\nCSeq\r: 1 BYE", -1, SIPCODE_METHOD_OTHER },
		{ "Call-ID: x\r\nCSeq: 7 NOTIFY\r\nContent-Length: 0", 0,
		  SIPCODE_METHOD_NOTIFY },
		{ "X: a\r\r\n\rl: 5\r\n\r\r\nl: 5", 5, SIPCODE_METHOD_OTHER },
		{ "\r\r\r\nCSeq: 1 BYE", -1, SIPCODE_METHOD_BYE },
		{ " l: 5\r\n\tCSeq: 1 BYE\r\nl: 6", 6, SIPCODE_METHOD_OTHER },
		{ ":l: 5\r\n:\r\nl: 7", 7, SIPCODE_METHOD_OTHER },
		/* Bytes below 0x0b that are not LF, and from 0x80 up. */
		{ "X: a\tb\t\r\nl: 5", 5, SIPCODE_METHOD_OTHER },
		{ "X: a\n\x0bl: 5\r\n\x0b\x0b" "Content-Length: 6\r\nl: 7", 7,
		  SIPCODE_METHOD_OTHER },
		{ "X: \x01\x02\x03\x04\x05\x06\x07\x08\x09\x0b\x0c\r\nl: 5", 5,
		  SIPCODE_METHOD_OTHER },
		{ "To: \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\r\nl: 5", 5,
		  SIPCODE_METHOD_OTHER },
		{ "To: \x8a\x8b\xff\x80\x0a\x8a\x8b\xff\x80\r\nl: 8", 8,
		  SIPCODE_METHOD_OTHER },
		/* Content-Length values, read whole or by the byte path. */
		{ "Content-Length:5\r\nContent-Length :\t5 \r\nl:5", 5,
		  SIPCODE_METHOD_OTHER },
		{ "l:5\nL\t: 05\t\nl: 005", 5, SIPCODE_METHOD_OTHER },
		{ "Content-Length: 16777216", 16777216, SIPCODE_METHOD_OTHER },
		{ "Content-Length: 16777217", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Length: 000000000000000000007", 7, SIPCODE_METHOD_OTHER },
		{ "Content-Length: 5 x", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Length: 5x", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Length: x5", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Length 5", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Length:\r\n 5", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Length: 5\rX\r\nl: 5", 5, SIPCODE_METHOD_OTHER },
		{ "Content-Length: 4\r\nContent-Length: 5", -1, SIPCODE_METHOD_OTHER },
		{ "Content-Type: 5\r\nContent-Lengthy: 5\r\nContent-Length: 6",
		  6, SIPCODE_METHOD_OTHER },
	};
	unsigned int i, a, b, len, got, cuts[2];
	struct ref_frame want;
	struct sip_framer f;
	char msg[256];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = snprintf(msg, sizeof(msg),
			       "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP x\r\n%s\r\n\r\nbody",
			       cases[i].hdrs);
		ASSERT_LT(len, sizeof(msg));
		want = ref_frame((const unsigned char *)msg, len);
		/* The reference agrees with what the case says. */
		EXPECT_EQ(len - 4, want.end) TH_LOG("%s", cases[i].hdrs);
		EXPECT_EQ(cases[i].clen, want.clen) TH_LOG("%s", cases[i].hdrs);
		EXPECT_EQ(cases[i].method, want.method)
			TH_LOG("%s", cases[i].hdrs);
		for (a = 0; a <= len; a++) {
			for (b = a; b <= len; b++) {
				cuts[0] = a;
				cuts[1] = b;
				got = feed_pieces(&f, msg, len, cuts, 2);
				ASSERT_EQ(want.end, got)
					TH_LOG("%s: cut at %u, %u", cases[i].hdrs, a, b);
				ASSERT_EQ(want.clen, sip_framer_clen(&f))
					TH_LOG("%s: cut at %u, %u", cases[i].hdrs, a, b);
				ASSERT_EQ(want.method, sip_framer_method(&f))
					TH_LOG("%s: cut at %u, %u", cases[i].hdrs, a, b);
			}
		}
	}
}

/*
 * A line of every length from 0 to 40, in a piece of every length from
 * its start: the LF found at each place of a word and of the 16 bytes
 * that sip_framer_lines() reads a step, or the piece's end.
 */
TEST(framer_lf_everywhere)
{
	unsigned int n, pad, len, got, cuts[1];
	struct ref_frame want;
	struct sip_framer f;
	char msg[160];

	for (n = 0; n <= 40; n++) {
		for (pad = 0; pad < 16; pad++) {
			len = snprintf(msg, sizeof(msg),
				       "SIP/2.0 200 OK\r\n%.*sX-%.*s\nl: 3\n\nabc",
				       (int)pad, "Via: aaaaaaaaaaaaaaaaaaa\r\n",
				       (int)n,
				       "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
			want = ref_frame((const unsigned char *)msg, len);
			ASSERT_EQ(len - 3, want.end);
			ASSERT_EQ(3, want.clen);
			for (cuts[0] = 0; cuts[0] <= len; cuts[0]++) {
				got = feed_pieces(&f, msg, len, cuts, 1);
				ASSERT_EQ(want.end, got)
					TH_LOG("%u, %u: cut at %u", n, pad, cuts[0]);
				ASSERT_EQ(3, sip_framer_clen(&f))
					TH_LOG("%u, %u: cut at %u", n, pad, cuts[0]);
			}
		}
	}
}

/* The references of the framer and the request line on cases of their own. */
TEST(references)
{
	static const struct {
		const char *msg;
		int rest;	/* bytes after the end of the headers; -1: none */
		long clen;
		unsigned int method;
	} cases[] = {
		{ "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nl: 5\r\n\r\nhello", 5, 5,
		  SIPCODE_METHOD_INVITE },
		{ "\n\nSIP/2.0 200 OK\nCONTENT-LENGTH :\t 7\t\ncseq:2\tBYE\n\nbody", 4,
		  7, SIPCODE_METHOD_BYE },
		{ "SIP/2.0 200 OK\r\nl: 5\r\nContent-Length: 5\r\n\r\n", 0, 5,
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nl: 5\r\nContent-Length: 6\r\n\r\n", 0, -1,
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nContent-Length: 16777216\r\n\r\n", 0,
		  16777216, SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nContent-Length: 16777217\r\n\r\n", 0, -1,
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\n l: 5\r\n\r\n", 0, -1, SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: 1 FOO\r\nCSeq: 2 BYE\r\n\r\n", 0, -1,
		  SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: 1 ACK", -1, -1, SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nCSeq: 1 ACK ", -1, -1, SIPCODE_METHOD_ACK },
		{ "SIP/2.0 200 OK\r\nl: 5", -1, -1, SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nl: 5\r", -1, 5, SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\nl: 5x", -1, -1, SIPCODE_METHOD_OTHER },
		{ "SIP/2.0 200 OK\r\n\r\r\nl: 5\n\nab", 2, 5, SIPCODE_METHOD_OTHER },
	};
	unsigned int i, len, end;
	struct ref_frame r;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = strlen(cases[i].msg);
		end = cases[i].rest < 0 ? 0 : len - cases[i].rest;
		r = ref_frame((const unsigned char *)cases[i].msg, len);
		EXPECT_EQ(end, r.end) TH_LOG("%s", cases[i].msg);
		EXPECT_EQ(cases[i].clen, r.clen) TH_LOG("%s", cases[i].msg);
		EXPECT_EQ(cases[i].method, r.method) TH_LOG("%s", cases[i].msg);
	}
	EXPECT_EQ(1, ref_is_request((const unsigned char *)"\r\nACK x+y.z-1:", 15));
	EXPECT_EQ(0, ref_is_request((const unsigned char *)"INVITE  sip:x", 13));
	EXPECT_EQ(0, ref_is_request((const unsigned char *)"ABCDEFGHIJKLMNOPQ sip:x", 23));
	EXPECT_EQ(1, ref_is_request((const unsigned char *)"ABCDEFGHIJKLMNOP sip:x", 22));
}

/* Every first byte: sip_may_start() is false only where the parser says no. */
TEST(first_bytes)
{
	unsigned char buf[SIP_PARSE_WINDOW];
	unsigned int c, n;

	memcpy(buf, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n\r\n", 38);
	memset(buf + 38, 'x', sizeof(buf) - 38);
	for (c = 0; c < 256; c++) {
		buf[0] = c;
		for (n = 1; n <= sizeof(buf); n++) {
			if (sip_may_start(c))
				continue;
			ASSERT_EQ(SIP_PARSE_NOT_RESPONSE,
				  sip_parse_status(buf, n, n))
				TH_LOG("byte %#x, %u bytes", c, n);
		}
	}
	EXPECT_TRUE(sip_may_start('S') && sip_may_start('s') &&
		    sip_may_start('\r') && sip_may_start('\n'));
}

TEST(method_ids)
{
	static const char *const names[SIPCODE_NMETHODS] = {
		"", "INVITE", "REGISTER", "OPTIONS", "BYE", "CANCEL", "ACK",
		"PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER",
		"MESSAGE", "UPDATE",
	};
	unsigned int m;

	for (m = 0; m < SIPCODE_NMETHODS; m++)
		EXPECT_EQ(m, sip_method_id((const unsigned char *)names[m],
					   strlen(names[m])));
	EXPECT_EQ(SIPCODE_METHOD_OTHER,
		  sip_method_id((const unsigned char *)"INVIT", 5));
}

/*
 * The phrase sip_reason() finds in the first @len bytes of @payload (at
 * most the window) is @want, truncated or not (@cut), and the
 * reference's.
 */
static int reason_in(const char *payload, unsigned int len, const char *want,
		     int cut)
{
	unsigned char *buf = malloc(len);
	const unsigned char *p;
	unsigned int n, off;
	int trunc, wtrunc, ok;

	if (!buf && len) {
		perror("malloc");
		abort();
	}
	memcpy(buf, payload, len);
	n = sip_reason(buf, len, &p, &trunc);
	ok = n == strlen(want) && !memcmp(p, want, n) && trunc == cut &&
	     ref_reason(buf, len, &off, &wtrunc) == n && wtrunc == trunc &&
	     (!n || p == buf + off);
	free(buf);
	return ok;
}

/* The same, in the first window of @payload: not cut. */
static int reason_is(const char *payload, const char *want)
{
	unsigned int len = strlen(payload);

	return reason_in(payload, len < SIP_PARSE_WINDOW ? len :
			 SIP_PARSE_WINDOW, want, 0);
}

TEST(reason_phrases)
{
	EXPECT_TRUE(reason_is("SIP/2.0 486 Busy Here\r\nVia: x\r\n",
			      "Busy Here"));
	EXPECT_TRUE(reason_is("\r\n\r\nSIP/2.0 403 Wrong Guess\r\n",
			      "Wrong Guess"));
	EXPECT_TRUE(reason_is("SIP/2.0 486\r\n", ""));
	EXPECT_TRUE(reason_is("SIP/2.0 486\n", ""));
	EXPECT_TRUE(reason_is("SIP/2.0 486 \r\n", ""));
	EXPECT_TRUE(reason_is("SIP/2.0 480 No money left", "No money left"));
	EXPECT_TRUE(reason_is("SIP/2.0 480 \xd0\x9d\xd0\xb5\xd1\x82\r\n",
			      "\xd0\x9d\xd0\xb5\xd1\x82"));
}

/* At most SIPCODE_REASON_MAX bytes, and a longer phrase says it was cut. */
TEST(reason_phrases_truncated)
{
	static const char s31[] = "0123456789abcdefghijklmnopqrstu";
	static const char s32[] = "0123456789abcdefghijklmnopqrstuv";
	static const char *const after[] = { "\r\n", "\r", "\n" };
	char line[128];
	unsigned int i;

	ASSERT_EQ(SIPCODE_REASON_MAX, strlen(s32));
	EXPECT_TRUE(reason_is("SIP/2.0 500 0123456789abcdefghijklmnopqrstu\r\n",
			      s31));
	/* 32 bytes, then CR, LF: whole. */
	for (i = 0; i < ARRAY_SIZE(after); i++) {
		snprintf(line, sizeof(line), "SIP/2.0 500 %s%s", s32, after[i]);
		EXPECT_TRUE(reason_is(line, s32)) TH_LOG("%u", i);
		snprintf(line, sizeof(line), "\r\nSIP/2.0 500 %s%s", s32,
			 after[i]);
		EXPECT_TRUE(reason_is(line, s32)) TH_LOG("%u", i);
	}
	/* 33 bytes and more: cut. */
	EXPECT_TRUE(reason_in("SIP/2.0 500 0123456789abcdefghijklmnopqrstuvw\r\n",
			      44 + 3, s32, 1));
	EXPECT_TRUE(reason_in("SIP/2.0 500 0123456789abcdefghijklmnopqrstuvwxyz\r\n",
			      44 + 5, s32, 1));
	EXPECT_TRUE(reason_in("SIP/2.0 500 0123456789abcdefghijklmnopqrstuv \r\n",
			      44 + 3, s32, 1));
	/* 32 bytes at the end of the buffer: it may go on, so cut. */
	EXPECT_TRUE(reason_in("SIP/2.0 500 0123456789abcdefghijklmnopqrstuv",
			      44, s32, 1));
	EXPECT_TRUE(reason_in("SIP/2.0 500 0123456789abcdefghijklmnopqrstuv\r\n",
			      44, s32, 1));
	/* The window cuts it after leading CR and LF. */
	snprintf(line, sizeof(line), "%.20sSIP/2.0 500 %s\r\n",
		 "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n", s32);
	EXPECT_TRUE(reason_in(line, SIP_PARSE_WINDOW, s32, 1));
	/* Cut by the window short of SIPCODE_REASON_MAX: not marked. */
	EXPECT_TRUE(reason_in(line, SIP_PARSE_WINDOW - 1, s31, 0));
	/* Shorter phrases at the end of the buffer: whole. */
	EXPECT_TRUE(reason_in("SIP/2.0 480 No money left", 25,
			      "No money left", 0));
	EXPECT_TRUE(reason_in("SIP/2.0 500 0123456789abcdefghijklmnopqrstuv",
			      43, s31, 0));
}

TEST_HARNESS_MAIN
