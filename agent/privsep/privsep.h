/* Privilege separation, as OpenSSH's: attribution (reading other users' /proc/PID/fd) is the
 * only part of cvpportd that needs a capability, so it runs in a helper of its own and the
 * process that talks AgentX and reads configuration holds none.
 *
 * The helper is a supervisor that keeps only CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE and runs one
 * worker at a time. A worker serves attribution requests over a stream socket, in a seccomp
 * filter that allows what reading /proc takes and nothing else (no socket, no exec, no kill).
 * The supervisor hands each new worker's socket to the agent over a control socket (with the
 * previous worker's exit status); a worker that is given anything but a well-formed request
 * exits (status 2), and the agent's next request goes to a new one, at most one a second.
 *
 * The protocol is fixed and bounded (privsep_proto.h); the helper is privsep_helper.c, the
 * agent's side privsep.c. */
#ifndef PRIVSEP_H
#define PRIVSEP_H

#include "attribution.h"

#define PRIVSEP_MAX_SOCKETS (1u << 20)
/* How long the agent waits for a worker's socket or answer before it gives up on it. */
#define PRIVSEP_TIMEOUT_MS 5000

struct privsep;

/* Forks the helper. Call while the process has one thread (before net-snmp starts, before the
 * builder thread). proc_root: "/proc". Returns NULL (errno set) when it cannot. */
struct privsep *privsep_start(const char *proc_root) __attribute__((warn_unused_result));
/* Closes the agent's side (the helper then exits) and reaps the supervisor. */
void privsep_stop(struct privsep *p);

/* Attribution through the helper: the contract of attribution_run, the cache kept in the
 * worker. Returns 0, or -1 when the worker did not answer in time or answered wrongly: the
 * sockets are then left without holder and the next call gets a new worker; or
 * CVP_ATTRIBUTOR_GONE when the supervisor itself has died (no worker comes again). */
int privsep_attribute(struct privsep *p, struct cvp_socket_list *l, uint64_t now_us,
                      struct cvp_attribution_stats *st);

/* The helper as the core's attributor (attribution.h), for builder_use_helper. */
struct cvp_attributor privsep_attributor(struct privsep *p);

/* The current worker's socket, or -1 (for tests, which speak to it directly). */
int privsep_worker_fd(struct privsep *p);
/* Workers that have ended so far, and how the last one ended (a wait status; -1 none yet). */
unsigned privsep_restarts(const struct privsep *p, int *last_status);

#endif
