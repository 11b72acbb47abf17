/* The agent's side of the monitor's file service (monitor_wrap.h). */
#include "monitor_wrap.h"
#include "fdpass.h"
#include "monitor_proto.h"
#include "text.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* Sends one request (with fd_out, or none) and waits for its answer (and the descriptor that
 * comes with it, in *fd_in). Returns the answer's rc, or -1 with err. */
static int call(struct monitor_wrap *w, int op, const char *path, int fd_out, int *fd_in,
                struct monitor_answer *an)
{
	struct monitor_request rq = {.magic = MONITOR_MAGIC, .op = (uint32_t)op};
	char control[FDPASS_CONTROL];
	size_t len = strlen(path);
	*fd_in = -1;
	if (len >= MONITOR_PATH_MAX)
		return text_fail(an->err, sizeof(an->err), "%s: path too long", path);
	rq.pathlen = (uint32_t)len;
	memcpy(rq.path, path, len);
	struct iovec iov = {.iov_base = &rq,
	                    .iov_len = offsetof(struct monitor_request, path) + len};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd_out >= 0)
		fdpass_attach(&msg, control, fd_out);
	pthread_mutex_lock(&w->lock);
	ssize_t n = sendmsg(w->fd, &msg, MSG_NOSIGNAL);
	if (n >= 0) {
		iov = (struct iovec){.iov_base = an, .iov_len = sizeof(*an)};
		msg = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 1};
		fdpass_attach(&msg, control, -1);
		while ((n = recvmsg(w->fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
			;
	}
	int e = errno;
	pthread_mutex_unlock(&w->lock);
	if (n != (ssize_t)sizeof(*an))
		return text_fail(an->err, sizeof(an->err), "%s: the monitor does not answer (%s)",
		                 path, n < 0 ? strerror(e) : "it is gone");
	an->err[sizeof(an->err) - 1] = '\0';
	*fd_in = fdpass_take(&msg);
	if (an->rc >= 0 && *fd_in < 0 && op != MONITOR_WRITE_STATE)
		return text_fail(an->err, sizeof(an->err), "%s: the monitor sent no file", path);
	return an->rc;
}

static int open_config(void *ctx, const char *path, struct stat *st, int *missing, char *err,
                       size_t errlen)
{
	struct monitor_answer an;
	int fd;
	*missing = 0;
	int rc = call(ctx, MONITOR_OPEN_CONFIG, path, -1, &fd, &an);
	if (rc < 0 || fstat(fd, st) < 0) {
		*missing = rc < 0 && an.missing;
		if (fd >= 0)
			close(fd);
		return text_fail(err, errlen, "%s", rc < 0 ? an.err : "fstat failed");
	}
	return fd;
}

static int open_state(void *ctx, const char *path, char *err, size_t errlen)
{
	struct monitor_answer an;
	int fd;
	int rc = call(ctx, MONITOR_OPEN_STATE, path, -1, &fd, &an);
	if (rc < 0) {
		text_fail(err, errlen, "%s", an.err);
		return rc == -2 ? -2 : -1;
	}
	return fd;
}

static int write_state(void *ctx, const char *path, const char *text, size_t len, char *err,
                       size_t errlen)
{
	struct monitor_answer an;
	int fd_in;
	int fd = memfd_create("cvpportd-state", MFD_CLOEXEC);
	if (fd < 0)
		return text_fail(err, errlen, "%s: memfd: %s", path, strerror(errno));
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, text + done, len - done);
		if (n <= 0 && errno != EINTR) {
			close(fd);
			return text_fail(err, errlen, "%s: memfd: %s", path, strerror(errno));
		}
		done += n > 0 ? (size_t)n : 0;
	}
	int rc = call(ctx, MONITOR_WRITE_STATE, path, fd, &fd_in, &an);
	close(fd);
	if (fd_in >= 0)
		close(fd_in);
	return rc < 0 ? text_fail(err, errlen, "%s", an.err) : 0;
}

void monitor_wrap_init(struct monitor_wrap *w, int fd)
{
	w->fd = fd;
	pthread_mutex_init(&w->lock, NULL);
	w->access = (struct file_access){.open_config = open_config,
	                                 .open_state = open_state,
	                                 .write_state = write_state,
	                                 .ctx = w};
}

void monitor_wrap_free(struct monitor_wrap *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	pthread_mutex_destroy(&w->lock);
}
