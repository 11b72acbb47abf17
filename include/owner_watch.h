/* Watching the processes that own cached sockets: on the procfs of this pid namespace each
 * owning process is watched through a pidfd, and one poll() per refresh says which have exited
 * (their sockets are lost, to be looked for again); elsewhere, or without pidfds, each cached
 * owner is re-checked with one readlink. A small rotating sweep re-reads a few owners of
 * watched processes per refresh, so a socket handed to another process while its first owner
 * lives on is noticed too. Each owning process's facts are re-read once per refresh. */
#ifndef CVP_OWNER_WATCH_H
#define CVP_OWNER_WATCH_H

#include "owner.h"

/* Cached owners re-read per refresh by the sweep: n / 16 + 1, at most this. */
#define CVP_ATTR_SWEEP_MAX 64

struct owner_watch_proc;

struct owner_watch {
	struct owner_watch_proc *procs; /* sorted by pid */
	size_t nprocs;
	int pidfd_works; /* -1 not tried, 0 not here (ENOSYS, EPERM), 1 yes */
	size_t sweep;    /* position of the sweep's next entry */
};

/* What one refresh of the watch did. */
struct owner_watch_stats {
	unsigned rechecks; /* readlinks of cached owners (no pidfd, and the sweep) */
	unsigned watched;  /* owning processes watched through a pidfd */
	unsigned exited;   /* of those, found exited this refresh */
	unsigned fd_short; /* pidfds not opened for want of file descriptors */
};

void owner_watch_init(struct owner_watch *w);
void owner_watch_free(struct owner_watch *w);
/* Re-checks the known owners of v (n entries): those whose process exited or that no longer
 * hold their socket are lost; the others get their process's facts as read now. Returns 0, or
 * -1 when out of memory (v is then as it was, less owners found lost). */
int owner_watch_run(struct owner_watch *w, const struct cvp_proc_root *root, struct cvp_owner *v,
                    size_t n, struct owner_watch_stats *st) __attribute__((warn_unused_result));

#endif
