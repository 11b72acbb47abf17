/* The monitor's loop (monitor.h). */
#include "monitor.h"
#include "catalog_index.h"
#include "config_reader.h"
#include "fdpass.h"
#include "fileread.h"
#include "monitor_proto.h"
#include "relay.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syslog.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STOP_GRACE_S 10 /* after SIGTERM, the agent has this long before SIGKILL */

struct monitor {
	const struct monitor_config *c;
	struct relay relay;
	int sigfd;
	int files; /* -1 once the agent closed its end */
	int stopping;
	time_t kill_at;
	int status; /* the agent's wait status, once it ended */
	int ended;
};

__attribute__((format(printf, 3, 4))) static void say(const struct monitor *m, int prio,
                                                      const char *fmt, ...)
{
	char msg[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->c->log(prio, msg);
}

static int known_config(const struct monitor_config *c, const char *path)
{
	for (size_t i = 0; i < c->nconfig; i++)
		if (strcmp(c->config[i], path) == 0)
			return 1;
	return 0;
}

/* The new state text the agent sent (a memfd): whole and bounded, or NULL with err. */
static char *read_text(int fd, size_t *len, char *err, size_t errlen)
{
	char *text = fd >= 0 ? fileread_all(fd, CATALOG_INDEX_FILE_MAX, len) : NULL;
	if (!text)
		text_fail(err, errlen, "the new state is not a bounded regular file");
	return text;
}

/* One request: its answer, and the descriptor that goes with it (or -1). */
static int answer(const struct monitor_config *c, int op, const char *path, int fd_in,
                  struct monitor_answer *an, int *refused)
{
	struct stat st;
	int missing = 0, fd = -1;
	an->rc = -1;
	if (op == MONITOR_OPEN_CONFIG && known_config(c, path)) {
		fd = config_reader_open(path, &st, &missing, an->err, sizeof(an->err));
		an->missing = (uint32_t)missing;
		an->rc = fd < 0 ? -1 : 0;
	} else if (op == MONITOR_OPEN_STATE && c->state && strcmp(path, c->state) == 0) {
		fd = catalog_index_open(path, an->err, sizeof(an->err));
		an->rc = fd < 0 ? fd : 0;
	} else if (op == MONITOR_WRITE_STATE && c->state && strcmp(path, c->state) == 0) {
		size_t len;
		char *text = read_text(fd_in, &len, an->err, sizeof(an->err));
		an->rc = text ? catalog_index_write(path, text, len, an->err, sizeof(an->err)) : -1;
		free(text);
	} else {
		text_fail(an->err, sizeof(an->err), "not a file cvpportd's monitor serves");
		*refused = 1;
	}
	return fd;
}

/* Receives one request (and a descriptor with it). Returns its length, 0 at the end, -1 when
 * it is not one (refused, counted by the caller). */
static ssize_t receive(int sock, struct monitor_request *rq, int *fd_in)
{
	char control[FDPASS_CONTROL];
	struct iovec iov = {.iov_base = rq, .iov_len = sizeof(*rq)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	fdpass_attach(&msg, control, -1);
	*fd_in = -1;
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n <= 0)
		return n == 0 || (errno != EAGAIN && errno != EINTR) ? 0 : -1;
	*fd_in = fdpass_take(&msg);
	size_t head = offsetof(struct monitor_request, path);
	if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || (size_t)n < head ||
	    rq->magic != MONITOR_MAGIC || rq->pathlen > (size_t)n - head ||
	    rq->pathlen >= MONITOR_PATH_MAX || memchr(rq->path, '\0', rq->pathlen))
		return -1;
	return n;
}

static int send_answer(int sock, const struct monitor_answer *an, int fd)
{
	/* cppcheck-suppress variableScope ; sendmsg reads it: not in the if's scope */
	char control[FDPASS_CONTROL];
	struct iovec iov = {.iov_base = (void *)an, .iov_len = sizeof(*an)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0)
		fdpass_attach(&msg, control, fd);
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)sizeof(*an) ? 0 : -1;
}

static void serve_files(struct monitor *m)
{
	struct monitor_request rq;
	struct monitor_answer an;
	int fd_in, fd = -1, refused = 0;
	ssize_t n = receive(m->files, &rq, &fd_in);
	if (n == 0) {
		close(m->files); /* the agent's end is closed: it is ending */
		m->files = -1;
		return;
	}
	memset(&an, 0, sizeof(an));
	if (n < 0) {
		an.rc = text_fail(an.err, sizeof(an.err), "a malformed request");
		refused = 1;
	} else {
		char path[MONITOR_PATH_MAX];
		memcpy(path, rq.path, rq.pathlen);
		path[rq.pathlen] = '\0';
		fd = answer(m->c, (int)rq.op, path, fd_in, &an, &refused);
	}
	if (refused) /* the agent asked what it never needs: say so (the path, escaped) */
		say(m, LOG_WARNING, "cvpportd: monitor: refused a request of the agent's: %s",
		    an.err);
	if (send_answer(m->files, &an, fd) < 0 && errno != EPIPE)
		say(m, LOG_ERR, "cvpportd: monitor: cannot answer the agent: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	if (fd_in >= 0)
		close(fd_in);
}

/* --- signals and the agent's end ------------------------------------------------------------ */

static int signals_open(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void stop_agent(struct monitor *m, int sig)
{
	kill(m->c->agent, sig);
	if (!m->stopping) {
		m->stopping = 1;
		m->kill_at = time(NULL) + STOP_GRACE_S;
	}
}

static void on_signals(struct monitor *m)
{
	struct signalfd_siginfo si;
	while (read(m->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			kill(m->c->agent, SIGHUP); /* a reload: the agent asks for the files */
		else if (si.ssi_signo != SIGCHLD)
			stop_agent(m, SIGTERM);
	}
	int status;
	if (!m->ended && waitpid(m->c->agent, &status, WNOHANG) == m->c->agent) {
		m->ended = 1;
		m->status = status;
	}
}

/* What the daemon exits with, once the agent ended. */
static int exit_status(const struct monitor *m)
{
	int st = m->status;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	int sig = WTERMSIG(st);
	if (m->stopping && (sig == SIGTERM || sig == SIGKILL))
		return 0;
	say(m, LOG_ERR,
	    "cvpportd: the agent process was ended by signal %d (%s)%s; exiting (status 1)", sig,
	    strsignal(sig),
	    sig == SIGSYS
	        ? ": a system call outside its seccomp allow-list (the audit log names it)"
	        : "");
	return 1;
}

/* --- the loop -------------------------------------------------------------------------------- */

enum { P_SIG, P_FILES, P_LISTEN, P_DOWN, P_UP, P_N };

static void on_listen(struct monitor *m)
{
	char err[512];
	int rc = relay_accept(&m->relay, m->c->relay, m->c->agent, m->c->master, err, sizeof(err));
	if (rc == 0)
		say(m, strstr(err, "not the agent") ? LOG_WARNING : LOG_DEBUG,
		    "cvpportd: AgentX relay: %s", err);
}

int monitor_run(const struct monitor_config *c)
{
	struct monitor m = {.c = c, .files = c->files};
	struct pollfd pfd[P_N];
	sigset_t old;
	relay_init(&m.relay);
	if ((m.sigfd = signals_open(&old)) < 0) {
		say(&m, LOG_ERR, "cvpportd: monitor: signals: %s", strerror(errno));
		kill(c->agent, SIGKILL);
	}
	on_signals(&m); /* an agent that ended before its SIGCHLD could be caught */
	while (!m.ended) {
		pfd[P_SIG] = (struct pollfd){.fd = m.sigfd, .events = POLLIN};
		pfd[P_FILES] = (struct pollfd){.fd = m.files, .events = POLLIN};
		pfd[P_LISTEN] = (struct pollfd){.fd = c->relay, .events = POLLIN};
		relay_poll_fds(&m.relay, &pfd[P_DOWN]);
		int n = poll(pfd, P_N, m.stopping ? 1000 : -1);
		if (n < 0 && errno != EINTR)
			break;
		if (m.stopping && time(NULL) >= m.kill_at)
			kill(c->agent, SIGKILL);
		if (n <= 0)
			continue;
		if (pfd[P_SIG].revents)
			on_signals(&m);
		if (pfd[P_FILES].revents)
			serve_files(&m);
		if (pfd[P_LISTEN].revents)
			on_listen(&m);
		relay_after_poll(&m.relay, &pfd[P_DOWN]);
	}
	relay_close(&m.relay);
	if (m.files >= 0)
		close(m.files);
	if (m.sigfd >= 0) {
		close(m.sigfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (!m.ended) { /* poll failed: the agent must not run unserved */
		kill(c->agent, SIGKILL);
		waitpid(c->agent, &m.status, 0);
	}
	return exit_status(&m);
}
