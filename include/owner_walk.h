/* The /proc walk that finds new sockets' owners: /proc/PID/fd in ascending pid order (the
 * lowest pid other than 1 wins; pid 1, socket activation, only when no other process holds
 * the socket). It is budgeted in CPU time (a share of a core, with a burst) and resumes where
 * it stopped, so churn cannot make it cost more than that share; when it has gone past every
 * process it listed, it also visits those started since. A socket a complete walk did not find
 * is looked for again with back-off, and only taken as held by no process after
 * CVP_ATTR_KERNEL_AFTER complete walks that could look everywhere; a walk that ran short of
 * file descriptors or memory, met unreadable directories or a /proc that hides processes
 * (hidepid) concludes nothing. */
#ifndef CVP_OWNER_WALK_H
#define CVP_OWNER_WALK_H

#include "owner.h"

/* New UDP sockets start a walk at most this often (new TCP listeners always do). */
#define CVP_UDP_WALK_INTERVAL_US (30u * 1000000u)
/* Complete walks that must miss a socket before it is taken as held by no process. */
#define CVP_ATTR_KERNEL_AFTER 3
/* Back-off between walks looking for a socket not found: 1 s, doubling, at most this. */
#define CVP_ATTR_BACKOFF_MAX_US (60u * 1000000u)
/* A socket held by no process is a hypothesis, looked for again soon and then less often: first
 * after CVP_ATTR_KERNEL_RECHECK_FIRST_US (a holder that hopped from process to process while the
 * walks ran, and then settled, is found within seconds), doubling up to
 * CVP_ATTR_KERNEL_RECHECK_US. */
#define CVP_ATTR_KERNEL_RECHECK_FIRST_US (2u * 1000000u)
#define CVP_ATTR_KERNEL_RECHECK_US (300u * 1000000u)
/* Root's socket held by no process is taken as the kernel's only once it has been concluded held
 * by none this many times (after 2 + 4 + 8 + 16 s of looking again, half a minute): until then its
 * holder is not known (counted unattributed; an owner rule's verdict is unknown). */
#define CVP_ATTR_KERNEL_SETTLED 5
/* The walk's budget: CPU time per second of wall time (5% of a core), and at most in hand
 * (also at start, so that a host's first walk is usually done at once). */
#define CVP_ATTR_WALK_US_PER_S 50000
#define CVP_ATTR_WALK_BURST_US 250000
/* Passes over processes started while a walk ran. */
#define CVP_ATTR_TAIL_PASSES 2

struct owner_walk {
	/* The walk in progress: the pids listed when it started and how far it got. */
	uint32_t *pids;
	size_t npids, pos;
	int walking;
	int inconclusive; /* met EMFILE, ENOMEM, unreadable directories or hidden processes */
	int walked;       /* a walk has started once */
	uint64_t last_walk_us;
	unsigned tails; /* passes over processes started since the walk began */

	/* The budget. */
	unsigned rate, burst;
	int64_t units; /* CPU microseconds in hand */
	uint64_t units_at;
	int units_init;
	uint64_t (*cpu_us)(void);
};

/* What one refresh of the walk did. */
struct owner_walk_stats {
	unsigned walks;     /* walk slices run (0 or 1) */
	unsigned walk_done; /* a walk completed */
	unsigned walk_us;   /* CPU time spent walking */
	unsigned denied;    /* /proc/PID/fd directories we may not read */
	unsigned fd_short;  /* opens that failed for want of file descriptors (EMFILE) */
	unsigned blind;     /* the walk started could not see every process (hidepid) */
};

void owner_walk_init(struct owner_walk *w);
void owner_walk_free(struct owner_walk *w);
/* The budget: CPU microseconds per second and at most in hand, and the clock that measures
 * the walk's CPU time (NULL: this thread's CPU clock). */
void owner_walk_set_budget(struct owner_walk *w, unsigned per_second, unsigned burst,
                           uint64_t (*cpu_us)(void));
/* Starts a walk when one is due, walks on while the budget lasts, and settles the owners of v
 * (n entries, sorted by inode) the walk found or, when it completes, did not find. now_us is
 * a monotonic clock. */
void owner_walk_run(struct owner_walk *w, const struct cvp_proc_root *root, struct cvp_owner *v,
                    size_t n, uint64_t now_us, struct owner_walk_stats *st);

#endif
