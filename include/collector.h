/* The collector: the scanner in use (netlink, procfs as fallback) and process attribution,
 * with the state they keep from one refresh to the next. */
#ifndef COLLECTOR_H
#define COLLECTOR_H

#include "sock.h"

struct cvp_netlink;
struct cvp_owner_cache;
struct cvp_attributor;

struct cvp_collector {
	const char *proc_root; /* "/proc", or a fixture tree */
	int mode;              /* enum cvp_scan_mode */
	int source;            /* enum cvp_source in use */
	int netlink_failed;    /* permanently: auto mode uses procfs from then on */
	int denied_logged;
	int blind_logged;    /* /proc hides processes (hidepid) */
	int orphaned_logged; /* user sockets no process holds, until there are none */
	int fd_short_logged; /* the shortage of file descriptors has been logged */
	struct cvp_netlink *nl;
	struct cvp_owner_cache *owners;
	const struct cvp_attributor *helper; /* attribution in a helper process, or NULL: here */
	int helper_logged;                   /* the helper's failure has been logged */
	int helper_gone;                     /* the helper is gone for good (logged once) */
	struct cvp_socket_list socks;        /* reused from scan to scan */
	uint64_t (*now_us)(void);            /* monotonic clock; tests give a fake one */
	void (*log)(void *arg, int err, const char *msg); /* once-only notices; may be NULL */
	void *log_arg;
};

/* proc_root is kept by pointer. mode is enum cvp_scan_mode. */
int collector_init(struct cvp_collector *c, const char *proc_root, int mode)
    __attribute__((warn_unused_result));
void collector_free(struct cvp_collector *c);
/* One scan with attribution into c->socks (sorted). Returns 0, or -1 when no scanner works. */
int collector_scan(struct cvp_collector *c, struct cvp_scan_stats *st);

#endif
