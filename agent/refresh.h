/* The refresh: owns the collector, the notifier and the current snapshot; builds a new
 * snapshot on a timer, lets the notifier decide what to announce, publishes the snapshot to the
 * MIB handlers' context in one step, and sends the notifications. */
#ifndef REFRESH_H
#define REFRESH_H

#include "mib_table.h"
#include "notify.h"
#include "traps.h"

struct refresh {
	struct cvp_collector collector;
	int collector_ready, scan_mode;
	const struct cvp_catalog *cat; /* owned by the configuration */
	struct cvp_snapshot *current;
	struct mib_context *ctx;   /* where the handlers read the snapshot */
	struct notifier *notifier; /* NULL for --check: nothing is sent */
	const struct traps *traps; /* the way to the master; NULL for --check */
	uint32_t last_uptime;      /* the master's sysUpTime at the last refresh */
	unsigned seconds, alarm, soon;
};

/* traps: where notifications go (NULL: none are decided or sent). */
void refresh_init(struct refresh *r, struct mib_context *ctx, const struct traps *traps);
/* Takes a new configuration and builds a snapshot of it at once. With agent set, refreshes
 * every `seconds` from then on; notifications follow `notify`.
 * A reload keeps the notifier's state and counters. The previous catalogue may be freed when
 * this returns. Returns 0, or -1 when the collector or the snapshot cannot be made. */
int refresh_configure(struct refresh *r, const struct cvp_catalog *cat, int scan_mode,
                      unsigned seconds, const struct notify_config *notify, int agent)
    __attribute__((warn_unused_result));
/* Builds a new snapshot now, publishes it and sends what the notifier decided. Returns 0, or
 * -1 when out of memory. */
int refresh_now(struct refresh *r);
/* A new AgentX session: refresh at once, so that what was held while the master was away is
 * sent now and TimeStamps follow its clock. (A traps on_session_up callback.) */
void refresh_session_up(void *r);
void refresh_free(struct refresh *r);

#endif
