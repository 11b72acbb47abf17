/* Privilege separation on the live /proc: attribution through the helper, a worker given
 * garbage exits cleanly (status 2) and the next request gets a new one, and the sandbox kills a
 * worker that tries anything reading /proc does not take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "privsep.h"
#include "sandbox.h"

/* A listening socket of this process, and its inode. */
static int listener(uint64_t *inode)
{
	struct stat st;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s, 1), 0);
	assert_int_equal(fstat(s, &st), 0);
	*inode = st.st_ino;
	return s;
}

static void attribute(struct privsep *p, uint64_t inode, int want_rc, uint32_t want_pid)
{
	struct cvp_socket_list l = {0};
	struct cvp_attribution_stats st;
	struct cvp_socket *s = sock_list_add(&l);
	s->inode = inode;
	s->proto = CVP_TCP;
	int rc = privsep_attribute(p, &l, 1000000, &st);
	uint32_t pid = l.v[0].pid;
	uint8_t holder = l.v[0].holder;
	sock_list_free(&l);
	assert_int_equal(rc, want_rc);
	assert_int_equal(pid, want_pid);
	assert_int_equal(holder, want_pid ? CVP_HOLDER_PROCESS : CVP_HOLDER_UNKNOWN);
}

static void test_attribution_through_the_helper(void **state)
{
	uint64_t inode;
	(void)state;
	int s = listener(&inode);
	struct privsep *p = privsep_start("/proc");
	assert_non_null(p);
	attribute(p, inode, 0, (uint32_t)getpid());
	attribute(p, inode, 0, (uint32_t)getpid()); /* the worker keeps its cache */
	assert_int_equal(privsep_restarts(p, NULL), 0);
	privsep_stop(p);
	close(s);
}

/* Many sockets: the worker's second refresh sorts the owners it knows (glibc's qsort, which
 * for more than 1 KiB asks the kernel how much memory there is) and must not be killed by its
 * own sandbox for it. */
static void test_many_sockets_through_the_helper(void **state)
{
	enum { N = 300 };
	uint64_t inode[N];
	int fd[N];
	(void)state;
	for (int i = 0; i < N; i++)
		fd[i] = listener(&inode[i]);
	struct privsep *p = privsep_start("/proc");
	assert_non_null(p);
	for (int round = 0; round < 3; round++) {
		struct cvp_socket_list l = {0};
		struct cvp_attribution_stats st;
		for (int i = 0; i < N; i++) {
			struct cvp_socket *s = sock_list_add(&l);
			s->inode = inode[i];
			s->proto = CVP_TCP;
		}
		int rc = privsep_attribute(p, &l, 1000000 + (uint64_t)round * 1000000, &st);
		size_t found = 0;
		for (size_t i = 0; i < l.n; i++)
			found += l.v[i].pid == (uint32_t)getpid();
		sock_list_free(&l);
		assert_int_equal(rc, 0);
		assert_int_equal(found, N);
	}
	assert_int_equal(privsep_restarts(p, NULL), 0);
	privsep_stop(p);
	for (int i = 0; i < N; i++)
		close(fd[i]);
}

/* Each kind of garbage: the worker exits with status 2 (not a signal, not a crash), this
 * request fails, and the next one is served by a new worker. */
static void test_garbage_ends_the_worker_cleanly_and_it_is_restarted(void **state)
{
	static const uint32_t bad[][6] = {
	    {0xdeadbeef, 1, 0, 0, 1, 0},          /* wrong magic */
	    {0x41505643, 99, 0, 0, 1, 0},         /* wrong version */
	    {0x41505643, 1, 0, 0, 0x7fffffff, 0}, /* too many sockets */
	    {0x41505643, 1, 0, 0, 2, 0},          /* two records announced, half of one sent */
	};
	uint64_t inode;
	(void)state;
	int s = listener(&inode);
	struct privsep *p = privsep_start("/proc");
	assert_non_null(p);
	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		int fd = privsep_worker_fd(p);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, bad[k], sizeof(bad[k])), sizeof(bad[k]));
		if (k == 3) {
			assert_int_equal(write(fd, "12345678", 8), 8);
			shutdown(fd, SHUT_WR); /* the rest never comes */
		}
		attribute(p, inode, -1, 0); /* no answer from it */
		attribute(p, inode, 0, (uint32_t)getpid());
		int status;
		assert_int_equal(privsep_restarts(p, &status), k + 1);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 2)
			fail_msg("garbage %u: the worker ended with status 0x%x", k, status);
	}
	privsep_stop(p);
	close(s);
}

/* In the sandbox: a network socket, exec and kill end the process (SIGSYS); reading /proc
 * works. */
static void test_sandbox_allows_reading_proc_only(void **state)
{
	(void)state;
	for (int what = 0; what < 4; what++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			/* Made before the sandbox, as the helper's worker does. */
			struct cvp_owner_cache *c = what == 3 ? attribution_new("/proc") : NULL;
			if (sandbox_enter() < 0)
				_exit(10);
			if (what == 0)
				_exit(socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 11 : 12);
			if (what == 1) {
				char *argv[] = {"/bin/true", NULL};
				execv(argv[0], argv);
				_exit(13);
			}
			if (what == 2)
				_exit(kill(1, 0) == 0 ? 14 : 15);
			struct cvp_socket_list l = {0};
			struct cvp_attribution_stats st;
			sock_list_add(&l)->inode = 1;
			_exit(c && attribution_run(c, &l, 1, &st) == 0 ? 0 : 16);
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (what < 3 && !(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS))
			fail_msg("case %d: not killed by the filter (status 0x%x)", what, status);
		if (what == 3 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			fail_msg("reading /proc in the sandbox failed (status 0x%x)", status);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_attribution_through_the_helper),
	    cmocka_unit_test(test_many_sockets_through_the_helper),
	    cmocka_unit_test(test_garbage_ends_the_worker_cleanly_and_it_is_restarted),
	    cmocka_unit_test(test_sandbox_allows_reading_proc_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
