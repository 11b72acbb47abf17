/* The attribution helper: a supervisor that keeps two capabilities and runs one sandboxed
 * worker at a time, each serving the agent's requests (privsep_proto.h) until it closes. */
#include "privsep_proto.h"
#include "fdpass.h"
#include "sandbox.h"

#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

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
		struct privsep_request_header h;
		int r = privsep_read_full(fd, &h, sizeof(h));
		if (r == 0)
			_exit(0);
		if (r < 0)
			_exit(r == -2 ? 2 : 3);
		if (h.magic != PRIVSEP_MAGIC_REQUEST || h.version != PRIVSEP_VERSION ||
		    h.count > PRIVSEP_MAX_SOCKETS || h.reserved)
			_exit(2);
		size_t need = (size_t)h.count * sizeof(struct privsep_answer_record) +
		              sizeof(struct privsep_answer_header);
		if (need > cap) {
			free(buf);
			if (!(buf = malloc(need)))
				_exit(3);
			cap = need;
		}
		struct privsep_request_record *req = buf;
		if (h.count && privsep_read_full(fd, req, h.count * sizeof(*req)) != 1)
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
		struct privsep_answer_header *a = buf;
		*a =
		    (struct privsep_answer_header){.magic = PRIVSEP_MAGIC_ANSWER, .count = h.count};
		if (attribution_run(cache, &l, h.now_us, &a->st) < 0)
			_exit(3);
		struct privsep_answer_record *rec = (struct privsep_answer_record *)(a + 1);
		for (size_t i = 0; i < l.n; i++) {
			rec[i] = (struct privsep_answer_record){.pid = l.v[i].pid,
			                                        .ruid = l.v[i].proc_uid,
			                                        .euid = l.v[i].proc_euid,
			                                        .holder = l.v[i].holder};
			memcpy(rec[i].comm, l.v[i].comm, sizeof(rec[i].comm));
		}
		if (privsep_write_full(fd, buf, sizeof(*a) + l.n * sizeof(*rec), 0) < 0)
			_exit(0);
	}
}

static int send_fd(int ctrl, int fd, int status)
{
	char control[FDPASS_CONTROL];
	struct iovec iov = {.iov_base = &status, .iov_len = sizeof(status)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	fdpass_attach(&m, control, fd);
	return sendmsg(ctrl, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(status) ? 0 : -1;
}

void privsep_helper_run(int ctrl, const char *proc_root)
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
