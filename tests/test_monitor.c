/* The monitor (monitor.h) against a real agent process of its own: the file service opens only
 * the configuration files and the state file it was given (a request for /etc/shadow is
 * refused and logged), writes the state file from the agent's text, answers a malformed
 * request with an error; the AgentX relay copies bytes both ways to the "master" and closes a
 * connection from any process but the agent; the monitor ends with the agent's status. The
 * agent is a forked child that runs the checks and exits with a bit per failed one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syslog.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monitor.h"
#include "monitor_wrap.h"
#include "relay.h"

static char logged[8192]; /* what the monitor logged (a C API without a context pointer) */

static void collect(int priority, const char *msg)
{
	(void)priority;
	strncat(logged, msg, sizeof(logged) - strlen(logged) - 2);
	strcat(logged, "\n");
}

struct paths {
	char dir[64], conf[96], missing[96], state[96], relay[96], master[96];
};

static int read_fd(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (int)n : 0;
}

/* The file service, as the agent sees it: a bit per failed check. */
static int check_files(struct monitor_wrap *w, const struct paths *p)
{
	const struct file_access *fa = &w->access;
	struct stat st;
	char err[1100], buf[256];
	int missing, bad = 0, fd;
	fd = fa->open_config(fa->ctx, p->conf, &st, &missing, err, sizeof(err));
	bad |= (fd < 0 || (read_fd(fd, buf, sizeof(buf)), strcmp(buf, "cvpRefresh 7\n") != 0)) << 0;
	fd = fa->open_config(fa->ctx, "/etc/shadow", &st, &missing, err, sizeof(err));
	bad |= (fd >= 0 || !strstr(err, "not a file cvpportd's monitor serves")) << 1;
	fd = fa->open_config(fa->ctx, p->missing, &st, &missing, err, sizeof(err));
	bad |= (fd >= 0 || !missing) << 2;
	bad |= (fa->open_state(fa->ctx, p->state, err, sizeof(err)) != -2) << 3;
	bad |= (fa->write_state(fa->ctx, p->state, "1 sip\n", 6, err, sizeof(err)) != 0) << 4;
	fd = fa->open_state(fa->ctx, p->state, err, sizeof(err));
	bad |= (fd < 0 || (read_fd(fd, buf, sizeof(buf)), strcmp(buf, "1 sip\n") != 0)) << 5;
	bad |= (fa->write_state(fa->ctx, p->conf, "x\n", 2, err, sizeof(err)) == 0) << 6;
	return bad;
}

/* A malformed request (three bytes) is answered with an error, not served. */
static int check_malformed(struct monitor_wrap *w)
{
	struct {
		int32_t rc;
		uint32_t missing;
		char err[1024];
	} an;
	if (send(w->fd, "abc", 3, 0) != 3 || recv(w->fd, &an, sizeof(an), 0) != (ssize_t)sizeof(an))
		return 1 << 7;
	return (an.rc != -1 || !strstr(an.err, "malformed")) << 7;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The relay: bytes both ways for the agent; another process's connection closed. */
static int check_relay(const struct paths *p, int master)
{
	char buf[8] = "";
	int down = connect_to(p->relay), up = -1, bad = 0;
	if (down < 0 || write(down, "ping", 4) != 4 || (up = accept(master, NULL, NULL)) < 0)
		return 1 << 8;
	bad |= (read(up, buf, 4) != 4 || memcmp(buf, "ping", 4) != 0) << 8;
	bad |= (write(up, "pong", 4) != 4 || read(down, buf, 4) != 4 || memcmp(buf, "pong", 4))
	       << 9;
	close(up);
	bad |= (read(down, buf, 1) != 0) << 10; /* the master's end closed: the agent's too */
	close(down);
	pid_t other = fork();
	if (other == 0) {
		int fd = connect_to(p->relay);
		_exit(fd >= 0 && read(fd, buf, 1) == 0 ? 0 : 1); /* closed at once */
	}
	int st;
	waitpid(other, &st, 0);
	bad |= (!WIFEXITED(st) || WEXITSTATUS(st) != 0) << 11;
	return bad;
}

static void setup_paths(struct paths *p)
{
	snprintf(p->dir, sizeof(p->dir), "/tmp/cvp-monitor.XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	snprintf(p->conf, sizeof(p->conf), "%s/c.conf", p->dir);
	snprintf(p->missing, sizeof(p->missing), "%s/none.conf", p->dir);
	snprintf(p->state, sizeof(p->state), "%s/state/index", p->dir);
	snprintf(p->relay, sizeof(p->relay), "%s/run/agentx", p->dir);
	snprintf(p->master, sizeof(p->master), "%s/master", p->dir);
	FILE *f = fopen(p->conf, "w");
	assert_non_null(f);
	fputs("cvpRefresh 7\n", f);
	fclose(f);
}

static void monitor_serves_its_agent_only(void **state)
{
	(void)state;
	struct paths p;
	int sv[2];
	setup_paths(&p);
	int relay = relay_listen(p.relay, getgid(), logged, sizeof(logged));
	assert_true(relay >= 0);
	int master = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p.master);
	assert_int_equal(bind(master, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(master, 4), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	pid_t agent = fork();
	assert_true(agent >= 0);
	if (agent == 0) {
		struct monitor_wrap w;
		close(sv[0]);
		close(relay);
		monitor_wrap_init(&w, sv[1]);
		int bad = check_files(&w, &p) | check_malformed(&w) | check_relay(&p, master);
		monitor_wrap_free(&w);
		_exit(bad ? 100 + __builtin_ctz((unsigned)bad) : 7); /* 7: all passed */
	}
	close(sv[1]);
	char *files[] = {p.conf, p.missing};
	struct monitor_config c = {.agent = agent,
	                           .files = sv[0],
	                           .config = files,
	                           .nconfig = 2,
	                           .state = p.state,
	                           .relay = relay,
	                           .master = p.master,
	                           .log = collect};
	logged[0] = '\0';
	int status = monitor_run(&c);
	/* 7: every check passed; 100 + N: check N (the bit above) failed */
	assert_int_equal(status, 7);
	assert_non_null(strstr(logged, "refused a request of the agent's: not a file"));
	assert_non_null(strstr(logged, "AgentX relay: refused a connection from process"));
	close(relay);
	close(master);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", p.dir);
	assert_int_equal(system(cmd), 0);
}

/* An agent killed by a signal: the monitor says which and ends with status 1. */
static void monitor_reports_a_killed_agent(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	pid_t agent = fork();
	if (agent == 0) {
		struct rlimit none = {0, 0};
		setrlimit(RLIMIT_CORE, &none); /* (SIGSYS would dump a core here) */
		signal(SIGSYS, SIG_DFL);       /* (cmocka catches it) */
		raise(SIGSYS);
		_exit(0);
	}
	close(sv[1]);
	struct monitor_config c = {.agent = agent, .files = sv[0], .relay = -1, .log = collect};
	logged[0] = '\0';
	assert_int_equal(monitor_run(&c), 1);
	assert_non_null(strstr(logged, "ended by signal 31"));
	assert_non_null(strstr(logged, "seccomp allow-list"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(monitor_serves_its_agent_only),
	    cmocka_unit_test(monitor_reports_a_killed_agent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
