/* The refresh timer and the ownership of the current snapshot. */
#include "refresh.h"

#include <string.h>

static void collector_notice(int err, const char *msg)
{
	snmp_log(err ? LOG_WARNING : LOG_INFO, "%s\n", msg);
}

static uint32_t uptime_cs(void)
{
	return (uint32_t)netsnmp_get_agent_uptime();
}

void refresh_init(struct refresh *r, struct mib_context *ctx)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
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

int refresh_now(struct refresh *r)
{
	if (!r->cat || !r->collector_ready)
		return -1;
	struct cvp_snapshot *next = snapshot_build(&r->collector, r->cat, r->current, uptime_cs());
	if (!next) {
		snmp_log(LOG_ERR, "cvpportd: out of memory building a snapshot\n");
		return -1;
	}
	if (!next->scan_ok && (!r->current || r->current->scan_ok))
		snmp_log(LOG_ERR, "cvpportd: socket scan failed; keeping the last results\n");
	DEBUGMSGTL(("cvpportd",
	            "refresh: %zu listeners, %u violations, %u us, %u malformed records skipped, "
	            "%u interrupted dumps retried\n",
	            next->nlisteners, next->sum.violations, next->scan_us, next->stats.malformed,
	            next->stats.retries));
	publish(r, next);
	return 0;
}

static void refresh_alarm(unsigned int reg, void *arg)
{
	(void)reg;
	refresh_now(arg);
}

int refresh_configure(struct refresh *r, const struct cvp_catalog *cat, int scan_mode,
                      unsigned seconds, int timer)
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

	/* Snapshots of the old catalogue refer to it: replace the snapshot before the caller frees
	 * the catalogue. */
	r->cat = cat;
	struct cvp_snapshot *next = snapshot_build(&r->collector, cat, NULL, uptime_cs());
	if (!next) {
		snmp_log(LOG_ERR, "cvpportd: out of memory building a snapshot\n");
		publish(r, NULL);
		return -1;
	}
	publish(r, next);

	if (r->alarm && (!timer || r->seconds != seconds)) {
		snmp_alarm_unregister(r->alarm);
		r->alarm = 0;
	}
	r->seconds = seconds;
	if (timer && !r->alarm)
		r->alarm = snmp_alarm_register(seconds, SA_REPEAT, refresh_alarm, r);
	return 0;
}

void refresh_free(struct refresh *r)
{
	if (r->alarm)
		snmp_alarm_unregister(r->alarm);
	if (r->ctx)
		r->ctx->snapshot = NULL;
	snapshot_free(r->current);
	if (r->collector_ready)
		collector_free(&r->collector);
	memset(r, 0, sizeof(*r));
}
