/* The snapshot: one refresh's immutable result (scan, attribution, evaluation). The SNMP
 * layer answers only from the current snapshot, which is replaced whole. What the notifier
 * remembers (TimeStamps, counters) is the notifier's, not the snapshot's. */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include "collector.h"
#include "evaluate.h"
#include "refcount.h"

struct cvp_snapshot {
	const struct cvp_catalog *cat;
	struct refcount *keep; /* a reference to what keeps cat alive (NULL: it lives for good) */
	struct cvp_row_result *rows; /* parallels cat->rows */
	size_t nrows;
	struct cvp_listener *listeners;
	size_t nlisteners;
	uint32_t *findings; /* positions in listeners of those with a finding, in index order */
	size_t nfindings;
	struct cvp_summary sum;
	struct cvp_scan_stats stats;
	uint64_t taken_us; /* monotonic time at which the scan completed */
	uint32_t scan_us;  /* duration of the last refresh (scan + attribution + evaluation) */
	uint32_t scan_count;
	uint16_t eph_low, eph_high;
	uint8_t source;   /* enum cvp_source */
	uint8_t scan_ok;  /* 0: the scan failed; rows are carried from the previous snapshot */
	const char *host; /* another host's (snapshot_of_sockets), kept by the caller; NULL: this */
	/* Another host's: the tables its agent answered with rows (names, blank-separated), and
	 * the first of its rows whose index did not decode (its OID; stats.malformed counts them).
	 */
	char remote_tables[96];
	char first_malformed[128];
};

/* Builds the next snapshot of cat, which keep keeps alive (the snapshot takes a reference to it
 * until it is freed): scans and evaluates. Of prev (which may be NULL) only the scalars
 * are read: the scan counter, the ephemeral range, the time of the last good scan; so prev may
 * be a copy of a snapshot's header whose arrays belong to another thread. A failed scan gives
 * rows as if nothing listened. TimeStamps and the notification counters are the notifier's.
 * Returns NULL only when out of memory. */
struct cvp_snapshot *snapshot_build(struct cvp_collector *c, const struct cvp_catalog *cat,
                                    struct refcount *keep, const struct cvp_snapshot *prev);
/* A snapshot of cat for sockets another scanner found (another host's, host_walk.h),
 * evaluated as snapshot_build evaluates a scan; source is enum cvp_source. NULL when out of
 * memory. */
struct cvp_snapshot *snapshot_of_sockets(const struct cvp_catalog *cat, struct refcount *keep,
                                         const struct cvp_socket_list *socks, uint16_t eph_low,
                                         uint16_t eph_high, int source);
/* When s's scan failed and cur is of the same catalogue: s takes cur's results (rows,
 * listeners, summary) with the overall status unknown. Returns 0, or -1 when out of memory (s
 * is unchanged). */
int snapshot_keep_results(struct cvp_snapshot *s, const struct cvp_snapshot *cur)
    __attribute__((warn_unused_result));
void snapshot_free(struct cvp_snapshot *s);
/* Makes to (a snapshot header of the caller's) what the next snapshot_build reads of from:
 * its scalars, and no pointer, so that it owns and shares nothing. */
void snapshot_carry(struct cvp_snapshot *to, const struct cvp_snapshot *from);

#endif
