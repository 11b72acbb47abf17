/* Process attribution, as netstat -p does it but cheaply: socket inode -> owning process.
 *
 * An owner once found stays cached while its process lives: on the live /proc each owning
 * process is watched through a pidfd, and one poll() per refresh says which have exited (their
 * sockets are looked for again); elsewhere, or without pidfds, each cached owner is re-checked
 * with one readlink. A small rotating sweep re-reads a few cached owners per refresh, so a
 * socket handed to another process while its first owner lives on is noticed too.
 *
 * New sockets are found by a walk of /proc/PID/fd in ascending pid order (the lowest pid
 * other than 1 wins; pid 1, socket activation, only when no other process holds the socket).
 * The walk is budgeted in CPU time (a share of a core, with a burst) and resumes where it
 * stopped, so churn cannot make it cost more than that share; when it has gone past every
 * process it listed, it also visits those started since (a listener's new holder, often). A socket
 * a complete walk did not find is looked for again with back-off, and only taken as held by no
 * process after CVP_ATTR_KERNEL_AFTER complete walks that could look everywhere; a walk that ran
 * short of file descriptors, met unreadable directories or a /proc that hides processes
 * (hidepid) concludes nothing. A socket no process holds is the kernel's only when root's.
 *
 * Each owning process's name and real and effective uid are re-read at every refresh (once per
 * process), so exec, a rename or setuid show at the next refresh. */
#ifndef CVP_ATTRIB_H
#define CVP_ATTRIB_H

#include "sock.h"

struct cvp_owner_cache;

struct cvp_attribution_stats {
	unsigned rechecks;     /* readlinks of cached owners (no pidfd, and the sweep) */
	unsigned watched;      /* owning processes watched through a pidfd */
	unsigned exited;       /* of those, found exited this refresh */
	unsigned walks;        /* walk slices run this refresh (0 or 1) */
	unsigned walk_done;    /* a walk completed this refresh */
	unsigned walk_us;      /* CPU time spent walking this refresh */
	unsigned denied;       /* /proc/PID/fd directories we may not read (this slice) */
	unsigned fd_short;     /* opens that failed for want of file descriptors (EMFILE) */
	unsigned kernel_owned; /* listeners no process holds, root's */
	unsigned unattributed; /* listeners whose owner is not known (orphaned included) */
	unsigned orphaned;     /* ... of which no process holds, and not root's */
	unsigned blind;        /* the walk started could not see every process (hidepid) */
	unsigned deferred;     /* of those, waiting for a walk to be due */
};

/* New UDP sockets start a walk at most this often (new TCP listeners always do). */
#define CVP_UDP_WALK_INTERVAL_US (30u * 1000000u)
/* Complete walks that must miss a socket before it is taken as kernel-owned. */
#define CVP_ATTR_KERNEL_AFTER 3
/* Back-off between walks looking for a socket not found: 1 s, doubling, at most this. */
#define CVP_ATTR_BACKOFF_MAX_US (60u * 1000000u)
/* A kernel-owned socket is looked for again this often. */
#define CVP_ATTR_KERNEL_RECHECK_US (300u * 1000000u)
/* The walk's budget: CPU time per second of wall time (5% of a core), and at most in hand
 * (also at start, so that a host's first walk is usually done at once). */
#define CVP_ATTR_WALK_US_PER_S 50000
#define CVP_ATTR_WALK_BURST_US 250000
/* Passes over processes started while a walk ran. */
#define CVP_ATTR_TAIL_PASSES 2
/* Cached owners re-read per refresh by the sweep: n / 16 + 1, at most this. */
#define CVP_ATTR_SWEEP_MAX 64

struct cvp_owner_cache *attribution_new(void) __attribute__((warn_unused_result));
void attribution_free(struct cvp_owner_cache *c);
/* The walk's budget (for tests): CPU microseconds per second and at most in hand, and the
 * clock that measures the walk's CPU time (NULL: this thread's CPU clock). */
void attribution_set_walk_budget(struct cvp_owner_cache *c, unsigned per_second, unsigned burst,
                                 uint64_t (*cpu_us)(void));
/* Fills pid and comm of every socket in l from PROC_ROOT ("/proc" or a fixture tree); now_us is
 * a monotonic clock. Entries for inodes no longer listed are dropped, so the cache holds only
 * the live listeners. Returns 0, or -1 when out of memory. */
int attribution_run(struct cvp_owner_cache *c, const char *proc_root, struct cvp_socket_list *l,
                    uint64_t now_us, struct cvp_attribution_stats *st);

#endif
