/* The attribution helper: a supervisor with two capabilities, sandboxed workers, and the
 * agent's client side. */
#include "privsep.h"
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAGIC_REQUEST 0x41505643u /* "CVPA" */
#define MAGIC_ANSWER 0x52505643u  /* "CVPR" */
#define VERSION 1u

struct request_header {
	uint32_t magic, version;
	uint64_t now_us;
	uint32_t count, reserved;
};

struct request_record {
	uint64_t inode;
	uint32_t uid;
	uint8_t udp, pad[3];
};

struct answer_header {
	uint32_t magic, count;
	struct cvp_attribution_stats st;
};

struct answer_record {
	uint32_t pid, ruid, euid;
	uint8_t holder, pad[3];
	char comm[CVP_PNAME_LEN];
};

struct privsep {
	pid_t supervisor;
	int ctrl; /* to the supervisor: new workers' sockets arrive here */
	int data; /* the current worker, or -1 */
	unsigned restarts;
	int last_status;
};

/* --- the worker ----------------------------------------------------------------------------- */

static int read_full(int fd, void *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return got ? -2 : (n == 0 ? 0 : -1); /* 0: clean end before a message */
		got += (size_t)n;
	}
	return 1;
}

/* agent: the agent's side, which must not die of SIGPIPE when a worker is gone (the worker's
 * sandbox allows write(), not send()). */
static int write_full(int fd, const void *buf, size_t len, int agent)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = agent ? send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL)
		                  : write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Serves requests until the agent closes the socket (exit 0); anything malformed ends it with
 * exit 2, memory or I/O trouble with 3. */
static void worker(int fd, const char *proc_root)
{
	struct cvp_owner_cache *cache = attribution_new(proc_root);
	struct cvp_socket_list l = {0};
	void *buf = NULL; /* a request's records, then the answer's: one read, one write each */
	size_t cap = 0;
	if (!cache || sandbox_enter() < 0)
		_exit(3);
	for (;;) {
		struct request_header h;
		int r = read_full(fd, &h, sizeof(h));
		if (r == 0)
			_exit(0);
		if (r < 0)
			_exit(r == -2 ? 2 : 3);
		if (h.magic != MAGIC_REQUEST || h.version != VERSION ||
		    h.count > PRIVSEP_MAX_SOCKETS || h.reserved)
			_exit(2);
		size_t need =
		    (size_t)h.count * sizeof(struct answer_record) + sizeof(struct answer_header);
		if (need > cap) {
			free(buf);
			if (!(buf = malloc(need)))
				_exit(3);
			cap = need;
		}
		struct request_record *req = buf;
		if (h.count && read_full(fd, req, h.count * sizeof(*req)) != 1)
			_exit(2);
		sock_list_clear(&l);
		for (uint32_t i = 0; i < h.count; i++) {
			struct cvp_socket *s;
			if (req[i].udp > 1 || req[i].pad[0] || req[i].pad[1] || req[i].pad[2])
				_exit(2);
			if (!(s = sock_list_add(&l)))
				_exit(3);
			s->inode = req[i].inode;
			s->uid = req[i].uid;
			s->proto = req[i].udp ? CVP_UDP : CVP_TCP;
		}
		struct answer_header *a = buf;
		*a = (struct answer_header){.magic = MAGIC_ANSWER, .count = h.count};
		if (attribution_run(cache, &l, h.now_us, &a->st) < 0)
			_exit(3);
		struct answer_record *rec = (struct answer_record *)(a + 1);
		for (size_t i = 0; i < l.n; i++) {
			rec[i] = (struct answer_record){.pid = l.v[i].pid,
			                                .ruid = l.v[i].proc_uid,
			                                .euid = l.v[i].proc_euid,
			                                .holder = l.v[i].holder};
			memcpy(rec[i].comm, l.v[i].comm, sizeof(rec[i].comm));
		}
		if (write_full(fd, buf, sizeof(*a) + l.n * sizeof(*rec), 0) < 0)
			_exit(0);
	}
}

/* --- the supervisor ------------------------------------------------------------------------- */

static int send_fd(int ctrl, int fd, int status)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = &status, .iov_len = sizeof(status)};
	struct msghdr m = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(ctrl, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(status) ? 0 : -1;
}

static void supervisor(int ctrl, const char *proc_root)
{
	int status = -1;
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (sandbox_keep_caps((1ull << CAP_DAC_READ_SEARCH) | (1ull << CAP_SYS_PTRACE)) < 0)
		_exit(3);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* nobody attaches to what holds the capabilities */
	for (;;) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			_exit(3);
		pid_t w = fork();
		if (w < 0)
			_exit(3);
		if (w == 0) {
			close(ctrl);
			close(sv[0]);
			worker(sv[1], proc_root);
			_exit(0);
		}
		close(sv[1]);
		int sent = send_fd(ctrl, sv[0], status);
		close(sv[0]);
		if (sent < 0) { /* the agent is gone */
			kill(w, SIGKILL);
			waitpid(w, NULL, 0);
			_exit(0);
		}
		while (waitpid(w, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			sleep(1); /* a worker that failed: at most one new one a second */
	}
}

struct privsep *privsep_start(const char *proc_root)
{
	int sv[2];
	struct privsep *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		free(p);
		return NULL;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		free(p);
		return NULL;
	}
	if (pid == 0) {
		/* Only the control socket and stdio go with it. */
		close(sv[0]);
		if (sv[1] > 3)
			syscall(SYS_close_range, 3, (unsigned)sv[1] - 1, 0);
		syscall(SYS_close_range, (unsigned)sv[1] + 1, ~0u, 0);
		supervisor(sv[1], proc_root);
		_exit(0);
	}
	close(sv[1]);
	p->supervisor = pid;
	p->ctrl = sv[0];
	p->data = -1;
	p->last_status = -1;
	return p;
}

void privsep_stop(struct privsep *p)
{
	if (!p)
		return;
	if (p->data >= 0)
		close(p->data);
	close(p->ctrl);
	while (waitpid(p->supervisor, NULL, 0) < 0 && errno == EINTR)
		;
	free(p);
}

static int worker_fd(struct privsep *p);

int privsep_worker_fd(struct privsep *p)
{
	return worker_fd(p);
}

unsigned privsep_restarts(const struct privsep *p, int *last_status)
{
	if (last_status)
		*last_status = p->last_status;
	return p->restarts;
}

/* --- the agent's side ----------------------------------------------------------------------- */

static int wait_readable(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int r;
	while ((r = poll(&pfd, 1, ms)) < 0 && errno == EINTR)
		;
	return r > 0 ? 0 : -1;
}

/* The current worker's socket, from the supervisor when there is none. */
static int worker_fd(struct privsep *p)
{
	if (p->data >= 0)
		return p->data;
	char cbuf[CMSG_SPACE(sizeof(int))];
	int status;
	struct iovec iov = {.iov_base = &status, .iov_len = sizeof(status)};
	struct msghdr m = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	if (wait_readable(p->ctrl, PRIVSEP_TIMEOUT_MS) < 0 ||
	    recvmsg(p->ctrl, &m, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(status))
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&p->data, CMSG_DATA(c), sizeof(int));
	if (status != -1) {
		p->restarts++;
		p->last_status = status;
	}
	return p->data;
}

/* Reads an answer with a deadline for each part. */
static int read_answer(int fd, void *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		if (wait_readable(fd, PRIVSEP_TIMEOUT_MS) < 0)
			return -1;
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static int exchange(struct privsep *p, struct cvp_socket_list *l, uint64_t now_us,
                    struct cvp_attribution_stats *st)
{
	int fd = worker_fd(p);
	if (fd < 0 || l->n > PRIVSEP_MAX_SOCKETS)
		return -1;
	struct request_header h = {
	    .magic = MAGIC_REQUEST, .version = VERSION, .now_us = now_us, .count = (uint32_t)l->n};
	struct request_record *req = malloc((l->n ? l->n : 1) * sizeof(*req));
	if (!req)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		req[i] = (struct request_record){
		    .inode = l->v[i].inode, .uid = l->v[i].uid, .udp = l->v[i].proto == CVP_UDP};
	int bad =
	    write_full(fd, &h, sizeof(h), 1) < 0 || write_full(fd, req, l->n * sizeof(*req), 1) < 0;
	free(req);
	struct answer_header a;
	struct answer_record *rec = NULL;
	if (bad || read_answer(fd, &a, sizeof(a)) < 0 || a.magic != MAGIC_ANSWER ||
	    a.count != l->n || !(rec = malloc((l->n ? l->n : 1) * sizeof(*rec))) ||
	    read_answer(fd, rec, l->n * sizeof(*rec)) < 0) {
		free(rec);
		return -1;
	}
	for (size_t i = 0; i < l->n; i++) {
		struct cvp_socket *s = &l->v[i];
		if (rec[i].holder > CVP_HOLDER_NONE) {
			free(rec);
			return -1;
		}
		s->pid = rec[i].pid;
		s->proc_uid = rec[i].ruid;
		s->proc_euid = rec[i].euid;
		s->holder = rec[i].holder;
		rec[i].comm[sizeof(rec[i].comm) - 1] = '\0'; /* escaped by the worker; bounded */
		memcpy(s->comm, rec[i].comm, sizeof(s->comm));
	}
	free(rec);
	*st = a.st;
	return 0;
}

int privsep_attribute(struct privsep *p, struct cvp_socket_list *l, uint64_t now_us,
                      struct cvp_attribution_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (exchange(p, l, now_us, st) == 0)
		return 0;
	/* No answer: this worker is done with; nothing is known of the holders. */
	if (p->data >= 0) {
		close(p->data);
		p->data = -1;
	}
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < l->n; i++) {
		struct cvp_socket *s = &l->v[i];
		s->pid = 0;
		s->holder = CVP_HOLDER_UNKNOWN;
		s->proc_uid = s->proc_euid = CVP_UID_UNKNOWN;
		s->comm[0] = '\0';
		st->unattributed += s->inode != 0;
	}
	return -1;
}
