/* Process attribution against a fixture /proc tree:
 *   inode 10001: held by pids 1, 77 and 300 -> lowest pid other than 1: 77 (tomcat)
 *   inode 10002: held by pid 1 only (socket activation) -> 1 (systemd)
 *   inode 10004: held by pid 40 (sshd)
 *   inode 99999: held by nobody -> kernel-owned, pid 0
 *   pid 500 has no fd directory (exited mid-walk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	struct cvp_owner_cache *cache;
	struct cvp_socket_list l;
	struct cvp_attribution_stats st;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof(f));
	f.cache = attribution_new();
	*state = &f;
	return f.cache ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	attribution_free(f->cache);
	sock_list_free(&f->l);
	return 0;
}

static void attribute(struct fx *f, const char *proc_root, uint64_t now_us)
{
	assert_int_equal(attribution_run(f->cache, proc_root, &f->l, now_us, &f->st), 0);
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
	assert_int_equal(f->st.kernel_owned, 1);
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

	/* a new UDP socket owned by nobody: deferred until the interval has passed */
	add(&f->l, 77777)->proto = CVP_UDP;
	attribute(f, TREE, t0 + 3000000);
	assert_int_equal(f->st.deferred, 1);
	attribute(f, TREE, t0 + 2000000 + CVP_UDP_WALK_INTERVAL_US);
	assert_int_equal(f->st.walks, 1);
	assert_int_equal(f->st.kernel_owned, 1);
	assert_int_equal(by_inode(&f->l, 77777)->pid, 0);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
