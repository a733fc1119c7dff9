// SPDX-License-Identifier: GPL-2.0
/*
 * "sipcodectl stats -w": the stats table again and again, with the rate
 * of each code per second since the table before, measured on the
 * monotonic clock. On a terminal each table replaces the one before;
 * elsewhere the tables follow one another, a blank line between two.
 * SIGINT and SIGTERM end it, with exit status 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "stats.h"
#include "watch.h"

/* Moves the cursor home and clears the screen. */
#define CLEAR_SCREEN	"\033[H\033[2J"

/* Never called: the signals are blocked, and taken by sigtimedwait(). */
static void on_signal(int sig)
{
	(void)sig;
}

static double ts_sec(const struct timespec *t)
{
	return t->tv_sec + t->tv_nsec / 1e9;
}

static struct timespec ts_add(struct timespec t, double secs)
{
	long long ns = (long long)(secs * 1e9 + 0.5);

	t.tv_sec += ns / 1000000000;
	t.tv_nsec += ns % 1000000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* Seen per second between @prev and @cur, @dt seconds apart. */
static void rates(const struct stats *prev, const struct stats *cur,
		  double dt, double *rate)
{
	uint64_t a, b;
	unsigned int i;

	for (i = 0; i < SIPCODE_NCODES; i++) {
		if (!prev || dt <= 0) {
			rate[i] = -1;
			continue;
		}
		a = prev->code[i].seen;
		b = cur->code[i].seen;
		/* A reset in between: count from zero, as Prometheus does. */
		rate[i] = (b >= a ? b - a : b) / dt;
	}
}

static void header(double secs, bool all)
{
	char when[64] = "";
	struct tm tm;
	time_t now;

	now = time(NULL);
	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	printf("Every %gs: sipcodectl stats%s    %s\n\n", secs,
	       all ? " -a" : "", when);
}

/*
 * Waits until @deadline on the monotonic clock, or for SIGINT or SIGTERM
 * (blocked, in @set): returns true when one came.
 */
static bool wait_signal(const sigset_t *set, const struct timespec *deadline)
{
	struct timespec now, left;
	double d;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		d = ts_sec(deadline) - ts_sec(&now);
		if (d <= 0)
			return false;
		left.tv_sec = (time_t)d;
		left.tv_nsec = (long)((d - left.tv_sec) * 1e9);
		if (sigtimedwait(set, NULL, &left) >= 0)
			return true;
		if (errno != EAGAIN && errno != EINTR)
			return false;
	}
}

int watch_run(bool all, double secs, unsigned long count)
{
	struct stats *cur = NULL, *prev = NULL, *tmp;
	struct timespec t_cur, t_prev = { 0 }, next;
	bool tty = isatty(STDOUT_FILENO);
	struct sigaction sa = { .sa_handler = on_signal };
	double *rate = NULL;
	unsigned long n;
	sigset_t set;
	int ret = EXIT_FAILURE;

	/*
	 * The signals stay blocked to the end: sigtimedwait() takes them
	 * between two tables, and one that comes while a table is made
	 * waits for it.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* Not ignored (as in a background job), or they would not wait. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	cur = calloc(1, sizeof(*cur));
	prev = calloc(1, sizeof(*prev));
	rate = calloc(SIPCODE_NCODES, sizeof(*rate));
	if (!cur || !prev || !rate) {
		cli_err("stats: %s", strerror(ENOMEM));
		goto out;
	}
	/* One write per table: no flicker on a terminal. */
	if (tty)
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0;; n++) {
		if (stats_read("stats", cur) < 0)
			goto out;
		clock_gettime(CLOCK_MONOTONIC, &t_cur);
		rates(n ? prev : NULL, cur, ts_sec(&t_cur) - ts_sec(&t_prev),
		      rate);
		if (tty)
			fputs(CLEAR_SCREEN, stdout);
		else if (n)
			putchar('\n');
		header(secs, all);
		stats_print_table(cur, all, rate);
		if (fflush(stdout) || ferror(stdout)) {
			cli_err("write error: %s", strerror(errno));
			goto out;
		}
		if (count && n + 1 >= count)
			break;
		tmp = prev;
		prev = cur;
		cur = tmp;
		t_prev = t_cur;
		/* Keep the beat; after a slow dump, start again from now. */
		next = ts_add(next, secs);
		if (ts_sec(&next) < ts_sec(&t_cur))
			next = ts_add(t_cur, secs);
		if (wait_signal(&set, &next))
			break;
	}
	ret = EXIT_SUCCESS;
out:
	free(rate);
	free(prev);
	free(cur);
	return ret;
}
