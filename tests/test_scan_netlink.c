/* The sock_diag parser on recorded dumps (tests/fixtures/netlink, made with netlink_record
 * while listen_helper held known listeners) and on handcrafted messages: errors, truncation,
 * interrupted dumps, foreign sequence numbers, connected UDP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan_netlink.h"
#include "test_sockets.h"

static size_t load(const char *name, unsigned char *buf, size_t cap)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/netlink/%s", FIXTURES, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void expect(const struct cvp_socket *s, int family, const char *addr, unsigned port,
                   int v6only)
{
	uint8_t want[16] = {0};
	assert_int_equal(s->family, family);
	assert_int_equal(inet_pton(family == 4 ? AF_INET : AF_INET6, addr, want), 1);
	assert_memory_equal(s->addr, want, family == 4 ? 4 : 16);
	assert_int_equal(s->port, port);
	assert_int_equal(s->v6only, v6only);
}

static void test_recorded_dumps(void **state)
{
	static unsigned char buf[65536];
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	int intr = 0;
	(void)state;

	size_t n = load("tcp4-listen.bin", buf, sizeof(buf));
	assert_int_equal(scan_netlink_parse_buffer(buf, n, 7, CVP_TCP, &l, &st, &intr), 1);
	expect(by_inode(&l, 18344), 4, "0.0.0.0", 7000, -1);
	n = load("tcp6-listen.bin", buf, sizeof(buf));
	assert_int_equal(scan_netlink_parse_buffer(buf, n, 8, CVP_TCP, &l, &st, &intr), 1);
	expect(by_inode(&l, 18345), 6, "::", 7443, 1);
	expect(by_inode(&l, 18346), 6, "::1", 7009, 1);
	expect(by_inode(&l, 18347), 6, "::", 8443, 0);
	expect(by_inode(&l, 18348), 4, "127.0.0.1", 9000, 0); /* IPv4-mapped */
	n = load("udp4-close.bin", buf, sizeof(buf));
	assert_int_equal(scan_netlink_parse_buffer(buf, n, 9, CVP_UDP, &l, &st, &intr), 1);
	expect(by_inode(&l, 18349), 4, "127.0.0.1", 5060, -1);
	n = load("udp6-close.bin", buf, sizeof(buf));
	assert_int_equal(scan_netlink_parse_buffer(buf, n, 10, CVP_UDP, &l, &st, &intr), 1);
	expect(by_inode(&l, 18350), 6, "::", 5061, 1);
	assert_int_equal(st.malformed, 0);
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.v[i].uid, 0);
	sock_list_free(&l);
}

/* A handcrafted dump buffer. */
struct msgbuf {
	unsigned char b[4096];
	size_t len;
};

static struct nlmsghdr *put(struct msgbuf *m, uint16_t type, uint16_t flags, uint32_t seq,
                            size_t payload)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->b + m->len);
	memset(h, 0, NLMSG_SPACE(payload));
	h->nlmsg_len = (uint32_t)NLMSG_LENGTH(payload);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	m->len += NLMSG_SPACE(payload);
	return h;
}

static void put_sock(struct msgbuf *m, uint32_t seq, int family, const char *addr, unsigned sport,
                     unsigned dport, uint32_t inode, int v6only)
{
	size_t attr = v6only >= 0 ? RTA_SPACE(1) : 0;
	struct nlmsghdr *h =
	    put(m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, sizeof(struct inet_diag_msg) + attr);
	struct inet_diag_msg *d = NLMSG_DATA(h);
	d->idiag_family = (uint8_t)family;
	d->idiag_state = 10;
	d->id.idiag_sport = htons((uint16_t)sport);
	d->id.idiag_dport = htons((uint16_t)dport);
	inet_pton(family, addr, d->id.idiag_src);
	d->idiag_uid = 1000;
	d->idiag_inode = inode;
	if (v6only >= 0) {
		struct rtattr *a = (struct rtattr *)(d + 1);
		a->rta_type = INET_DIAG_SKV6ONLY;
		a->rta_len = RTA_LENGTH(1);
		*(uint8_t *)RTA_DATA(a) = (uint8_t)v6only;
	}
}

static void test_handcrafted_listeners_and_done(void **state)
{
	struct msgbuf m = {0};
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	int intr = 0;
	(void)state;
	put_sock(&m, 5, AF_INET, "192.0.2.7", 80, 0, 1, -1);
	put_sock(&m, 5, AF_INET6, "::", 443, 0, 2, 1);
	put_sock(&m, 4, AF_INET, "192.0.2.8", 81, 0, 3, -1); /* an earlier dump's late answer */
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 5, CVP_TCP, &l, &st, &intr), 0);
	assert_int_equal(l.n, 2);
	expect(&l.v[0], 4, "192.0.2.7", 80, -1);
	assert_int_equal(l.v[0].uid, 1000);
	expect(&l.v[1], 6, "::", 443, 1);
	m.len = 0;
	put(&m, NLMSG_DONE, NLM_F_MULTI, 5, sizeof(int));
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 5, CVP_TCP, &l, &st, &intr), 1);
	sock_list_free(&l);
}

static void test_connected_udp_and_unbound_are_left_out(void **state)
{
	struct msgbuf m = {0};
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	int intr = 0;
	(void)state;
	put_sock(&m, 1, AF_INET, "127.0.0.1", 5060, 0, 1, -1);
	put_sock(&m, 1, AF_INET, "127.0.0.1", 40000, 53, 2, -1);
	put_sock(&m, 1, AF_INET, "0.0.0.0", 0, 0, 3, -1);
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 1, CVP_UDP, &l, &st, &intr), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].port, 5060);
	sock_list_free(&l);
}

static void test_error_message_sets_errno(void **state)
{
	struct msgbuf m = {0};
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	int intr = 0;
	(void)state;
	struct nlmsghdr *h = put(&m, NLMSG_ERROR, 0, 3, sizeof(struct nlmsgerr));
	((struct nlmsgerr *)NLMSG_DATA(h))->error = -EPERM;
	errno = 0;
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 3, CVP_TCP, &l, &st, &intr), -1);
	assert_int_equal(errno, EPERM);
	/* a short error message is malformed, not a crash */
	m.len = 0;
	h = put(&m, NLMSG_ERROR, 0, 3, 2);
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 3, CVP_TCP, &l, &st, &intr), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(st.malformed, 1);
	sock_list_free(&l);
}

static void test_interrupted_dump(void **state)
{
	struct msgbuf m = {0};
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	int intr = 0;
	(void)state;
	/* the flag comes on a data message of the first buffer, NLMSG_DONE in the second */
	put_sock(&m, 2, AF_INET, "0.0.0.0", 22, 0, 1, -1);
	((struct nlmsghdr *)m.b)->nlmsg_flags |= NLM_F_DUMP_INTR;
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 2, CVP_TCP, &l, &st, &intr), 0);
	assert_int_equal(intr, 1);
	m.len = 0;
	put(&m, NLMSG_DONE, NLM_F_MULTI, 2, sizeof(int));
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 2, CVP_TCP, &l, &st, &intr), 1);
	assert_int_equal(intr, 1);
	/* a clean dump leaves it unset */
	intr = 0;
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 2, CVP_TCP, &l, &st, &intr), 1);
	assert_int_equal(intr, 0);
	sock_list_free(&l);
}

static void test_truncated_messages_are_counted(void **state)
{
	struct msgbuf m = {0};
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	int intr = 0;
	(void)state;
	put_sock(&m, 6, AF_INET, "0.0.0.0", 22, 0, 1, -1);
	put_sock(&m, 6, AF_INET, "0.0.0.0", 23, 0, 2, -1);
	/* cut the second message in the middle */
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len - 20, 6, CVP_TCP, &l, &st, &intr), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(st.malformed, 1);
	/* a message too short for inet_diag_msg */
	m.len = 0;
	put(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 6, 8);
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 6, CVP_TCP, &l, &st, &intr), 0);
	assert_int_equal(st.malformed, 2);
	/* an unknown message type */
	m.len = 0;
	put(&m, 0x77, NLM_F_MULTI, 6, 8);
	assert_int_equal(scan_netlink_parse_buffer(m.b, m.len, 6, CVP_TCP, &l, &st, &intr), 0);
	assert_int_equal(st.malformed, 3);
	assert_int_equal(l.n, 1);
	sock_list_free(&l);
}

static void test_live_kernel_scan(void **state)
{
	(void)state;
	struct cvp_netlink *nl = scan_netlink_open();
	if (!nl)
		skip();
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	assert_int_equal(scan_netlink(nl, &l, &st), CVP_NL_OK);
	assert_int_equal(st.malformed, 0);
	sock_list_free(&l);
	scan_netlink_close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recorded_dumps),
	    cmocka_unit_test(test_handcrafted_listeners_and_done),
	    cmocka_unit_test(test_connected_udp_and_unbound_are_left_out),
	    cmocka_unit_test(test_error_message_sets_errno),
	    cmocka_unit_test(test_interrupted_dump),
	    cmocka_unit_test(test_truncated_messages_are_counted),
	    cmocka_unit_test(test_live_kernel_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
