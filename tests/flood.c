// SPDX-License-Identifier: GPL-2.0
/*
 * flood: send SIP responses over UDP as fast as sendmmsg() goes, for the
 * sipcode selftests. Prints the exact number of datagrams the kernel
 * accepted (the sum of what sendmmsg() returned), one line on stdout.
 *
 * usage: flood [-6] [-s SPORT] [-n COUNT | -d SECONDS] [-c CPU] [-b BATCH]
 *              [-r RATE] DST DPORT [CODE[,CODE...]]
 *
 *   -6      DST is an IPv6 address
 *   -s      source port (default 5060; 0: any); the socket is bound with
 *           SO_REUSEADDR and SO_REUSEPORT, so that floods can share it
 *   -n      send COUNT datagrams, exactly
 *   -d      send for SECONDS (default: 10 unless -n is given)
 *   -c      pin to CPU with sched_setaffinity()
 *   -b      datagrams per sendmmsg() (default 64, at most 1024)
 *   -r      at most RATE datagrams a second (default: as fast as it goes),
 *           for traffic beside other work, which a flood would starve
 *   CODE    the status codes, taken in turn (default 200)
 *
 * SIGINT and SIGTERM stop the flood; it still prints its count. An error
 * from the kernel for one datagram (ECONNREFUSED, ENOBUFS, EPERM from a
 * drop at LOCAL_OUT, ...) skips that datagram, uncounted; the number of
 * such errors goes to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX	1024
#define CODES_MAX	64
#define DGRAM_MAX	512

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: flood [-6] [-s SPORT] [-n COUNT | -d SECONDS] [-c CPU] [-b BATCH]\n"
		"             [-r RATE] DST DPORT [CODE[,CODE...]]\n");
	exit(2);
}

static unsigned long parse_ul(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "flood: bad number: %s\n", s);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A SIP response with status @code and sequence number @seq, in @buf. */
static int response(char *buf, int code, unsigned int seq)
{
	return snprintf(buf, DGRAM_MAX,
			"SIP/2.0 %d Flood\r\n"
			"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-f%u\r\n"
			"From: <sip:alice@example.com>;tag=1928301774\r\n"
			"To: <sip:bob@example.com>;tag=a6c85cf\r\n"
			"Call-ID: flood-%u@example.com\r\n"
			"CSeq: 1 INVITE\r\n"
			"Content-Length: 0\r\n\r\n", code, seq, seq);
}

int main(int argc, char **argv)
{
	static char bufs[BATCH_MAX][DGRAM_MAX];
	static struct mmsghdr msgs[BATCH_MAX];
	static struct iovec iovs[BATCH_MAX];
	unsigned long count = 0, sent = 0, errors = 0, batch = 64, sport = 5060;
	int codes[CODES_MAX], ncodes = 0, cpu = -1, v6 = 0, one = 1, fd, opt;
	struct sockaddr_storage dst = { 0 }, src = { 0 };
	double seconds = 0, deadline = 0, start, rate = 0, ahead;
	struct sigaction sa = { 0 };
	unsigned long dport, i;
	socklen_t alen;
	unsigned int pos = 0;
	char *tok, *spec;

	while ((opt = getopt(argc, argv, "6s:n:d:c:b:r:h")) != -1) {
		switch (opt) {
		case '6':
			v6 = 1;
			break;
		case 's':
			sport = parse_ul(optarg, 65535);
			break;
		case 'n':
			count = parse_ul(optarg, ~0UL);
			break;
		case 'd':
			seconds = parse_ul(optarg, 86400);
			break;
		case 'c':
			cpu = parse_ul(optarg, CPU_SETSIZE - 1);
			break;
		case 'b':
			batch = parse_ul(optarg, BATCH_MAX);
			if (!batch)
				usage();
			break;
		case 'r':
			rate = parse_ul(optarg, 100000000);
			if (!rate)
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2 || argc - optind > 3)
		usage();
	if (!count && !seconds)
		seconds = 10;
	dport = parse_ul(argv[optind + 1], 65535);

	spec = strdup(argc - optind == 3 ? argv[optind + 2] : "200");
	for (tok = strtok(spec, ","); tok; tok = strtok(NULL, ",")) {
		if (ncodes == CODES_MAX)
			usage();
		codes[ncodes++] = parse_ul(tok, 999);
	}
	if (!ncodes)
		usage();
	free(spec);
	if (batch >= (unsigned long)ncodes)
		batch -= batch % ncodes;

	if (v6) {
		struct sockaddr_in6 *d = (struct sockaddr_in6 *)&dst;
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&src;

		d->sin6_family = AF_INET6;
		d->sin6_port = htons(dport);
		if (inet_pton(AF_INET6, argv[optind], &d->sin6_addr) != 1)
			usage();
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(sport);
		alen = sizeof(*d);
	} else {
		struct sockaddr_in *d = (struct sockaddr_in *)&dst;
		struct sockaddr_in *s = (struct sockaddr_in *)&src;

		d->sin_family = AF_INET;
		d->sin_port = htons(dport);
		if (inet_pton(AF_INET, argv[optind], &d->sin_addr) != 1)
			usage();
		s->sin_family = AF_INET;
		s->sin_port = htons(sport);
		alen = sizeof(*d);
	}

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("flood: sched_setaffinity");
			return 1;
		}
	}

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("flood: socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&src, alen)) {
		perror("flood: bind");
		return 1;
	}

	/*
	 * Unconnected, the destination in every message: an ICMP error
	 * from the far end is not reported to the next send.
	 */
	for (i = 0; i < batch; i++) {
		iovs[i].iov_base = bufs[i];
		iovs[i].iov_len = response(bufs[i], codes[i % ncodes], i);
		msgs[i].msg_hdr.msg_name = &dst;
		msgs[i].msg_hdr.msg_namelen = alen;
		msgs[i].msg_hdr.msg_iov = &iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	/* The batch is a multiple of ncodes: datagram k has code k % ncodes. */

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	start = now();
	if (seconds)
		deadline = start + seconds;
	while (!stop && (!count || sent < count)) {
		unsigned int n = batch - pos;
		int ret;

		if (count && n > count - sent)
			n = count - sent;
		ret = sendmmsg(fd, &msgs[pos], n, 0);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECONNREFUSED && errno != ENOBUFS &&
			    errno != EPERM && errno != EHOSTUNREACH &&
			    errno != ENETUNREACH && errno != EAGAIN) {
				perror("flood: sendmmsg");
				break;
			}
			errors++;
			ret = 1;	/* skip the datagram that failed */
		} else {
			sent += ret;
		}
		pos = (pos + ret) % batch;
		if (deadline && now() >= deadline)
			break;
		/* With -r, sleep until the datagrams sent are due. */
		ahead = rate ? start + (sent + errors) / rate - now() : 0;
		if (ahead > 0) {
			struct timespec ts = {
				.tv_sec = (time_t)ahead,
				.tv_nsec = (long)((ahead - (time_t)ahead) * 1e9),
			};

			nanosleep(&ts, NULL);
		}
	}
	if (errors)
		fprintf(stderr, "flood: %lu datagrams refused\n", errors);
	printf("%lu\n", sent);
	return 0;
}
