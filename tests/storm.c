// SPDX-License-Identifier: GPL-2.0
/*
 * storm: random and mutated UDP packets on SIP ports over raw sockets,
 * for the sipcode selftests.
 *
 * usage: storm [-n COUNT] [-s SEED] [-p PORT] [-m MAXLEN] [-r V6PCT]
 *              SRC4 DST4 [SRC6 DST6]
 *
 *   -n  packets to send (default 100000)
 *   -s  seed of the pseudo-random generator (default 1)
 *   -p  the SIP port (default 5060)
 *   -m  largest IP packet, in bytes (default 8000)
 *   -r  percentage of IPv6 packets when SRC6 and DST6 are given (default 30)
 *
 * Every packet has a valid IP header (the kernel fills in the total length
 * and the checksum of an IPv4 one; the IPv6 payload length is right), so
 * that ip_rcv() and ipv6_rcv() let it through. Everything above it is
 * random or mutated: SIP status lines valid, truncated, mangled or
 * lower-case, requests, random bytes, keep-alives, bodies up to MAXLEN;
 * UDP length fields right, zero, too small or too large; the SIP port as
 * source, destination, both or neither; IPv4 and IPv6 fragments, first
 * and later, made by hand; IPv4 UDP with fewer than 8 bytes of header;
 * IPv6 hop-by-hop and destination options headers.
 *
 * Prints one line: "SENT COUNTED", the packets the kernel accepted and,
 * of those, the ones sipcode should account for: a later fragment (ports
 * unknown), or UDP with a whole header and the SIP port on either side.
 * A breakdown goes to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rnd.h"

#define BATCH		32
#define PKT_MAX		9000
#define IP4_HLEN	20
#define IP6_HLEN	40
#define UDP_HLEN	8
#define IP_MF		0x2000
#define NEXTHDR_HOP	0
#define NEXTHDR_UDP	17
#define NEXTHDR_FRAG	44
#define NEXTHDR_DEST	60
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void rnd_bytes(unsigned char *p, size_t n)
{
	while (n >= 8) {
		uint64_t v = rnd();

		memcpy(p, &v, 8);
		p += 8;
		n -= 8;
	}
	while (n--)
		*p++ = rnd();
}

/* A length, mostly small, sometimes up to @max. */
static size_t rnd_len(size_t max)
{
	size_t n;

	switch (rnd_below(4)) {
	case 0:
		n = rnd_below(16);
		break;
	case 1:
	case 2:
		n = rnd_below(600);
		break;
	default:
		n = rnd_below(max + 1);
		break;
	}
	return n < max ? n : max;
}

static const char *const reasons[] = {
	"OK", "Ringing", "Busy Here", "Service Unavailable", "", " ",
	"Decline", "Not Found", "Request Terminated", "x",
};

/* Up to @max bytes of a SIP response, possibly padded with a body. */
static size_t response(unsigned char *p, size_t max, int code, size_t pad)
{
	char head[512];
	size_t n, hl;

	hl = snprintf(head, sizeof(head),
		      "%sSIP/2.0 %d %s\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%u\r\n"
		      "Call-ID: storm-%u@example.com\r\n"
		      "CSeq: 1 INVITE\r\n"
		      "Content-Length: %zu\r\n\r\n",
		      rnd_below(8) ? "" : "\r\n", code,
		      reasons[rnd_below(ARRAY_SIZE(reasons))],
		      (unsigned int)rnd(), (unsigned int)rnd(), pad);
	n = hl < max ? hl : max;
	memcpy(p, head, n);
	if (pad > max - n)
		pad = max - n;
	memset(p + n, 'v', pad);
	return n + pad;
}

enum {
	P_VALID, P_ANYCODE, P_TRUNC, P_RANDOM, P_MUTATED, P_CRLF, P_JUMBO,
	P_PREFIX, P_REQUEST, P_NKINDS
};

static unsigned long kinds[P_NKINDS];

/* A UDP payload of at most @max bytes in @p: its length. */
static size_t payload(unsigned char *p, size_t max)
{
	static const char *const prefixes[] = {
		"SIP/", "SIP/2.0", "SIP/2.0 ", "sip/2.0 ", "SIP/2.1 200 OK\r\n",
		"SIP/2.0  200 OK\r\n", "SIP/2.0 2000 OK\r\n", "SIP/2.0 20 OK",
		"SIP/2.0 099 x\r\n", "SIP/2.0 700 x\r\n", "SIP/2.0 486\r\n",
		"SIP/2.0 486", "Sip/2.0 183\n", "SIP/2.0 599\t\r\n", "\r\n\r\n",
		"SIP2.0 200 OK\r\n", "S", "SI", "\r", "\n", "SIP/2.0 1",
	};
	int kind = rnd_below(P_NKINDS);
	size_t n, i;

	kinds[kind]++;
	switch (kind) {
	case P_VALID:
		return response(p, max, 100 + rnd_below(600), rnd_below(200));
	case P_ANYCODE:
		return response(p, max, rnd_below(1000), rnd_below(8));
	case P_TRUNC:
		n = response(p, max, 100 + rnd_below(600), 0);
		return rnd_below(n < 16 ? n + 1 : 16);
	case P_RANDOM:
		n = rnd_len(max);
		rnd_bytes(p, n);
		return n;
	case P_MUTATED:
		n = response(p, max, 100 + rnd_below(600), rnd_below(64));
		for (i = rnd_below(4) + 1; i && n; i--) {
			static const char set[] = "\r\n 0123456789/S.\t\0";
			size_t at = rnd_below(n < 16 ? n : 16);

			p[at] = rnd_below(2) ? set[rnd_below(sizeof(set))] :
					       (unsigned char)rnd();
		}
		if (n && !rnd_below(4))
			n = rnd_below(n);
		return n;
	case P_CRLF:
		n = rnd_below(9);
		n = n < max ? n : max;
		for (i = 0; i < n; i++)
			p[i] = rnd_below(2) ? '\r' : '\n';
		return n;
	case P_JUMBO:
		return response(p, max, 100 + rnd_below(600), rnd_len(max));
	case P_PREFIX:
		i = rnd_below(ARRAY_SIZE(prefixes));
		n = strlen(prefixes[i]);
		n = n < max ? n : max;
		memcpy(p, prefixes[i], n);
		if (rnd_below(2) && max > n) {
			size_t extra = rnd_below(max - n < 32 ? max - n : 32);

			rnd_bytes(p + n, extra);
			n += extra;
		}
		return n;
	default:
		n = snprintf((char *)p, max, "%s sip:bob@example.com SIP/2.0\r\n"
			     "Content-Length: 0\r\n\r\n",
			     rnd_below(2) ? "INVITE" : "OPTIONS");
		return n < max ? n : max;
	}
}

/* A UDP header and payload at @p, at most @max bytes: its length. */
static size_t udp(unsigned char *p, size_t max, uint16_t port, int *sip)
{
	uint16_t sport, dport, ulen;
	size_t n = UDP_HLEN + payload(p + UDP_HLEN, max - UDP_HLEN);

	sport = 1024 + rnd_below(64000);
	dport = 1024 + rnd_below(64000);
	switch (rnd_below(8)) {
	case 0:
		break;			/* neither, or by chance */
	case 1:
	case 2:
		sport = port;
		dport = port;
		break;
	case 3:
	case 4:
		dport = port;
		break;
	default:
		sport = port;
		break;
	}
	switch (rnd_below(10)) {
	case 0:
		ulen = 0;
		break;
	case 1:
		ulen = rnd_below(UDP_HLEN);
		break;
	case 2:
		ulen = UDP_HLEN + rnd_below(n - UDP_HLEN + 1);
		break;
	case 3:
		ulen = n + 1 + rnd_below(65535 - n);
		break;
	case 4:
		ulen = 65535;
		break;
	default:
		ulen = n;
		break;
	}
	sport = htons(sport);
	dport = htons(dport);
	ulen = htons(ulen);
	memcpy(p, &sport, 2);
	memcpy(p + 2, &dport, 2);
	memcpy(p + 4, &ulen, 2);
	p[6] = rnd();		/* checksum: not checked on the way */
	p[7] = rnd();
	*sip = ntohs(sport) == port || ntohs(dport) == port;
	return n;
}

struct stats {
	unsigned long sent, counted, later, first, tiny, nosip, errors;
};

/*
 * An IPv4 packet in @p: its length; *@counted is 1 if sipcode must
 * account for it.
 */
static size_t ipv4(unsigned char *p, size_t max, const struct in_addr *src,
		   const struct in_addr *dst, uint16_t port, int *counted,
		   struct stats *st)
{
	unsigned int r = rnd_below(100);
	uint16_t frag = 0, id = 1 + rnd_below(65535);
	size_t n;
	int sip;

	memset(p, 0, IP4_HLEN);
	p[0] = 0x45;
	memcpy(p + 4, &id, 2);
	p[8] = 64;
	p[9] = IPPROTO_UDP;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);

	if (r < 10) {
		/* A later fragment: anything, ports unknown. */
		frag = (1 + rnd_below(8190)) | (rnd_below(2) ? IP_MF : 0);
		n = rnd_len(max - IP4_HLEN);
		rnd_bytes(p + IP4_HLEN, n);
		if (rnd_below(2) && n >= UDP_HLEN)	/* a UDP look-alike */
			udp(p + IP4_HLEN, n, port, &sip);
		*counted = 1;
		st->later++;
	} else if (r < 13) {
		/* Fewer than 8 bytes of UDP: nothing to read. */
		n = rnd_below(UDP_HLEN);
		rnd_bytes(p + IP4_HLEN, n);
		if (n >= 2 && rnd_below(2)) {
			p[IP4_HLEN] = port >> 8;
			p[IP4_HLEN + 1] = port;
		}
		*counted = 0;
		st->tiny++;
	} else {
		n = udp(p + IP4_HLEN, max - IP4_HLEN, port, &sip);
		if (r < 23) {
			frag = IP_MF;		/* a first fragment */
			st->first++;
		}
		*counted = sip;
		if (!sip)
			st->nosip++;
	}
	frag = htons(frag);
	memcpy(p + 6, &frag, 2);
	return IP4_HLEN + n;
}

/* An IPv6 packet in @p, as ipv4(). */
static size_t ipv6(unsigned char *p, size_t max, const struct in6_addr *src,
		   const struct in6_addr *dst, uint16_t port, int *counted,
		   struct stats *st)
{
	unsigned char *nh = p + 6, *q = p + IP6_HLEN;
	unsigned int r = rnd_below(100);
	uint16_t plen;
	size_t n;
	int sip;

	memset(p, 0, IP6_HLEN);
	p[0] = 0x60;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);

	/* Hop-by-hop (first, if at all) and destination options: PadN. */
	if (!rnd_below(5)) {
		*nh = NEXTHDR_HOP;
		memcpy(q, "\0\0\1\4\0\0\0\0", 8);
		nh = q;
		q += 8;
	}
	if (!rnd_below(5)) {
		*nh = NEXTHDR_DEST;
		memcpy(q, "\0\0\1\4\0\0\0\0", 8);
		nh = q;
		q += 8;
	}
	max -= q - p;
	if (r < 20) {
		uint16_t off = r < 10 ? (1 + rnd_below(8190)) << 3 : 0;
		uint32_t ident = rnd();

		/* A fragment header: a later fragment, or a first one. */
		*nh = NEXTHDR_FRAG;
		q[0] = NEXTHDR_UDP;
		q[1] = 0;
		if (rnd_below(2) || !off)
			off |= 1;	/* M */
		off = htons(off);
		memcpy(q + 2, &off, 2);
		memcpy(q + 4, &ident, 4);
		q += 8;
		max -= 8;
		if (r < 10) {
			n = rnd_len(max);
			rnd_bytes(q, n);
			*counted = 1;
			st->later++;
		} else {
			n = udp(q, max, port, &sip);
			*counted = sip;
			st->first++;
		}
	} else {
		*nh = NEXTHDR_UDP;
		n = udp(q, max, port, &sip);
		*counted = sip;
		if (!sip)
			st->nosip++;
	}
	q += n;
	plen = htons(q - p - IP6_HLEN);
	memcpy(p + 4, &plen, 2);
	return q - p;
}

struct out {
	int fd;
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned char buf[BATCH][PKT_MAX];
	int counted[BATCH];
	unsigned int n;
};

static void flush(struct out *o, struct stats *st)
{
	unsigned int i = 0;

	while (i < o->n) {
		int ret = sendmmsg(o->fd, &o->msgs[i], o->n - i, 0);

		if (ret < 0) {
			if (errno == EINTR)
				continue;
			if (st->errors++ < 5)
				fprintf(stderr, "storm: packet of %zu bytes: %s\n",
					o->iov[i].iov_len, strerror(errno));
			i++;
			continue;
		}
		for (; ret; ret--, i++) {
			st->sent++;
			st->counted += o->counted[i];
		}
	}
	o->n = 0;
}

static void out_init(struct out *o, int fd, void *dst, socklen_t alen)
{
	unsigned int i;

	o->fd = fd;
	o->n = 0;
	for (i = 0; i < BATCH; i++) {
		o->iov[i].iov_base = o->buf[i];
		o->msgs[i].msg_hdr.msg_iov = &o->iov[i];
		o->msgs[i].msg_hdr.msg_iovlen = 1;
		o->msgs[i].msg_hdr.msg_name = dst;
		o->msgs[i].msg_hdr.msg_namelen = alen;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: storm [-n COUNT] [-s SEED] [-p PORT] [-m MAXLEN] [-r V6PCT]\n"
		"             SRC4 DST4 [SRC6 DST6]\n");
	exit(2);
}

static unsigned long num(const char *s, unsigned long lo, unsigned long hi)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	static struct out o4, o6;
	unsigned long count = 100000, i, v6pct = 30, maxlen = 8000, port = 5060;
	struct sockaddr_in dst4 = { .sin_family = AF_INET };
	struct sockaddr_in6 dst6 = { .sin6_family = AF_INET6 };
	struct in6_addr src6;
	struct in_addr src4;
	struct stats st = { 0 };
	int opt, fd4, fd6 = -1;

	while ((opt = getopt(argc, argv, "n:s:p:m:r:h")) != -1) {
		switch (opt) {
		case 'n':
			count = num(optarg, 1, ~0UL);
			break;
		case 's':
			rng_state = num(optarg, 0, ~0UL) * 2 + 1;
			break;
		case 'p':
			port = num(optarg, 1, 65535);
			break;
		case 'm':
			maxlen = num(optarg, IP6_HLEN + 24 + UDP_HLEN + 16, PKT_MAX);
			break;
		case 'r':
			v6pct = num(optarg, 0, 100);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2 && argc - optind != 4)
		usage();
	if (inet_pton(AF_INET, argv[optind], &src4) != 1 ||
	    inet_pton(AF_INET, argv[optind + 1], &dst4.sin_addr) != 1)
		usage();
	if (argc - optind == 4) {
		if (inet_pton(AF_INET6, argv[optind + 2], &src6) != 1 ||
		    inet_pton(AF_INET6, argv[optind + 3], &dst6.sin6_addr) != 1)
			usage();
	} else {
		v6pct = 0;
	}

	/* IPPROTO_RAW: the header is ours (IP_HDRINCL, IPV6_HDRINCL). */
	fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd4 < 0) {
		perror("storm: socket");
		return 1;
	}
	out_init(&o4, fd4, &dst4, sizeof(dst4));
	if (v6pct) {
		fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
		if (fd6 < 0) {
			perror("storm: socket");
			return 1;
		}
		out_init(&o6, fd6, &dst6, sizeof(dst6));
	}

	for (i = 0; i < count; i++) {
		struct out *o = rnd_below(100) < v6pct ? &o6 : &o4;
		unsigned char *p = o->buf[o->n];
		size_t max = rnd_below(4) ? 1500 : maxlen;

		if (o == &o6)
			o->iov[o->n].iov_len = ipv6(p, max, &src6, &dst6.sin6_addr,
						    port, &o->counted[o->n], &st);
		else
			o->iov[o->n].iov_len = ipv4(p, max, &src4, &dst4.sin_addr,
						    port, &o->counted[o->n], &st);
		if (++o->n == BATCH)
			flush(o, &st);
	}
	flush(&o4, &st);
	if (fd6 >= 0)
		flush(&o6, &st);

	fprintf(stderr, "storm: %lu sent (%lu errors): %lu to account for; "
		"%lu later fragments, %lu first fragments, %lu under 8 bytes "
		"of UDP, %lu off the SIP port\n", st.sent, st.errors,
		st.counted, st.later, st.first, st.tiny, st.nosip);
	fprintf(stderr, "storm: payloads: valid %lu, any code %lu, truncated %lu, "
		"random %lu, mutated %lu, CRLF %lu, jumbo %lu, prefix %lu, "
		"request %lu\n", kinds[P_VALID], kinds[P_ANYCODE],
		kinds[P_TRUNC], kinds[P_RANDOM], kinds[P_MUTATED],
		kinds[P_CRLF], kinds[P_JUMBO], kinds[P_PREFIX],
		kinds[P_REQUEST]);
	printf("%lu %lu\n", st.sent, st.counted);
	return 0;
}
