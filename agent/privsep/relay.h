/* The AgentX relay of the monitor: the master's unix socket admits root alone, so the monitor
 * (root) connects to it for the agent (unprivileged) and copies bytes both ways, parsing none.
 * One connection at a time: the agent's. When the master closes (a restart), the agent's side
 * is closed too, and net-snmp's AgentX client in the agent connects again, as it would to the
 * master itself; each connection of the agent's opens a new one to the master. */
#ifndef RELAY_H
#define RELAY_H

#include <poll.h>
#include <sys/types.h>

#define RELAY_BUF 65536

struct relay_dir {
	int from, to; /* descriptors (-1 when closed) */
	char buf[RELAY_BUF];
	size_t len, off;
};

struct relay {
	int down, up; /* the agent's connection, the master's */
	struct relay_dir to_up, to_down;
};

/* A relay with no connection. */
void relay_init(struct relay *r);
/* Takes the next connection on listen_fd: from process agent only (SO_PEERCRED), then connects
 * to the master's socket master. Returns 1 (relaying), 0 (refused, or no master: closed at
 * once, which the agent's client sees as a failed connection), -1 (nothing to accept); why
 * not, in err. A connection already relaying is closed first. */
int relay_accept(struct relay *r, int listen_fd, pid_t agent, const char *master, char *err,
                 size_t errlen);
/* Fills pfd[0] (the agent's) and pfd[1] (the master's) for poll(); fd -1 when closed. */
void relay_poll_fds(const struct relay *r, struct pollfd pfd[2]);
/* Moves what poll() found ready; closes both sides when either ends. Returns 1 when it
 * closed them, else 0. */
int relay_after_poll(struct relay *r, const struct pollfd pfd[2]);
void relay_close(struct relay *r);
/* Binds a listening unix socket at path (a stale one is replaced), of this user (root) and group
 * gid, mode 0660, in a directory made if missing that must be root's (or this user's) and
 * writable by nobody else.
 * Returns the descriptor, or -1 with err. */
int relay_listen(const char *path, gid_t gid, char *err, size_t errlen);

#endif
