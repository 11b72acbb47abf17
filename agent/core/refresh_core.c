/* The refresh's decisions: take, keep results, decide, publish, send. */
#include "refresh_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void refresh_core_init(struct refresh_core *r, struct builder *b, const struct refresh_io *io)
{
	memset(r, 0, sizeof(*r));
	r->builder = b;
	r->io = *io;
}

__attribute__((format(printf, 3, 4))) static void say(struct refresh_core *r, int err,
                                                      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->io.log(r->io.arg, err, msg);
}

__attribute__((format(printf, 2, 3))) static void debug(struct refresh_core *r, const char *fmt,
                                                        ...)
{
	char msg[512];
	va_list ap;
	if (!r->io.debug)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->io.debug(r->io.arg, msg);
}

/* Makes next current: requests see it from the next one on, and the one it replaces is freed
 * (requests are answered on the caller's thread, so none is reading it). */
static void publish(struct refresh_core *r, struct cvp_snapshot *next)
{
	struct cvp_snapshot *old = r->current;
	r->current = next;
	r->io.publish(r->io.arg, next);
	snapshot_free(old);
}

/* The notifier's part of a refresh, on the snapshot before it is published. */
static void decide(struct refresh_core *r, struct cvp_snapshot *next,
                   const struct notify_event **ev, size_t *nev)
{
	*nev = 0;
	if (!r->notifier)
		return;
	uint64_t now = r->io.now_us();
	uint32_t up = r->io.uptime_cs(r->io.arg);
	/* The master's sysUpTime went back: it restarted, and TimeStamps of changes before its
	 * restart would lie in its future. */
	if (up < r->last_uptime) {
		notify_clock_reset(r->notifier);
		debug(r, "the master restarted: TimeStamps reset");
	}
	r->last_uptime = up;
	if (notify_step(r->notifier, next, r->io.session_up(r->io.arg), now, up, ev, nev) < 0)
		say(r, 1,
		    "out of memory deciding notifications; they are decided again at the next "
		    "refresh");
	unsigned over = notify_take_suppressed_summary(r->notifier, now);
	if (over)
		say(r, 1,
		    "%u notification(s) held back by the rate limit (cvpTrapRateLimit): each is "
		    "sent, "
		    "with the state then current, when the limit allows; see "
		    "cvpPortNotificationsSuppressed",
		    over);
}

/* A snapshot of the settings in force: the last results kept if its scan failed, the
 * notifications decided, published, sent. */
static void consume(struct refresh_core *r, struct cvp_snapshot *next)
{
	const struct notify_event *ev;
	size_t nev;

	if (!next->scan_ok && (!r->current || r->current->scan_ok))
		say(r, 1, "socket scan failed; keeping the last results");
	if (snapshot_keep_results(next, r->current) < 0)
		say(r, 1, "out of memory keeping the last results");
	decide(r, next, &ev, &nev);
	debug(r,
	      "refresh: %zu listeners, %u violations, %u us, %u malformed records skipped, %u "
	      "interrupted dumps retried, %zu notifications",
	      next->nlisteners, next->sum.violations, next->scan_us, next->stats.malformed,
	      next->stats.retries, nev);
	publish(r, next);
	r->io.send(r->io.arg, ev, nev, next);
}

void refresh_core_ready(struct refresh_core *r)
{
	unsigned gen;

	builder_take_notices(r->builder, r->io.log, r->io.arg);
	struct cvp_snapshot *next = builder_take(r->builder, &gen);
	if (!next)
		return;
	if (gen != r->gen) {
		snapshot_free(next); /* built of settings replaced since */
		return;
	}
	consume(r, next);
}

int refresh_core_configure(struct refresh_core *r, struct cvp_settings *s, int notify)
{
	if (notify && !r->notifier) {
		if (!(r->notifier = notify_new(&s->notify))) {
			say(r, 1, "out of memory starting the notifier");
			return -1;
		}
		r->last_uptime = r->io.uptime_cs(r->io.arg);
	} else if (r->notifier) {
		notify_configure(r->notifier, &s->notify);
	}
	r->gen = builder_configure(r->builder, &s->cat, &s->ref, s->scan_mode, s->refresh_seconds);
	if (builder_running(r->builder))
		return 0;
	/* Before the thread runs (start-up, --check): built here, before any request. */
	struct cvp_snapshot *next = builder_build_now(r->builder);
	builder_take_notices(r->builder, r->io.log, r->io.arg);
	if (!next) {
		/* Not the rows of settings no longer in force, either. */
		publish(r, NULL);
		return -1;
	}
	consume(r, next);
	return 0;
}

void refresh_core_free(struct refresh_core *r)
{
	builder_free(r->builder); /* joins the thread; a snapshot not taken is freed */
	notify_free(r->notifier);
	if (r->current)
		r->io.publish(r->io.arg, NULL);
	snapshot_free(r->current);
	memset(r, 0, sizeof(*r));
}
