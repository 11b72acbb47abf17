/* The refresh: the builder thread that makes snapshots, the notifier, and the current
 * snapshot. A snapshot the builder hands over is taken on the net-snmp thread, the notifier
 * decides what to announce, the snapshot is published to the MIB handlers' context in one
 * assignment, and the notifications are sent. Requests never wait for a scan. */
#ifndef REFRESH_H
#define REFRESH_H

#include "builder.h"
#include "mib_table.h"
#include "notify.h"
#include "settings.h"
#include "traps.h"

struct refresh {
	struct builder *builder;
	unsigned gen; /* the builder's generation of the settings in force */
	struct cvp_snapshot *current;
	struct mib_context *ctx;   /* where the handlers read the snapshot */
	struct notifier *notifier; /* NULL for --check: nothing is sent */
	const struct traps *traps; /* the way to the master; NULL for --check */
	uint32_t last_uptime;      /* the master's sysUpTime at the last refresh */
	unsigned start_alarm;      /* starts the builder thread from the main loop */
	int agent, fd_registered;
	struct privsep *helper; /* attribution in the helper process, or NULL */
	/* Replaced settings whose catalogue a snapshot or the build in progress may still use:
	 * freed once a snapshot of the settings in force is published. */
	struct cvp_settings **retired;
	size_t nretired;
};

/* traps: where notifications go (NULL: none are decided or sent). */
void refresh_init(struct refresh *r, struct mib_context *ctx, const struct traps *traps);
/* Takes new settings (which must outlive the snapshots of them: see refresh_retire). The
 * first time, and always without agent (--check), a snapshot is built at once on this thread;
 * with agent the builder thread starts from the main loop and builds every
 * s->refresh_seconds. A reload keeps the notifier's state and counters. Returns 0, or -1 when
 * out of memory. */
int refresh_configure(struct refresh *r, const struct cvp_settings *s, int agent)
    __attribute__((warn_unused_result));
/* Settings replaced by a later refresh_configure: freed (config_delete) as soon as nothing can
 * refer to their catalogue any more. */
void refresh_retire(struct refresh *r, struct cvp_settings *old);
/* A new AgentX session: refresh at once, so that what was held while the master was away is
 * sent now and TimeStamps follow its clock. (A traps on_session_up callback.) */
void refresh_session_up(void *r);
void refresh_free(struct refresh *r);

#endif
