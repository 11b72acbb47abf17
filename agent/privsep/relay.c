/* The AgentX relay (relay.h). */
#include "relay.h"
#include "owndir.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void dir_reset(struct relay_dir *d, int from, int to)
{
	d->from = from;
	d->to = to;
	d->len = d->off = 0;
}

void relay_init(struct relay *r)
{
	r->down = r->up = -1;
	dir_reset(&r->to_up, -1, -1);
	dir_reset(&r->to_down, -1, -1);
}

void relay_close(struct relay *r)
{
	if (r->down >= 0)
		close(r->down);
	if (r->up >= 0)
		close(r->up);
	relay_init(r);
}

static int unix_address(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

/* A connection to the master, non-blocking (a full backlog fails rather than waits). */
static int connect_master(const char *master, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	if (unix_address(&sa, master) < 0)
		return text_fail(err, errlen, "the master's socket path is too long");
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return text_fail(err, errlen, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		text_fail(err, errlen, "cannot connect to the master: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int relay_accept(struct relay *r, int listen_fd, pid_t agent, const char *master, char *err,
                 size_t errlen)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return text_fail(err, errlen, "accept: %s", strerror(errno));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.pid != agent) {
		text_fail(err, errlen, "refused a connection from process %d (not the agent)",
		          (int)cred.pid);
		close(fd);
		return 0;
	}
	relay_close(r); /* the agent connects again: its old session is over */
	int up = connect_master(master, err, errlen);
	if (up < 0) {
		close(fd);
		return 0;
	}
	r->down = fd;
	r->up = up;
	dir_reset(&r->to_up, fd, up);
	dir_reset(&r->to_down, up, fd);
	return 1;
}

void relay_poll_fds(const struct relay *r, struct pollfd pfd[2])
{
	pfd[0] = (struct pollfd){.fd = r->down, .events = 0};
	pfd[1] = (struct pollfd){.fd = r->up, .events = 0};
	/* read a side only while what it sent last is written; write while something waits */
	pfd[0].events |= r->to_up.len ? 0 : POLLIN;
	pfd[1].events |= r->to_down.len ? 0 : POLLIN;
	pfd[1].events |= r->to_up.len ? POLLOUT : 0;
	pfd[0].events |= r->to_down.len ? POLLOUT : 0;
}

/* One step of one direction: read when empty, write what waits. -1 when the side ended. */
static int move(struct relay_dir *d, short from_ready, short to_ready)
{
	if (!d->len && (from_ready & (POLLIN | POLLHUP | POLLERR))) {
		ssize_t n = read(d->from, d->buf, sizeof(d->buf));
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return -1;
		d->len = n > 0 ? (size_t)n : 0;
		d->off = 0;
		to_ready |= POLLOUT; /* try at once: a socket is mostly writable */
	}
	if (d->len && (to_ready & (POLLOUT | POLLERR | POLLHUP))) {
		ssize_t n = send(d->to, d->buf + d->off, d->len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (n > 0) {
			d->off += (size_t)n;
			d->len -= (size_t)n;
		}
	}
	return 0;
}

int relay_after_poll(struct relay *r, const struct pollfd pfd[2])
{
	if (r->down < 0)
		return 0;
	if (move(&r->to_up, pfd[0].revents, pfd[1].revents) < 0 ||
	    move(&r->to_down, pfd[1].revents, pfd[0].revents) < 0) {
		relay_close(r);
		return 1;
	}
	return 0;
}

/* The relay's directory: made if missing, cvpportd's own (owndir.h). */
static int relay_dir_ok(const char *path, char *err, size_t errlen)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return text_fail(err, errlen, "%s: not in a directory of its own", path);
	*slash = '\0';
	return owndir_check(dir, 0755, "AgentX relay's directory", err, errlen);
}

int relay_listen(const char *path, gid_t gid, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	if (unix_address(&sa, path) < 0)
		return text_fail(err, errlen, "%s: path too long", path);
	if (relay_dir_ok(path, err, errlen) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return text_fail(err, errlen, "socket: %s", strerror(errno));
	unlink(path); /* a stale one of an earlier run (the directory is root's alone) */
	mode_t old = umask(0177);
	int bound = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (bound < 0 || chown(path, (uid_t)-1, gid) < 0 || chmod(path, 0660) < 0 ||
	    listen(fd, 4) < 0) {
		text_fail(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}
