/* The collector (scanner + attribution, with their state) and the immutable snapshot it
 * builds on each refresh. The SNMP layer answers only from the current snapshot. */
#ifndef CVP_SNAPSHOT_H
#define CVP_SNAPSHOT_H

#include "cvp_eval.h"

enum cvp_scan_mode { CVP_SCAN_AUTO = 0, CVP_SCAN_NETLINK = 1, CVP_SCAN_PROCFS = 2 };

struct cvp_netlink;
struct cvp_owner_cache;

struct cvp_collector {
	const char *proc_root; /* "/proc", or a fixture tree */
	int mode;              /* enum cvp_scan_mode */
	int source;            /* enum cvp_source in use */
	int netlink_failed;    /* permanently: auto mode uses procfs from then on */
	int denied_logged;
	struct cvp_netlink *nl;
	struct cvp_owner_cache *owners;
	struct cvp_socket_list socks;          /* reused from scan to scan */
	uint64_t (*now_us)(void);              /* monotonic clock; tests give a fake one */
	void (*log)(int err, const char *msg); /* once-only notices; may be NULL */
};

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

uint64_t cvp_monotonic_us(void);

/* proc_root is kept by pointer. mode is enum cvp_scan_mode. */
int collector_init(struct cvp_collector *c, const char *proc_root, int mode);
void collector_free(struct cvp_collector *c);
/* One scan with attribution into c->socks (sorted). Returns 0, or -1 when no scanner works. */
int collector_scan(struct cvp_collector *c, struct cvp_scan_stats *st);

/* Builds the next snapshot: scans, evaluates, and carries cvpPortLastChange and the change
 * counter over from prev (which may be NULL). uptime_cs is the agent's sysUpTime in
 * centiseconds, for TimeStamp columns. Returns NULL only when out of memory. */
struct cvp_snapshot *snapshot_build(struct cvp_collector *c, const struct cvp_catalog *cat,
                                    const struct cvp_snapshot *prev, uint32_t uptime_cs);
void snapshot_free(struct cvp_snapshot *s);

#endif
