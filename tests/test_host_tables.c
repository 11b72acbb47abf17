/* Another host's listeners from its MIB rows (host_tables.h): every address form of
 * tcpListenerTable's and udpEndpointTable's index, RFC 1213's tcpConnTable (state listen only)
 * and udpTable, indexes that do not decode; and their evaluation: verdicts as for this host's
 * sockets, but no owner rule applies to a socket nobody can attribute. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_load.h"
#include "evaluate.h"
#include "host_config.h"
#include "host_tables.h"
#include "config_model.h"

#define ROW(list, table, value, ...)                                                               \
	host_tables_row(table, (const uint32_t[]){__VA_ARGS__},                                    \
	                sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), value, list)

static void test_tcp_listener_addresses(void **state)
{
	struct cvp_socket_list l = {0};
	(void)state;

	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 1, 4, 0, 0, 0, 0, 7000), 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 1, 4, 127, 0, 0, 1, 7005), 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 0, 1, 8443),
	                 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 4, 20, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 5000),
	                 1);
	/* IPv4-mapped IPv6 is IPv4, as TCP-MIB says */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0xff, 0xff, 10, 1, 2, 3, 8000),
	                 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 0, 0, 9443), 1); /* unknown: any */
	/* RFC 4001 forms: ipv6 "::" (IPv6 only), a zone-less link-local ipv6, an ipv4z */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 0, 0, 9443),
	                 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 2, 16, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 2,
	                     0x12, 0x79, 0xff, 0xfe, 0x62, 0xf9, 0x40, 5060),
	                 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 3, 8, 10, 0, 0, 7, 0, 0, 0, 3, 7443),
	                 1);
	assert_int_equal(l.n, 9);

	const struct cvp_socket *s = l.v;
	assert_int_equal(s[0].proto, CVP_TCP);
	assert_int_equal(s[0].family, 4);
	assert_int_equal(s[0].port, 7000);
	assert_int_equal(s[0].holder, CVP_HOLDER_REMOTE);
	assert_int_equal(s[0].uid, CVP_UID_UNKNOWN);
	assert_int_equal(s[0].pid, 0);
	assert_true(sock_is_loopback(&s[1]));
	assert_int_equal(s[2].family, 6);
	assert_true(sock_is_loopback(&s[2]));
	assert_int_equal(s[3].ifindex, 2);
	assert_int_equal(s[3].addr[0], 0xfe);
	assert_int_equal(s[4].family, 4);
	assert_memory_equal(s[4].addr, ((const uint8_t[]){10, 1, 2, 3}), 4);
	assert_int_equal(s[5].family, 6);
	assert_int_equal(s[5].v6only, 0);
	uint8_t type, addr[CVP_INET_ADDR_MAX];
	assert_int_equal(sock_inet_address(&s[5], &type, addr), 0);
	assert_int_equal(type, CVP_ADDR_UNKNOWN);
	/* ipv6 "::" is IPv6 only: its own listener beside the dual-stack one, published as ipv6 */
	assert_int_equal(s[6].v6only, 1);
	assert_int_equal(sock_inet_address(&s[6], &type, addr), 16);
	assert_int_equal(type, CVP_ADDR_IPV6);
	/* a link-local ipv6 without a zone keeps type ipv6, and no zone */
	char text[64];
	assert_int_equal(sock_inet_address(&s[7], &type, addr), 16);
	assert_int_equal(type, CVP_ADDR_IPV6);
	sock_format_address(&s[7], text, sizeof(text));
	assert_string_equal(text, "[fe80::212:79ff:fe62:f940]");
	/* ipv4z: its address, decoded (the zone in ifindex) */
	assert_int_equal(s[8].family, 4);
	assert_memory_equal(s[8].addr, ((const uint8_t[]){10, 0, 0, 7}), 4);
	assert_int_equal(s[8].ifindex, 3);
	assert_int_equal(s[8].port, 7443);
	sock_list_free(&l);
}

static void test_indexes_that_do_not_decode(void **state)
{
	struct cvp_socket_list l = {0};
	(void)state;

	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 1, 4, 0, 0, 0), -1); /* short */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 1, 16, 0, 0, 0, 0, 7),
	                 -1); /* length */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 1, 4, 256, 0, 0, 0, 7),
	                 -1); /* octet */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 1, 4, 0, 0, 0, 0, 65536),
	                 -1); /* port */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 1, 4, 0, 0, 0, 0, 7, 7),
	                 -1);                                                           /* more */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 3, 4, 0, 0, 0, 0, 7), -1); /* ipv4z */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 0, 4, 0, 0, 0, 0, 7), -1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_CONN, 2, 0, 0, 0, 0, 80, 0, 0, 0), -1);
	assert_int_equal(ROW(&l, HOST_TABLE_UDP, 0, 10, 0, 0, 1), -1);
	assert_int_equal(host_tables_row(HOST_TABLE_TCP_LISTENER, NULL, 0, 0, &l), -1);
	assert_int_equal(l.n, 0);
	sock_list_free(&l);
}

static void test_udp_endpoints_and_rfc1213(void **state)
{
	struct cvp_socket_list l = {0};
	(void)state;

	/* unconnected: no remote end (as net-snmp gives it, or empty) */
	assert_int_equal(
	    ROW(&l, HOST_TABLE_UDP_ENDPOINT, 0, 1, 4, 0, 0, 0, 0, 5060, 1, 4, 0, 0, 0, 0, 0, 1234),
	    1);
	assert_int_equal(ROW(&l, HOST_TABLE_UDP_ENDPOINT, 0, 2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 0, 0, 161, 0, 0, 0, 1),
	                 1);
	/* connected: not a listener */
	assert_int_equal(
	    ROW(&l, HOST_TABLE_UDP_ENDPOINT, 0, 1, 4, 10, 0, 0, 2, 40000, 1, 4, 10, 0, 0, 9, 53, 7),
	    0);
	/* RFC 1213: a connection in state listen(2), one established(5), a UDP port */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_CONN, 2, 0, 0, 0, 0, 23, 0, 0, 0, 0, 0), 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_CONN, 5, 10, 0, 0, 2, 23, 10, 0, 0, 9, 50123), 0);
	assert_int_equal(ROW(&l, HOST_TABLE_UDP, 0, 0, 0, 0, 0, 137), 1);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].proto, CVP_UDP);
	assert_int_equal(l.v[0].port, 5060);
	assert_int_equal(l.v[1].port, 161);
	assert_int_equal(l.v[2].proto, CVP_TCP);
	assert_int_equal(l.v[2].port, 23);
	assert_int_equal(l.v[3].proto, CVP_UDP);
	assert_int_equal(l.v[3].port, 137);
	assert_int_equal(l.v[3].holder, CVP_HOLDER_REMOTE);
	sock_list_free(&l);

	/* IPV6-TCP-MIB's ipv6TcpConnTable (listen only) and IPV6-UDP-MIB's ipv6UdpTable: sixteen
	 * octets without a length, the interface index last (a link-local address's zone) */
	assert_int_equal(ROW(&l, HOST_TABLE_IPV6_TCP, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	                 1);
	assert_int_equal(ROW(&l, HOST_TABLE_IPV6_TCP, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 1, 22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 40000, 0),
	                 0); /* established */
	assert_int_equal(ROW(&l, HOST_TABLE_IPV6_UDP, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 9, 546, 3),
	                 1);
	assert_int_equal(
	    ROW(&l, HOST_TABLE_IPV6_UDP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	    -1); /* short */
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].proto, CVP_TCP);
	assert_int_equal(l.v[0].family, 6);
	assert_int_equal(l.v[0].v6only, 1);
	assert_int_equal(l.v[0].port, 22);
	assert_int_equal(l.v[1].proto, CVP_UDP);
	assert_int_equal(l.v[1].port, 546);
	assert_int_equal(l.v[1].ifindex, 3);
	/* the same socket from two tables is one once sorted and joined */
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_LISTENER, 0, 2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 0, 0, 22),
	                 1);
	sock_list_sort(&l);
	sock_list_unique(&l);
	assert_int_equal(l.n, 2);
	sock_list_free(&l);

	size_t len;
	const uint32_t *col = host_tables_column(HOST_TABLE_TCP_CONN, &len);
	assert_int_equal(len, 10);
	assert_int_equal(col[7], 13); /* tcpConnTable */
	assert_string_equal(host_tables_name(HOST_TABLE_UDP_ENDPOINT), "udpEndpointTable");
}

/* A Windows CVP server as its SNMP service shows it: Telnet (forbidden here), the VXML
 * server's Tomcat port bound everywhere (exposed), its HTTP port missing, an unexpected port;
 * an owner rule that cannot be checked does not make wrongOwner, where a local socket of the
 * wrong user does. */
static void test_remote_verdicts(void **state)
{
	static const char *const text =
	    "cvpRoles vxml,mgmt\n"
	    "cvpPort vxml-http tcp 7000 all required bidirectional vxml \"http\"\n"
	    "cvpPort vxml-https tcp 7443 all required bidirectional vxml \"https\"\n"
	    "cvpPort vxml-tomcat tcp 7005 all required loopback vxml \"tomcat\"\n"
	    "cvpPort telnet tcp 23 all forbidden unspecified mgmt \"telnet\"\n"
	    "cvpPortOwner vxml-https tomcat root\n";
	struct cvp_catalog cat;
	struct cvp_socket_list l = {0};
	struct cvp_row_result rows[8];
	struct cvp_listener *listeners = NULL;
	size_t nlisteners = 0;
	struct cvp_summary sum;
	char err[256];
	(void)state;

	catalog_init(&cat);
	assert_int_equal(catalog_load_text(&cat, text, "test", err, sizeof(err)), 0);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_CONN, 2, 0, 0, 0, 0, 23, 0, 0, 0, 0, 0), 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_CONN, 2, 0, 0, 0, 0, 7005, 0, 0, 0, 0, 0), 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_CONN, 2, 0, 0, 0, 0, 7443, 0, 0, 0, 0, 0), 1);
	assert_int_equal(ROW(&l, HOST_TABLE_TCP_CONN, 2, 0, 0, 0, 0, 4444, 0, 0, 0, 0, 0), 1);
	sock_list_sort(&l);
	memset(rows, 0, sizeof(rows));
	assert_int_equal(evaluate(&cat, &l, 49152, 65535, rows, &listeners, &nlisteners, &sum), 0);
	assert_int_equal(rows[0].compliance, CVP_MISSING);
	assert_int_equal(rows[1].compliance, CVP_COMPLIANT); /* its owner rule does not apply */
	assert_int_equal(rows[2].compliance, CVP_EXPOSED);
	assert_int_equal(rows[3].compliance, CVP_FORBIDDEN);
	assert_int_equal(sum.unexpected, 2); /* 4444, and Telnet: a forbidden row covers nothing */
	assert_int_equal(nlisteners, 4);
	free(listeners);

	/* the same socket of this host, held by a process of uid 1000: wrongOwner */
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].port == 7443) {
			l.v[i].holder = CVP_HOLDER_PROCESS;
			l.v[i].uid = l.v[i].proc_uid = l.v[i].proc_euid = 1000;
			strcpy(l.v[i].comm, "tomcat");
		}
	assert_int_equal(evaluate(&cat, &l, 49152, 65535, rows, &listeners, &nlisteners, &sum), 0);
	assert_int_equal(rows[1].compliance, CVP_WRONG_OWNER);
	free(listeners);
	sock_list_free(&l);
	catalog_free(&cat);
}

/* cvpHost: its words, its SNMP options read (and refused) as net-snmp reads them, a list without
 * twins. */
static void test_remote_host_directive(void **state)
{
	struct cvp_remote_host h;
	struct host_config l = {0};
	char err[256], masked[256];
	(void)state;

	assert_int_equal(host_config_parse("cs1 10.0.0.5:1161 callserver,windows -v2c -c sec", &h,
	                                   err, sizeof(err)),
	                 0);
	assert_string_equal(h.name, "cs1");
	assert_string_equal(h.address, "10.0.0.5:1161");
	assert_int_equal(h.roles, 1u << CVP_ROLE_CALLSERVER | 1u << CVP_ROLE_WINDOWS);
	assert_string_equal(h.options, "-v2c -c sec");
	assert_int_equal(host_config_parse("cs2 10.0.0.6 vxml", &h, err, sizeof(err)), 0);
	assert_string_equal(h.options, "");
	assert_int_equal(host_config_parse("cs3 10.0.0.6", &h, err, sizeof(err)), -1);
	assert_int_equal(host_config_parse("c/s 10.0.0.6 vxml", &h, err, sizeof(err)), -1);
	assert_int_equal(host_config_parse("cs4 10.0.0.6 nosuch -c sec", &h, err, sizeof(err)), -1);
	assert_null(strstr(err, "sec"));

	/* secrets as net-snmp's parser reads them (the parser itself: test_snmp_options) */
	assert_int_equal(host_config_parse("cs5 10.0.0.6 vxml -c", &h, err, sizeof(err)), -1);
	assert_string_equal(err, "cvpHost cs5: its SNMP options: -c without its value");
	assert_int_equal(host_config_parse("cs6 10.0.0.6 vxml -Lf /tmp/x", &h, err, sizeof(err)),
	                 -1);
	assert_int_equal(host_config_parse("cs7 10.0.0.6 vxml -v2c public", &h, err, sizeof(err)),
	                 -1);
	assert_null(strstr(err, "public"));
	(void)masked;
	assert_true(host_config_line_secret("cs1 10.0.0.5 vxml -c x"));
	assert_false(host_config_line_secret("-cs1 10.0.0.5 vxml -v2c")); /* a name, not -c */

	assert_int_equal(host_config_add(&l, "a 10.0.0.1 vxml", err, sizeof(err)), 0);
	assert_int_equal(host_config_add(&l, "a 10.0.0.2 vxml", err, sizeof(err)), -1);
	for (int i = 1; i < HOST_CONFIG_MAX; i++) {
		char args[64];
		snprintf(args, sizeof(args), "h%d 10.0.%d.%d vxml", i, i / 250, i % 250);
		assert_int_equal(host_config_add(&l, args, err, sizeof(err)), 0);
	}
	assert_int_equal(host_config_add(&l, "one-more 10.9.9.9 vxml", err, sizeof(err)), -1);
	assert_non_null(host_config_find(&l, "h999"));
	assert_null(host_config_find(&l, "h1000"));
	host_config_free(&l);
}

/* A reload's log line says that the hosts changed, and never shows their options. */
static void test_reload_describes_hosts(void **state)
{
	struct cvp_settings a, b;
	char err[256], line[512];
	(void)state;

	assert_int_equal(config_model_init(&a, err, sizeof(err)), 0);
	assert_int_equal(config_model_init(&b, err, sizeof(err)), 0);
	assert_int_equal(config_model_apply(&a, "cvpHost", "cs1 10.0.0.5 callserver -c s3cr3t", err,
	                                    sizeof(err)),
	                 0);
	assert_int_equal(config_model_apply(&b, "cvpHost", "cs1 10.0.0.5 callserver -c s3cr3t", err,
	                                    sizeof(err)),
	                 0);
	config_model_describe_changes(&a, &b, line, sizeof(line));
	assert_string_equal(line, "");
	assert_int_equal(
	    config_model_apply(&b, "cvpHost", "cs2 10.0.0.6 vxml -c other", err, sizeof(err)), 0);
	config_model_describe_changes(&a, &b, line, sizeof(line));
	assert_string_equal(line, "; cvpHost: 1 -> 2 host(s)");
	config_model_free(&b);
	assert_int_equal(config_model_init(&b, err, sizeof(err)), 0);
	assert_int_equal(
	    config_model_apply(&b, "cvpHost", "cs1 10.0.0.5 callserver -c n3w", err, sizeof(err)),
	    0);
	config_model_describe_changes(&a, &b, line, sizeof(line));
	assert_string_equal(line, "; cvpHost: 1 -> 1 host(s)"); /* a community changed */
	assert_null(strstr(line, "n3w"));
	config_model_free(&a);
	config_model_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp_listener_addresses),
	    cmocka_unit_test(test_indexes_that_do_not_decode),
	    cmocka_unit_test(test_udp_endpoints_and_rfc1213),
	    cmocka_unit_test(test_remote_verdicts),
	    cmocka_unit_test(test_remote_host_directive),
	    cmocka_unit_test(test_reload_describes_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
