// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the stream framer, kmod/stream.c: streams of SIP
 * messages (responses, requests, NOTIFYs with a message/sipfrag body,
 * bodies longer than a segment, keep-alives), cut into segments and
 * delivered in order, twice, reordered, with holes filled later and with
 * their start not seen. Every message is known, so each count is exact:
 * the codes counted must be those of the messages that the delivery
 * lets be framed, each once, and never a sipfrag's 503 (requests: at
 * most once, see same()).
 *
 * Each segment is handed over in a buffer malloc'd to exactly its bytes
 * after a fake header of 40 bytes that reads as a status line, so that
 * AddressSanitizer catches a read past the segment and a count catches
 * a read before it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 6.1 harness leaves parameters unused in its own code and in TEST(). */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "rnd.h"
#include "stream.h"

#define HDR 40
static const char fake_hdr[HDR + 1] = "SIP/2.0 299 Header\r\nSIP/2.0 298 More\r\n\r\n";

struct tally {
	unsigned long code[SIPCODE_CODE_MAX + 1];
	unsigned long bucket[4];
	/* where each count was, in the stream, for a failure's report */
	unsigned int n;
	unsigned int at[4096];
	int atcode[4096];
	unsigned int cur;	/* the stream's offset of the segment framed */
};

struct tseg {
	struct sip_stream_seg seg;
	unsigned char *buf;
	struct tally *t;
};

/* Where a count at @at lands: CR and LF before a start line are its. */
static unsigned int landing(const unsigned char *data, unsigned int len,
			    unsigned int at)
{
	while (at < len && (data[at] == '\r' || data[at] == '\n'))
		at++;
	return at;
}

const unsigned char *sip_stream_read(const struct sip_stream_seg *seg,
				     unsigned int off, unsigned int len,
				     unsigned char *buf)
{
	const struct tseg *s = (const struct tseg *)seg;

	if (off < seg->start || len > seg->end - off)
		abort();
	return s->buf + off;
}

unsigned int sip_stream_frame(const struct sip_stream_seg *seg,
			      struct sip_framer *f, unsigned int off,
			      unsigned int end)
{
	const struct tseg *s = (const struct tseg *)seg;
	unsigned int n;

	if (off < seg->start || end > seg->end || off > end)
		abort();
	n = sip_framer_feed(f, s->buf + off, end - off);
	return n ? off + n : 0;
}

void sip_stream_count(struct sip_stream_seg *seg, unsigned int off, int code,
		      int split)
{
	struct tseg *s = (struct tseg *)seg;

	if (code < 0 || code > SIPCODE_CODE_MAX || off < seg->start ||
	    off > seg->end)
		abort();
	s->t->code[code]++;
	if (s->t->n < 4096) {
		s->t->atcode[s->t->n] = code;
		s->t->at[s->t->n++] = s->t->cur + off - seg->start;
	}
}

void sip_stream_bucket(struct sip_stream_seg *seg, int bucket)
{
	struct tseg *s = (struct tseg *)seg;

	if (bucket < 0 || bucket > 3)
		abort();
	s->t->bucket[bucket]++;
}

/* A stream of messages, and what each counts as. */
#define MSGS 300
struct stream {
	unsigned char *data;
	unsigned int len;
	unsigned int n;
	unsigned int off[MSGS];
	int code[MSGS];
};

static void put(struct stream *s, unsigned int *cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put(struct stream *s, unsigned int *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf((char *)s->data + s->len, *cap - s->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if (s->len + n < *cap)
			break;
		*cap *= 2;
		s->data = realloc(s->data, *cap);
		if (!s->data)
			abort();
	}
	s->len += n;
}

/* An SDP-like body of about @len bytes, in lines; its exact length. */
static unsigned int body(struct stream *s, unsigned int *cap,
			 unsigned int len)
{
	unsigned int start = s->len;

	put(s, cap, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n");
	while (s->len - start < len)
		put(s, cap, "a=rtpmap:%u telephone-event/8000\r\n",
		    rnd_below(128));
	/* A third end inside a line: the next message starts in it. */
	if (!rnd_below(3) && s->len - start > len)
		s->len = start + len;
	return s->len - start;
}

static const int codes[] = { 100, 180, 183, 200, 200, 200, 401, 404, 481,
			     486, 487, 503, 603 };
static const char *const methods[] = { "INVITE", "ACK", "BYE", "OPTIONS",
				       "REGISTER", "CANCEL" };

/*
 * Headers of a message, then its body. Content-Length is written with
 * the body's length, which is known only once the body is: the body is
 * built after a placeholder of spaces, then the value is written in.
 */
static void message(struct stream *s, unsigned int *cap, const char *first,
		    unsigned int blen, int sipfrag)
{
	unsigned int mark, i, len;
	char v[16];

	if (!rnd_below(10))
		put(s, cap, "\r\n\r\n");	/* a keep-alive first */
	put(s, cap, "%s\r\n", first);
	put(s, cap, "Via: SIP/2.0/TCP 192.0.2.%u:5060;branch=z9hG4bK-%u\r\n",
	    rnd_below(250), (unsigned int)rnd_below(1000000));
	put(s, cap, "From: <sip:alice@example.com>;tag=%u\r\n", rnd_below(99999));
	put(s, cap, "To: <sip:bob@example.net>\r\n");
	put(s, cap, "Call-ID: %u@192.0.2.1\r\n", (unsigned int)rnd_below(1u << 30));
	put(s, cap, "CSeq: %u INVITE\r\n", rnd_below(100));
	if (sipfrag)
		put(s, cap, "Event: refer\r\nContent-Type: message/sipfrag\r\n");
	put(s, cap, rnd_below(4) ? "Content-Length: " : "l: ");
	mark = s->len;
	put(s, cap, "        \r\n\r\n");
	if (sipfrag) {
		i = s->len;
		put(s, cap, "SIP/2.0 503 Service Unavailable\r\n");
		len = s->len - i;
	} else {
		len = blen ? body(s, cap, blen) : 0;
	}
	snprintf(v, sizeof(v), "%u", len);
	memcpy(s->data + mark, v, strlen(v));
}

static void build(struct stream *s, unsigned int n)
{
	unsigned int cap = 4096, i;
	char first[128];

	memset(s, 0, sizeof(*s));
	s->data = malloc(cap);
	if (!s->data)
		abort();
	for (i = 0; i < n && i < MSGS; i++) {
		unsigned int kind = rnd_below(10), blen = 0;
		int code;

		if (!rnd_below(3))
			blen = rnd_below(3) ? 100 + rnd_below(400) :
			       1400 + rnd_below(3000);
		s->off[i] = s->len;
		if (kind < 6) {
			code = codes[rnd_below(sizeof(codes) / sizeof(codes[0]))];
			snprintf(first, sizeof(first), "SIP/2.0 %d Reason %u",
				 code, rnd_below(100));
			message(s, &cap, first, blen, 0);
		} else if (kind < 9) {
			code = SIP_PARSE_NOT_RESPONSE;
			snprintf(first, sizeof(first),
				 "%s sip:bob@example.net;transport=tcp SIP/2.0",
				 methods[rnd_below(6)]);
			message(s, &cap, first, blen, 0);
		} else {
			code = SIP_PARSE_NOT_RESPONSE;
			message(s, &cap, "NOTIFY sip:alice@192.0.2.1 SIP/2.0",
				0, 1);
		}
		s->code[i] = code;
	}
	s->n = i;
}

/* The codes of the messages that start at @from or after. */
static void truth(const struct stream *s, unsigned int from, struct tally *t)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < s->n; i++)
		if (landing(s->data, s->len, s->off[i]) >= from)
			t->code[s->code[i]]++;
}

/* A segment: bytes [seq, seq + len) of the stream. */
struct piece {
	unsigned int seq;
	unsigned int len;
};

#define PIECES 4096

/* Cut the stream in segments of 1 to @mss bytes, mostly of @mss. */
static unsigned int cut(const struct stream *s, struct piece *p,
			unsigned int mss)
{
	unsigned int n = 0, seq = 0, len;

	while (seq < s->len && n < PIECES) {
		len = rnd_below(4) ? mss : 1 + rnd_below(mss);
		if (len > s->len - seq)
			len = s->len - seq;
		p[n].seq = seq;
		p[n].len = len;
		n++;
		seq += len;
	}
	return n;
}

/* Cut it at its messages, as one write each: a segment never spans two. */
static unsigned int cut_writes(const struct stream *s, struct piece *p,
			       unsigned int mss)
{
	unsigned int n = 0, i, seq, end;

	for (i = 0; i < s->n; i++) {
		end = i + 1 < s->n ? s->off[i + 1] : s->len;
		for (seq = s->off[i]; seq < end && n < PIECES; seq += p[n++].len) {
			p[n].seq = seq;
			p[n].len = end - seq < mss ? end - seq : mss;
		}
	}
	return n;
}

/* Deliver segment @p of the stream at sequence @base + p->seq. */
static void deliver(struct sip_stream *st, struct sip_hole *holes,
		    const struct stream *s, const struct piece *p,
		    unsigned int base, struct tally *t)
{
	struct tseg ts = {
		.seg.start = HDR,
		.seg.end = HDR + p->len,
		.seg.max = SIPCODE_TCP_MSGS_MAX,
		.t = t,
	};

	ts.buf = malloc(HDR + p->len);
	if (!ts.buf)
		abort();
	memcpy(ts.buf, fake_hdr, HDR);
	memcpy(ts.buf + HDR, s->data + p->seq, p->len);
	/* Half in place, half through the reader. */
	if (rnd_below(2))
		ts.seg.data = ts.buf;
	t->cur = p->seq;
	sip_stream_segment(st, holes, &ts.seg, base + p->seq);
	free(ts.buf);
	if (getenv("STREAM_TRACE")) {
		unsigned int i;

		fprintf(stderr, "# %u+%u: seq %u run %u left %u proof %u; counts %u",
			p->seq, p->len, st->seq - base, st->run.state,
			st->run.left, st->run.proof, t->n);
		for (i = 0; i < SIP_STREAM_HOLES; i++)
			if (holes[i].at.state)
				fprintf(stderr, "; hole %u-%u end %u%s at %u",
					holes[i].start - base,
					holes[i].seen - base,
					holes[i].end - base,
					holes[i].resumed ? " resumed" : "",
					holes[i].at.state);
		fprintf(stderr, "\n");
	}
}

/*
 * Each response counted once under its code; each request at most once
 * (not_response): after a hole, one whose line starts inside a line (the
 * body before it does not end with CR and LF) is not looked for.
 */
static int same(const struct tally *got, const struct tally *want,
		const char *what)
{
	int c, ok = 1;

	for (c = 0; c <= SIPCODE_CODE_MAX; c++) {
		if (got->code[c] == want->code[c] ||
		    (c == SIP_PARSE_NOT_RESPONSE && got->code[c] <= want->code[c]))
			continue;
		if (ok)
			fprintf(stderr, "# %s:", what);
		fprintf(stderr, " %d: %lu, want %lu;", c, got->code[c],
			want->code[c]);
		ok = 0;
	}
	if (!ok)
		fprintf(stderr, " (retransmit %lu, midstream %lu, unframed %lu)\n",
			got->bucket[SIP_STREAM_RETRANSMIT],
			got->bucket[SIP_STREAM_MIDSTREAM],
			got->bucket[SIP_STREAM_UNFRAMED]);
	return ok;
}

/*
 * What went wrong: each message not counted once (a count of a split
 * status line is where it goes on, in the next segment: matched to the
 * message that starts before it), with the segments around it.
 */
static void report(const struct stream *s, const struct tally *t,
		   const struct piece *q, unsigned int n, unsigned int from)
{
	unsigned int i, j, k, end, seen;

	for (i = 0; i < s->n; i++) {
		end = i + 1 < s->n ? s->off[i + 1] : s->len;
		for (seen = 0, j = 0; j < t->n; j++) {
			unsigned int at = landing(s->data, s->len, t->at[j]);

			if (at >= s->off[i] && at < end &&
			    t->atcode[j] == s->code[i])
				seen++;
		}
		if (seen == (landing(s->data, s->len, s->off[i]) >= from) ||
		    (s->code[i] == SIP_PARSE_NOT_RESPONSE && !seen))
			continue;
		fprintf(stderr, "# message %u at %u-%u (code %d) counted %u times; delivered:",
			i, s->off[i], end, s->code[i], seen);
		for (k = 0; k < n; k++)
			if (q[k].seq + q[k].len + 3000 > s->off[i] &&
			    q[k].seq < end + 3000)
				fprintf(stderr, " #%u:%u+%u", k, q[k].seq, q[k].len);
		fprintf(stderr, "\n# %.*s\n", (int)(end - s->off[i] < 60 ? end - s->off[i] : 60),
			s->data + s->off[i]);
	}
	for (j = 0; j < t->n; j++) {
		unsigned int at = landing(s->data, s->len, t->at[j]);

		for (i = 0; i < s->n; i++) {
			end = i + 1 < s->n ? s->off[i + 1] : s->len;
			if (at >= s->off[i] && at < end)
				break;
		}
		if (i == s->n || t->atcode[j] != s->code[i])
			fprintf(stderr, "# a count of %d at %u: message %u: %.40s\n",
				t->atcode[j], t->at[j], i, s->data + t->at[j]);
	}
}

/* Rounds of each test, and the seed: STREAM_ROUNDS, STREAM_SEED. */
static unsigned int ROUNDS = 300;

FIXTURE(streams) {
	struct stream s;
	struct piece p[PIECES];
	struct piece q[PIECES * 2];
	struct tally want, got;
	struct sip_stream st;
	struct sip_hole holes[SIP_STREAM_HOLES];
	unsigned int base;
};

FIXTURE_VARIANT(streams) {
	int writes;	/* cut at messages, not anywhere */
	unsigned int mss;
};

FIXTURE_VARIANT_ADD(streams, anywhere) {
	.writes = 0,
	.mss = 1448,
};

FIXTURE_VARIANT_ADD(streams, writes) {
	.writes = 1,
	.mss = 1448,
};

/* Writes on a path of the smallest MSS of IPv4 (RFC 9293). */
FIXTURE_VARIANT_ADD(streams, small) {
	.writes = 1,
	.mss = 536,
};

FIXTURE_SETUP(streams)
{
	const char *e = getenv("STREAM_SEED");

	rng_state = e ? strtoull(e, NULL, 0) | 1 : 0x9e3779b97f4a7c15ULL;
	e = getenv("STREAM_ROUNDS");
	if (e)
		ROUNDS = strtoul(e, NULL, 0);
	memset(&self->s, 0, sizeof(self->s));
}

FIXTURE_TEARDOWN(streams)
{
	free(self->s.data);
}

/* A new stream and its cuts; the sequence numbers wrap around in some. */
static unsigned int setup_round(FIXTURE_DATA(streams) *self,
				const FIXTURE_VARIANT(streams) *variant)
{
	free(self->s.data);
	build(&self->s, 40 + rnd_below(200));
	self->base = rnd_below(2) ? (unsigned int)rnd() : 0u - 3000;
	memset(&self->got, 0, sizeof(self->got));
	self->got.cur = 0;
	sip_stream_init(&self->st, self->holes, self->base, 1);
	return variant->writes ? cut_writes(&self->s, self->p, variant->mss) :
	       cut(&self->s, self->p, variant->mss);
}

static int run(FIXTURE_DATA(streams) *self, const struct piece *q,
	       unsigned int n, unsigned int from, const char *what)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		deliver(&self->st, self->holes, &self->s, &q[i], self->base,
			&self->got);
	truth(&self->s, from, &self->want);
	if (same(&self->got, &self->want, what))
		return 1;
	report(&self->s, &self->got, q, n, from);
	return 0;
}

TEST_F(streams, in_order)
{
	unsigned int r, n;

	for (r = 0; r < ROUNDS; r++) {
		n = setup_round(self, variant);
		ASSERT_TRUE(run(self, self->p, n, 0, "in order"));
		EXPECT_EQ(0, self->got.bucket[SIP_STREAM_MIDSTREAM]);
	}
}

/* Every segment twice: the second lands in tcp_retransmit. */
TEST_F(streams, twice)
{
	unsigned int r, n, i;

	for (r = 0; r < ROUNDS; r++) {
		n = setup_round(self, variant);
		for (i = 0; i < n && 2 * i + 1 < PIECES * 2; i++)
			self->q[2 * i] = self->q[2 * i + 1] = self->p[i];
		ASSERT_TRUE(run(self, self->q, 2 * i, 0, "twice"));
		EXPECT_EQ(n, self->got.bucket[SIP_STREAM_RETRANSMIT]);
	}
}

/*
 * Segments lost before the hook and sent again after 1 to 4 later ones,
 * as a fast retransmission does; up to SIP_STREAM_HOLES holes at once,
 * filled in order, or the last first now and then.
 */
TEST_F(streams, holes_filled)
{
	unsigned int r, n, i, j, k, late[SIP_STREAM_HOLES], nlate;

	for (r = 0; r < ROUNDS; r++) {
		n = setup_round(self, variant);
		k = 0;
		nlate = 0;
		for (i = 0; i < n; i++) {
			if (nlate < SIP_STREAM_HOLES && i + 1 < n &&
			    !rnd_below(8)) {
				late[nlate++] = i;
				continue;
			}
			self->q[k++] = self->p[i];
			if (nlate && (!rnd_below(4) || i + 1 == n)) {
				if (nlate > 1 && rnd_below(2))
					self->q[k++] = self->p[late[--nlate]];
				for (j = 0; j < nlate; j++)
					self->q[k++] = self->p[late[j]];
				nlate = 0;
			}
		}
		for (j = 0; j < nlate; j++)
			self->q[k++] = self->p[late[j]];
		ASSERT_TRUE(run(self, self->q, k, 0, "holes filled"));
	}
}

/* Two segments sent again as one (a retransmission collapsed). */
TEST_F(streams, holes_filled_collapsed)
{
	unsigned int r, n, i, k;

	for (r = 0; r < ROUNDS; r++) {
		n = setup_round(self, variant);
		k = 0;
		for (i = 0; i < n; i++) {
			if (i + 3 < n && !rnd_below(10)) {
				/* i lost, i + 1 seen, then i and i + 1 as one */
				self->q[k++] = self->p[i + 1];
				self->q[k++] = self->p[i + 2];
				self->q[k] = self->p[i];
				self->q[k++].len += self->p[i + 1].len;
				i += 2;
				continue;
			}
			self->q[k++] = self->p[i];
		}
		ASSERT_TRUE(run(self, self->q, k, 0, "collapsed"));
	}
}

/* Neighbours swapped, as two queues can deliver them. */
TEST_F(streams, reordered)
{
	unsigned int r, n, i;

	for (r = 0; r < ROUNDS; r++) {
		n = setup_round(self, variant);
		memcpy(self->q, self->p, n * sizeof(self->p[0]));
		for (i = 0; i + 1 < n; i++) {
			if (!rnd_below(6)) {
				self->q[i] = self->p[i + 1];
				self->q[i + 1] = self->p[i];
				i++;
			}
		}
		ASSERT_TRUE(run(self, self->q, n, 0, "reordered"));
	}
}

/*
 * The first segments not seen: counting starts at the first message
 * that starts in the first segment seen, or after it.
 */
TEST_F(streams, start_not_seen)
{
	unsigned int r, n, first;

	for (r = 0; r < ROUNDS; r++) {
		n = setup_round(self, variant);
		first = 1 + rnd_below(n - 1 > 0 ? n - 1 : 1);
		if (first >= n)
			continue;
		sip_stream_init(&self->st, self->holes,
				self->base + self->p[first].seq, 0);
		ASSERT_TRUE(run(self, self->p + first, n - first,
				self->p[first].seq, "start not seen"));
	}
}

/* Random bytes, cut and delivered anyhow: no access out of a segment. */
TEST(garbage)
{
	static unsigned char data[8192];
	struct tally t = { 0 };
	struct sip_hole holes[SIP_STREAM_HOLES];
	struct sip_stream st;
	unsigned int r, i, seq, len;

	rng_state = 12345;
	for (r = 0; r < 2000; r++) {
		for (i = 0; i < sizeof(data); i++)
			data[i] = rnd_below(4) ? "SIP/2.0 \r\n:l0123456789Content-Length"[rnd_below(36)] :
				  rnd();
		sip_stream_init(&st, holes, (unsigned int)rnd(), rnd_below(2));
		for (i = 0; i < 30; i++) {
			struct stream s = { .data = data, .len = sizeof(data) };
			struct piece p;

			seq = rnd_below(sizeof(data) - 1);
			len = 1 + rnd_below(sizeof(data) - seq - 1);
			if (len > 2000)
				len = 2000;
			p.seq = seq;
			p.len = len;
			deliver(&st, holes, &s, &p, 0, &t);
			if (!rnd_below(20))
				/* a torn copy */
				((unsigned char *)&st)[rnd_below(sizeof(st))] = rnd();
			if (!rnd_below(20))
				((unsigned char *)holes)[rnd_below(sizeof(holes))] = rnd();
		}
	}
}

TEST_HARNESS_MAIN
