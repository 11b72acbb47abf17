/* The refresh: owns the collector and the current snapshot, builds a new snapshot on a timer,
 * and publishes it to the MIB handlers' context in one step. */
#ifndef REFRESH_H
#define REFRESH_H

#include "mib_table.h"

struct refresh {
	struct cvp_collector collector;
	int collector_ready, scan_mode;
	const struct cvp_catalog *cat; /* owned by the configuration */
	struct cvp_snapshot *current;
	struct mib_context *ctx; /* where the handlers read the snapshot */
	unsigned seconds, alarm;
};

void refresh_init(struct refresh *r, struct mib_context *ctx);
/* Takes a new configuration and builds a snapshot of it at once; with timer, refreshes every
 * `seconds` from then on. The previous catalogue may be freed when this returns. Returns 0, or
 * -1 when the collector or the snapshot cannot be made. */
int refresh_configure(struct refresh *r, const struct cvp_catalog *cat, int scan_mode,
                      unsigned seconds, int timer) __attribute__((warn_unused_result));
/* Builds a new snapshot now and publishes it. Returns 0, or -1 when out of memory. */
int refresh_now(struct refresh *r);
void refresh_free(struct refresh *r);

#endif
