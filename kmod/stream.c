// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The messages of a stream framed across its segments: see stream.h. No
 * header but our own, so that the same object serves the module and
 * userspace.
 *
 * A stream keeps the sequence number of its next byte and what that
 * byte is (struct sip_cursor). A segment is framed from there:
 *
 *   - bytes before the next one were framed already (sent again):
 *     skipped, unless they fill a hole;
 *   - a segment after a hole leaves a hole (struct sip_hole) that keeps
 *     the framing where the hole starts, and the stream is LOST from the
 *     segment on. Framing starts again at the first message start there
 *     that the line after it proves (a header name and a colon, see
 *     sip_stream_proof()); when the segment ends before that line does,
 *     the message is framed and its count waits for the proof in the
 *     next segment. The hole ends where framing started again. A segment
 *     that fills the hole later is framed from the hole's start, with
 *     the framing kept there, up to that message: each message is
 *     counted once. A segment that lands inside a hole splits it;
 *   - a stream whose first bytes were not seen is LOST, the same way.
 *
 * Work per segment is bounded by its length: each byte is read a bounded
 * number of times, by at most SIP_STREAM_HOLES + 1 framings and a proof.
 */
#include "stream.h"

#ifndef __uninitialized
#define __uninitialized
#endif

/*
 * enum sip_proof - what the proof of a message reads next
 * @SIP_PROOF_NONE: no proof going on
 * @SIP_PROOF_LINE: the rest of the start line, up to its LF
 * @SIP_PROOF_NAME0: the first byte of the next line: a header name's
 * @SIP_PROOF_NAME: more of the name, blanks or the colon
 * @SIP_PROOF_WS: blanks or the colon
 */
enum sip_proof {
	SIP_PROOF_NONE,
	SIP_PROOF_LINE,
	SIP_PROOF_NAME0,
	SIP_PROOF_NAME,
	SIP_PROOF_WS,
};

/* A start line longer than this does not prove a message. */
#define SIP_STREAM_LINE_MAX 1024

static inline unsigned int sip_min(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* Bytes of a segment: in place, else through the caller's reader. */
static inline const unsigned char *sip_seg_read(const struct sip_stream_seg *seg,
						unsigned int off,
						unsigned int len,
						unsigned char *buf)
{
	if (seg->data)
		return seg->data + off;
	return sip_stream_read(seg, off, len, buf);
}

/* The framer fed bytes of a segment: in place, else by the caller. */
static inline unsigned int sip_seg_frame(const struct sip_stream_seg *seg,
					 struct sip_framer *f,
					 unsigned int off, unsigned int end)
{
	unsigned int hdr;

	if (seg->data) {
		hdr = sip_framer_feed(f, seg->data + off, end - off);
		return hdr ? off + hdr : 0;
	}
	return sip_stream_frame(seg, f, off, end);
}

void sip_stream_init(struct sip_stream *st, struct sip_hole *holes,
		     unsigned int seq, int at_message)
{
	__builtin_memset(st, 0, sizeof(*st));
	__builtin_memset(holes, 0, sizeof(*holes) * SIP_STREAM_HOLES);
	st->seq = seq;
	st->run.state = at_message ? SIP_STREAM_START : SIP_STREAM_LOST;
}

static void sip_cursor_lost(struct sip_cursor *c)
{
	c->state = SIP_STREAM_LOST;
	c->nstatus = 0;
	c->found = 0;
	c->proof = SIP_PROOF_NONE;
	c->pending = 0;
}

/*
 * Go on with the proof of @c's message over @n bytes at @p: the rest of
 * its start line, then a header name, blanks and a colon. Return: 1
 * proven, 0 disproven, -1 not known yet: the bytes ended first, and
 * c->proof says where the proof stands.
 */
static int sip_proof_bytes(struct sip_cursor *c, const unsigned char *p,
			   unsigned int n)
{
	unsigned int i;
	unsigned char ch;

	for (i = 0; i < n; i++) {
		ch = p[i];
		/*
		 * The next line's first bytes, in c->status (free: the status
		 * line has ended): if they disprove the message, they may
		 * start one.
		 */
		if (c->proof >= SIP_PROOF_NAME0 && !c->nstatus) {
			if (c->proof_n < sizeof(c->status))
				c->status[c->proof_n] = ch;
			if (c->proof_n < 0xffff)
				c->proof_n++;
		}
		switch (c->proof) {
		case SIP_PROOF_LINE:
			/* CR and LF before the start line, as it may have. */
			if (!c->proof_n && (ch == '\r' || ch == '\n'))
				break;
			if (ch == '\n') {
				c->proof = SIP_PROOF_NAME0;
				c->proof_n = 0;
			} else if (++c->proof_n > SIP_STREAM_LINE_MAX) {
				return 0;
			}
			break;
		case SIP_PROOF_NAME0:
			if (!sip_is_token(ch))
				return 0;
			c->proof = SIP_PROOF_NAME;
			break;
		case SIP_PROOF_NAME:
			if (sip_is_token(ch))
				break;
			if (ch != ' ' && ch != '\t')
				return ch == ':';
			c->proof = SIP_PROOF_WS;
			break;
		case SIP_PROOF_WS:
			if (ch != ' ' && ch != '\t')
				return ch == ':';
			break;
		default:
			return 0;
		}
	}
	return -1;
}

/* sip_proof_bytes() over bytes @off to @end of a segment. */
static int sip_stream_proof(const struct sip_stream_seg *seg,
			    struct sip_cursor *c, unsigned int off,
			    unsigned int end)
{
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	const unsigned char *p;
	unsigned int n;
	int ret;

	for (; off < end; off += n) {
		n = sip_min(end - off, SIP_PARSE_WINDOW);
		p = sip_seg_read(seg, off, n, buf);
		if (!p)
			return 0;
		ret = sip_proof_bytes(c, p, n);
		if (ret >= 0)
			return ret;
	}
	return -1;
}

/* The start of the message at @off: sip_parse_status() of its first bytes. */
static int sip_stream_classify(const struct sip_stream_seg *seg,
			       unsigned int off, int *request)
{
	unsigned int len = sip_min(seg->end - off, SIP_PARSE_WINDOW);
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	const unsigned char *p;
	int code;

	*request = 0;
	p = sip_seg_read(seg, off, len, buf);
	if (!p)
		return SIP_PARSE_TRUNCATED;
	code = sip_parse_status(p, len, seg->end - off);
	*request = code == SIP_PARSE_NOT_RESPONSE && sip_is_request(p, len);
	return code;
}

/*
 * Does the request line at @off start with a method of enum
 * sipcode_method? After a hole, a segment that starts inside a method
 * ("TIFY sip:...") reads as a request of another: a method of its own is
 * not believed there.
 */
static int sip_known_method(const unsigned char *p, unsigned int n)
{
	unsigned int i, m;

	for (m = 0; m < n && (p[m] == '\r' || p[m] == '\n'); m++)
		;
	for (i = m; i < n && p[i] != ' '; i++)
		;
	return i < n && sip_method_id(p + m, i - m) != SIPCODE_METHOD_OTHER;
}

static int sip_stream_known_method(const struct sip_stream_seg *seg,
				   unsigned int off)
{
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	unsigned int n = sip_min(seg->end - off, sizeof(buf));
	const unsigned char *p;

	p = sip_seg_read(seg, off, n, buf);
	return p && sip_known_method(p, n);
}

/*
 * Is the rest of the segment from @off a line's first bytes, short
 * enough to be kept (c->status), that may start a message: a letter?
 */
static int sip_stream_tail(const struct sip_stream_seg *seg, unsigned int off)
{
	unsigned char buf[SIP_STATUS_LEN + 4] __uninitialized;
	unsigned int n = seg->end - off, i;
	const unsigned char *p;

	if (n > sizeof(buf))
		return 0;
	p = sip_seg_read(seg, off, n, buf);
	if (!p || !sip_is_alpha(p[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] == '\n')
			return 0;
	return 1;
}

/*
 * Are the @n bytes at @p, after CR and LF, the first of a request line
 * short of what sip_is_request() decides on: a method, SP, the scheme?
 */
static int sip_request_prefix(const unsigned char *p, unsigned int n)
{
	unsigned int i = 0;

	while (i < n && (p[i] == '\r' || p[i] == '\n'))
		i++;
	while (i < n && sip_is_alpha(p[i]))
		i++;
	if (i == n)
		return 1;
	if (p[i++] != ' ')
		return 0;
	for (; i < n; i++)
		if (!sip_is_alpha(p[i]) && !sip_is_digit(p[i]) &&
		    p[i] != '+' && p[i] != '-' && p[i] != '.')
			return 0;
	return 1;
}

/* Are bytes @off to @end of a segment all CR and LF? */
static int sip_stream_crlf(const struct sip_stream_seg *seg, unsigned int off,
			   unsigned int end)
{
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	unsigned int n = end - off, i;
	const unsigned char *p;

	if (n > sizeof(buf))
		return 0;
	p = sip_seg_read(seg, off, n, buf);
	if (!p)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/*
 * Count @c's message as @code, or keep the code until its proof ends.
 * Return: 0 when the segment has counted its most: the run ends.
 */
static int sip_stream_counted(struct sip_stream_seg *seg, struct sip_cursor *c,
			      unsigned int off, int code, int split)
{
	if (seg->n >= seg->max) {
		sip_stream_bucket(seg, SIP_STREAM_UNFRAMED);
		return 0;
	}
	if (c->proof) {
		/* 1 to 699 in 16 bits: what a torn copy holds is checked. */
		c->pending = code;
		return 1;
	}
	seg->n++;
	sip_stream_count(seg, off, code, split);
	return 1;
}

/*
 * A message starts at @off (SIP_STREAM_START), classified as @code:
 * counted, or kept when the segment ends in its status line. Return:
 * where framing goes on.
 */
static unsigned int sip_stream_message(struct sip_stream_seg *seg,
				       struct sip_cursor *c, unsigned int off,
				       unsigned int end, int code)
{
	/* What is kept ends at @end: the bytes after it go on from there. */
	unsigned int rest = end - off;
	const unsigned char *p;

	if (code == SIP_PARSE_KEEPALIVE) {
		/* CR and LF to the end: a keep-alive when nothing else. */
		if (off == seg->start)
			sip_stream_bucket(seg, SIP_STREAM_KEEPALIVE);
		return end;
	}
	if ((code == SIP_PARSE_TRUNCATED || c->found) && !seg->alone &&
	    rest <= sizeof(c->status)) {
		/* The status line goes on in the next segment. */
		p = sip_seg_read(seg, off, rest, c->status);
		if (!p)
			goto lost;
		if (p != c->status)
			__builtin_memcpy(c->status, p, rest);
		c->nstatus = rest;
		sip_framer_init_length(&c->f);
		c->state = SIP_STREAM_HEADERS;
		return end;
	}
	if (!sip_stream_counted(seg, c, off, code, 0))
		goto lost;
	sip_framer_init_length(&c->f);
	c->state = SIP_STREAM_HEADERS;
	return off;
lost:
	sip_cursor_lost(c);
	return end;
}

/* Are the @n bytes at @p, at most 8, the first of "SIP/2.0 " (SIP any case)? */
static int sip_version_prefix(const unsigned char *p, unsigned int n)
{
	static const char version[] = "sip/2.0 ";
	unsigned int i;

	for (i = 0; i < n && i < SIP_VERSION_LEN; i++)
		if ((i < 3 ? p[i] | 0x20 : p[i]) != (unsigned char)version[i])
			return 0;
	return 1;
}

/*
 * A status line cut by the end of an earlier segment, in c->status, goes
 * on with the @nmore bytes at @more, of @total: classified and counted,
 * or kept longer if they are short too. Return: 0, or -1 when it is
 * still cut or the run ended.
 */
static int sip_stream_cut(struct sip_stream_seg *seg, struct sip_cursor *c,
			  unsigned int off, const unsigned char *more,
			  unsigned int nmore, unsigned int total)
{
	unsigned int have = sip_min(c->nstatus, sizeof(c->status)), j;
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	int code;

	nmore = sip_min(nmore, SIP_PARSE_WINDOW - have);
again:
	__builtin_memcpy(buf, c->status, have);
	__builtin_memcpy(buf + have, more, nmore);
	c->nstatus = 0;
	code = sip_parse_status(buf, have + nmore, have + total);
	if ((code == SIP_PARSE_TRUNCATED ||
	     (c->found && sip_request_prefix(buf, have + nmore))) &&
	    have + total <= sizeof(c->status)) {
		/* Still too short to say: a method's first letters too. */
		__builtin_memcpy(c->status + have, more, nmore);
		c->nstatus = have + nmore;
		return -1;
	}
	if (c->found && code < SIPCODE_CODE_MIN &&
	    !(code == SIP_PARSE_NOT_RESPONSE &&
	      sip_is_request(buf, have + nmore) &&
	      sip_known_method(buf, have + nmore))) {
		/*
		 * Found after LOST, and not a message: LOST again, unless
		 * a status line starts further in the line (the line of
		 * the proof: it stands).
		 */
		for (j = 1; j < have; j++)
			if (sip_version_prefix(buf + j,
					       sip_min(have + nmore - j,
						       SIP_VERSION_LEN)))
				break;
		if (j < have) {
			__builtin_memmove(c->status, c->status + j, have - j);
			have -= j;
			c->nstatus = have;
			goto again;
		}
		sip_cursor_lost(c);
		return 0;
	}
	c->found = 0;
	/* Its first bytes, for the framer to begin with. */
	sip_framer_feed(&c->f, buf, have);
	if (!sip_stream_counted(seg, c, off, code, 1)) {
		sip_cursor_lost(c);
		return -1;
	}
	return 0;
}

/* sip_stream_cut() with the bytes of the segment from @off. */
static int sip_stream_status(struct sip_stream_seg *seg, struct sip_cursor *c,
			     unsigned int off)
{
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	unsigned int n = sip_min(seg->end - off, SIP_PARSE_WINDOW);
	const unsigned char *p;

	p = sip_seg_read(seg, off, n, buf);
	if (!p) {
		c->nstatus = 0;
		return 0;	/* not read: framed on, not counted */
	}
	return sip_stream_cut(seg, c, off, p, n, seg->end - off);
}

/*
 * Where a message may start after @off, up to @end: after an LF, or at
 * "SIP/2.0 " in the middle of a line (a body need not end with CR and
 * LF), or its first bytes at @end. Return: the offset, or @end.
 */
static unsigned int sip_stream_next_start(const struct sip_stream_seg *seg,
					  unsigned int off, unsigned int end)
{
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	unsigned int pos, n, i, k;
	const unsigned char *p;

	for (pos = off; pos < end; pos += i) {
		n = sip_min(end - pos, SIP_PARSE_WINDOW);
		p = sip_seg_read(seg, pos, n, buf);
		if (!p)
			return end;
		for (i = 0; i < n; i++) {
			if (p[i] == '\n')
				return pos + i + 1;
			if ((p[i] | 0x20) != 's' || pos + i == off)
				continue;
			k = sip_min(n - i, SIP_VERSION_LEN);
			/* Cut by the window, not by the segment: read on here. */
			if (k < SIP_VERSION_LEN && pos + n < end)
				break;
			if (sip_version_prefix(p + i, k))
				return pos + i;
		}
	}
	return end;
}

/*
 * LOST at @off: the first message start from there (see
 * sip_stream_next_start()) that the next line proves, or may prove in
 * the next segment (its count then waits: c->proof). A segment that
 * does not start with one lands in SIP_STREAM_MIDSTREAM. Return: the
 * message's offset, with @c at its start, or @end.
 */
static unsigned int sip_stream_resync(struct sip_stream_seg *seg,
				      struct sip_cursor *c, unsigned int off,
				      unsigned int end)
{
	int code, request, proven, tail;

	for (;;) {
		code = sip_stream_classify(seg, off, &request);
		if (code == SIP_PARSE_KEEPALIVE && off == seg->start) {
			/* Between messages, or in a body: still lost. */
			sip_stream_bucket(seg, SIP_STREAM_KEEPALIVE);
			return end;
		}
		/*
		 * A line cut by the end of the segment short is decided in
		 * the next (c->found). Not a malformed status line:
		 * "SIP/2.0/TCP" starts a Via's value.
		 */
		tail = sip_stream_tail(seg, off);
		if (code >= SIPCODE_CODE_MIN || tail ||
		    (request && sip_stream_known_method(seg, off))) {
			c->proof = SIP_PROOF_LINE;
			c->proof_n = 0;
			c->pending = 0;
			proven = sip_stream_proof(seg, c, off, seg->end);
			if (proven) {
				if (off != seg->start)
					sip_stream_bucket(seg,
							  SIP_STREAM_MIDSTREAM);
				if (proven > 0)
					c->proof = SIP_PROOF_NONE;
				c->found = tail;
				c->state = SIP_STREAM_START;
				c->nstatus = 0;
				return off;
			}
		}
		off = sip_stream_next_start(seg, off, end);
		if (off >= end) {
			sip_stream_bucket(seg, SIP_STREAM_MIDSTREAM);
			sip_cursor_lost(c);
			return end;
		}
	}
}

/*
 * The proof of @c's message goes on at @off, the first byte after those
 * it read: the message is counted, or is LOST, or waits. A message
 * disproved by a line whose first bytes ended the last segment may be
 * one: they start a message found after LOST, with its own proof.
 */
static void sip_stream_prove(struct sip_stream_seg *seg, struct sip_cursor *c,
			     unsigned int off)
{
	unsigned int kept = c->proof >= SIP_PROOF_NAME0 && !c->nstatus ?
			    c->proof_n : 0;
	int code;

	switch (sip_stream_proof(seg, c, off, seg->end)) {
	case 1:
		code = c->pending;
		c->proof = SIP_PROOF_NONE;
		c->pending = 0;
		if (code && code <= SIPCODE_CODE_MAX &&
		    !sip_stream_counted(seg, c, off, code, 1))
			sip_cursor_lost(c);
		return;
	case 0:
		sip_cursor_lost(c);
		if (!kept || kept > sizeof(c->status))
			return;
		c->nstatus = kept;
		c->found = 1;
		c->state = SIP_STREAM_HEADERS;
		sip_framer_init_length(&c->f);
		c->proof = SIP_PROOF_LINE;
		c->proof_n = kept;
		switch (sip_stream_proof(seg, c, off, seg->end)) {
		case 0:
			sip_cursor_lost(c);
			break;
		case 1:
			c->proof = SIP_PROOF_NONE;
			break;
		}
		return;
	}
}

/*
 * Frame bytes @off to @end of a segment from @c. *@resync, when not
 * NULL, gets the offset of the first message framed after LOST, if any.
 */
static void sip_stream_frame_from(struct sip_stream_seg *seg,
				  struct sip_cursor *c, unsigned int off,
				  unsigned int end, unsigned int *resync)
{
	unsigned int hdr;
	int code, request;
	long clen;

	if (c->proof && c->state != SIP_STREAM_LOST)
		sip_stream_prove(seg, c, off);
	while (off < end) {
		switch (c->state) {
		case SIP_STREAM_START:
			if (end < seg->end && sip_stream_crlf(seg, off, end))
				return;	/* the message starts at @end or after */
			code = sip_stream_classify(seg, off, &request);
			off = sip_stream_message(seg, c, off, end, code);
			break;
		case SIP_STREAM_HEADERS:
			if (c->nstatus && sip_stream_status(seg, c, off))
				return;
			if (c->state == SIP_STREAM_LOST)
				break;
			hdr = sip_seg_frame(seg, &c->f, off, end);
			if (!hdr)
				return;	/* the headers go on */
			clen = sip_framer_clen(&c->f);
			if (clen < 0) {
				/* No Content-Length: where it ends is not known. */
				if (hdr < end)
					sip_stream_bucket(seg, SIP_STREAM_UNFRAMED);
				sip_cursor_lost(c);
				return;
			}
			c->left = clen;
			c->state = SIP_STREAM_BODY;
			off = hdr;
			break;
		case SIP_STREAM_BODY:
			hdr = sip_min(c->left, end - off);
			c->left -= hdr;
			off += hdr;
			if (!c->left)
				c->state = SIP_STREAM_START;
			break;
		default:
			/* LOST, or what a torn copy holds. */
			off = sip_stream_resync(seg, c, off, end);
			if (off < end && resync && *resync == end)
				*resync = off;
			break;
		}
	}
}

static int sip_known(const struct sip_cursor *c)
{
	return c->state == SIP_STREAM_START || c->state == SIP_STREAM_HEADERS ||
	       c->state == SIP_STREAM_BODY;
}

/*
 * A slot for a new hole, other than @keep: a free one, else one whose
 * framing is not known, else the oldest.
 */
static struct sip_hole *sip_stream_slot(struct sip_hole *holes,
					const struct sip_hole *keep)
{
	struct sip_hole *h = (void *)0;
	unsigned int i;

	for (i = 0; i < SIP_STREAM_HOLES; i++) {
		struct sip_hole *o = &holes[i];

		if (o == keep)
			continue;
		if (o->at.state == SIP_STREAM_FREE)
			return o;
		if (!h)
			h = o;
		else if (sip_known(&h->at) && (!sip_known(&o->at) ||
					       (int)(o->start - h->start) < 0))
			h = o;
	}
	return h;
}

/*
 * @h: a hole from @start, framed from @at, up to @seen, where the bytes
 * of @seg from @off are seen: their first are kept (h->next).
 */
/* More of the bytes seen after @h: those of @seg from @off, as room lets. */
static void sip_hole_more(struct sip_hole *h, const struct sip_stream_seg *seg,
			  unsigned int off)
{
	unsigned int have = sip_min(h->nnext, sizeof(h->next));
	unsigned int n = sip_min(seg->end - off, sizeof(h->next) - have);
	const unsigned char *p;

	p = sip_seg_read(seg, off, n, h->next + have);
	if (!p)
		return;
	if (p != h->next + have)
		__builtin_memcpy(h->next + have, p, n);
	h->nnext = have + n;
}

static void sip_hole_set(struct sip_hole *h, const struct sip_cursor *at,
			 unsigned int start, unsigned int seen,
			 const struct sip_stream_seg *seg, unsigned int off)
{
	h->start = start;
	h->seen = seen;
	h->end = seen;
	h->resumed = 0;
	h->nnext = 0;
	sip_hole_more(h, seg, off);
	h->at = *at;
}

/*
 * A hole before @seg, at @seq: from st->seq. The framing at st->seq is
 * kept in a hole, unless it is not known (LOST); the run is LOST from
 * @seq.
 */
static void sip_stream_open(struct sip_stream *st, struct sip_hole *holes,
			    const struct sip_stream_seg *seg, unsigned int seq)
{
	struct sip_hole *h;
	unsigned int i;

	/* Bytes after an older hole were not framed: it ends there. */
	for (i = 0; i < SIP_STREAM_HOLES; i++)
		holes[i].resumed = 1;
	h = sip_stream_slot(holes, (void *)0);
	if (h->at.state == SIP_STREAM_FREE || sip_known(&st->run))
		sip_hole_set(h, &st->run, st->seq, seq, seg, seg->start);
	sip_cursor_lost(&st->run);
}

/*
 * Is the proof of @c, not over, reading a line that starts "SIP": the
 * start of another message rather than a header (a message/sipfrag body
 * ends with its status line)?
 */
static int sip_proof_sip(const struct sip_cursor *c)
{
	unsigned int i, n = c->proof_n;

	if (c->proof != SIP_PROOF_NAME || c->nstatus || !n || n > 3)
		return 0;
	for (i = 0; i < n; i++)
		if ((c->status[i] | 0x20) != (unsigned char)"sip"[i])
			return 0;
	return 1;
}

/*
 * The bytes after a hole's end are not seen again: @c's message, whose
 * count waits for a proof, is proven by the @n bytes at @next that were
 * seen there, or believed when they do not say.
 */
static void sip_stream_settle(struct sip_stream_seg *seg, struct sip_cursor *c,
			      unsigned int off, const unsigned char *next,
			      unsigned int n)
{
	unsigned int kept = c->proof >= SIP_PROOF_NAME0 && !c->nstatus ?
			    c->proof_n : 0;
	unsigned char buf[SIP_PARSE_WINDOW] __uninitialized;
	int code = c->pending, request, proven;

	if (!c->proof)
		return;
	if (kept > sizeof(c->status))
		kept = 0;
	__builtin_memcpy(buf, c->status, kept);
	proven = sip_proof_bytes(c, next, n);
	/*
	 * Not known yet: a request is believed, a response is not (it may
	 * be a message/sipfrag body).
	 */
	if (proven < 0 && (code >= SIPCODE_CODE_MIN || sip_proof_sip(c)))
		proven = 0;
	if (!proven) {
		/* Disproved by a line that may start a message itself. */
		code = 0;
		n = sip_min(n, sizeof(buf) - kept);
		__builtin_memcpy(buf + kept, next, n);
		if (kept) {
			code = sip_parse_status(buf, kept + n, kept + n + 1);
			request = code == SIP_PARSE_NOT_RESPONSE &&
				  sip_is_request(buf, kept + n) &&
				  sip_known_method(buf, kept + n);
			c->proof = SIP_PROOF_LINE;
			c->proof_n = 0;
			proven = sip_proof_bytes(c, buf, kept + n);
			if ((code < SIPCODE_CODE_MIN && !request) || !proven ||
			    (proven < 0 && code >= SIPCODE_CODE_MIN))
				code = 0;
		}
	}
	c->proof = SIP_PROOF_NONE;
	c->pending = 0;
	if (code && code <= SIPCODE_CODE_MAX)
		sip_stream_counted(seg, c, off, code, 1);
}

/*
 * Framing of the bytes that fill @h has reached h->seen (@off in the
 * segment): a status line cut there goes on in h->next, and so does the
 * proof of a message whose count waits for it.
 */
static void sip_stream_seen(struct sip_stream_seg *seg, struct sip_cursor *c,
			    unsigned int off, const struct sip_hole *h)
{
	unsigned int n = sip_min(h->nnext, sizeof(h->next));

	if (c->state != SIP_STREAM_HEADERS)
		return;
	if (c->nstatus && n)
		sip_stream_cut(seg, c, off, h->next, n, n);
	sip_stream_settle(seg, c, off, h->next, n);
}

/*
 * Does the framing @c, at @h's h->seen, need more of the bytes after it
 * than h->next holds yet: a status line cut there, or a proof?
 */
static int sip_stream_wants(const struct sip_cursor *c,
			    const struct sip_hole *h)
{
	return c->state == SIP_STREAM_HEADERS && (c->nstatus || c->proof) &&
	       h->nnext < sizeof(h->next);
}

/*
 * Framing has reached @seen, where the run has been LOST since: when it
 * is in a body that goes on past the run's next byte (the LOST bytes),
 * the run is that body again.
 */
static void sip_stream_rejoin(struct sip_stream *st, struct sip_cursor *c,
			      unsigned int seen)
{
	unsigned int after = st->seq - seen;

	if (st->run.state == SIP_STREAM_LOST && c->state == SIP_STREAM_BODY &&
	    !c->proof && c->left >= after) {
		c->left -= after;
		if (!c->left)
			c->state = SIP_STREAM_START;
		st->run = *c;
	}
}

/*
 * Framing @c of the bytes that fill @h has reached @reach: is a part of
 * the hole left, before h->seen, or at it waiting for more of the bytes
 * seen after it (sip_hole_next())?
 */
static int sip_hole_left(const struct sip_hole *h, const struct sip_cursor *c,
			 unsigned int reach)
{
	if ((int)(reach - h->seen) < 0)
		return c->state != SIP_STREAM_FREE;
	return reach == h->seen && sip_stream_wants(c, h);
}

/*
 * @h is filled, framed with @c up to @reach (@off in @seg): at h->seen, a
 * message the hole cut goes on in h->next, and a run LOST since h->seen
 * may be that message's body again.
 */
static void sip_hole_filled(struct sip_stream *st, const struct sip_hole *h,
			    struct sip_cursor *c, unsigned int reach,
			    struct sip_stream_seg *seg, unsigned int off)
{
	if (reach != h->seen)
		return;
	sip_stream_seen(seg, c, off, h);
	if (!h->resumed)
		sip_stream_rejoin(st, c, reach);
}

/*
 * @seg, at @seq, starts at or before @h's start: framed from there with
 * the framing kept, up to the hole's end.
 */
static void sip_stream_fill_start(struct sip_stream *st, struct sip_hole *h,
				  struct sip_stream_seg *seg, unsigned int seq)
{
	unsigned int len = seg->end - seg->start, skip = h->start - seq;
	unsigned int stop = sip_min(len, h->end - seq), reach;
	struct sip_cursor c;

	if (stop <= skip) {
		h->at.state = SIP_STREAM_FREE;
		return;
	}
	c = h->at;
	sip_stream_frame_from(seg, &c, seg->start + skip, seg->start + stop,
			      (void *)0);
	reach = seq + stop;
	if (sip_hole_left(h, &c, reach)) {
		h->start = reach;
		h->at = c;
		return;
	}
	h->at.state = SIP_STREAM_FREE;
	sip_hole_filled(st, h, &c, reach, seg, seg->start + stop);
}

/*
 * @seg, at @seq, starts inside @h: framed as after a hole, up to the
 * hole's end. The hole is cut in two: before the segment, and after it
 * when the framing at its end is known.
 */
static void sip_stream_fill_inside(struct sip_stream *st, struct sip_hole *holes,
				   struct sip_hole *h,
				   struct sip_stream_seg *seg, unsigned int seq)
{
	unsigned int len = seg->end - seg->start;
	unsigned int stop = sip_min(len, h->end - seq), resync = seg->start + stop;
	struct sip_cursor c = { .state = SIP_STREAM_LOST };
	struct sip_hole old = *h, *r;

	sip_stream_frame_from(seg, &c, seg->start, seg->start + stop, &resync);
	/* Before: up to the first message framed in the segment. */
	sip_hole_set(h, &old.at, old.start, seq, seg, seg->start);
	h->end = seq + (resync - seg->start);
	h->resumed = 1;
	/* After, up to where the bytes were seen: a hole of its own. */
	if (sip_hole_left(&old, &c, seq + stop)) {
		r = sip_stream_slot(holes, h);
		*r = old;
		r->start = seq + stop;
		r->at = c;
	} else {
		sip_hole_filled(st, &old, &c, seq + stop, seg, seg->start + stop);
	}
}

/* Does @seg, at @seq, fill a part of @h? Framed if so. Return: 1 if so. */
static int sip_stream_fill(struct sip_stream *st, struct sip_hole *holes,
			   struct sip_hole *h,
			   struct sip_stream_seg *seg, unsigned int seq)
{
	unsigned int len = seg->end - seg->start;

	if (h->at.state == SIP_STREAM_FREE)
		return 0;
	if (h->start - seq < len) {
		sip_stream_fill_start(st, h, seg, seq);
		return 1;
	}
	if (seq - h->start < h->seen - h->start) {
		sip_stream_fill_inside(st, holes, h, seg, seq);
		return 1;
	}
	return 0;
}

/*
 * @seg, at @seq, follows the bytes kept after @h but too few: more of
 * them.
 */
static void sip_hole_next(struct sip_hole *h, struct sip_stream_seg *seg,
			  unsigned int seq)
{
	struct sip_cursor c;

	if (h->at.state == SIP_STREAM_FREE || h->nnext >= sizeof(h->next) ||
	    h->seen + h->nnext != seq)
		return;
	sip_hole_more(h, seg, seg->start);
	if (h->start == h->seen && !sip_stream_wants(&h->at, h)) {
		/* Filled, and waiting for these bytes: done. */
		c = h->at;
		h->at.state = SIP_STREAM_FREE;
		sip_stream_seen(seg, &c, seg->start, h);
	}
}

void sip_stream_segment(struct sip_stream *st, struct sip_hole *holes,
			struct sip_stream_seg *seg, unsigned int seq)
{
	unsigned int len = seg->end - seg->start, behind = st->seq - seq;
	unsigned int off = seg->start, resync = seg->end, i;
	int filled = 0;

	for (i = 0; i < SIP_STREAM_HOLES; i++)
		sip_hole_next(&holes[i], seg, seq);
	if ((int)behind > 0) {
		for (i = 0; i < SIP_STREAM_HOLES; i++)
			filled |= sip_stream_fill(st, holes, &holes[i], seg,
						  seq);
		if (len <= behind) {
			if (!filled)
				sip_stream_bucket(seg, SIP_STREAM_RETRANSMIT);
			return;
		}
		/* Sent again with new bytes: those go on. */
		off += behind;
		seq = st->seq;
	} else if (behind) {
		sip_stream_open(st, holes, seg, seq);
	}
	sip_stream_frame_from(seg, &st->run, off, seg->end, &resync);
	if (resync < seg->end) {
		for (i = 0; i < SIP_STREAM_HOLES; i++) {
			struct sip_hole *h = &holes[i];

			if (h->at.state != SIP_STREAM_FREE && !h->resumed) {
				h->end = seq + (resync - off);
				h->resumed = 1;
			}
		}
	}
	st->seq = seq + (seg->end - off);
}
