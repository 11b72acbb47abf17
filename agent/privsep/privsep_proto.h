/* The attribution helper's wire protocol, shared by the helper (privsep_helper.c) and the
 * agent's client (privsep.c): fixed-size records, one request and one answer at a time.
 *
 * A request is a header (magic, version, the agent's clock, a count of at most
 * PRIVSEP_MAX_SOCKETS) and that many (inode, uid, udp) records; the answer is a header (magic,
 * count, the attribution stats) and, per record in order, the holder, the process id, its real
 * and effective uid and its escaped name. Both ends are one build of one program. */
#ifndef PRIVSEP_PROTO_H
#define PRIVSEP_PROTO_H

#include "privsep.h"

#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

#define PRIVSEP_MAGIC_REQUEST 0x41505643u /* "CVPA" */
#define PRIVSEP_MAGIC_ANSWER 0x52505643u  /* "CVPR" */
#define PRIVSEP_VERSION 1u

struct privsep_request_header {
	uint32_t magic, version;
	uint64_t now_us;
	uint32_t count, reserved;
};

struct privsep_request_record {
	uint64_t inode;
	uint32_t uid;
	uint8_t udp, pad[3];
};

struct privsep_answer_header {
	uint32_t magic, count;
	struct cvp_attribution_stats st;
};

struct privsep_answer_record {
	uint32_t pid, ruid, euid;
	uint8_t holder, pad[3];
	char comm[CVP_PNAME_LEN];
};

/* The helper's supervisor, which privsep_start forks into: it never returns. ctrl is its end of
 * the control socket; proc_root is "/proc". */
void privsep_helper_run(int ctrl, const char *proc_root) __attribute__((noreturn));

/* Reads len bytes: 1, 0 at a clean end before any byte, -2 at an end within them, -1 on error. */
static inline int privsep_read_full(int fd, void *buf, size_t len)
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
static inline int privsep_write_full(int fd, const void *buf, size_t len, int agent)
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

#endif
