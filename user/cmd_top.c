// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl top": the rates of stats -w, drawn in place on a terminal
 * every interval: the total, a line per class, then the codes seen in
 * the last 60 intervals, the fastest first, as many as the height holds;
 * each line with a sparkline of its last 60 rates, as many as the width
 * holds. q or Ctrl-C quits.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "codes.h"

#define NSAMPLES	60
/* A sample's rates: the codes by index, then the classes 1xx to 6xx. */
#define NROWS		(SIPCODE_NCODES + SC_CLASS_MAX + 1)
/* "CODE RATE/s  TOTAL ": the columns before the sparkline. */
#define LEFT		19

struct top {
	struct sc_handle *h;
	struct sc_stats s[2];		/* the read before, the last one */
	double hist[NSAMPLES][NROWS];	/* by sample number % NSAMPLES */
	uint64_t total[NROWS];
	unsigned long n;		/* the samples of rates taken */
	unsigned short order[SIPCODE_NCODES];
	double secs;
	bool utf8;
	int cols, lines, y;		/* the screen's size, the lines drawn */
};

/* Reads the counters; after @dt seconds, a sample of rates since the last. */
static int sample(struct top *t, double dt)
{
	double *r = t->hist[t->n % NSAMPLES];
	unsigned int i, c;
	int err = sc_stats_get(t->h, &t->s[1]);

	if (err)
		return err;
	if (dt)
		stats_rates(&t->s[0], &t->s[1], dt, r);
	memset(r + SIPCODE_NCODES, 0, (NROWS - SIPCODE_NCODES) * sizeof(*r));
	memset(t->total, 0, sizeof(t->total));
	for (i = 0; i < SIPCODE_NCODES; i++) {
		c = SIPCODE_NCODES + (i + SIPCODE_CODE_MIN) / 100;
		t->total[i] = t->s[1].code[i].seen;
		t->total[c] += t->total[i];
		r[c] += r[i];
	}
	t->s[0] = t->s[1];
	t->n += dt > 0;
	return 0;
}

/* The last rate of line @r. */
static double now(const struct top *t, unsigned int r)
{
	return t->hist[(t->n + NSAMPLES - 1) % NSAMPLES][r];
}

/* The fastest first, then ascending. */
static int by_rate(const void *a, const void *b, void *arg)
{
	unsigned int x = *(const unsigned short *)a;
	unsigned int y = *(const unsigned short *)b;

	if (now(arg, x) != now(arg, y))
		return now(arg, x) < now(arg, y) ? 1 : -1;
	return x < y ? -1 : 1;
}

/* @v in 6 columns at most: 9999.9 (with @frac), 99999, then 123.4k... */
static const char *num(double v, bool frac, char *buf)
{
	const char *unit = " kMGTPE";

	if (v < (frac ? 9999.95 : 99999.5)) {
		snprintf(buf, 16, frac ? "%.1f" : "%.0f", v);
		return buf;
	}
	for (; v >= 999.95 && unit[1]; unit++)
		v /= 1000;
	snprintf(buf, 16, "%.1f%c", v, *unit);
	return buf;
}

/* The last @w rates of line @r, oldest first, scaled to the largest. */
static const char *spark(const struct top *t, unsigned int r, int w, char *buf)
{
	long j, n = t->n;
	double max = 0, v;
	char *p = buf;
	int lvl;

	for (j = n - w; j < n; j++)
		if (j >= 0 && t->hist[j % NSAMPLES][r] > max)
			max = t->hist[j % NSAMPLES][r];
	for (j = n - w; j < n; j++) {
		v = j >= 0 ? t->hist[j % NSAMPLES][r] : 0;
		lvl = v > 0 ? (int)(v / max * (t->utf8 ? 8 : 7) - 1e-6) : -1;
		if (lvl < 0) {
			*p++ = ' ';
		} else if (t->utf8) {	/* U+2581 to U+2588 */
			*p++ = '\xe2';
			*p++ = '\x96';
			*p++ = '\x81' + lvl;
		} else {
			*p++ = ".:-=+*#"[lvl];
		}
	}
	*p = '\0';
	return buf;
}

/* A line of the screen, cut to its width; none past its height. */
static void __attribute__((format(printf, 2, 3)))
line(struct top *t, const char *fmt, ...)
{
	const char *p;
	char buf[1024];
	va_list ap;
	int col = 0;

	if (t->y >= t->lines)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A column a character: the bytes that start one in UTF-8. */
	for (p = buf; *p && (col < t->cols || (*p & 0xc0) == 0x80); p++)
		col += (*p & 0xc0) != 0x80;
	/* Erasing from the last column would erase its character. */
	printf("%s%.*s%s", t->y++ ? "\r\n" : "", (int)(p - buf), buf,
	       col < t->cols ? "\033[K" : "");
}

static void row(struct top *t, const char *label, unsigned int r, int w,
		const char *name)
{
	char rb[16], tb[16], sp[NSAMPLES * 3 + 1];

	line(t, "%-4s %6s %6s %s %s", label,
	     t->n ? num(now(t, r), true, rb) : "-", num(t->total[r], false, tb),
	     spark(t, r, w, sp), name ? name : "");
}

static void draw(struct top *t)
{
	const struct sip_code_info *ci;
	char when[32] = "", buf[64];
	unsigned int i, c, k, n = 0;
	struct winsize ws;
	double total = 0;
	struct tm tm;
	time_t tnow;
	int w;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_col || !ws.ws_row) {
		ws.ws_col = 80;
		ws.ws_row = 24;
	}
	t->cols = ws.ws_col;
	t->lines = ws.ws_row;
	t->y = 0;
	w = t->cols < LEFT ? 0 : t->cols - LEFT;
	w = w < NSAMPLES ? w : NSAMPLES;
	for (c = SC_CLASS_MIN; c <= SC_CLASS_MAX; c++)
		total += t->n ? now(t, SIPCODE_NCODES + c) : 0;
	tnow = time(NULL);
	if (localtime_r(&tnow, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fputs("\033[H", stdout);
	line(t, "sipcode %s  %s  %s responses/s  every %g s  q quits",
	     t->s[0].inactive ? "inactive (namespace not inspected)" : "active",
	     when, t->n ? num(total, true, buf) : "-", t->secs);
	line(t, "%-4s %6s %6s LAST %g s", "", "RATE/s", "TOTAL", w * t->secs);
	for (c = SC_CLASS_MIN; c <= SC_CLASS_MAX; c++) {
		snprintf(buf, sizeof(buf), "%uxx", c);
		row(t, buf, SIPCODE_NCODES + c, w, sip_class_names[c]);
	}
	/* The codes seen in the last NSAMPLES rates. */
	for (i = 0; i < SIPCODE_NCODES; i++)
		for (k = 0; k < NSAMPLES && k < t->n; k++)
			if (t->hist[k][i] > 0) {
				t->order[n++] = i;
				break;
			}
	qsort_r(t->order, n, sizeof(t->order[0]), by_rate, t);
	k = t->lines - t->y > 1 ? t->lines - t->y - 1 : 0;
	line(t, "CODE  %u codes seen in the last %g s%s", n,
	     NSAMPLES * t->secs, n > k ? ", the fastest shown" : "");
	for (i = 0; i < n && i < k; i++) {
		snprintf(buf, sizeof(buf), "%u", t->order[i] + SIPCODE_CODE_MIN);
		ci = sip_code_lookup(t->order[i] + SIPCODE_CODE_MIN);
		row(t, buf, t->order[i], w, ci ? ci->reason : NULL);
	}
	/* Below the last line: nothing left of a taller screen before. */
	if (t->y < t->lines)
		fputs("\r\n\033[J", stdout);
}

/* Reads the keys typed: whether one quits (q, Ctrl-C), or input ended. */
static bool quit_key(void)
{
	char keys[64];
	ssize_t n = read(STDIN_FILENO, keys, sizeof(keys));

	return n < 0 ? errno != EINTR :
	       !n || memchr(keys, 'q', n) || memchr(keys, 3, n);
}

int top_main(int argc, char **argv, bool json)
{
	static const struct option o[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double secs = 1, next, last, tnow;
	struct termios tio, raw;
	struct top *t;
	const char *word;
	int c, err = 0, ret = EXIT_FAILURE;
	bool keys;

	while ((c = cli_next(argc, argv, "+:i:h", o, &word)) != -1) {
		if (c == 'h')
			return EXIT_HELP;
		if (!c)
			cli_err("top: unexpected argument \"%s\"", word);
		if (!c || c == '?' ||
		    (c == 'i' && !cli_seconds("top", "interval", optarg, &secs)))
			return EXIT_USAGE;
	}
	if (json) {
		cli_err("top: draws on a terminal: not with -j (see stats -j)");
		return EXIT_USAGE;
	}
	cli_signals();
	cli_winch();
	t = calloc(1, sizeof(*t));
	if (!t) {
		cli_err("top: %s", strerror(ENOMEM));
		return EXIT_FAILURE;
	}
	t->secs = secs;
	t->h = cli_open("top");
	if (!t->h || (err = sample(t, 0)))
		goto out;
	if (!isatty(STDOUT_FILENO)) {
		cli_err("top: standard output is not a terminal (see stats -w)");
		goto out;
	}
	last = cli_now();
	next = last + secs;
	setlocale(LC_CTYPE, "");
	t->utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	/* Each key as typed, not echoed; Ctrl-C is a key too. */
	keys = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &tio);
	if (keys) {
		raw = tio;
		raw.c_lflag &= ~(ICANON | ECHO | ISIG);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	}
	/* A frame a write; the alternate screen, no cursor. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	fputs("\033[?1049h\033[?25l", stdout);
	draw(t);
	/* Until q, Ctrl-C, SIGINT or SIGTERM; a write error: main() says it. */
	while (!fflush(stdout) && !ferror(stdout)) {
		c = cli_wait(keys ? STDIN_FILENO : -1, next);
		if (c < 0 || (c == 1 && quit_key()))
			break;
		tnow = cli_now();
		if (!c && (err = sample(t, tnow - last)))
			break;
		if (!c) {
			last = tnow;
			/* Keep the beat; after a slow read, from now. */
			next += secs;
			if (next < tnow)
				next = tnow + secs;
		}
		draw(t);
	}
	fputs("\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	if (keys)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &tio);
	ret = err ? EXIT_FAILURE : EXIT_SUCCESS;
out:
	if (err)
		cli_fail(t->h, "top", err);
	sc_close(t->h);
	free(t);
	return ret;
}
