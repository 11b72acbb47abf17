/* The monitor: what stays root in the daemon, and does nothing else but what needs root. It
 * forks the agent (which then drops to a user that owns nothing, sandbox_agent.h) and serves
 * it: opens the configuration files it may read again (on SIGHUP) and the state file it keeps,
 * writes that file, relays its AgentX connection to the master's root-only unix socket
 * (relay.h), forwards SIGTERM, SIGINT and SIGHUP to it, and ends when it ends. It parses no
 * network input: the relay copies bytes, and requests are fixed records compared with the
 * paths it was given before the agent dropped its privileges. */
#ifndef MONITOR_H
#define MONITOR_H

#include <sys/types.h>

struct monitor_config {
	pid_t agent;
	int files;           /* the monitor's end of the file service (SOCK_SEQPACKET) */
	char *const *config; /* the configuration files it opens for the agent */
	size_t nconfig;
	const char *state;  /* the one state file it reads and writes for the agent, or NULL */
	int relay;          /* the relay's listening socket, or -1 */
	const char *master; /* the master's unix socket, for the relay */
	void (*log)(int priority, const char *msg); /* syslog priorities */
};

/* Serves the agent until it ends. Returns the status the daemon exits with: the agent's own,
 * or 1 when a signal ended it (SIGSYS: a system call outside its allow-list), logged. */
int monitor_run(const struct monitor_config *c);

#endif
