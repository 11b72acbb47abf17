/* The three parts of attribution one by one: the owner entry and the proc root (owner.c), the
 * watch of known owners (owner_watch.c) and the budgeted walk (owner_walk.c), on the fixture
 * tree of test_attribution.c:
 *   inode 10001: held by pids 1, 77 and 300 -> 77;  10002: pid 1 only;  10004: pid 40;
 *   99999: held by nobody.
 * Allocation failures are injected by wrapping malloc and realloc (-Wl,--wrap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>

#include "owner_walk.h"
#include "owner_watch.h"

#define TREE FIXTURES "/proc-owners"

/* Allocations left before the next one fails (-1: none fails). */
static long alloc_left = -1;

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);

static int alloc_fails(void)
{
	if (alloc_left < 0)
		return 0;
	return alloc_left-- == 0;
}

void *__wrap_malloc(size_t n)
{
	return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : __real_realloc(p, n);
}

/* Owner entries for the given inodes, sorted as the cache keeps them. */
static void entries(struct cvp_owner *v, const uint64_t *inodes, size_t n)
{
	memset(v, 0, n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i].inode = inodes[i];
		v[i].state = CVP_OWNER_SEEKING;
	}
}

static const uint64_t fixture_inodes[] = {10001, 10002, 10004, 99999};
#define NFIX (sizeof(fixture_inodes) / sizeof(fixture_inodes[0]))

static void test_proc_root_is_told_without_its_name(void **state)
{
	(void)state;
	struct cvp_proc_root r;
	owner_proc_root(&r, TREE);
	assert_int_equal(r.procfs, 0);
	assert_int_equal(r.own, 0);
	owner_proc_root(&r, "/proc/");
	assert_int_equal(r.procfs, 1);
	assert_int_equal(r.own, 1);
}

/* A procfs of another pid namespace: pids there are not ours, so no pidfd may be opened for
 * them. (In a child with mount and pid namespaces of its own; the host's /proc is untouched.) */
static void test_foreign_pid_namespace_is_not_own(void **state)
{
	(void)state;
	char dir[] = "/tmp/cvp-owner-XXXXXX";
	int res[2], ready[2];
	if (geteuid() != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	assert_int_equal(pipe(res), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int out[3] = {0, 0, 0};
		if (unshare(CLONE_NEWNS | CLONE_NEWPID) != 0 ||
		    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 || pipe(ready) != 0) {
			out[2] = 1; /* cannot: reported as a skip */
			_exit(write(res[1], out, sizeof(out)) == sizeof(out) ? 0 : 1);
		}
		pid_t init = fork(); /* pid 1 of the new namespace */
		if (init == 0) {
			char c = mount("proc", dir, "proc", 0, NULL) == 0 ? 'y' : 'n';
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		char c = 'n';
		if (init < 0 || read(ready[0], &c, 1) != 1 || c != 'y') {
			out[2] = 1;
		} else {
			struct cvp_proc_root r;
			owner_proc_root(&r, dir);
			out[0] = r.procfs;
			out[1] = r.own;
		}
		if (init > 0) {
			kill(init, SIGKILL);
			waitpid(init, NULL, 0);
		}
		_exit(write(res[1], out, sizeof(out)) == sizeof(out) ? 0 : 1);
	}
	int out[3], status;
	close(res[1]);
	ssize_t n = read(res[0], out, sizeof(out));
	waitpid(child, &status, 0);
	close(res[0]);
	rmdir(dir);
	assert_int_equal(n, sizeof(out));
	if (out[2])
		skip();
	assert_int_equal(out[0], 1); /* a procfs */
	assert_int_equal(out[1], 0); /* not ours */
}

/* One complete walk: the lowest pid other than 1 holds a shared socket; pid 1 is final once
 * the walk is past everything; a socket nobody holds is missed and backs off. */
static void test_walk_settles_each_state(void **state)
{
	(void)state;
	struct cvp_proc_root r;
	struct owner_walk w;
	struct owner_walk_stats st;
	struct cvp_owner v[NFIX];
	owner_proc_root(&r, TREE);
	owner_walk_init(&w);
	entries(v, fixture_inodes, NFIX);
	owner_walk_run(&w, &r, v, NFIX, 1000000, &st);
	assert_int_equal(st.walk_done, 1);
	assert_int_equal(v[0].state, CVP_OWNER_PROCESS);
	assert_int_equal(v[0].pid, 77);
	assert_string_equal(v[0].facts.comm, "tomcat");
	assert_int_equal(v[1].state, CVP_OWNER_PROCESS);
	assert_int_equal(v[1].pid, 1);
	assert_int_equal(v[2].pid, 40);
	assert_int_equal(v[3].state, CVP_OWNER_SEEKING);
	assert_int_equal(v[3].misses, 1);
	assert_true(v[3].retry_at > 1000000);
	/* Missed by enough complete walks: held by no process. */
	for (uint64_t t = 2; v[3].state == CVP_OWNER_SEEKING && t < 1000; t += 60)
		owner_walk_run(&w, &r, v, NFIX, t * 1000000, &st);
	assert_int_equal(v[3].state, CVP_OWNER_NONE);
	assert_int_equal(v[3].misses, CVP_ATTR_KERNEL_AFTER);
	owner_walk_free(&w);
}

/* Out of memory while listing the processes: the walk is inconclusive, so a socket it could
 * not look for is never taken as held by no process; with memory back it is found. */
static void test_walk_short_of_memory_concludes_nothing(void **state)
{
	(void)state;
	struct cvp_proc_root r;
	struct owner_walk w;
	struct owner_walk_stats st;
	struct cvp_owner v[1];
	const uint64_t inode = 10004;
	owner_proc_root(&r, TREE);
	owner_walk_init(&w);
	entries(v, &inode, 1);
	uint64_t t = 1000000;
	for (int i = 0; i < 3 * CVP_ATTR_KERNEL_AFTER; i++, t += CVP_ATTR_BACKOFF_MAX_US) {
		alloc_left = 0; /* the list of pids cannot be had */
		owner_walk_run(&w, &r, v, 1, t, &st);
		alloc_left = -1;
		assert_int_equal(st.walk_done, 1);
		assert_int_equal(v[0].state, CVP_OWNER_SEEKING);
		assert_int_equal(v[0].misses, 0);
	}
	owner_walk_run(&w, &r, v, 1, t, &st);
	assert_int_equal(v[0].state, CVP_OWNER_PROCESS);
	assert_int_equal(v[0].pid, 40);
	owner_walk_free(&w);
}

/* Without pidfds (a fixture tree), each known owner is re-read by readlink: one that no
 * longer holds its socket is lost, the others keep their owner and get their facts anew. */
static void test_watch_rechecks_by_readlink_off_the_live_proc(void **state)
{
	(void)state;
	struct cvp_proc_root r;
	struct owner_watch w;
	struct owner_watch_stats st;
	struct cvp_owner v[2];
	const uint64_t inodes[2] = {10001, 10004};
	const struct cvp_proc_facts stale = {.comm = "old", .ruid = 5, .euid = 5};
	owner_proc_root(&r, TREE);
	owner_watch_init(&w);
	entries(v, inodes, 2);
	owner_found(&v[0], 77, 9, &stale); /* 77 holds 10001 as fd 5, not 9 */
	owner_found(&v[1], 40, 3, &stale);
	assert_int_equal(owner_watch_run(&w, &r, v, 2, &st), 0);
	assert_int_equal(st.watched, 0);
	assert_int_equal(st.rechecks, 2);
	assert_int_equal(v[0].state, CVP_OWNER_SEEKING);
	assert_int_equal(v[1].state, CVP_OWNER_PROCESS);
	assert_string_equal(v[1].facts.comm, "sshd");
	owner_watch_free(&w);
}

/* On the live /proc, an owning process is watched through a pidfd; when it exits, its socket
 * is lost at the next run. */
static void test_watch_sees_an_owner_exit_through_its_pidfd(void **state)
{
	(void)state;
	struct cvp_proc_root r;
	struct owner_watch w;
	struct owner_watch_stats st;
	struct cvp_owner v[1];
	const struct cvp_proc_facts f = {.comm = "sleeper"};
	int gate[2], sk = socket(AF_INET, SOCK_STREAM, 0);
	struct stat sb;
	assert_true(sk >= 0);
	assert_int_equal(fstat(sk, &sb), 0);
	const uint64_t inode = (uint64_t)sb.st_ino;
	assert_int_equal(pipe(gate), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		close(gate[1]);
		_exit(read(gate[0], &c, 1) < 0);
	}
	close(gate[0]);
	close(sk); /* the child's copy alone holds it */
	owner_proc_root(&r, "/proc");
	owner_watch_init(&w);
	entries(v, &inode, 1);
	owner_found(&v[0], (uint32_t)pid, sk, &f);
	assert_int_equal(owner_watch_run(&w, &r, v, 1, &st), 0);
	if (st.watched == 0) { /* no pidfds on this kernel */
		close(gate[1]);
		waitpid(pid, NULL, 0);
		owner_watch_free(&w);
		skip();
	}
	assert_int_equal(st.exited, 0);
	assert_int_equal(v[0].state, CVP_OWNER_PROCESS);
	close(gate[1]);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(owner_watch_run(&w, &r, v, 1, &st), 0);
	assert_int_equal(st.exited, 1);
	assert_int_equal(v[0].state, CVP_OWNER_SEEKING);
	owner_watch_free(&w);
}

/* Out of memory at each of the watch's allocations: it says so, keeps no descriptor it
 * cannot account for, and works again afterwards. */
static void test_watch_short_of_memory_fails_cleanly(void **state)
{
	(void)state;
	struct cvp_proc_root r;
	struct owner_watch w;
	struct owner_watch_stats st;
	struct cvp_owner v[1];
	const struct cvp_proc_facts f = {.comm = "self"};
	int sk = socket(AF_INET, SOCK_STREAM, 0);
	struct stat sb;
	assert_true(sk >= 0);
	assert_int_equal(fstat(sk, &sb), 0);
	const uint64_t inode = (uint64_t)sb.st_ino;
	owner_proc_root(&r, "/proc");
	owner_watch_init(&w);
	entries(v, &inode, 1);
	owner_found(&v[0], (uint32_t)getpid(), sk, &f);
	int failed = 0;
	for (long k = 0; k < 4; k++) {
		alloc_left = k;
		int rc = owner_watch_run(&w, &r, v, 1, &st);
		alloc_left = -1;
		failed += rc < 0;
		assert_int_equal(v[0].state, CVP_OWNER_PROCESS);
	}
	assert_true(failed > 0);
	assert_int_equal(owner_watch_run(&w, &r, v, 1, &st), 0);
	assert_int_equal(v[0].state, CVP_OWNER_PROCESS);
	owner_watch_free(&w);
	close(sk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_proc_root_is_told_without_its_name),
	    cmocka_unit_test(test_foreign_pid_namespace_is_not_own),
	    cmocka_unit_test(test_walk_settles_each_state),
	    cmocka_unit_test(test_walk_short_of_memory_concludes_nothing),
	    cmocka_unit_test(test_watch_rechecks_by_readlink_off_the_live_proc),
	    cmocka_unit_test(test_watch_sees_an_owner_exit_through_its_pidfd),
	    cmocka_unit_test(test_watch_short_of_memory_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
