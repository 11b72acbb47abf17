/* The notifier: decides, from one snapshot to the next, which notifications to send. A row's
 * compliance change or an unexpected listener is announced once it has held for the hold-down
 * (consecutive scans), within a rate limit, and only while notifications can reach the master:
 * what is held while it is away is compared with what was last announced when it is back, so
 * the net change is sent once and a flap that came back to where it was sends nothing. Pure:
 * the caller gives the clocks and sends the events. */
#ifndef NOTIFY_H
#define NOTIFY_H

#include "snapshot.h"

#define NOTIFY_HOLDDOWN_DEFAULT 2
#define NOTIFY_HOLDDOWN_MAX 100
#define NOTIFY_RATE_COUNT_DEFAULT 20
#define NOTIFY_RATE_SECONDS_DEFAULT 10
#define NOTIFY_RATE_COUNT_MAX 10000
#define NOTIFY_RATE_SECONDS_MAX 86400

struct notify_config {
	unsigned holddown;     /* consecutive scans a new state must hold, 1..100 */
	unsigned rate_count;   /* at most this many notifications ... */
	unsigned rate_seconds; /* ... in any window of this many seconds */
	int on_start;          /* announce what is wrong at the first scan */
	int rows_only;         /* rows' compliance changes only, no listener's (another host's) */
};

/* A rate limit: at most cap sends in any window of seconds. Several notifiers may share one. */
struct notify_rate {
	uint64_t *sent_at; /* ring of the send times within the window */
	size_t cap, pos, n;
	unsigned seconds;
};

/* Returns 0, or -1 when out of memory (r unchanged). */
int notify_rate_init(struct notify_rate *r, unsigned count, unsigned seconds)
    __attribute__((warn_unused_result));
void notify_rate_free(struct notify_rate *r);
/* Whether one more notification fits in the window ending now; if so it is counted. */
int notify_rate_allow(struct notify_rate *r, uint64_t now_us);

/* The values of enum cvp_notification are the notifications' subidentifiers in the MIB. */
enum cvp_notification {
	NOTIFY_COMPLIANCE_CHANGE = 1,
	NOTIFY_UNEXPECTED_LISTENER = 2,
	NOTIFY_UNEXPECTED_LISTENER_GONE = 3,
};

struct notify_event {
	uint8_t kind;                 /* enum cvp_notification */
	uint32_t row;                 /* compliance change: catalogue position */
	struct cvp_listener listener; /* listener notifications: index and last-known values */
};

/* The counters the MIB publishes; they survive reloads. */
struct notify_counters {
	uint32_t sent, suppressed, compliance_changes;
	uint32_t since; /* TimeStamp of the first step: the counters started from zero then */
};

struct notifier;

struct notifier *notify_new(const struct notify_config *cfg) __attribute__((warn_unused_result));
void notify_free(struct notifier *n);
/* A reload: the new settings apply from the next step; state and counters are kept. */
void notify_configure(struct notifier *n, const struct notify_config *cfg);
void notify_config_default(struct notify_config *cfg);
/* n's notifications count against r (NULL: its own limit again), which must outlive n's use. */
void notify_share_rate(struct notifier *n, struct notify_rate *r);

/* Takes the next snapshot (before it is published) and returns in *ev the notifications to send
 * now (valid until the next call).
 * session_up: notifications reach the master now; now_us: a monotonic clock; uptime_cs: the
 * master's sysUpTime, for TimeStamps. Returns 0, or -1 when out of memory (nothing is lost:
 * the same changes are found again at the next step). */
int notify_step(struct notifier *n, const struct cvp_snapshot *s, int session_up, uint64_t now_us,
                uint32_t uptime_cs, const struct notify_event **ev, size_t *nev);

/* What the MIB publishes of the notifier, as of its last step (n may be NULL: nothing is
 * decided, all zero): the TimeStamp of the last announced transition of catalogue row pos (0:
 * none, or before the master's restart), and the counters. */
uint32_t notify_row_last_change(const struct notifier *n, size_t pos);
struct notify_counters notify_counters(const struct notifier *n);
/* When listener l's finding began (the TimeStamp of the step that first saw it), or 0. */
uint32_t notify_finding_since(const struct notifier *n, const struct cvp_listener *l);

/* The master's clock restarted: every TimeStamp recorded before (the rows' last changes, the
 * counters' start) reads 0 from now on. */
void notify_clock_reset(struct notifier *n);

/* How many notifications went over the rate limit in the interval that has just ended (once
 * per interval, then 0), for one summary log line. */
unsigned notify_take_suppressed_summary(struct notifier *n, uint64_t now_us);

#endif
