// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl exporter": a small HTTP/1.1 server for Prometheus. One
 * thread, one connection at a time, each closed after one answer:
 *
 *   GET /metrics   200, what "stats -o prometheus" prints, read from the
 *                  kernel for each scrape; 503 with the error line when
 *                  the counters cannot be read (module not loaded)
 *   GET /          200, a page that links /metrics
 *   GET other      404
 *   other method   405 (HEAD is answered as GET, without the body)
 *
 * A request (line and header fields) must come whole within
 * REQ_TIMEOUT_MS and REQ_MAX bytes, else 408 or 431; a bad request line
 * gets 400. SIGINT and SIGTERM end the server, with exit status 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_LISTEN	"127.0.0.1:9498"
#define REQ_MAX		8192
#define REQ_TIMEOUT_MS	5000
#define TEXT_PLAIN	"text/plain; charset=utf-8"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

struct server {
	int fd;
	bool all;		/* list every known code */
	sigset_t waitmask;	/* the mask while waiting: SIGINT, SIGTERM open */
	struct prom *stats;
};

struct reply {
	int status;
	const char *reason;
	const char *type;
	const char *extra;	/* more header fields, "" or CRLF-ended */
	char *body;		/* free()d after sending */
	size_t len;
	bool head;		/* HEAD: no body */
};

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * Waits for @events on @fd until @deadline (now_ms()): 1 when ready, 0 at
 * the deadline, -1 when stopping or on error.
 */
static int wait_fd(struct server *srv, int fd, short events,
		   long long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	struct timespec ts;
	long long left;
	int n;

	for (;;) {
		if (stopping)
			return -1;
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = left % 1000 * 1000000;
		n = ppoll(&pfd, 1, &ts, &srv->waitmask);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* Sends all of @buf before @deadline; false when it could not. */
static bool send_all(struct server *srv, int fd, const char *buf, size_t len,
		     long long deadline)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n > 0) {
			buf += n;
			len -= n;
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(srv, fd, POLLOUT, deadline) <= 0)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

static void send_reply(struct server *srv, int fd, struct reply *r,
		       long long deadline)
{
	char head[512];
	int n;

	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\n"
		     "Content-Type: %s\r\n"
		     "Content-Length: %zu\r\n"
		     "%s"
		     "Connection: close\r\n"
		     "\r\n",
		     r->status, r->reason, r->type, r->len,
		     r->extra ? r->extra : "");
	if (n > 0 && (size_t)n < sizeof(head) &&
	    send_all(srv, fd, head, n, deadline) && !r->head)
		send_all(srv, fd, r->body, r->len, deadline);
	free(r->body);
	r->body = NULL;
}

/* A reply whose body is the text @body. */
static void set_reply(struct reply *r, int status, const char *reason,
		      const char *type, const char *body)
{
	r->status = status;
	r->reason = reason;
	r->type = type;
	r->body = strdup(body);
	r->len = r->body ? strlen(r->body) : 0;
}

static void error_reply(struct reply *r, int status, const char *reason)
{
	char body[128];

	snprintf(body, sizeof(body), "%d %s\n", status, reason);
	set_reply(r, status, reason, TEXT_PLAIN, body);
}

/* /metrics: the counters now, or 503 with the error line. */
static void metrics(struct server *srv, struct reply *r)
{
	struct sc_handle *h;
	char err[600], body_err[640], *body = NULL;
	size_t len = 0;
	FILE *f;
	int ret = -1;

	h = cli_open_msg("exporter", err, sizeof(err));
	if (h && (ret = prom_read(h, srv->stats)))
		cli_msg(err, sizeof(err), h, "exporter", ret);
	sc_close(h);
	if (ret) {
		/* In the log too, as every error. */
		cli_err("%s", err);
		snprintf(body_err, sizeof(body_err), "sipcodectl: %s\n", err);
		set_reply(r, 503, "Service Unavailable", TEXT_PLAIN, body_err);
		return;
	}
	f = open_memstream(&body, &len);
	if (!f) {
		error_reply(r, 500, "Internal Server Error");
		return;
	}
	prom_write(f, srv->stats, srv->all);
	if (fclose(f)) {
		free(body);
		error_reply(r, 500, "Internal Server Error");
		return;
	}
	r->status = 200;
	r->reason = "OK";
	r->type = PROM_CONTENT_TYPE;
	r->body = body;
	r->len = len;
}

static const char index_page[] =
	"<html><head><title>sipcode exporter</title></head><body>\n"
	"<h1>sipcode exporter</h1>\n"
	"<p>SIP responses per status code, counted by the sipcode kernel module.</p>\n"
	"<p><a href=\"/metrics\">Metrics</a></p>\n"
	"</body></html>\n";

/* Answers the request in @req (NUL-terminated, header fields included). */
static void route(struct server *srv, char *req, struct reply *r)
{
	char *method, *target, *version, *end;
	size_t i;

	req[strcspn(req, "\r\n")] = '\0';
	for (i = 0; req[i]; i++) {
		if ((unsigned char)req[i] < 0x20 || req[i] == 0x7f) {
			error_reply(r, 400, "Bad Request");
			return;
		}
	}
	method = req;
	target = strchr(method, ' ');
	version = target ? strchr(target + 1, ' ') : NULL;
	if (!version || strchr(version + 1, ' ') || method == target) {
		error_reply(r, 400, "Bad Request");
		return;
	}
	*target++ = '\0';
	*version++ = '\0';
	if (strncmp(version, "HTTP/1.", 7) || strlen(version) != 8 ||
	    version[7] < '0' || version[7] > '9' || target[0] != '/') {
		error_reply(r, 400, "Bad Request");
		return;
	}
	r->head = !strcmp(method, "HEAD");
	if (strcmp(method, "GET") && !r->head) {
		error_reply(r, 405, "Method Not Allowed");
		r->extra = "Allow: GET, HEAD\r\n";
		return;
	}
	end = target + strcspn(target, "?#");
	*end = '\0';
	if (!strcmp(target, "/metrics"))
		metrics(srv, r);
	else if (!strcmp(target, "/"))
		set_reply(r, 200, "OK", "text/html; charset=utf-8", index_page);
	else
		error_reply(r, 404, "Not Found");
}

/* Whether @buf (@len bytes) holds the end of the header fields. */
static bool header_end(const char *buf, size_t len)
{
	return memmem(buf, len, "\r\n\r\n", 4) || memmem(buf, len, "\n\n", 2);
}

/* One connection: reads one request, answers it, closes. */
static void serve(struct server *srv, int fd)
{
	long long deadline = now_ms() + REQ_TIMEOUT_MS;
	struct reply r = { 0 };
	char buf[REQ_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int w;

	for (;;) {
		n = recv(fd, buf + len, REQ_MAX - len, 0);
		if (n > 0) {
			len += n;
			if (header_end(buf, len))
				break;
			if (len == REQ_MAX) {
				error_reply(&r, 431,
					    "Request Header Fields Too Large");
				goto reply;
			}
			continue;
		}
		if (n == 0) {
			/* Closed: answer a request line that came whole. */
			if (memchr(buf, '\n', len))
				break;
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return;
		w = wait_fd(srv, fd, POLLIN, deadline);
		if (w < 0)
			return;
		if (!w) {
			error_reply(&r, 408, "Request Timeout");
			goto reply;
		}
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		error_reply(&r, 400, "Bad Request");
	else
		route(srv, buf, &r);
reply:
	send_reply(srv, fd, &r, now_ms() + REQ_TIMEOUT_MS);
	shutdown(fd, SHUT_WR);
	/* What is left unread would make close() reset the connection. */
	for (len = 0; len < 16 * REQ_MAX; len += n) {
		n = recv(fd, buf, REQ_MAX, 0);
		if (n <= 0)
			break;
	}
}

/*
 * "ADDR:PORT" or "[ADDR]:PORT" into @host (@hsize bytes) and @port;
 * false after an error line.
 */
static bool parse_listen(const char *spec, char *host, size_t hsize,
			 const char **port)
{
	const char *h = spec, *colon;
	size_t hlen;

	if (spec[0] == '[') {
		colon = strchr(spec, ']');
		if (!colon || colon[1] != ':')
			goto bad;
		h = spec + 1;
		hlen = colon - h;
		*port = colon + 2;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || memchr(spec, ':', colon - spec))
			goto bad;
		hlen = colon - spec;
		*port = colon + 1;
	}
	if (!hlen || hlen >= hsize || !**port || strlen(*port) > 5 ||
	    strspn(*port, "0123456789") != strlen(*port) ||
	    atoi(*port) < 1 || atoi(*port) > 65535)
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	return true;
bad:
	cli_err("exporter: invalid address \"%s\": ADDR:PORT or [ADDR]:PORT, port 1-65535",
		spec);
	return false;
}

/* A socket listening on @host @port; -1 after an error line. */
static int listen_on(const char *host, const char *port)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	};
	struct addrinfo *res = NULL, *ai;
	int fd = -1, one = 1, err, e = 0;

	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		cli_err("exporter: %s: %s", host, gai_strerror(err));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		/* Non-blocking: a connection gone before accept() blocks none. */
		fd = socket(ai->ai_family,
			    ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, ai->ai_addr, ai->ai_addrlen) && !listen(fd, 16))
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		cli_err("exporter: cannot listen on %s port %s: %s", host, port,
			strerror(e));
	return fd;
}

static int run(struct server *srv)
{
	struct pollfd pfd = { .fd = srv->fd, .events = POLLIN };
	int fd, n;

	while (!stopping) {
		n = ppoll(&pfd, 1, NULL, &srv->waitmask);
		if (n < 0 && errno != EINTR) {
			cli_err("exporter: poll: %s", strerror(errno));
			return EXIT_FAILURE;
		}
		if (n <= 0)
			continue;
		fd = accept4(srv->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			/* Out of files or memory: let them free up. */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				usleep(100000);
			continue;
		}
		serve(srv, fd);
		close(fd);
	}
	return EXIT_SUCCESS;
}

int exporter_main(int argc, char **argv, bool json)
{
	struct server srv = { .fd = -1 };
	const char *listen_spec = DEFAULT_LISTEN, *port;
	char host[256];
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;
	int i, ret;

	static const struct option o[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *word;

	while ((i = cli_next(argc, argv, "+:l:ajh", o, &word)) != -1) {
		if (i == 'h') {
			cli_usage("exporter");
			return EXIT_SUCCESS;
		}
		if (!i)
			cli_err("exporter: unexpected argument \"%s\"", word);
		if (!i || i == '?')
			return EXIT_USAGE;
		if (i == 'l')
			listen_spec = optarg;
		srv.all |= i == 'a';
		json |= i == 'j';
	}
	if (json) {
		cli_err("exporter: no JSON output: it serves the Prometheus format");
		return EXIT_USAGE;
	}
	if (!parse_listen(listen_spec, host, sizeof(host), &port))
		return EXIT_USAGE;
	srv.stats = calloc(1, sizeof(*srv.stats));
	if (!srv.stats) {
		cli_err("exporter: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	/*
	 * SIGINT and SIGTERM are taken only while waiting, in ppoll(), so
	 * that none is lost between a check of stopping and the wait.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &srv.waitmask);
	sigdelset(&srv.waitmask, SIGINT);
	sigdelset(&srv.waitmask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	srv.fd = listen_on(host, port);
	if (srv.fd < 0) {
		ret = EXIT_FAILURE;
		goto out;
	}
	ret = run(&srv);
	close(srv.fd);
out:
	free(srv.stats->m);
	free(srv.stats);
	return ret;
}
