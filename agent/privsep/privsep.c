/* The agent's side of the attribution helper: it starts the helper, hands it the sockets
 * and takes the holders back, with a deadline for every answer. */
#include "privsep_proto.h"
#include "fdpass.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct privsep {
	pid_t supervisor;
	int ctrl; /* to the supervisor: new workers' sockets arrive here */
	int data; /* the current worker, or -1 */
	unsigned restarts;
	int last_status;
	int gone; /* the supervisor died (reaped): no worker will come again */
};

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
		privsep_helper_run(sv[1], proc_root);
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
	while (!p->gone && waitpid(p->supervisor, NULL, 0) < 0 && errno == EINTR)
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
	char control[FDPASS_CONTROL];
	int status = -1;
	struct iovec iov = {.iov_base = &status, .iov_len = sizeof(status)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	fdpass_attach(&m, control, -1);
	if (wait_readable(p->ctrl, PRIVSEP_TIMEOUT_MS) < 0 ||
	    recvmsg(p->ctrl, &m, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(status) ||
	    (p->data = fdpass_take(&m)) < 0)
		return -1;
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
	struct privsep_request_header h = {.magic = PRIVSEP_MAGIC_REQUEST,
	                                   .version = PRIVSEP_VERSION,
	                                   .now_us = now_us,
	                                   .count = (uint32_t)l->n};
	struct privsep_request_record *req = malloc((l->n ? l->n : 1) * sizeof(*req));
	if (!req)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		req[i] = (struct privsep_request_record){
		    .inode = l->v[i].inode, .uid = l->v[i].uid, .udp = l->v[i].proto == CVP_UDP};
	int bad = privsep_write_full(fd, &h, sizeof(h), 1) < 0 ||
	          privsep_write_full(fd, req, l->n * sizeof(*req), 1) < 0;
	free(req);
	struct privsep_answer_header a;
	struct privsep_answer_record *rec = NULL;
	if (bad || read_answer(fd, &a, sizeof(a)) < 0 || a.magic != PRIVSEP_MAGIC_ANSWER ||
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

/* Whether the supervisor has died (reaped here, so that it does not stay a zombie). */
static int supervisor_gone(struct privsep *p)
{
	int status;
	if (p->gone)
		return 1;
	if (waitpid(p->supervisor, &status, WNOHANG) != p->supervisor)
		return 0;
	p->gone = 1;
	p->last_status = status;
	return 1;
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
	return supervisor_gone(p) ? CVP_ATTRIBUTOR_GONE : -1;
}

static int attribute_cb(void *arg, struct cvp_socket_list *l, uint64_t now_us,
                        struct cvp_attribution_stats *st)
{
	return privsep_attribute(arg, l, now_us, st);
}

struct cvp_attributor privsep_attributor(struct privsep *p)
{
	return (struct cvp_attributor){.run = attribute_cb, .arg = p};
}
