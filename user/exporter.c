// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl exporter": the counters for Prometheus, served over HTTP by
 * libmicrohttpd, or written for node_exporter's textfile collector.
 *
 * HTTP: a thread per connection, so that a client that sends nothing
 * holds no other back; a connection idle for CONN_TIMEOUT_S is closed.
 *
 *   GET /metrics   200, what prom_write() writes, fetched at each scrape
 *                  (sipcode_up 0 when the counters cannot be read)
 *   GET /          200, a page that links /metrics
 *   GET other      404
 *   other method   405 (HEAD is answered as GET, without the body)
 *
 * Textfile (--textfile DIR): DIR/sipcode.prom is replaced atomically (a
 * temporary file in DIR, written, synced, renamed over it), once or every
 * --watch SECONDS.
 *
 * Both run until SIGINT or SIGTERM, then exit 0. The counters come from
 * one call, srv->fetch: the only tie to the rest of sipcodectl.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "capture.h"
#include "cli.h"
#include "exporter.h"
#include "prom.h"
#include "stats.h"

#define DEFAULT_LISTEN	"[::]:9498"
#define TEXTFILE_NAME	"sipcode.prom"
#define CONN_TIMEOUT_S	10
#define CONN_LIMIT	64
#define THREAD_STACK	(256 * 1024)
#define TEXT_PLAIN	"text/plain; charset=utf-8"

/*
 * Fills @s and @m as prom_read() does; 0, or -1 when the counters cannot
 * be read (the error reported by the callee). Called by one thread at a
 * time.
 */
typedef int (*exporter_fetch_fn)(struct stats *s, struct methods *m,
				 void *arg);

struct exporter {
	exporter_fetch_fn fetch;
	void *fetch_arg;
	pthread_mutex_t lock;	/* one fetch at a time, and s */
	struct stats *s;
};

/* Whether the last fetch from the kernel failed: its error is logged once. */
static bool kernel_down;

/*
 * The fetch of sipcodectl: prom_read() from the kernel, its error line
 * taken from stderr and logged when the counters become unreadable,
 * not at every scrape while they stay so.
 */
static int fetch_kernel(struct stats *s, struct methods *m, void *arg)
{
	struct capture c;
	char *err;
	int ret;

	(void)arg;
	if (capture_begin(&c, &stderr) < 0)
		return prom_read("exporter", s, m);
	ret = prom_read("exporter", s, m);
	err = capture_end(&c, NULL);
	if (ret < 0 && !kernel_down)
		cli_err("exporter: %s; sipcode_up 0 until they can",
			err ? capture_msg(err) : "cannot read the counters");
	kernel_down = ret < 0;
	free(err);
	return ret;
}

/*
 * The metrics text now, in *@buf (free() it) of *@len bytes. Returns 0,
 * or -1 when out of memory.
 */
static int render(struct exporter *e, char **buf, size_t *len)
{
	struct methods m = { 0 };
	FILE *f;
	int up;

	*buf = NULL;
	pthread_mutex_lock(&e->lock);
	up = e->fetch(e->s, &m, e->fetch_arg) == 0;
	f = open_memstream(buf, len);
	if (f) {
		prom_write(f, up ? e->s : NULL, true, up ? &m : NULL);
		if (fclose(f)) {
			free(*buf);
			*buf = NULL;
		}
	}
	pthread_mutex_unlock(&e->lock);
	free(m.m);
	return *buf ? 0 : -1;
}

/* --- HTTP ------------------------------------------------------------------ */

static const char index_page[] =
	"<html><head><title>sipcode exporter</title></head><body>\n"
	"<h1>sipcode exporter</h1>\n"
	"<p>SIP responses per status code, counted by the sipcode kernel module.</p>\n"
	"<p><a href=\"/metrics\">Metrics</a></p>\n"
	"</body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, const char *allow, char *body,
			     size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn,
				  unsigned int status, const char *allow,
				  const char *text)
{
	return reply(conn, status, TEXT_PLAIN, allow, (char *)text,
		     strlen(text), MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct exporter *e = cls;
	char *body;
	size_t len;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET, HEAD",
				  "405 Method Not Allowed\n");
	if (!strcmp(url, "/metrics")) {
		if (render(e, &body, &len) < 0)
			return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  NULL, "500 Internal Server Error\n");
		return reply(conn, MHD_HTTP_OK, PROM_CONTENT_TYPE, NULL, body,
			     len, MHD_RESPMEM_MUST_FREE);
	}
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", NULL,
			     (char *)index_page, sizeof(index_page) - 1,
			     MHD_RESPMEM_PERSISTENT);
	return reply_text(conn, MHD_HTTP_NOT_FOUND, NULL, "404 Not Found\n");
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	cli_err("exporter: %s", msg);
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

/*
 * Serves @e on @host @port until SIGINT or SIGTERM (blocked, in @sigs).
 * [::] listens on IPv4 too. Returns the exit code.
 */
static int serve_http(struct exporter *e, const char *host, const char *port,
		      const sigset_t *sigs)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	};
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
	struct sockaddr_storage sa;
	struct addrinfo *res = NULL;
	struct MHD_Daemon *d;
	char addr[NI_MAXHOST];
	int err, sig;

	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		cli_err("exporter: %s: %s", host, gai_strerror(err));
		return EXIT_FAILURE;
	}
	memcpy(&sa, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (sa.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&sa;

		flags |= IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr) ?
			 MHD_USE_DUAL_STACK : MHD_USE_IPv6;
	}
	d = MHD_start_daemon(flags, (uint16_t)atoi(port), NULL, NULL,
			     on_request, e,
			     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned int)CONN_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_LIMIT,
			     MHD_OPTION_THREAD_STACK_SIZE, (size_t)THREAD_STACK,
			     MHD_OPTION_END);
	if (!d) {
		cli_err("exporter: cannot listen on %s port %s", host, port);
		return EXIT_FAILURE;
	}
	if (getnameinfo((struct sockaddr *)&sa, sizeof(sa), addr, sizeof(addr),
			NULL, 0, NI_NUMERICHOST))
		snprintf(addr, sizeof(addr), "%s", host);
	printf(sa.ss_family == AF_INET6 ? "exporter: listening on [%s]:%s%s\n" :
	       "exporter: listening on %s:%s%s\n", addr, port,
	       flags & MHD_USE_DUAL_STACK & ~MHD_USE_IPv6 ? " (IPv6 and IPv4)" :
	       "");
	fflush(stdout);
	do {
		err = sigwait(sigs, &sig);
	} while (err == EINTR);
	MHD_stop_daemon(d);
	return EXIT_SUCCESS;
}

/* --- textfile -------------------------------------------------------------- */

/* Writes the metrics to @dir/sipcode.prom atomically; 0, or -1 after an error line. */
static int write_textfile(struct exporter *e, const char *dir)
{
	char *path = NULL, *tmp = NULL, *body = NULL;
	size_t len = 0, off = 0;
	int fd = -1, dfd, ret = -1;
	ssize_t n;

	if (asprintf(&path, "%s/" TEXTFILE_NAME, dir) < 0 ||
	    asprintf(&tmp, "%s/." TEXTFILE_NAME ".XXXXXX", dir) < 0) {
		path = tmp = NULL;
		goto nomem;
	}
	if (render(e, &body, &len) < 0)
		goto nomem;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		cli_err("exporter: %s: %s", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		n = write(fd, body + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += n;
	}
	/* Readable by node_exporter, as a file made under umask 022. */
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path)) {
		cli_err("exporter: cannot rename %s to %s: %s", tmp, path,
			strerror(errno));
		unlink(tmp);
		goto out;
	}
	/* The rename itself on disk. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	ret = 0;
	goto out;
fail:
	cli_err("exporter: %s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	goto out;
nomem:
	cli_err("exporter: %s", strerror(ENOMEM));
out:
	free(body);
	free(tmp);
	free(path);
	return ret;
}

/*
 * Writes the textfile once (@interval 0: returns its result), or every
 * @interval seconds until SIGINT or SIGTERM (blocked, in @sigs), going
 * on after a failed write.
 */
static int serve_textfile(struct exporter *e, const char *dir,
			  double interval, const sigset_t *sigs)
{
	struct timespec next, now, wait;
	int ret;

	ret = write_textfile(e, dir);
	if (!interval)
		return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_sec += (time_t)interval;
		next.tv_nsec += (long)((interval - (time_t)interval) * 1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			wait.tv_sec = next.tv_sec - now.tv_sec;
			wait.tv_nsec = next.tv_nsec - now.tv_nsec;
			if (wait.tv_nsec < 0) {
				wait.tv_sec--;
				wait.tv_nsec += 1000000000L;
			}
			if (wait.tv_sec < 0)
				break;
			if (sigtimedwait(sigs, NULL, &wait) >= 0)
				return EXIT_SUCCESS;
			if (errno == EAGAIN)
				break;
		}
		write_textfile(e, dir);
	}
}

static void usage(void)
{
	puts("Usage: sipcodectl exporter [-l|--listen ADDR:PORT] [-a|--all]\n"
	     "       sipcodectl exporter --textfile DIR [-w|--watch SECONDS]\n"
	     "Serve the counters of this network namespace to Prometheus over\n"
	     "HTTP: GET /metrics answers what stats -a -o prometheus prints,\n"
	     "read at each scrape, with sipcode_up 0 when they cannot be read.\n"
	     "Runs until SIGINT or SIGTERM. Or write them to DIR/" TEXTFILE_NAME "\n"
	     "for node_exporter's textfile collector, once or every SECONDS.\n"
	     "  -l, --listen ADDR:PORT  the address to listen on, [ADDR]:PORT\n"
	     "                          for IPv6 (default " DEFAULT_LISTEN ",\n"
	     "                          IPv6 and IPv4)\n"
	     "  -a, --all               accepted: every code of the table is listed\n"
	     "  --textfile DIR          write DIR/" TEXTFILE_NAME " instead of serving\n"
	     "  -w, --watch SECONDS     with --textfile, write it every SECONDS\n"
	     "  -h, --help              print this help");
}

int exporter_main(int argc, char **argv, bool json)
{
	struct exporter e = {
		.fetch = fetch_kernel,
		.lock = PTHREAD_MUTEX_INITIALIZER,
	};
	const char *listen_spec = NULL, *textfile = NULL, *port = NULL;
	double interval = 0;
	char host[256];
	sigset_t sigs;
	int i, ret;

	if (cli_help(argc, argv)) {
		usage();
		return EXIT_SUCCESS;
	}
	for (i = 0; i < argc; i++) {
		if (cli_opt(argv[i], "-l", "--listen")) {
			if (i + 1 == argc) {
				cli_err("exporter: %s needs ADDR:PORT", argv[i]);
				return EXIT_USAGE;
			}
			listen_spec = argv[++i];
		} else if (!strcmp(argv[i], "--textfile")) {
			if (i + 1 == argc || !argv[i + 1][0]) {
				cli_err("exporter: %s needs a directory", argv[i]);
				return EXIT_USAGE;
			}
			textfile = argv[++i];
		} else if (cli_opt(argv[i], "-w", "--watch")) {
			if (i + 1 == argc || !cli_seconds(argv[i + 1], &interval)) {
				cli_err("exporter: %s needs SECONDS, 0.1 to 86400",
					argv[i]);
				return EXIT_USAGE;
			}
			i++;
		} else if (cli_opt(argv[i], "-a", "--all")) {
			/* Always so now: kept for the command lines using it. */
		} else if (cli_opt(argv[i], "-j", "--json")) {
			json = true;
		} else {
			cli_unexpected("exporter", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (json) {
		cli_err("exporter: no JSON output: it serves the Prometheus format");
		return EXIT_USAGE;
	}
	if (textfile && listen_spec) {
		cli_err("exporter: --textfile writes a file: no --listen with it");
		return EXIT_USAGE;
	}
	if (interval && !textfile) {
		cli_err("exporter: --watch goes with --textfile");
		return EXIT_USAGE;
	}
	if (!textfile && !parse_listen(listen_spec ? listen_spec : DEFAULT_LISTEN,
				       host, sizeof(host), &port))
		return EXIT_USAGE;
	if (textfile) {
		struct stat st;

		if (stat(textfile, &st)) {
			cli_err("exporter: --textfile %s: %s", textfile,
				strerror(errno));
			return EXIT_USAGE;
		}
		if (!S_ISDIR(st.st_mode)) {
			cli_err("exporter: --textfile %s: not a directory",
				textfile);
			return EXIT_USAGE;
		}
	}
	e.s = calloc(1, sizeof(*e.s));
	if (!e.s) {
		cli_err("exporter: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	/*
	 * SIGINT and SIGTERM blocked in every thread (those of
	 * libmicrohttpd inherit the mask), taken by sigwait() here.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (textfile)
		ret = serve_textfile(&e, textfile, interval, &sigs);
	else
		ret = serve_http(&e, host, port, &sigs);
	free(e.s);
	return ret;
}
