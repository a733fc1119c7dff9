/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transaction of the in-guest benchmark (bench/pktsend.c -P txn): an
 * INVITE as sipp's default UAC scenario (uac) sends it, with its SDP,
 * and the 200 OK that sipp's default UAS scenario (uas) answers it with:
 * the same Via, From, Call-ID and CSeq, the To with a tag, its own
 * Contact and SDP. Sender 10.0.0.1:5060 (sipp's pid 4242), receiver
 * 10.9.9.9:5060 (pid 4243).
 *
 * Each TXN_CALL_MARK is the call's number in sipp's [call_number]
 * places (the Via branch, the tags, the Call-ID), TXN_CALL_DIGITS
 * decimal digits wide, zero-padded, so that every pair is a new
 * transaction in frames of the same size: the sender writes the number
 * over the marks, two messages a pair. Content-Length is sipp's, five
 * columns wide ("%5u"); the bodies are 127 bytes.
 */
#ifndef _SIPCODE_BENCH_TXNPAIR_H
#define _SIPCODE_BENCH_TXNPAIR_H

#define TXN_CALL_DIGITS 8
#define TXN_CALL_MARK "########"

#define TXN_SDP(ip) \
	"v=0\r\n" \
	"o=user1 53655765 2353687637 IN IP4 " ip "\r\n" \
	"s=-\r\n" \
	"c=IN IP4 " ip "\r\n" \
	"t=0 0\r\n" \
	"m=audio 6000 RTP/AVP 0\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n"

#define TXN_VIA \
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-4242-" TXN_CALL_MARK "-0\r\n"
#define TXN_FROM \
	"From: sipp <sip:sipp@10.0.0.1:5060>;tag=4242SIPpTag00" TXN_CALL_MARK "\r\n"
#define TXN_TO "To: service <sip:service@10.9.9.9:5060>"
#define TXN_CALL_ID "Call-ID: " TXN_CALL_MARK "-4242@10.0.0.1\r\n"
#define TXN_CSEQ "CSeq: 1 INVITE\r\n"

#define TXN_INVITE \
	"INVITE sip:service@10.9.9.9:5060 SIP/2.0\r\n" \
	TXN_VIA \
	TXN_FROM \
	TXN_TO "\r\n" \
	TXN_CALL_ID \
	TXN_CSEQ \
	"Contact: sip:sipp@10.0.0.1:5060\r\n" \
	"Max-Forwards: 70\r\n" \
	"Subject: Performance Test\r\n" \
	"Content-Type: application/sdp\r\n" \
	"Content-Length:   127\r\n" \
	"\r\n" \
	TXN_SDP("10.0.0.1")

#define TXN_OK \
	"SIP/2.0 200 OK\r\n" \
	TXN_VIA \
	TXN_FROM \
	TXN_TO ";tag=4243SIPpTag01" TXN_CALL_MARK "\r\n" \
	TXN_CALL_ID \
	TXN_CSEQ \
	"Contact: <sip:10.9.9.9:5060;transport=UDP>\r\n" \
	"Content-Type: application/sdp\r\n" \
	"Content-Length:   127\r\n" \
	"\r\n" \
	TXN_SDP("10.9.9.9")

#endif /* _SIPCODE_BENCH_TXNPAIR_H */
