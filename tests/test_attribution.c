/* Process attribution against a fixture /proc tree:
 *   inode 10001: held by pids 1, 77 and 300 -> lowest pid other than 1: 77 (tomcat)
 *   inode 10002: held by pid 1 only (socket activation) -> 1 (systemd)
 *   inode 10004: held by pid 40 (sshd)
 *   inode 99999: held by nobody -> not found; held by none after CVP_ATTR_KERNEL_AFTER complete
 *                walks, and (root's) the kernel's once that has held CVP_ATTR_KERNEL_SETTLED
 *                times
 *   pid 500 has no fd directory (exited mid-walk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>

#include "attribution.h"
#include "test_sockets.h"

#define TREE FIXTURES "/proc-owners"

static struct cvp_socket *add(struct cvp_socket_list *l, uint64_t inode)
{
	struct cvp_socket *s = sock_list_add(l);
	s->inode = inode;
	s->proto = CVP_TCP;
	s->family = 4;
	s->port = (uint16_t)(inode % 60000);
	return s;
}

/* Each test: an owner cache, the socket list it attributes, and the last call's stats. */
struct fx {
	struct cvp_owner_cache *cache; /* made by the first call, for its proc root */
	const char *root;
	struct cvp_socket_list l;
	struct cvp_attribution_stats st;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof(f));
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	attribution_free(f->cache);
	sock_list_free(&f->l);
	return 0;
}

/* The test's owner cache, reading proc_root (one per test). */
static struct cvp_owner_cache *cache(struct fx *f, const char *proc_root)
{
	if (!f->cache) {
		f->cache = attribution_new(proc_root);
		f->root = proc_root;
		assert_non_null(f->cache);
		/* The real /proc holds every process of the machine (other tests' too): these tests
		 * are about what a walk concludes, not its budget, so it always completes. */
		if (strcmp(proc_root, "/proc") == 0)
			attribution_set_walk_budget(f->cache, 100000000u, 100000000u, NULL);
	}
	assert_string_equal(f->root, proc_root);
	return f->cache;
}

static void attribute(struct fx *f, const char *proc_root, uint64_t now_us)
{
	assert_int_equal(attribution_run(cache(f, proc_root), &f->l, now_us, &f->st), 0);
}

static void test_cold_walk_finds_owners(void **state)
{
	struct fx *f = *state;
	add(&f->l, 10001);
	add(&f->l, 10002);
	add(&f->l, 10004);
	add(&f->l, 99999);
	attribute(f, TREE, 0);
	assert_int_equal(f->st.walks, 1);
	assert_int_equal(by_inode(&f->l, 10001)->pid, 77);
	assert_string_equal(by_inode(&f->l, 10001)->comm, "tomcat");
	assert_int_equal(by_inode(&f->l, 10002)->pid, 1);
	assert_string_equal(by_inode(&f->l, 10002)->comm, "systemd");
	assert_int_equal(by_inode(&f->l, 10004)->pid, 40);
	assert_string_equal(by_inode(&f->l, 10004)->comm, "sshd");
	assert_int_equal(by_inode(&f->l, 99999)->pid, 0);
	assert_string_equal(by_inode(&f->l, 99999)->comm, "");
	/* Not found once is not kernel-owned: it is looked for again. */
	assert_int_equal(f->st.kernel_owned, 0);
	assert_int_equal(f->st.unattributed, 1);
}

static void test_not_found_backs_off_then_is_kernel_owned(void **state)
{
	struct fx *f = *state;
	const uint64_t s = 1000000;
	add(&f->l, 10004);
	add(&f->l, 99999);
	attribute(f, TREE, 10 * s); /* walk 1 misses 99999: again in 1 s */
	assert_int_equal(f->st.walk_done, 1);
	attribute(f, TREE, 10 * s + s / 2);
	assert_int_equal(f->st.walks, 0);
	assert_int_equal(f->st.unattributed, 1);
	attribute(f, TREE, 11 * s); /* walk 2 misses it: again in 2 s */
	assert_int_equal(f->st.walks, 1);
	assert_int_equal(f->st.unattributed, 1);
	attribute(f, TREE, 12 * s);
	assert_int_equal(f->st.walks, 0);
	attribute(f, TREE, 13 * s); /* walk 3: the third miss: held by none, a hypothesis yet */
	assert_int_equal(f->st.walks, 1);
	assert_int_equal(f->st.kernel_owned, 0);
	assert_int_equal(f->st.unattributed, 1);
	assert_int_equal(by_inode(&f->l, 99999)->holder, CVP_HOLDER_UNKNOWN);
	assert_int_equal(by_inode(&f->l, 10004)->pid, 40);
	/* held by none: no walk for it every refresh ... */
	attribute(f, TREE, 14 * s);
	assert_int_equal(f->st.walks, 0);
	/* ... but it is looked for again, soon and then less often (2, 4, 8 ... s, at most
	 * CVP_ATTR_KERNEL_RECHECK_US), one more miss making it held by none again at once; root's,
	 * it is the kernel's once that has held CVP_ATTR_KERNEL_SETTLED times (unattributed, its
	 * holder unknown, until then) */
	uint64_t t = 13 * s, gap = CVP_ATTR_KERNEL_RECHECK_FIRST_US;
	for (int k = 2; k <= CVP_ATTR_KERNEL_SETTLED; k++, gap *= 2) {
		attribute(f, TREE, t + gap - 1);
		assert_int_equal(f->st.walks, 0);
		t += gap;
		attribute(f, TREE, t);
		assert_int_equal(f->st.walks, 1);
		assert_int_equal(f->st.kernel_owned, k == CVP_ATTR_KERNEL_SETTLED);
		assert_int_equal(f->st.unattributed, k != CVP_ATTR_KERNEL_SETTLED);
	}
	assert_int_equal(by_inode(&f->l, 99999)->holder, CVP_HOLDER_NONE);
	for (int k = 0; k < 10; k++) { /* the gap stops growing at the cap */
		t += CVP_ATTR_KERNEL_RECHECK_US;
		attribute(f, TREE, t);
	}
	attribute(f, TREE, t + CVP_ATTR_KERNEL_RECHECK_US - 1);
	assert_int_equal(f->st.walks, 0);
	attribute(f, TREE, t + CVP_ATTR_KERNEL_RECHECK_US);
	assert_int_equal(f->st.walks, 1);
}

static void test_warm_refresh_rechecks_without_walking(void **state)
{
	struct fx *f = *state;
	add(&f->l, 10001);
	add(&f->l, 10004);
	add(&f->l, 99999);
	attribute(f, TREE, 0);
	assert_int_equal(f->st.walks, 1);
	/* The same listeners again: one readlink per cached owner, the kernel-owned one is not
	 * re-checked and causes no walk. */
	memset(f->l.v[0].comm, 0, sizeof(f->l.v[0].comm));
	f->l.v[0].pid = 0;
	attribute(f, TREE, 0);
	assert_int_equal(f->st.walks, 0);
	assert_int_equal(f->st.rechecks, 2);
	assert_int_equal(by_inode(&f->l, 10001)->pid, 77);
	assert_string_equal(by_inode(&f->l, 10001)->comm, "tomcat");
	assert_int_equal(by_inode(&f->l, 99999)->pid, 0);
	/* A new inode triggers a walk. */
	add(&f->l, 10002);
	attribute(f, TREE, 0);
	assert_int_equal(f->st.walks, 1);
	assert_int_equal(by_inode(&f->l, 10002)->pid, 1);
}

/* Makes TREE/PID/fd/FD -> target; its path is left in path. */
static void fd_link(const char *tree, unsigned pid, int fd, const char *target, char *path,
                    size_t len)
{
	snprintf(path, len, "%s/%u", tree, pid);
	mkdir(path, 0755);
	snprintf(path, len, "%s/%u/fd", tree, pid);
	mkdir(path, 0755);
	snprintf(path, len, "%s/%u/fd/%d", tree, pid, fd);
	assert_int_equal(symlink(target, path), 0);
}

static void test_owner_gone_is_found_again(void **state)
{
	char tree[] = "/tmp/cvp-attrib-XXXXXX", path[256];
	struct fx *f = *state;
	assert_non_null(mkdtemp(tree));
	fd_link(tree, 10, 7, "socket:[4242]", path, sizeof(path));
	add(&f->l, 4242);
	attribute(f, tree, 0);
	assert_int_equal(f->l.v[0].pid, 10);

	/* The process closes the socket and another takes it over (fd passing). */
	unlink(path);
	fd_link(tree, 20, 3, "socket:[4242]", path, sizeof(path));
	attribute(f, tree, 0);
	assert_int_equal(f->st.rechecks, 1);
	assert_int_equal(f->st.walks, 1);
	assert_int_equal(f->l.v[0].pid, 20);

	unlink(path);
	snprintf(path, sizeof(path), "rm -rf %s", tree);
	assert_int_equal(system(path), 0);
}

static void test_cache_drops_closed_listeners(void **state)
{
	struct fx *f = *state;
	add(&f->l, 10001);
	add(&f->l, 10004);
	attribute(f, TREE, 0);
	sock_list_clear(&f->l);
	add(&f->l, 10004);
	attribute(f, TREE, 0);
	assert_int_equal(f->st.rechecks, 1);
	/* 10001 comes back: no longer cached, so it is walked for again */
	add(&f->l, 10001);
	attribute(f, TREE, 0);
	assert_int_equal(f->st.walks, 1);
}

static void test_new_udp_sockets_walk_at_most_every_interval(void **state)
{
	struct fx *f = *state;
	const uint64_t t0 = 1000000;

	add(&f->l, 10004)->proto = CVP_UDP;
	attribute(f, TREE, t0);
	assert_int_equal(f->st.walks, 1); /* the first walk is never deferred */
	assert_int_equal(by_inode(&f->l, 10004)->pid, 40);

	/* another new UDP socket soon after: no walk yet, no process shown, not taken for the
	 * kernel's */
	add(&f->l, 10001)->proto = CVP_UDP;
	attribute(f, TREE, t0 + 1000000);
	assert_int_equal(f->st.walks, 0);
	assert_int_equal(f->st.deferred, 1);
	assert_int_equal(f->st.kernel_owned, 0);
	assert_int_equal(by_inode(&f->l, 10001)->pid, 0);
	assert_int_equal(by_inode(&f->l, 10004)->pid, 40);

	/* a new TCP listener is looked for at once, and the deferred socket with it */
	add(&f->l, 10002);
	attribute(f, TREE, t0 + 2000000);
	assert_int_equal(f->st.walks, 1);
	assert_int_equal(by_inode(&f->l, 10002)->pid, 1);
	assert_int_equal(by_inode(&f->l, 10001)->pid, 77);

	/* a new UDP socket of a user's that no process holds: deferred until the interval has
	 * passed, then missed by walks an interval apart until it is held by none (a user's: at
	 * once, no kernel to wait for) */
	add(&f->l, 77777)->proto = CVP_UDP;
	f->l.v[f->l.n - 1].uid = 1000;
	attribute(f, TREE, t0 + 3000000);
	assert_int_equal(f->st.deferred, 1);
	assert_int_equal(f->st.unattributed, 1);
	for (unsigned k = 1; k <= CVP_ATTR_KERNEL_AFTER; k++) {
		attribute(f, TREE, t0 + 2000000 + k * CVP_UDP_WALK_INTERVAL_US);
		assert_int_equal(f->st.walks, 1);
		assert_int_equal(f->st.orphaned, k == CVP_ATTR_KERNEL_AFTER);
	}
	assert_int_equal(by_inode(&f->l, 77777)->holder, CVP_HOLDER_NONE);
	assert_int_equal(by_inode(&f->l, 77777)->pid, 0);
}

/* A tree of `procs` processes (pids 100, 101, ...) with `fds` non-socket descriptors each; the
 * last one also holds socket:[5150]. */
static void make_tree(char *tree, unsigned procs, unsigned fds)
{
	char path[256];
	assert_non_null(mkdtemp(tree));
	for (unsigned p = 0; p < procs; p++)
		for (unsigned d = 0; d < fds; d++)
			fd_link(tree, 100 + p, (int)d, "pipe:[1]", path, sizeof(path));
	fd_link(tree, 100 + procs - 1, (int)fds, "socket:[5150]", path, sizeof(path));
}

static void remove_tree(const char *tree)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	assert_int_equal(system(cmd), 0);
}

/* A fake CPU clock: every reading advances it by 10 us, and the walk reads it once per process
 * visited (and once when it starts): each process costs 10 us of the budget. */
static uint64_t fake_cpu;
static uint64_t fake_cpu_us(void)
{
	return fake_cpu += 10;
}

static void test_walk_is_budgeted_and_resumes(void **state)
{
	struct fx *f = *state;
	char tree[] = "/tmp/cvp-attrib-XXXXXX";
	const unsigned procs = 20;
	make_tree(tree, procs, 5);
	/* Two processes' worth of CPU time per second. */
	attribution_set_walk_budget(cache(f, tree), 20, 20, fake_cpu_us);
	add(&f->l, 5150);
	unsigned runs = 0;
	do {
		attribute(f, tree, (uint64_t)runs * 1000000u);
		runs++;
		assert_int_equal(f->st.walks, 1);
		assert_true(f->st.walk_us <= 20);
		if (runs < procs / 2) {
			assert_int_equal(f->l.v[0].pid, 0);
			assert_int_equal(f->st.unattributed, 1);
			assert_int_equal(f->st.walk_done, 0);
		}
	} while (f->l.v[0].pid == 0 && runs < 100);
	/* Found by one walk resumed over runs, within the time the budget gives it. */
	assert_int_equal(runs, procs / 2);
	assert_int_equal(f->l.v[0].pid, 100 + procs - 1);
	assert_int_equal(f->st.walk_done, 1);
	remove_tree(tree);
}

/* A process started while a walk runs (a new holder) is visited by that walk, after the
 * processes it listed: the socket is found without a miss and without waiting for another
 * walk. */
static void test_walk_visits_processes_started_meanwhile(void **state)
{
	struct fx *f = *state;
	char tree[] = "/tmp/cvp-attrib-XXXXXX", path[256];
	make_tree(tree, 10, 5); /* pids 100..109; 109 holds 5150 */
	attribution_set_walk_budget(cache(f, tree), 20, 20, fake_cpu_us);
	add(&f->l, 5150);
	add(&f->l, 7070); /* held by nobody yet */
	attribute(f, tree, 0);
	assert_int_equal(f->st.walk_done, 0);
	fd_link(tree, 500, 3, "socket:[7070]", path, sizeof(path)); /* starts, takes it over */
	unsigned runs = 1;
	do {
		attribute(f, tree, (uint64_t)runs * 1000000u);
		runs++;
	} while (!f->st.walk_done && runs < 100);
	assert_int_equal(by_inode(&f->l, 5150)->pid, 109);
	assert_int_equal(by_inode(&f->l, 7070)->pid, 500); /* in the same walk */
	assert_int_equal(f->st.unattributed, 0);
	remove_tree(tree);
}

/* "Held by no process" is a hypothesis: a holder that hopped while the walks ran and then
 * settled (a daemon that binds before it daemonizes) is found at the first re-seek, seconds
 * later, not minutes. */
static void test_settled_holder_is_found_soon_after_held_by_none(void **state)
{
	struct fx *f = *state;
	char tree[] = "/tmp/cvp-attrib-XXXXXX", path[256];
	const uint64_t s = 1000000;
	assert_non_null(mkdtemp(tree));
	fd_link(tree, 10, 3, "pipe:[1]", path, sizeof(path));
	add(&f->l, 8080)->uid = 0; /* root's, as a daemon's */
	uint64_t t = 10 * s;
	/* walks at 10, 11 and 13 s miss it (back-off 1, 2 s): held by none ... */
	for (int walk = 0; walk < 4; walk++, t += s)
		attribute(f, tree, t);
	assert_int_equal(f->st.kernel_owned, 0); /* ... a hypothesis: not the kernel's yet */
	assert_int_equal(f->st.unattributed, 1);
	fd_link(tree, 600, 4, "socket:[8080]", path, sizeof(path)); /* the holder settles */
	attribute(f, tree, 13 * s + CVP_ATTR_KERNEL_RECHECK_FIRST_US);
	assert_int_equal(by_inode(&f->l, 8080)->pid, 600);
	assert_int_equal(f->st.unattributed, 0);
	remove_tree(tree);
}

static void test_socket_held_by_nobody_for_a_moment_is_found(void **state)
{
	struct fx *f = *state;
	char tree[] = "/tmp/cvp-attrib-XXXXXX", path[256];
	assert_non_null(mkdtemp(tree));
	fd_link(tree, 10, 3, "pipe:[1]", path, sizeof(path));
	/* In flight (SCM_RIGHTS): no process holds it when it is first seen. */
	add(&f->l, 6161);
	attribute(f, tree, 1000000);
	assert_int_equal(f->st.walk_done, 1);
	assert_int_equal(f->st.unattributed, 1);
	assert_int_equal(f->st.kernel_owned, 0);
	/* Received: found at the next walk, after the back-off. */
	fd_link(tree, 20, 4, "socket:[6161]", path, sizeof(path));
	attribute(f, tree, 2000000);
	assert_int_equal(f->l.v[0].pid, 20);
	assert_int_equal(f->st.unattributed, 0);
	remove_tree(tree);
}

/* With no file descriptor to spare, a walk concludes nothing: the socket is neither found nor
 * taken as kernel-owned, however often it is tried; with descriptors back it is found. */
static void test_fd_shortage_is_not_not_found(void **state)
{
	struct fx *f = *state;
	struct rlimit old, tight;
	add(&f->l, 10004);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	int lowest = dup(0);
	assert_true(lowest >= 0);
	close(lowest);
	tight = old;
	tight.rlim_cur = (rlim_t)lowest; /* no new descriptor can be opened */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &tight), 0);
	for (unsigned k = 0; k < 2 * CVP_ATTR_KERNEL_AFTER; k++)
		attribute(f, TREE, (uint64_t)k * CVP_ATTR_BACKOFF_MAX_US);
	int short_fds = f->st.fd_short > 0;
	unsigned kernel = f->st.kernel_owned, unattributed = f->st.unattributed;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_true(short_fds);
	assert_int_equal(kernel, 0);
	assert_int_equal(unattributed, 1);
	attribute(f, TREE, 2 * CVP_ATTR_KERNEL_AFTER * (uint64_t)CVP_ATTR_BACKOFF_MAX_US);
	assert_int_equal(by_inode(&f->l, 10004)->pid, 40);
}

/* On the live /proc: a process (first) holding a socket, and a child of it holding the same
 * socket. The first process obeys commands: 'c' closes its copy (acknowledged), 'x' exits. */
struct holder {
	pid_t first, child;
	uint64_t inode;
	int info[2], go[2];
};

static void holder_start(struct holder *h)
{
	assert_int_equal(pipe(h->info), 0);
	assert_int_equal(pipe(h->go), 0);
	h->first = fork();
	assert_true(h->first >= 0);
	if (h->first == 0) {
		struct stat sb;
		char c;
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0 || fstat(s, &sb) < 0)
			_exit(1);
		pid_t child = fork();
		if (child == 0) {
			pause(); /* keeps s until killed */
			_exit(0);
		}
		uint64_t msg[2] = {(uint64_t)sb.st_ino, (uint64_t)child};
		if (write(h->info[1], msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		while (read(h->go[0], &c, 1) == 1 && c == 'c')
			if (close(s) < 0 || write(h->info[1], "k", 1) != 1)
				_exit(1);
		_exit(0);
	}
	uint64_t msg[2];
	assert_int_equal(read(h->info[0], msg, sizeof(msg)), sizeof(msg));
	h->inode = msg[0];
	h->child = (pid_t)msg[1];
}

static void holder_tell(struct holder *h, char c)
{
	char ack;
	assert_int_equal(write(h->go[1], &c, 1), 1);
	if (c == 'c')
		assert_int_equal(read(h->info[0], &ack, 1), 1);
	else
		assert_int_equal(waitpid(h->first, NULL, 0), h->first);
}

static void holder_stop(struct holder *h)
{
	kill(h->child, SIGKILL);
	/* still ours unless reaped by holder_tell 'x': then waitpid fails and nothing is sent */
	if (waitpid(h->first, NULL, WNOHANG) == 0) {
		kill(h->first, SIGKILL);
		waitpid(h->first, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		close(h->info[i]);
		close(h->go[i]);
	}
}

/* The holder of a socket forks and exits; its pidfd says so at the next refresh and the socket
 * is found in the child. */
static void test_owner_that_forks_and_exits_is_followed(void **state)
{
	struct fx *f = *state;
	struct holder h;
	holder_start(&h);
	add(&f->l, h.inode);
	attribute(f, "/proc", 1000000);
	assert_int_equal(f->l.v[0].pid, (uint32_t)h.first);
	attribute(f, "/proc", 2000000);
	assert_int_equal(f->st.walks, 0);
	assert_int_equal(f->l.v[0].pid, (uint32_t)h.first);
	int watched = f->st.watched;

	holder_tell(&h, 'x');
	attribute(f, "/proc", 3000000);
	unsigned exited = f->st.exited;
	uint32_t now = f->l.v[0].pid;
	holder_stop(&h);
	if (watched) { /* a kernel or filter without pidfd_open: readlink found it instead */
		assert_int_equal(exited, 1);
	}
	assert_int_equal(now, (uint32_t)h.child);
}

/* The owner closes the socket but lives on, and a child keeps it. The owner is watched
 * (alive), so only the sweep's re-read can notice: at the next refresh. */
static void test_owner_alive_without_the_socket_is_noticed(void **state)
{
	struct fx *f = *state;
	struct holder h;
	holder_start(&h);
	add(&f->l, h.inode);
	attribute(f, "/proc", 1000000);
	assert_int_equal(f->l.v[0].pid, (uint32_t)h.first);
	holder_tell(&h, 'c');
	attribute(f, "/proc", 2000000);
	uint32_t now = f->l.v[0].pid;
	unsigned exited = f->st.exited, rechecks = f->st.rechecks;
	holder_stop(&h);
	assert_int_equal(exited, 0); /* the owner is alive */
	assert_true(rechecks >= 1);
	assert_int_equal(now, (uint32_t)h.child);
}

/* On the live /proc: a child holding a socket that renames itself ('n') and then changes user
 * ('u', to nobody), acknowledging each. Its facts follow at the next refresh. */
static void test_owner_facts_follow_rename_and_setuid(void **state)
{
	struct fx *f = *state;
	int info[2], go[2];
	struct stat sb;
	if (geteuid() != 0)
		skip(); /* setuid needs root */
	assert_int_equal(pipe(info), 0);
	assert_int_equal(pipe(go), 0);
	int sk = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(sk >= 0);
	assert_int_equal(fstat(sk, &sb), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		char c;
		while (read(go[0], &c, 1) == 1) {
			if (c == 'n' && prctl(PR_SET_NAME, "renamed-holder") != 0)
				_exit(1);
			if (c == 'u' && setresuid(65534, 65534, 65534) != 0)
				_exit(1);
			if (write(info[1], "k", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(sk); /* the child's copy only */
	char ack;
	add(&f->l, (uint64_t)sb.st_ino);
	attribute(f, "/proc", 1000000);
	struct cvp_socket first = f->l.v[0];
	assert_int_equal(write(go[1], "n", 1), 1);
	assert_int_equal(read(info[0], &ack, 1), 1);
	attribute(f, "/proc", 2000000);
	struct cvp_socket renamed = f->l.v[0];
	assert_int_equal(write(go[1], "u", 1), 1);
	assert_int_equal(read(info[0], &ack, 1), 1);
	attribute(f, "/proc", 3000000);
	struct cvp_socket setuid_ = f->l.v[0];
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (int i = 0; i < 2; i++) {
		close(info[i]);
		close(go[i]);
	}
	assert_int_equal(first.pid, (uint32_t)child);
	assert_int_equal(first.holder, CVP_HOLDER_PROCESS);
	assert_int_equal(first.proc_uid, 0);
	assert_int_equal(first.proc_euid, 0);
	assert_string_equal(renamed.comm, "renamed-holder");
	assert_int_equal(renamed.proc_uid, 0);
	assert_int_equal(setuid_.pid, (uint32_t)child);
	assert_int_equal(setuid_.proc_uid, 65534);
	assert_int_equal(setuid_.proc_euid, 65534);
}

/* A socket passed over a socketpair to its own process and closed there: no process holds it
 * (it is in flight). A user's socket is then orphaned, never taken as the kernel's; root's
 * is the kernel's. */
static void test_socket_no_process_holds_is_the_kernels_only_when_roots(void **state)
{
	struct fx *f = *state;
	int sp[2];
	struct stat sb;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	int sk = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(sk >= 0);
	assert_int_equal(fstat(sk, &sb), 0);
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr m = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &sk, sizeof(int));
	assert_int_equal(sendmsg(sp[0], &m, 0), 1);
	close(sk);

	struct cvp_socket *user = add(&f->l, (uint64_t)sb.st_ino);
	user->uid = 65534;
	const uint64_t s1 = 1000000;
	uint64_t t = s1;
	/* Complete walks (on a busy machine a walk takes more refreshes: it visits the processes
	 * started meanwhile too). */
	for (unsigned done = 0, i = 0; done < CVP_ATTR_KERNEL_AFTER && i < 100;
	     i++, t += CVP_ATTR_BACKOFF_MAX_US) {
		attribute(f, "/proc", t);
		done += f->st.walk_done;
	}
	unsigned orphaned = f->st.orphaned, unattributed = f->st.unattributed,
	         kernel = f->st.kernel_owned;
	uint8_t holder = f->l.v[0].holder;
	/* the same socket as root's */
	f->l.v[0].uid = 0;
	attribute(f, "/proc", t);
	unsigned root_kernel = f->st.kernel_owned, root_unattributed = f->st.unattributed;
	/* Looked for again after a while: still held by none while it is searched for. */
	f->l.v[0].uid = 65534;
	attribute(f, "/proc", t + CVP_ATTR_KERNEL_RECHECK_US);
	uint8_t reseek_holder = f->l.v[0].holder;
	close(sp[0]);
	close(sp[1]);
	assert_int_equal(holder, CVP_HOLDER_NONE);
	assert_int_equal(orphaned, 1);
	assert_int_equal(unattributed, 1);
	assert_int_equal(kernel, 0);
	assert_int_equal(root_kernel, 0); /* root's: the kernel's only once that has held a while */
	assert_int_equal(root_unattributed, 1);
	assert_int_equal(reseek_holder, CVP_HOLDER_NONE);
}

/* A /proc mounted with hidepid=2, read as nobody: root's processes are invisible, so no walk
 * may conclude that nobody holds root's socket. It stays unattributed, and the walk says it
 * is blind. (In a child with a mount namespace of its own: the host's /proc is untouched.) */
static void test_hidepid_makes_walks_inconclusive(void **state)
{
	(void)state;
	char dir[] = "/tmp/cvp-hidepid-XXXXXX";
	struct stat sb;
	int res[2];
	if (geteuid() != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	int sk = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(sk >= 0);
	assert_int_equal(fstat(sk, &sb), 0);
	assert_int_equal(pipe(res), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		unsigned out[4] = {0};
		close(sk);
		if (unshare(CLONE_NEWNS) != 0 ||
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) ||
		    mount("proc", dir, "proc", 0, "hidepid=2") != 0) {
			out[3] = 1; /* cannot: reported as a skip */
		} else if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) {
			_exit(1);
		} else {
			struct cvp_owner_cache *c = attribution_new(dir);
			struct cvp_socket_list l = {0};
			struct cvp_attribution_stats st;
			add(&l, (uint64_t)sb.st_ino);
			uint64_t t = 1000000;
			for (int i = 0; i < 2 * CVP_ATTR_KERNEL_AFTER;
			     i++, t += CVP_ATTR_BACKOFF_MAX_US) {
				if (!c || attribution_run(c, &l, t, &st) < 0)
					_exit(1);
				out[2] |= st.blind;
			}
			out[0] = st.unattributed;
			out[1] = st.kernel_owned;
			attribution_free(c);
			sock_list_free(&l);
		}
		_exit(write(res[1], out, sizeof(out)) == sizeof(out) ? 0 : 1);
	}
	unsigned out[4];
	int status;
	close(res[1]);
	ssize_t n = read(res[0], out, sizeof(out));
	waitpid(child, &status, 0);
	close(res[0]);
	close(sk);
	rmdir(dir);
	assert_int_equal(n, sizeof(out));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (out[3])
		skip();              /* no mount namespace here */
	assert_int_equal(out[0], 1); /* unattributed */
	assert_int_equal(out[1], 0); /* never kernel-owned */
	assert_int_equal(out[2], 1); /* the walk said it is blind */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cold_walk_finds_owners, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_warm_refresh_rechecks_without_walking, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_owner_gone_is_found_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_drops_closed_listeners, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_new_udp_sockets_walk_at_most_every_interval, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_not_found_backs_off_then_is_kernel_owned, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_walk_is_budgeted_and_resumes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_visits_processes_started_meanwhile, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_settled_holder_is_found_soon_after_held_by_none,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_socket_held_by_nobody_for_a_moment_is_found, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_fd_shortage_is_not_not_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_owner_that_forks_and_exits_is_followed, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_owner_facts_follow_rename_and_setuid, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_socket_no_process_holds_is_the_kernels_only_when_roots, setup, teardown),
	    cmocka_unit_test(test_hidepid_makes_walks_inconclusive),
	    cmocka_unit_test_setup_teardown(test_owner_alive_without_the_socket_is_noticed, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
