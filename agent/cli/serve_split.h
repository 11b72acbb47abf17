/* The daemon's privilege split, made once net-snmp has read the configuration and before it
 * connects to the master or any thread starts (a POST_READ_CONFIG callback that runs before
 * every other): started as root, the process forks; the parent stays root as the monitor
 * (monitor.h) and never returns; the child starts the attribution helper, becomes the agent's
 * user (sandbox_agent.h), enters the seccomp allow-list and goes on as the subagent, with
 * its AgentX connection through the monitor's relay when the master's socket is a unix one
 * and its files through the monitor. Started as another user, nothing is split: the helper
 * starts and this process drops every capability. */
#ifndef SERVE_SPLIT_H
#define SERVE_SPLIT_H

#include "monitor_wrap.h"
#include "privsep.h"

#include <sys/types.h>

struct serve_split {
	const char *user;    /* the agent's user */
	const char *pidfile; /* removed by the monitor at the end, or NULL */
	int close_fds[2];    /* the agent's signal pipe, which the monitor does not keep */
	int root;            /* started as root: split */
	uid_t uid;
	gid_t gid;
	struct privsep *helper;
	struct cvp_attributor attr;
	struct monitor_wrap wrap;
	int wrapped;      /* wrap is in use */
	char master[256]; /* the AgentX master as configured (for the log) */
	void (*helper_gone)(void *arg);
};

/* Before init_snmp: looks up the user (when root), keeps the capabilities the split needs, and
 * registers the callback. Returns 0, or -1 (logged). */
int serve_split_prepare(struct serve_split *s);
/* After init_snmp: the callback is done. */
void serve_split_started(struct serve_split *s);
/* After the main loop: stops the helper, closes the monitor's socket. */
void serve_split_end(struct serve_split *s);

#endif
