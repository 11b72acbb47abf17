/* Process attribution, as netstat -p does it but cheaply: socket inode -> owning process.
 * Owners found once are re-checked each refresh with one readlink; the /proc/PID/fd walk runs
 * only for inodes never seen before, and stops once they are all found. */
#ifndef CVP_ATTRIB_H
#define CVP_ATTRIB_H

#include "sock.h"

struct cvp_owner_cache;

struct cvp_attribution_stats {
	unsigned rechecks;     /* readlinks of cached owners */
	unsigned walks;        /* full /proc walks */
	unsigned denied;       /* /proc/PID/fd directories we may not read (last walk) */
	unsigned fd_short;     /* opens that failed for want of file descriptors (EMFILE) */
	unsigned kernel_owned; /* listeners no process holds */
	unsigned deferred;     /* new UDP sockets left for a later walk */
};

/* New UDP sockets start a walk at most this often (new TCP listeners always do). */
#define CVP_UDP_WALK_INTERVAL_US (30u * 1000000u)

struct cvp_owner_cache *attribution_new(void) __attribute__((warn_unused_result));
void attribution_free(struct cvp_owner_cache *c);
/* Fills pid and comm of every socket in l from PROC_ROOT ("/proc" or a fixture tree); now_us is
 * a monotonic clock. Entries for inodes no longer listed are dropped, so the cache holds only
 * the live listeners. */
int attribution_run(struct cvp_owner_cache *c, const char *proc_root, struct cvp_socket_list *l,
                    uint64_t now_us, struct cvp_attribution_stats *st);

#endif
