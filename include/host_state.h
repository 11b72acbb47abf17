/* The remote hosts' state: what each cvpHost's last polls found, their verdicts (evaluated with
 * the catalogue and the host's roles), and the notifications they call for. Pure: the poller
 * (host_poller.h) does the SNMP and hands each poll's result here with the clocks; the MIB
 * reads the state. A host keeps its index while its name is configured; one that stops
 * answering keeps its last verdicts, marked stale, and is never judged on an empty table. */
#ifndef HOST_STATE_H
#define HOST_STATE_H

#include "notify.h"
#include "host_config.h"
#include "snapshot.h"

/* The values of enum host_event_kind are the notifications' subidentifiers in the MIB. */
enum host_event_kind {
	HOST_EVENT_COMPLIANCE_CHANGE = 4, /* cvpHostPortComplianceChange */
	HOST_EVENT_UNREACHABLE = 5,       /* cvpHostUnreachable */
	HOST_EVENT_REACHABLE = 6,         /* cvpHostReachable */
};

struct host_event {
	uint8_t kind; /* enum host_event_kind */
	size_t host;  /* position in hosts.v */
	uint32_t row; /* compliance change: catalogue position in the host's snapshot */
};

struct host_state {
	struct cvp_remote_host cfg;
	uint32_t index;             /* cvpHostIndex */
	unsigned interval;          /* seconds between polls */
	unsigned row_limit;         /* the rows a poll may read */
	void *peer;                 /* the poller's, for this host (host_state.h never reads it) */
	uint8_t polled;             /* a poll has ended (answered or not) */
	uint8_t reachable;          /* the last poll was answered */
	uint8_t source;             /* enum cvp_source of the last answer; 0 before any */
	uint32_t last_poll;         /* TimeStamp (the master's clock) of the last poll's end */
	uint32_t poll_ms;           /* how long the last poll took */
	uint32_t polls, failures;   /* polls ended, and those not answered */
	unsigned malformed;         /* rows of the last answer whose index did not decode */
	char error[128];            /* why the last poll failed; "" when it was answered */
	struct cvp_snapshot *snap;  /* verdicts of the last answer, or NULL */
	struct cvp_catalog *view;   /* snap's catalogue: the configuration's with the host's roles
	                             * and ignores (its ignores array is the view's own) */
	struct cvp_ignore *ignores; /* cvpHostIgnore: this host's alone */
	size_t nignores;
	struct notifier *notifier; /* the host's rows' compliance changes */
	/* cvpHostUnreachable/Reachable: decided as a row's change is (hold-down, rate limit) */
	uint8_t reach_known, reach_announced, reach_candidate, reach_due, reach_deferred;
	uint16_t reach_held;
	uint64_t reach_due_since;
};

struct host_states {
	struct host_state **v; /* in index order; each stays where it is allocated */
	size_t n;
	uint32_t next_index;
	struct notify_config ncfg;
	struct notify_rate rate;   /* one limit for every remote host's notifications */
	uint32_t last_uptime;      /* the master's clock at the last step, to see it restart */
	uint32_t sent, suppressed; /* reachability notifications (the rows' are the notifiers') */
	struct notify_counters retired; /* the notifiers' counts of hosts no longer configured */
	/* The MIB's positions: host i's rows start at row_start[i], its findings at
	 * finding_start[i]; [n] is the total (host_state_index_positions). */
	size_t *row_start, *finding_start;
	struct host_event *ev;
	size_t nev, capev;
};

void host_state_init(struct host_states *h);
/* Frees everything; release (may be NULL) is called with each host's peer first. */
void host_state_free(struct host_states *h, void (*release)(void *peer, void *arg), void *arg);

/* Takes the configured hosts: a host whose name stays keeps its index, state and verdicts
 * (and its peer, unless its address or options changed); the others are dropped (release is
 * called with their peer) or added. nc: the notification settings. Returns 0, or -1 when out
 * of memory (then nothing changed). */
int host_state_configure(struct host_states *h, const struct host_config *cfg,
                         const struct notify_config *nc, void (*release)(void *peer, void *arg),
                         void *arg) __attribute__((warn_unused_result));

/* What one poll ends with, and when (the clocks as notify_step takes them). */
struct host_poll_end {
	uint32_t poll_ms;
	uint64_t now_us;
	uint32_t uptime_cs;
	int session_up;
};

/* What a host's agent answered: its listeners and how to read them. */
struct host_answer {
	struct cvp_socket_list *socks; /* sorted and joined when evaluated */
	int source;                    /* enum cvp_source */
	unsigned malformed;            /* rows whose index did not decode */
	uint16_t eph_low, eph_high;    /* the host's ephemeral range (host_state_ephemeral_range) */
	const char *tables;            /* what was read (names, blank-separated), or NULL */
	const char *first_malformed;   /* the first row that did not decode, or NULL */
};

/* Host i answered a, judged with cat (kept alive by keep) and the host's roles:
 * host_state_view, host_state_evaluate and host_state_take in one. Returns 0, or -1 when out of
 * memory (the host then keeps what it had). The events to send are in h->ev until the next
 * call. */
int host_state_answered(struct host_states *h, size_t i, const struct cvp_catalog *cat,
                        struct refcount *keep, const struct host_answer *a,
                        const struct host_poll_end *end) __attribute__((warn_unused_result));
/* An answer in three steps, so that the costly one runs off the thread that answers requests:
 * host_state_view (that thread) is the catalogue as host i sees it: cat's rows (cat must outlive
 * the view and the snapshot), the host's roles and ignores; NULL when out of memory.
 * host_state_evaluate (any thread) sorts a's sockets, drops those listed twice, and judges them
 * with the view: a snapshot whose settings keep keeps alive, NULL when out of memory.
 * host_state_take (that thread again) makes view and snap host i's (both taken, freed even on
 * failure): 0, or -1 when out of memory. */
struct cvp_catalog *host_state_view(const struct host_states *h, size_t i,
                                    const struct cvp_catalog *cat);
void host_state_view_free(struct cvp_catalog *view);
struct cvp_snapshot *host_state_evaluate(const struct cvp_catalog *view, struct refcount *keep,
                                         const struct host_answer *a);
int host_state_take(struct host_states *h, size_t i, struct cvp_catalog *view,
                    struct cvp_snapshot *snap, const struct host_poll_end *end)
    __attribute__((warn_unused_result));
/* Host i did not answer (why: a reason a person can act on): unreachable, its verdicts kept
 * and stale. The events to send are in h->ev. */
void host_state_failed(struct host_states *h, size_t i, const char *why,
                       const struct host_poll_end *end);

/* The ephemeral range of a host whose agent describes it as descr (sysDescr; "" when not
 * known): Windows 2000, XP and 2003 (Windows Version 5.x) 1025-5000, later Windows
 * 49152-65535, Linux and every other 32768-60999. source (enum cvp_source) is not used: the
 * tables an agent serves do not tell the system. It decides only whether a row overlaps the
 * range, and whether a UDP listener in it is a client's. */
void host_state_ephemeral_range(const char *descr, int source, uint16_t *low, uint16_t *high);
/* Every remote host's notifications: sent, held back by the rate limit, compliance changes. */
struct notify_counters host_state_counters(const struct host_states *h);

/* The MIB's view of host i: its overall status (enum cvp_overall: unknown while it does not
 * answer) and whether its verdicts are from an earlier poll. */
int host_state_overall(const struct host_state *s);
int host_state_stale(const struct host_state *s);
/* The host and its row or finding at a MIB position (host_state_index_positions), or NULL. */
const struct host_state *host_state_at_row(const struct host_states *h, size_t pos, size_t *row);
const struct host_state *host_state_at_finding(const struct host_states *h, size_t pos,
                                               size_t *finding);

#endif
