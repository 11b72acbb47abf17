/* The refresh core in net-snmp's main loop: alarms, the builder's descriptor, the log. */
#include "refresh.h"
#include "monotonic.h"

#include <errno.h>
#include <string.h>

#define START_RETRY_SECONDS 1

static void io_log(void *arg, int err, const char *msg)
{
	(void)arg;
	snmp_log(err ? LOG_WARNING : LOG_INFO, "cvpportd: %s\n", msg);
}

static void io_debug(void *arg, const char *msg)
{
	(void)arg;
	DEBUGMSGTL(("cvpportd", "%s\n", msg));
}

static void io_publish(void *arg, const struct cvp_snapshot *s)
{
	struct refresh *r = arg;
	r->ctx->snapshot = s;
	r->ctx->notifier = s ? r->core.notifier : NULL;
	if (s && s->stats.helper_gone && r->helper_gone && !r->helper_gone_told) {
		r->helper_gone_told = 1;
		r->helper_gone(r->helper_gone_arg);
	}
}

static void io_send(void *arg, const struct notify_event *ev, size_t n,
                    const struct cvp_snapshot *s)
{
	(void)arg;
	traps_send(ev, n, s);
}

static uint32_t io_uptime_cs(void *arg)
{
	(void)arg;
	return (uint32_t)netsnmp_get_agent_uptime();
}

static int io_session_up(void *arg)
{
	const struct refresh *r = arg;
	return r->traps && r->traps->session_up;
}

void refresh_init(struct refresh *r, struct mib_context *ctx, const struct traps *traps)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->traps = traps;
}

static void on_ready(int fd, void *arg)
{
	struct refresh *r = arg;
	(void)fd;
	refresh_core_ready(&r->core);
}

static void start_thread(unsigned int reg, void *arg)
{
	struct refresh *r = arg;
	(void)reg;

	r->start_alarm = 0;
	if (builder_start(r->core.builder) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot start the refresh thread (%s); retrying\n",
		         strerror(errno));
		r->start_alarm = snmp_alarm_register(START_RETRY_SECONDS, 0, start_thread, r);
		return;
	}
	register_readfd(builder_fd(r->core.builder), on_ready, r);
	r->fd_registered = 1;
}

void refresh_session_up(void *arg)
{
	struct refresh *r = arg;
	if (r->core.builder && builder_running(r->core.builder))
		builder_kick(r->core.builder);
}

int refresh_configure(struct refresh *r, struct cvp_settings *s, int agent)
{
	if (!r->core.builder) {
		const struct refresh_io io = {
		    .log = io_log,
		    .debug = io_debug,
		    .publish = io_publish,
		    .send = io_send,
		    .uptime_cs = io_uptime_cs,
		    .session_up = io_session_up,
		    .now_us = monotonic_us,
		    .arg = r,
		};
		struct builder *b = builder_new("/proc", NULL);
		if (!b) {
			snmp_log(LOG_ERR, "cvpportd: out of memory starting the collector\n");
			return -1;
		}
		if (r->helper)
			builder_use_helper(b, r->helper);
		refresh_core_init(&r->core, b, &io);
	}
	if (refresh_core_configure(&r->core, s, r->traps != NULL) < 0)
		return -1;
	if (agent && !r->agent) {
		r->agent = 1;
		/* From the main loop: after snmpd, which may load this module, has forked. */
		r->start_alarm = snmp_alarm_register(0, 0, start_thread, r);
	}
	return 0;
}

void refresh_free(struct refresh *r)
{
	if (r->start_alarm)
		snmp_alarm_unregister(r->start_alarm);
	if (r->fd_registered)
		unregister_readfd(builder_fd(r->core.builder));
	if (r->core.builder)
		refresh_core_free(&r->core);
	memset(r, 0, sizeof(*r));
}
