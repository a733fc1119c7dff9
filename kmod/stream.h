/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The messages of a byte stream framed across its segments, as they come:
 * in order, sent again, after a hole and the segment that fills it later.
 * Plain C with no kernel or libc header, as sipparse.c: the module's TCP
 * path (tcp.c) and the userspace unit tests compile this one source,
 * each with its own reader of a segment's bytes (see struct
 * sip_stream_seg).
 */
#ifndef _SIPCODE_STREAM_H
#define _SIPCODE_STREAM_H

#include "sipparse.h"

/**
 * enum sip_stream_state - what a byte of the stream is
 * @SIP_STREAM_FREE: nothing (no stream, no hole)
 * @SIP_STREAM_LOST: not known: after bytes that were not seen, or a
 *	message that could not be framed. Framing starts again at the next
 *	message start that the bytes after it prove (sip_stream_segment()).
 * @SIP_STREAM_START: the first byte of a message (or CR and LF before it)
 * @SIP_STREAM_HEADERS: a byte of a message's start line or headers
 * @SIP_STREAM_BODY: a byte of a body
 */
enum sip_stream_state {
	SIP_STREAM_FREE,
	SIP_STREAM_LOST,
	SIP_STREAM_START,
	SIP_STREAM_HEADERS,
	SIP_STREAM_BODY,
};

/**
 * struct sip_cursor - where framing stands at a byte of the stream
 * @left: bytes of a body left to skip (SIP_STREAM_BODY)
 * @pending: the code of the message being framed, counted once @proof
 *	ends proving it; 0: none (not classified yet, or counted)
 * @proof_n: bytes of its start line read by the proof
 * @proof: what the proof of a message found after a hole reads next, or
 *	0: none going on (enum sip_proof in stream.c)
 * @found: the message was found after LOST, its status line cut: unless
 *	it is a response or a request, it was not one
 * @state: enum sip_stream_state
 * @nstatus: bytes of a status line cut by the end of a segment, in
 *	@status, while the message is not classified yet (HEADERS)
 * @status: those bytes
 * @f: the framer of the headers (SIP_STREAM_HEADERS)
 */
struct sip_cursor {
	unsigned int left;
	unsigned short pending;
	unsigned short proof_n;
	unsigned char proof;
	unsigned char found;
	unsigned char state;
	unsigned char nstatus;
	unsigned char status[SIP_STATUS_LEN + 4];
	struct sip_framer f;
};

/*
 * Bytes kept after a hole: a status line that it cuts goes on there, and
 * the line after it proves the message (see stream.c).
 */
#define SIP_STREAM_NEXT 48

/**
 * struct sip_hole - bytes of the stream not seen yet, with framing to resume
 * @start: the first byte not seen (sequence number)
 * @seen: the first byte seen after it
 * @end: framing the bytes that fill the hole stops here: the first
 *	message framed after the hole (@resumed), else @seen
 * @resumed: @end is the first message framed after the hole
 * @nnext: bytes in @next
 * @next: the first bytes seen at @seen, for a message that the hole cuts
 *	there (its status line, and the proof that it is one): bytes from
 *	@seen are not seen again
 * @at: the framing at @start; state SIP_STREAM_FREE: no hole
 *
 * Bytes from @seen to @end were seen but not framed (the stream was LOST
 * there): they are not seen again, so the bytes that fill the hole are
 * framed up to @seen at most, or across it when they go on past it.
 */
struct sip_hole {
	unsigned int start;
	unsigned int seen;
	unsigned int end;
	unsigned char resumed;
	unsigned char nnext;
	unsigned char next[SIP_STREAM_NEXT];
	struct sip_cursor at;
};

/* Holes a stream remembers: a new one beyond them forgets the oldest. */
#define SIP_STREAM_HOLES 4

/**
 * struct sip_stream - one direction of a byte stream, followed
 * @seq: the sequence number of its next byte
 * @run: the framing there
 *
 * Its holes (SIP_STREAM_HOLES of struct sip_hole) are kept apart: the
 * module copies a stream in and out for each segment, and its holes only
 * when a segment reaches them.
 */
struct sip_stream {
	unsigned int seq;
	struct sip_cursor run;
};

/**
 * struct sip_stream_seg - a segment of a stream, as its framer reads it
 * @data: its bytes in place, from offset 0 on (a linear skb's data), or
 *	NULL: they are read with sip_stream_read() and framed with
 *	sip_stream_frame()
 * @start: the offset of its first byte in the reader's data
 * @end: the offset after its last
 * @max: messages it may count: a message beyond ends the stream's run
 *	(LOST) and lands in SIP_STREAM_UNFRAMED
 * @n: messages counted so far
 * @alone: no stream follows: the segment is framed on its own, nothing
 *	is kept for the next one
 *
 * The caller of sip_stream_segment() embeds this in its own description
 * of the segment, and provides the four functions below, which receive
 * it: the module reads an skb, the unit tests a buffer.
 */
struct sip_stream_seg {
	const unsigned char *data;
	unsigned int start;
	unsigned int end;
	unsigned int max;
	unsigned int n;
	int alone;
};

/**
 * sip_stream_read() - bytes of a segment (provided by the caller)
 * @seg: the segment
 * @off: the first, at least seg->start
 * @len: how many, up to seg->end
 * @buf: room for @len bytes, where they may be copied
 *
 * Return: the bytes (at @buf or elsewhere), or NULL if they cannot be read.
 */
const unsigned char *sip_stream_read(const struct sip_stream_seg *seg,
				     unsigned int off, unsigned int len,
				     unsigned char *buf);

/**
 * sip_stream_frame() - feed a framer bytes of a segment (provided by the caller)
 * @seg: the segment
 * @f: the framer
 * @off: the first byte to feed
 * @end: the byte after the last
 *
 * Return: the offset after the end of the headers (sip_framer_feed()),
 * or 0 when they go on past @end (or the bytes cannot be read).
 */
unsigned int sip_stream_frame(const struct sip_stream_seg *seg,
			      struct sip_framer *f, unsigned int off,
			      unsigned int end);

/**
 * sip_stream_count() - count a message (provided by the caller)
 * @seg: the segment
 * @off: the message's first byte in the segment, or where it goes on
 *	(@split)
 * @code: its start as sip_parse_status() classified it: a code, or a
 *	result below SIPCODE_CODE_MIN
 * @split: the message started in an earlier segment
 */
void sip_stream_count(struct sip_stream_seg *seg, unsigned int off, int code,
		      int split);

/* Why bytes of a segment were not framed, for sip_stream_bucket(). */
enum sip_stream_bucket {
	SIP_STREAM_MIDSTREAM,	/* inside a message whose start was not seen */
	SIP_STREAM_UNFRAMED,	/* a message with no Content-Length, or one too many */
	SIP_STREAM_RETRANSMIT,	/* nothing but bytes framed already */
	SIP_STREAM_KEEPALIVE,	/* CR and LF, where no message was going on */
};

/**
 * sip_stream_bucket() - count what a segment was (provided by the caller)
 * @seg: the segment
 * @bucket: enum sip_stream_bucket
 */
void sip_stream_bucket(struct sip_stream_seg *seg, int bucket);

/**
 * sip_stream_init() - start following a stream
 * @st: the stream
 * @holes: its SIP_STREAM_HOLES holes
 * @seq: the sequence number of its next byte
 * @at_message: a message starts there (after a SYN), else LOST
 */
void sip_stream_init(struct sip_stream *st, struct sip_hole *holes,
		     unsigned int seq, int at_message);

/**
 * sip_stream_segment() - frame a segment of a stream
 * @st: the stream
 * @holes: its SIP_STREAM_HOLES holes
 * @seg: the segment, with at least one byte
 * @seq: the sequence number of its first byte
 *
 * Bytes before st->seq were framed already: skipped, unless they fill a
 * hole, which is then framed from where it started up to the messages
 * framed after it. Bytes after st->seq leave a hole before them. The
 * state read from @st is checked where it is used, so that a torn copy
 * can make a count wrong but never an access.
 */
void sip_stream_segment(struct sip_stream *st, struct sip_hole *holes,
			struct sip_stream_seg *seg, unsigned int seq);

#endif /* _SIPCODE_STREAM_H */
