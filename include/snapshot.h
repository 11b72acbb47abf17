/* The snapshot: one refresh's immutable result (scan, attribution, evaluation). The SNMP
 * layer answers only from the current snapshot, which is replaced whole. */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include "collector.h"
#include "evaluate.h"

struct cvp_snapshot {
	const struct cvp_catalog *cat;
	struct cvp_row_result *rows; /* parallels cat->rows */
	size_t nrows;
	struct cvp_listener *listeners;
	size_t nlisteners;
	struct cvp_summary sum;
	struct cvp_scan_stats stats;
	uint64_t taken_us; /* monotonic time at which the scan completed */
	uint32_t scan_us;  /* duration of the last refresh (scan + attribution + evaluation) */
	uint32_t scan_count;
	uint32_t compliance_changes;
	uint16_t eph_low, eph_high;
	uint8_t source;  /* enum cvp_source */
	uint8_t scan_ok; /* 0: the scan failed; rows are carried from the previous snapshot */
};

/* Builds the next snapshot: scans, evaluates, and carries cvpPortLastChange and the change
 * counter over from prev (which may be NULL). uptime_cs is the agent's sysUpTime in
 * centiseconds, for TimeStamp columns. Returns NULL only when out of memory. */
struct cvp_snapshot *snapshot_build(struct cvp_collector *c, const struct cvp_catalog *cat,
                                    const struct cvp_snapshot *prev, uint32_t uptime_cs);
void snapshot_free(struct cvp_snapshot *s);

#endif
