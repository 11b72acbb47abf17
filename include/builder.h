/* The builder: a thread of its own that builds snapshots (scan, attribution, evaluation) on a
 * cadence, so that no request waits for a scan. Each finished snapshot is handed over whole
 * through a one-slot mailbox and a pipe the consumer watches; the consumer owns it from then
 * on, and the two never share a mutable structure. No net-snmp types: the consumer is told
 * through a file descriptor, and the builder's notices wait in a queue for it to log. */
#ifndef BUILDER_H
#define BUILDER_H

#include "snapshot.h"

#define BUILDER_NOTICE_LEN 256
#define BUILDER_NOTICES_MAX 8 /* queued notices; more are counted, not kept */

struct builder;

/* proc_root ("/proc", or a fixture tree) is kept by pointer; now_us may be NULL (the monotonic
 * clock). */
struct builder *builder_new(const char *proc_root, uint64_t (*now_us)(void))
    __attribute__((warn_unused_result));
struct cvp_attributor;
/* Attribution goes through the helper process from now on (before builder_start); helper is kept
 * by pointer. */
void builder_use_helper(struct builder *b, const struct cvp_attributor *helper);
/* Stops and joins the thread; a snapshot not taken is freed. */
void builder_free(struct builder *b);

/* What to build from now on: the catalogue, what keeps it alive (the builder holds a
 * reference until it is replaced, each build in progress and each snapshot one of their own;
 * NULL: it lives for good), the scan mode (enum cvp_scan_mode) and the cadence (seconds
 * between the starts of two builds). The next build starts at once. Returns the generation of
 * these settings (never 0). */
unsigned builder_configure(struct builder *b, const struct cvp_catalog *cat, struct refcount *keep,
                           int scan_mode, unsigned seconds);
/* Builds one snapshot on the caller's thread; only before builder_start. */
struct cvp_snapshot *builder_build_now(struct builder *b);
/* Starts the thread (in the process that will run it: after any fork). Returns 0, or -1. */
int builder_start(struct builder *b) __attribute__((warn_unused_result));
int builder_running(const struct builder *b);
/* The next build starts now rather than at its time. */
void builder_kick(struct builder *b);

/* Readable when a snapshot waits to be taken. */
int builder_fd(const struct builder *b);
/* The newest finished snapshot (older ones not taken in time are dropped), or NULL. *gen: the
 * generation it was built for (one of replaced settings is stale). */
struct cvp_snapshot *builder_take(struct builder *b, unsigned *gen);
/* Hands each queued notice to fn (a notice makes builder_fd readable too, so it is logged
 * without waiting for a snapshot) (err: a warning rather than information), oldest first; a
 * count of notices dropped for want of room comes last. */
void builder_take_notices(struct builder *b, void (*fn)(void *arg, int err, const char *msg),
                          void *arg);

#endif
