/* The /proc/net scanner against fixture tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "scan_procfs.h"
#include "proc_sysctl.h"

static const struct cvp_socket *find(const struct cvp_socket_list *l, int proto, unsigned port,
                                     uint64_t inode)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].proto == proto && l->v[i].port == port && l->v[i].inode == inode)
			return &l->v[i];
	return NULL;
}

static void assert_addr(const struct cvp_socket *s, int family, const char *text)
{
	uint8_t want[16] = {0};
	assert_non_null(s);
	assert_int_equal(s->family, family);
	assert_int_equal(inet_pton(family == 4 ? AF_INET : AF_INET6, text, want), 1);
	assert_memory_equal(s->addr, want, family == 4 ? 4 : 16);
}

static void test_fixture_tree_listeners_and_malformed_lines(void **state)
{
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	(void)state;

	assert_int_equal(scan_procfs(FIXTURES "/proc-basic", &l, &st), 0);
	assert_int_equal(l.n, 10);
	assert_int_equal(st.malformed, 4);

	assert_addr(find(&l, CVP_TCP, 7000, 10001), 4, "0.0.0.0");
	const struct cvp_socket *s = find(&l, CVP_TCP, 7005, 10002);
	assert_addr(s, 4, "127.0.0.1");
	assert_int_equal(s->uid, 108);
	assert_addr(find(&l, CVP_TCP, 8000, 10004), 4, "10.1.2.3");
	assert_int_equal(find(&l, CVP_TCP, 8000, 10004)->uid, 1000);
	/* IPv6 wildcard, loopback, and IPv4-mapped reported as IPv4 */
	assert_addr(find(&l, CVP_TCP, 8443, 20001), 6, "::");
	assert_addr(find(&l, CVP_TCP, 7009, 20002), 6, "::1");
	assert_addr(find(&l, CVP_TCP, 9000, 20003), 4, "127.0.0.1");
	/* UDP: unconnected only */
	assert_addr(find(&l, CVP_UDP, 5060, 30001), 4, "127.0.0.1");
	assert_addr(find(&l, CVP_UDP, 161, 30002), 4, "0.0.0.0");
	assert_null(find(&l, CVP_UDP, 45000, 30003));
	assert_addr(find(&l, CVP_UDP, 5060, 40001), 6, "::");
	assert_addr(find(&l, CVP_UDP, 123, 40002), 6, "fe80::1");
	/* connected TCP and TIME_WAIT are left out */
	assert_null(find(&l, CVP_TCP, 5000, 10003));
	assert_null(find(&l, CVP_TCP, 8080, 20004));
	sock_list_free(&l);
}

static void test_missing_ipv6_tables_are_not_an_error(void **state)
{
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	(void)state;
	assert_int_equal(scan_procfs(FIXTURES "/proc-v4only", &l, &st), 0);
	assert_int_equal(l.n, 5);
	sock_list_free(&l);
}

static void test_missing_tree_fails(void **state)
{
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	(void)state;
	assert_int_equal(scan_procfs(FIXTURES "/no-such-proc", &l, &st), -1);
	sock_list_free(&l);
}

static void test_parse_line_rejects_short_and_bad_lines(void **state)
{
	struct cvp_socket s;
	(void)state;
	assert_int_equal(scan_procfs_parse_line("", CVP_TCP, &s), -1);
	assert_int_equal(scan_procfs_parse_line("   0: 00000000:1B58", CVP_TCP, &s), -1);
	assert_int_equal(scan_procfs_parse_line(
	                     "   0: 00000000:1B58 00000000:0000 0A 0:0 0:0 0 x 0 1", CVP_TCP, &s),
	                 -1);
	/* a listener with port 0 is not bound: left out, not malformed */
	assert_int_equal(scan_procfs_parse_line(
	                     "   0: 00000000:0000 00000000:0000 07 0:0 0:0 0 0 0 7", CVP_UDP, &s),
	                 0);
	assert_int_equal(scan_procfs_parse_line(
	                     "   0: 0100007F:0035 00000000:0000 07 0:0 0:0 0 5 0 7", CVP_UDP, &s),
	                 1);
	assert_int_equal(s.port, 53);
	assert_int_equal(s.uid, 5);
	assert_int_equal(s.inode, 7);
}

static void test_ephemeral_range_from_fixture(void **state)
{
	uint16_t lo = 0, hi = 0;
	(void)state;
	assert_int_equal(proc_sysctl_ephemeral_range(FIXTURES "/proc-basic", &lo, &hi), 0);
	assert_int_equal(lo, 32768);
	assert_int_equal(hi, 60999);
	assert_int_equal(proc_sysctl_ephemeral_range(FIXTURES "/proc-v4only", &lo, &hi), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_tree_listeners_and_malformed_lines),
	    cmocka_unit_test(test_missing_ipv6_tables_are_not_an_error),
	    cmocka_unit_test(test_missing_tree_fails),
	    cmocka_unit_test(test_parse_line_rejects_short_and_bad_lines),
	    cmocka_unit_test(test_ephemeral_range_from_fixture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
