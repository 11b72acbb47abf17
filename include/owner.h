/* A listening socket's owner as attribution knows it: the entry the owner cache keeps per
 * socket inode (attribution.c), that the pidfd watch re-checks (owner_watch.c) and that the
 * /proc walk fills (owner_walk.c), plus the proc root they all read. */
#ifndef CVP_OWNER_H
#define CVP_OWNER_H

#include "sock.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* What is known of who holds a socket. */
enum cvp_owner_state {
	CVP_OWNER_SEEKING = 0, /* not found yet: a walk looks for it (after retry_at) */
	CVP_OWNER_PROCESS,     /* held by pid, final until the watch sees otherwise */
	CVP_OWNER_PID1,        /* held by pid 1 so far: final unless a walk finds another holder */
	CVP_OWNER_NONE,        /* no process holds it (enough complete walks missed it) */
	CVP_OWNER_RESEEK,      /* held by none, looked for again: still reported as held by none */
};

/* What a process is: its name (escaped) and its real and effective uid (CVP_UID_UNKNOWN when
 * /proc/PID/status could not be read). */
struct cvp_proc_facts {
	char comm[CVP_PNAME_LEN];
	uint32_t ruid, euid;
};

struct cvp_owner {
	uint64_t inode;
	uint64_t retry_at; /* SEEKING or NONE: looked for again from then on */
	uint32_t pid;      /* PROCESS and PID1: the holder */
	int fd;            /* the descriptor that holds it in pid */
	uint8_t state;     /* enum cvp_owner_state */
	uint8_t attempts;  /* complete walks that did not find it (back-off) */
	uint8_t misses;    /* ... of which could look everywhere (held by none after enough) */
	uint8_t in_walk;   /* wanted when the walk in progress started */
	uint8_t reseeks;   /* NONE: times it was looked for again and not found (back-off) */
	uint8_t udp;
	struct cvp_proc_facts facts;
};

/* The /proc attribution reads: a path, and whether it is the procfs of this process's own pid
 * namespace (pids there are pids here: pidfds apply, and a procfs that hides pid 1 hides
 * processes). A fixture tree is neither. */
struct cvp_proc_root {
	const char *path;
	int procfs; /* a procfs mount */
	int own;    /* ... whose "self" is this process */
};

/* Classifies path (kept by pointer). */
void owner_proc_root(struct cvp_proc_root *r, const char *path);

/* Whether the owner is found and final. */
static inline int owner_known(const struct cvp_owner *o)
{
	return o->state == CVP_OWNER_PROCESS;
}

/* Not found: being looked for, or looked for again while taken as held by none. */
static inline int owner_unfound(const struct cvp_owner *o)
{
	return o->state == CVP_OWNER_SEEKING || o->state == CVP_OWNER_RESEEK;
}

/* Whether a walk looks for it: not found, or held by pid 1 only so far. */
static inline int owner_searched(const struct cvp_owner *o)
{
	return owner_unfound(o) || o->state == CVP_OWNER_PID1;
}

/* To be looked for again: its owner exited, or no longer holds it. */
void owner_lost(struct cvp_owner *o);
/* Found in process pid, descriptor fd. */
void owner_found(struct cvp_owner *o, uint32_t pid, int fd, const struct cvp_proc_facts *f);
/* The entry for inode in v (n entries, sorted by inode), or NULL. */
struct cvp_owner *owner_find(struct cvp_owner *v, size_t n, uint64_t inode);

/* Reads a process's facts from ROOT/PID/{comm,status}; returns -1 when it is gone. */
int owner_read_facts(const struct cvp_proc_root *r, uint32_t pid, struct cvp_proc_facts *f);

#endif
