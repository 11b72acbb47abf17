/* Process attribution, as netstat -p does it but cheaply: socket inode -> owning process.
 *
 * The owner cache keeps one entry per listed socket inode across refreshes (owner.h), merged
 * with each scan's list in one pass. An owner once found stays cached while its process lives
 * (owner_watch.h says how that is checked); new sockets are found by the budgeted /proc walk
 * (owner_walk.h). A socket no process holds is the kernel's only when root's; one held by no
 * process is looked for again now and then.
 *
 * Each owning process's name and real and effective uid are re-read at every refresh (once per
 * process), so exec, a rename or setuid show at the next refresh. */
#ifndef CVP_ATTRIB_H
#define CVP_ATTRIB_H

#include "owner_walk.h"
#include "owner_watch.h"
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

/* An owner cache reading PROC_ROOT ("/proc" or a fixture tree; kept by pointer), or NULL when
 * out of memory. */
struct cvp_owner_cache *attribution_new(const char *proc_root) __attribute__((warn_unused_result));
void attribution_free(struct cvp_owner_cache *c);
/* The walk's budget (for tests): owner_walk_set_budget. */
void attribution_set_walk_budget(struct cvp_owner_cache *c, unsigned per_second, unsigned burst,
                                 uint64_t (*cpu_us)(void));
/* Fills the holder, pid, comm and process uids of every socket in l; now_us is a monotonic
 * clock. Entries for inodes no longer listed are dropped, so the cache holds only the live
 * listeners. Returns 0, or -1 when out of memory (l's owners are then not filled in). */
int attribution_run(struct cvp_owner_cache *c, struct cvp_socket_list *l, uint64_t now_us,
                    struct cvp_attribution_stats *st) __attribute__((warn_unused_result));

/* Attribution done elsewhere, with attribution_run's contract: the privilege-separated helper
 * (agent/privsep) is one. The core calls it without knowing what is behind it; run returns 0,
 * -1 when it could not answer this time (the sockets then have no holder), or
 * CVP_ATTRIBUTOR_GONE when it never will again (the helper's supervisor died: this process,
 * which holds no capability, cannot start another). */
#define CVP_ATTRIBUTOR_GONE (-2)
struct cvp_attributor {
	int (*run)(void *arg, struct cvp_socket_list *l, uint64_t now_us,
	           struct cvp_attribution_stats *st);
	void *arg;
};

#endif
