/* The refresh: the builder's snapshots taken on the net-snmp thread, the notifications, and
 * the lifetime of the catalogues snapshots refer to. */
#include "refresh.h"
#include "config.h"
#include "monotonic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define START_RETRY_SECONDS 1

static void log_notice(void *arg, int err, const char *msg)
{
	(void)arg;
	snmp_log(err ? LOG_WARNING : LOG_INFO, "cvpportd: %s\n", msg);
}

static uint32_t uptime_cs(void)
{
	return (uint32_t)netsnmp_get_agent_uptime();
}

void refresh_init(struct refresh *r, struct mib_context *ctx, const struct traps *traps)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->traps = traps;
}

/* Makes next current: the handlers see it from the next request on, and the one it replaces
 * is freed (requests are answered on this thread, so none is reading it). */
static void publish(struct refresh *r, struct cvp_snapshot *next)
{
	struct cvp_snapshot *old = r->current;
	r->current = next;
	r->ctx->snapshot = next;
	snapshot_free(old);
}

/* The notifier's part of a refresh, on the snapshot before it is published. */
static void decide(struct refresh *r, struct cvp_snapshot *next, const struct notify_event **ev,
                   size_t *nev)
{
	uint64_t now = monotonic_us();
	uint32_t up = uptime_cs();

	*nev = 0;
	if (!r->notifier)
		return;
	/* The master's sysUpTime went back: it restarted, and TimeStamps of changes before its
	 * restart would lie in its future. */
	if (up < r->last_uptime) {
		notify_clock_reset(r->notifier);
		DEBUGMSGTL(("cvpportd", "the master restarted: TimeStamps reset\n"));
	}
	r->last_uptime = up;
	if (notify_step(r->notifier, next, r->traps->session_up, now, up, ev, nev) < 0)
		snmp_log(LOG_ERR, "cvpportd: out of memory deciding notifications; "
		                  "they are decided again at the next refresh\n");
	unsigned over = notify_take_suppressed_summary(r->notifier, now);
	if (over)
		snmp_log(LOG_WARNING,
		         "cvpportd: %u notification(s) held back by the rate limit "
		         "(cvpTrapRateLimit): each is sent, with the state then current, when the "
		         "limit allows; see cvpPortNotificationsSuppressed\n",
		         over);
}

/* A snapshot of the settings in force: the last results kept if its scan failed, the
 * notifications decided, published, sent. */
static void consume(struct refresh *r, struct cvp_snapshot *next)
{
	const struct notify_event *ev;
	size_t nev;

	if (!next->scan_ok && (!r->current || r->current->scan_ok))
		snmp_log(LOG_ERR, "cvpportd: socket scan failed; keeping the last results\n");
	if (snapshot_keep_results(next, r->current) < 0)
		snmp_log(LOG_ERR, "cvpportd: out of memory keeping the last results\n");
	decide(r, next, &ev, &nev);
	DEBUGMSGTL(("cvpportd",
	            "refresh: %zu listeners, %u violations, %u us, %u malformed records skipped, "
	            "%u interrupted dumps retried, %zu notifications\n",
	            next->nlisteners, next->sum.violations, next->scan_us, next->stats.malformed,
	            next->stats.retries, nev));
	publish(r, next);
	traps_send(ev, nev, next);
}

static void free_retired(struct refresh *r)
{
	for (size_t i = 0; i < r->nretired; i++)
		config_delete(r->retired[i]);
	free(r->retired);
	r->retired = NULL;
	r->nretired = 0;
}

/* The builder has a snapshot: taken, or dropped when built of replaced settings. */
static void on_ready(int fd, void *arg)
{
	struct refresh *r = arg;
	unsigned gen;
	(void)fd;

	builder_take_notices(r->builder, log_notice, NULL);
	struct cvp_snapshot *next = builder_take(r->builder, &gen);
	if (!next)
		return;
	if (gen != r->gen) {
		snapshot_free(next);
		return;
	}
	/* The builder has moved on to the settings in force: no build uses a replaced catalogue
	 * any more, and the snapshot published next refers to none either. */
	consume(r, next);
	free_retired(r);
}

static void start_thread(unsigned int reg, void *arg)
{
	struct refresh *r = arg;
	(void)reg;

	r->start_alarm = 0;
	if (builder_start(r->builder) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot start the refresh thread (%s); retrying\n",
		         strerror(errno));
		r->start_alarm = snmp_alarm_register(START_RETRY_SECONDS, 0, start_thread, r);
		return;
	}
	register_readfd(builder_fd(r->builder), on_ready, r);
	r->fd_registered = 1;
}

void refresh_session_up(void *arg)
{
	struct refresh *r = arg;
	if (r->builder && builder_running(r->builder))
		builder_kick(r->builder);
}

int refresh_configure(struct refresh *r, const struct cvp_settings *s, int agent)
{
	if (!r->builder && (r->builder = builder_new("/proc", NULL)) && r->helper)
		builder_use_helper(r->builder, r->helper);
	if (!r->builder) {
		snmp_log(LOG_ERR, "cvpportd: out of memory starting the collector\n");
		return -1;
	}
	if (r->traps && !r->notifier) {
		if (!(r->notifier = notify_new(&s->notify))) {
			snmp_log(LOG_ERR, "cvpportd: out of memory starting the notifier\n");
			return -1;
		}
		r->last_uptime = uptime_cs();
	} else if (r->notifier) {
		notify_configure(r->notifier, &s->notify);
	}

	unsigned gen = builder_configure(r->builder, &s->cat, s->scan_mode, s->refresh_seconds);
	r->gen = gen;
	if (!builder_running(r->builder)) {
		/* Before the thread runs (start-up, --check): built here, before any request. */
		struct cvp_snapshot *next = builder_build_now(r->builder);
		builder_take_notices(r->builder, log_notice, NULL);
		if (!next) {
			publish(r, NULL); /* it may refer to the catalogue about to be replaced */
			return -1;
		}
		consume(r, next);
	}
	if (agent && !r->agent) {
		r->agent = 1;
		/* From the main loop: after snmpd, which may load this module, has forked. */
		r->start_alarm = snmp_alarm_register(0, 0, start_thread, r);
	}
	return 0;
}

void refresh_retire(struct refresh *r, struct cvp_settings *old)
{
	if (!old)
		return;
	if (!r->builder || !builder_running(r->builder)) {
		config_delete(old); /* configure built and published a snapshot of the new ones */
		return;
	}
	struct cvp_settings **v = realloc(r->retired, (r->nretired + 1) * sizeof(*v));
	if (!v) {
		/* Out of memory: leaking one configuration beats freeing one still in use. */
		snmp_log(LOG_ERR, "cvpportd: out of memory retiring the previous configuration\n");
		return;
	}
	r->retired = v;
	r->retired[r->nretired++] = old;
}

void refresh_free(struct refresh *r)
{
	if (r->start_alarm)
		snmp_alarm_unregister(r->start_alarm);
	if (r->fd_registered)
		unregister_readfd(builder_fd(r->builder));
	builder_free(r->builder); /* joins the thread: nothing uses a catalogue after this */
	notify_free(r->notifier);
	if (r->ctx)
		r->ctx->snapshot = NULL;
	snapshot_free(r->current);
	free_retired(r);
	memset(r, 0, sizeof(*r));
}
