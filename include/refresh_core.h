/* The refresh's decisions, without net-snmp: take what the builder hands over, keep the last
 * results when a scan failed, let the notifier decide, publish the snapshot and send what was
 * decided. Everything outside (the master's clock, logging, where snapshots are published and
 * how notifications are sent) comes through struct refresh_io, so a test drives it with a fake
 * clock and the builder on a fixture tree; refresh.c is the net-snmp adapter.
 *
 * Lifetimes: the settings in force are shared (config_model.h): the builder, the build in progress
 * and each snapshot hold a reference, so replacing them is one call, whatever is in flight. */
#ifndef REFRESH_CORE_H
#define REFRESH_CORE_H

#include "builder.h"
#include "notify.h"
#include "config_model.h"

struct refresh_io {
	/* A line for the log (err: a warning or error rather than information). */
	void (*log)(void *arg, int err, const char *msg);
	/* A line of debug output (-Dcvpportd); may be NULL. */
	void (*debug)(void *arg, const char *msg);
	/* s (or NULL) is what requests are answered from from now on. */
	void (*publish)(void *arg, const struct cvp_snapshot *s);
	/* Sends the events decided on s. */
	void (*send)(void *arg, const struct notify_event *ev, size_t n,
	             const struct cvp_snapshot *s);
	/* The master's sysUpTime (centiseconds), and whether notifications reach it now. */
	uint32_t (*uptime_cs)(void *arg);
	int (*session_up)(void *arg);
	uint64_t (*now_us)(void); /* a monotonic clock */
	void *arg;
};

struct refresh_core {
	struct builder *builder;
	unsigned gen; /* the builder's generation of the settings in force */
	struct cvp_snapshot *current;
	struct notifier *notifier; /* NULL: nothing is decided or sent */
	uint32_t last_uptime;      /* the master's sysUpTime at the last refresh */
	struct refresh_io io;
};

/* b: the builder, owned from now on. */
void refresh_core_init(struct refresh_core *r, struct builder *b, const struct refresh_io *io);
/* Takes the settings s from now on (a reference of its own). With notify, a notifier decides
 * notifications (made the first time; a reload keeps its state and counters). Until the
 * builder thread runs, a snapshot is built and published at once, on this thread. Returns 0,
 * or -1 when out of memory (then, before the thread runs, nothing is published). */
int refresh_core_configure(struct refresh_core *r, struct cvp_settings *s, int notify)
    __attribute__((warn_unused_result));
/* The builder's descriptor is readable: its notices are logged, and its snapshot, unless built
 * of replaced settings, is taken, decided on, published and its notifications sent. */
void refresh_core_ready(struct refresh_core *r);
/* Stops the builder; frees the snapshot in force and any not taken. */
void refresh_core_free(struct refresh_core *r);

#endif
