/* The agent's confinement: the process that parses network input (AgentX PDUs, remote hosts'
 * answers) runs as a user that owns nothing, can never become root again, gains no privilege
 * on exec and makes only the system calls of a seccomp allow-list: no file opened for writing,
 * no process but its own threads, sockets of the four families it uses. */
#ifndef SANDBOX_AGENT_H
#define SANDBOX_AGENT_H

#include <sys/types.h>

/* Becomes uid:gid with no supplementary group and no capability (bounding set emptied where
 * allowed), checks that root's ids cannot be taken back, and asks for SIGTERM when the parent
 * (the monitor, pid parent) dies. While single-threaded. Returns 0, or -1 with errno. */
int sandbox_agent_become(uid_t uid, gid_t gid, pid_t parent);
/* Sets no_new_privs and installs the allow-list (for good), while the process has one thread:
 * every thread it makes inherits it. A system call
 * outside it ends the process (SIGSYS), except an open for writing (EACCES), an unknown
 * ioctl (ENOTTY), a socket of another family (EAFNOSUPPORT) and clone3 (ENOSYS, so that
 * threads are made with clone, whose flags are checked). Returns 0, or -1 with errno. */
int sandbox_agent_filter(void);

#endif
