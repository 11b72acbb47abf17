/* The snapshot builder thread and its mailbox. */
#include "builder.h"
#include "thread.h"
#include "monotonic.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct notice {
	int err;
	char msg[BUILDER_NOTICE_LEN];
};

struct builder {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop, kick;
	int pipe[2]; /* [0] readable while a snapshot waits */
	const char *proc_root;
	uint64_t (*now_us)(void);
	const struct cvp_attributor *helper; /* attribution in a helper process, or NULL: here */

	/* What to build, set by the consumer (under mu). */
	const struct cvp_catalog *cat;
	struct refcount *keep; /* the builder's reference to what keeps cat alive */
	int mode;
	unsigned seconds, gen;

	/* The thread's own (the consumer's before builder_start). */
	struct cvp_collector c;
	int c_ready, c_mode;
	struct cvp_snapshot last; /* header of the last snapshot built: its scalars only */
	int have_last;
	uint64_t next_at;

	/* The mailbox and the notices (under mu). */
	struct cvp_snapshot *ready;
	unsigned ready_gen;
	struct notice notices[BUILDER_NOTICES_MAX];
	unsigned nnotices, dropped;
};

static void queue_notice(void *arg, int err, const char *msg)
{
	struct builder *b = arg;
	pthread_mutex_lock(&b->mu);
	if (b->nnotices < BUILDER_NOTICES_MAX) {
		struct notice *n = &b->notices[b->nnotices++];
		n->err = err;
		snprintf(n->msg, sizeof(n->msg), "%s", msg);
	} else {
		b->dropped++;
	}
	pthread_mutex_unlock(&b->mu);
	if (write(b->pipe[1], "", 1) < 0) {
		/* EAGAIN: the consumer is woken already */
	}
}

struct builder *builder_new(const char *proc_root, uint64_t (*now_us)(void))
{
	struct builder *b = calloc(1, sizeof(*b));
	pthread_condattr_t ca;

	if (!b)
		return NULL;
	b->pipe[0] = b->pipe[1] = -1;
	b->now_us = now_us ? now_us : monotonic_us;
	if (pthread_condattr_init(&ca) != 0)
		goto fail_alloc;
	/* The cadence follows the monotonic clock, not the wall clock. */
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int cv = pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (cv != 0)
		goto fail_alloc;
	if (pthread_mutex_init(&b->mu, NULL) != 0)
		goto fail_cv;
	if (pipe2(b->pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		goto fail_mu;
	b->proc_root = proc_root;
	return b;
fail_mu:
	pthread_mutex_destroy(&b->mu);
fail_cv:
	pthread_cond_destroy(&b->cv);
fail_alloc:
	free(b);
	return NULL;
}

void builder_use_helper(struct builder *b, const struct cvp_attributor *helper)
{
	b->helper = helper;
	b->c.helper = helper;
}

void builder_free(struct builder *b)
{
	if (!b)
		return;
	if (b->running) {
		pthread_mutex_lock(&b->mu);
		b->stop = 1;
		pthread_cond_signal(&b->cv);
		pthread_mutex_unlock(&b->mu);
		pthread_join(b->thread, NULL);
	}
	snapshot_free(b->ready);
	refcount_put(b->keep);
	if (b->c_ready)
		collector_free(&b->c);
	close(b->pipe[0]);
	close(b->pipe[1]);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

unsigned builder_configure(struct builder *b, const struct cvp_catalog *cat, struct refcount *keep,
                           int scan_mode, unsigned seconds)
{
	refcount_get(keep);
	pthread_mutex_lock(&b->mu);
	struct refcount *old = b->keep;
	b->cat = cat;
	b->keep = keep;
	b->mode = scan_mode;
	b->seconds = seconds ? seconds : 1;
	if (++b->gen == 0)
		b->gen = 1; /* 0 is no generation */
	unsigned gen = b->gen;
	b->kick = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	refcount_put(old); /* a build in progress holds a reference of its own */
	return gen;
}

/* One build with the settings read under mu; the collector follows the scan mode. */
static struct cvp_snapshot *build(struct builder *b, const struct cvp_catalog *cat,
                                  struct refcount *keep, int mode)
{
	if (b->c_ready && b->c_mode != mode) {
		collector_free(&b->c);
		b->c_ready = 0;
	}
	if (!b->c_ready) {
		if (collector_init(&b->c, b->proc_root, mode) < 0) {
			collector_free(&b->c);
			queue_notice(b, 1, "out of memory starting the collector; retrying");
			return NULL;
		}
		b->c.now_us = b->now_us;
		b->c.helper = b->helper;
		b->c.log = queue_notice;
		b->c.log_arg = b;
		b->c_ready = 1;
		b->c_mode = mode;
	}
	struct cvp_snapshot *s = snapshot_build(&b->c, cat, keep, b->have_last ? &b->last : NULL);
	if (!s) {
		queue_notice(b, 1, "out of memory building a snapshot; retrying");
		return NULL;
	}
	snapshot_carry(&b->last, s);
	b->have_last = 1;
	return s;
}

struct cvp_snapshot *builder_build_now(struct builder *b)
{
	if (b->running || !b->cat)
		return NULL;
	return build(b, b->cat, b->keep, b->mode);
}

static void post(struct builder *b, struct cvp_snapshot *s, unsigned gen)
{
	struct cvp_snapshot *dropped;

	pthread_mutex_lock(&b->mu);
	dropped = b->ready; /* not taken in time: the newer one says more */
	b->ready = s;
	b->ready_gen = gen;
	pthread_mutex_unlock(&b->mu);
	snapshot_free(dropped);
	if (write(b->pipe[1], "", 1) < 0) {
		/* EAGAIN: the pipe already says a snapshot waits */
	}
}

/* Waits on the condition until the monotonic time at (the condition's clock). */
static void wait_until(struct builder *b, uint64_t at)
{
	struct timespec ts = monotonic_timespec(at);
	pthread_cond_timedwait(&b->cv, &b->mu, &ts);
}

static void *run(void *arg)
{
	struct builder *b = arg;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->stop && !b->kick && monotonic_us() < b->next_at)
			wait_until(b, b->next_at);
		if (b->stop)
			break;
		b->kick = 0;
		const struct cvp_catalog *cat = b->cat;
		struct refcount *keep = refcount_get(b->keep); /* the build's own */
		int mode = b->mode;
		unsigned gen = b->gen;
		uint64_t period = (uint64_t)b->seconds * 1000000u;
		pthread_mutex_unlock(&b->mu);

		uint64_t start = monotonic_us();
		struct cvp_snapshot *s = build(b, cat, keep, mode);
		refcount_put(keep);
		if (s)
			post(b, s, gen);
		uint64_t end = monotonic_us();

		pthread_mutex_lock(&b->mu);
		/* Builds start every `seconds`; one that overran its period is followed at once by
		 * the next, never by a burst catching up. */
		b->next_at = start + period > end ? start + period : end;
		if (!s && b->next_at < end + 1000000u)
			b->next_at = end + 1000000u; /* out of memory: not in a tight loop */
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int builder_start(struct builder *b)
{
	int rc;

	if (b->running)
		return 0;
	b->next_at = monotonic_us() + (uint64_t)(b->seconds ? b->seconds : 1) * 1000000u;
	rc = thread_start(&b->thread, run, b);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	b->running = 1;
	return 0;
}

int builder_running(const struct builder *b)
{
	return b->running;
}

void builder_kick(struct builder *b)
{
	pthread_mutex_lock(&b->mu);
	b->kick = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

int builder_fd(const struct builder *b)
{
	return b->pipe[0];
}

struct cvp_snapshot *builder_take(struct builder *b, unsigned *gen)
{
	char buf[64];
	struct cvp_snapshot *s;

	/* Drain first: a snapshot posted after this is announced by a byte of its own. */
	while (read(b->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&b->mu);
	s = b->ready;
	*gen = b->ready_gen;
	b->ready = NULL;
	pthread_mutex_unlock(&b->mu);
	return s;
}

void builder_take_notices(struct builder *b, void (*fn)(void *arg, int err, const char *msg),
                          void *arg)
{
	struct notice v[BUILDER_NOTICES_MAX];
	unsigned n, dropped;

	pthread_mutex_lock(&b->mu);
	n = b->nnotices;
	dropped = b->dropped;
	memcpy(v, b->notices, n * sizeof(*v));
	b->nnotices = b->dropped = 0;
	pthread_mutex_unlock(&b->mu);
	for (unsigned i = 0; i < n; i++)
		fn(arg, v[i].err, v[i].msg);
	if (dropped) {
		char msg[64];
		snprintf(msg, sizeof(msg), "%u more notice(s) dropped", dropped);
		fn(arg, 1, msg);
	}
}
