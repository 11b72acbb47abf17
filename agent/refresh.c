/* The refresh timer, the ownership of the current snapshot, and the notifications. */
#include "refresh.h"
#include "monotonic.h"

#include <string.h>

static void collector_notice(int err, const char *msg)
{
	snmp_log(err ? LOG_WARNING : LOG_INFO, "%s\n", msg);
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
		         "cvpportd: %u notification(s) over the rate limit (cvpTrapRateLimit) not "
		         "sent; see cvpPortNotificationsSuppressed\n",
		         over);
}

static int build_and_publish(struct refresh *r, const struct cvp_snapshot *prev)
{
	const struct notify_event *ev;
	size_t nev;
	struct cvp_snapshot *next = snapshot_build(&r->collector, r->cat, prev);
	if (!next) {
		snmp_log(LOG_ERR, "cvpportd: out of memory building a snapshot\n");
		return -1;
	}
	if (!next->scan_ok && (!r->current || r->current->scan_ok))
		snmp_log(LOG_ERR, "cvpportd: socket scan failed; keeping the last results\n");
	decide(r, next, &ev, &nev);
	DEBUGMSGTL(("cvpportd",
	            "refresh: %zu listeners, %u violations, %u us, %u malformed records skipped, "
	            "%u interrupted dumps retried, %zu notifications\n",
	            next->nlisteners, next->sum.violations, next->scan_us, next->stats.malformed,
	            next->stats.retries, nev));
	publish(r, next);
	traps_send(ev, nev, next);
	return 0;
}

int refresh_now(struct refresh *r)
{
	if (!r->cat || !r->collector_ready)
		return -1;
	return build_and_publish(r, r->current);
}

static void refresh_alarm(unsigned int reg, void *arg)
{
	struct refresh *r = arg;
	if (reg == r->soon)
		r->soon = 0;
	refresh_now(r);
}

void refresh_session_up(void *arg)
{
	struct refresh *r = arg;
	if (!r->soon)
		r->soon = snmp_alarm_register(0, 0, refresh_alarm, r);
}

int refresh_configure(struct refresh *r, const struct cvp_catalog *cat, int scan_mode,
                      unsigned seconds, const struct notify_config *notify, int agent)
{
	if (!r->collector_ready || scan_mode != r->scan_mode) {
		if (r->collector_ready)
			collector_free(&r->collector);
		r->collector_ready = 0;
		if (collector_init(&r->collector, "/proc", scan_mode) < 0) {
			snmp_log(LOG_ERR, "cvpportd: out of memory starting the collector\n");
			return -1;
		}
		r->collector.log = collector_notice;
		r->collector_ready = 1;
		r->scan_mode = scan_mode;
	}
	if (r->traps && !r->notifier) {
		if (!(r->notifier = notify_new(notify))) {
			snmp_log(LOG_ERR, "cvpportd: out of memory starting the notifier\n");
			return -1;
		}
		r->last_uptime = uptime_cs();
	} else if (r->notifier) {
		notify_configure(r->notifier, notify);
	}

	/* Snapshots of the old catalogue refer to it: replace the snapshot before the caller frees
	 * the catalogue. Counters carry over from the old one. */
	r->cat = cat;
	if (build_and_publish(r, r->current) < 0) {
		publish(r, NULL);
		return -1;
	}

	if (r->alarm && (!agent || r->seconds != seconds)) {
		snmp_alarm_unregister(r->alarm);
		r->alarm = 0;
	}
	r->seconds = seconds;
	if (agent && !r->alarm)
		r->alarm = snmp_alarm_register(seconds, SA_REPEAT, refresh_alarm, r);
	return 0;
}

void refresh_free(struct refresh *r)
{
	if (r->alarm)
		snmp_alarm_unregister(r->alarm);
	if (r->soon)
		snmp_alarm_unregister(r->soon);
	notify_free(r->notifier);
	if (r->ctx)
		r->ctx->snapshot = NULL;
	snapshot_free(r->current);
	if (r->collector_ready)
		collector_free(&r->collector);
	memset(r, 0, sizeof(*r));
}
