/* CVP-PORT-MIB's handlers in-process: the registrations are made in a net-snmp agent of this
 * process (no master, no network) over a fixture snapshot and two remote hosts, and queried through
 * the agent's internal callback session as any request would be: GET, GETNEXT across both tables,
 * the InetAddress index encoding of every listener address form, column types, and the
 * noSuchObject / noSuchInstance / endOfMibView answers; and the direct AgentX answers
 * (agentx_direct.h) against the agent's, request for request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "agentx_direct.h"
#include "host_state.h"
#include "mib_globals.h"
#include "mib_hosts.h"
#include "catalog_load.h"
#include "mib_listeners.h"
#include "mib_oids.h"
#include "mib_ports.h"
#include "notify.h"

#include <net-snmp/library/snmpCallbackDomain.h>

/* The agent's internal callback transport (made by init_agent), as snmpd's iquery uses it. */
extern int callback_master_num;

static const oid port_table[] = {CVP_OID_PORT_TABLE};
static const oid listener_table[] = {CVP_OID_LISTENER_TABLE};
static const oid globals[] = {CVP_OID_GLOBALS};

struct fixture {
	struct cvp_catalog cat;
	struct cvp_snapshot snap;
	struct mib_context ctx;
	struct notifier *notifier; /* its counters started at sysUpTime 4242 */
	struct mib_table ports, listeners;
	struct host_states hosts; /* cs1 answered (roles vxml), gone never did */
	struct mib_table host_table, host_ports, host_findings;
	netsnmp_handler_registration *globals;
	netsnmp_session *session;
};

static struct fixture F;

/* cvpPortEntry's columns as CVP-PORT-MIB numbers them, written down here on their own: the
 * handler's numbering (enum row_field) is checked against them. */
enum {
	COL_PORT_INDEX = 1,
	COL_PORT_NAME,
	COL_PORT_LISTENER,
	COL_PORT_PROTOCOL,
	COL_PORT_LOW,
	COL_PORT_HIGH,
	COL_PORT_STRIDE,
	COL_PORT_MATCH,
	COL_PORT_DIRECTION,
	COL_PORT_REMOTE,
	COL_PORT_ROLE,
	COL_PORT_REQUIREMENT,
	COL_PORT_STATE,
	COL_PORT_LISTEN_COUNT,
	COL_PORT_ADDRESS_TYPE,
	COL_PORT_ADDRESS,
	COL_PORT_PROCESS_ID,
	COL_PORT_PROCESS_NAME,
	COL_PORT_COMPLIANCE,
	COL_PORT_LAST_CHANGE,
	COL_PORT_EPHEMERAL_OVERLAP,
	COL_PORT_NOTE,
	COL_PORT_EXPECTED_OWNER,
	COL_PORT_RATIONALE,
	COL_PORT_SOCKET_COUNT,
};

static void add_socket(struct cvp_socket_list *l, int proto, const char *addr, int v6only,
                       uint32_t ifindex, unsigned port, uint32_t pid, const char *comm)
{
	struct cvp_socket *s = sock_list_add(l);
	assert_non_null(s);
	s->proto = (uint8_t)proto;
	s->port = (uint16_t)port;
	s->v6only = (int8_t)v6only;
	s->ifindex = ifindex;
	s->pid = pid;
	s->inode = l->n;
	snprintf(s->comm, sizeof(s->comm), "%s", comm);
	if (inet_pton(AF_INET, addr, s->addr) == 1) {
		s->family = 4;
	} else {
		assert_int_equal(inet_pton(AF_INET6, addr, s->addr), 1);
		s->family = 6;
	}
}

/* The snapshot: the default catalogue with vxml-admin removed, and one listener of every
 * address form. */
static void build_snapshot(struct fixture *f)
{
	struct cvp_socket_list socks = {0};
	char err[256];

	catalog_init(&f->cat);
	assert_int_equal(catalog_load_default(&f->cat, err, sizeof(err)), 0);
	assert_int_equal(catalog_apply(&f->cat, "cvpPortRemove", "vxml-admin", err, sizeof(err)),
	                 0);
	add_socket(&socks, CVP_TCP, "0.0.0.0", -1, 0, 7000, 100, "java");
	add_socket(&socks, CVP_TCP, "::", 0, 0, 8000, 101, "tomcat");  /* dual-stack */
	add_socket(&socks, CVP_TCP, "::", 1, 0, 8443, 102, "tomcat");  /* v6only :: */
	add_socket(&socks, CVP_TCP, "::1", -1, 0, 7005, 103, "java");  /* loopback */
	add_socket(&socks, CVP_TCP, "fe80::1", -1, 2, 5000, 104, "a"); /* link-local, zone 2 */
	add_socket(&socks, CVP_TCP, "fe80::1", -1, 3, 5000, 105, "b"); /* and zone 3 */
	add_socket(&socks, CVP_UDP, "127.0.0.1", -1, 0, 5060, 106, "sip\\x1b[31m");
	sock_list_sort(&socks);

	memset(&f->snap, 0, sizeof(f->snap));
	f->snap.cat = &f->cat;
	f->snap.nrows = f->cat.n;
	f->snap.rows = calloc(f->cat.n, sizeof(*f->snap.rows));
	assert_non_null(f->snap.rows);
	assert_int_equal(evaluate(&f->cat, &socks, 32768, 60999, f->snap.rows, &f->snap.listeners,
	                          &f->snap.nlisteners, &f->snap.sum),
	                 0);
	f->snap.scan_ok = 1;
	f->snap.scan_count = 7;
	f->snap.stats.unattributed = 3;
	f->snap.source = CVP_SOURCE_NETLINK;
	f->snap.eph_low = 32768;
	f->snap.eph_high = 60999;
	/* two remote hosts: one answered with the same sockets, one that never answered */
	struct host_config cfg_hosts = {0};
	const struct host_poll_end end = {.poll_ms = 42, .now_us = 1000000, .uptime_cs = 4300};
	assert_int_equal(host_config_add(&cfg_hosts, "cs1 10.0.0.1 vxml", err, sizeof(err)), 0);
	assert_int_equal(host_config_add(&cfg_hosts, "gone 10.0.0.2 vxml", err, sizeof(err)), 0);
	host_state_init(&f->hosts);
	struct notify_config hc;
	notify_config_default(&hc);
	assert_int_equal(host_state_configure(&f->hosts, &cfg_hosts, &hc, NULL, NULL), 0);
	assert_int_equal(host_state_answered(&f->hosts, 0, &f->cat, NULL,
	                                     &(struct host_answer){&socks, CVP_SOURCE_RFC1213, 0,
	                                                           49152, 65535, NULL, NULL},
	                                     &end),
	                 0);
	host_state_failed(&f->hosts, 1, "no answer (timeout)", &end);
	host_config_free(&cfg_hosts);
	sock_list_free(&socks);
	/* The notifier's first step starts its counters: cvpPortCounterDiscontinuityTime. */
	struct notify_config cfg;
	const struct notify_event *ev;
	size_t nev;
	notify_config_default(&cfg);
	assert_non_null(f->notifier = notify_new(&cfg));
	assert_int_equal(notify_step(f->notifier, &f->snap, 0, 1000000, 4242, &ev, &nev), 0);
}

static int setup(void **state)
{
	struct fixture *f = &F;

	/* A subagent whose master address leads nowhere: it contacts no agent of the host, and
	 * the internal callback session is its only transport. Its log (the failed connection)
	 * is not the test's output. */
	snmp_disable_log();
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
	                      "unix:/nonexistent/cvpportd-test_mib");
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	if (init_agent("test_mib") != 0)
		return -1;
	init_snmp("test_mib");
	build_snapshot(f);
	f->ctx.snapshot = &f->snap;
	f->ctx.notifier = f->notifier;
	f->ctx.hosts = &f->hosts;
	if (!(f->globals = mib_globals_register(&f->ctx)) ||
	    mib_ports_register(&f->ports, &f->ctx) < 0 ||
	    mib_listeners_register(&f->listeners, &f->ctx) < 0 ||
	    mib_hosts_register(&f->host_table, &f->host_ports, &f->host_findings, &f->ctx) < 0)
		return -1;

	f->session = netsnmp_callback_open(callback_master_num, NULL, NULL, NULL);
	if (!f->session)
		return -1;
	f->session->version = SNMP_VERSION_2c;
	free(f->session->community);
	f->session->community = (u_char *)strdup("public");
	f->session->community_len = 6;
	/* As snmpd's iquery sessions: a synchronous request runs the agent's queue meanwhile. */
	f->session->myvoid = (void *)netsnmp_check_outstanding_agent_requests;
	f->session->flags |= SNMP_FLAGS_RESP_CALLBACK | SNMP_FLAGS_DONT_PROBE;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	snmp_close(f->session);
	netsnmp_unregister_handler(f->globals);
	mib_table_unregister(&f->ports);
	mib_table_unregister(&f->listeners);
	mib_table_unregister(&f->host_table);
	mib_table_unregister(&f->host_ports);
	mib_table_unregister(&f->host_findings);
	host_state_free(&f->hosts, NULL, NULL);
	free(f->snap.rows);
	free(f->snap.listeners);
	notify_free(f->notifier);
	catalog_free(&f->cat);
	snmp_shutdown("test_mib");
	return 0;
}

/* One request of one varbind; returns the response's varbind (caller frees). */
static netsnmp_variable_list *query(int command, const oid *name, size_t len)
{
	netsnmp_pdu *pdu = snmp_pdu_create(command), *resp = NULL;
	assert_non_null(pdu);
	snmp_add_null_var(pdu, name, len);
	int rc = snmp_synch_response(F.session, pdu, &resp);
	assert_int_equal(rc, STAT_SUCCESS);
	assert_non_null(resp);
	assert_int_equal(resp->errstat, SNMP_ERR_NOERROR);
	netsnmp_variable_list *v = resp->variables;
	resp->variables = NULL;
	snmp_free_pdu(resp);
	assert_non_null(v);
	return v;
}

static size_t make_oid(oid *out, const oid *root, size_t rootlen, const oid *rest, size_t n)
{
	memcpy(out, root, rootlen * sizeof(oid));
	memcpy(out + rootlen, rest, n * sizeof(oid));
	return rootlen + n;
}

#define PORT_OID(buf, ...)                                                                         \
	make_oid(buf, port_table, OID_LENGTH(port_table), (const oid[]){__VA_ARGS__},              \
	         sizeof((const oid[]){__VA_ARGS__}) / sizeof(oid))
#define LISTENER_OID(buf, ...)                                                                     \
	make_oid(buf, listener_table, OID_LENGTH(listener_table), (const oid[]){__VA_ARGS__},      \
	         sizeof((const oid[]){__VA_ARGS__}) / sizeof(oid))

static void expect_name(const netsnmp_variable_list *v, const oid *want, size_t len)
{
	if (snmp_oid_compare(v->name, v->name_length, want, len) != 0) {
		char a[256], b[256];
		snprint_objid(a, sizeof(a), v->name, v->name_length);
		snprint_objid(b, sizeof(b), want, len);
		fail_msg("got %s, want %s", a, b);
	}
}

static void test_get_port_columns_and_types(void **state)
{
	oid name[MAX_OID_LEN];
	size_t n;
	(void)state;

	n = PORT_OID(name, 1, COL_PORT_NAME, 1);
	netsnmp_variable_list *v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_int_equal(v->val_len, strlen("callserver-jmx"));
	assert_memory_equal(v->val.string, "callserver-jmx", v->val_len);
	snmp_free_varbind(v);

	static const struct {
		unsigned col;
		u_char type;
		long value;
	} cols[] = {
	    {COL_PORT_PROTOCOL, ASN_INTEGER, CVP_TCP},
	    {COL_PORT_LOW, ASN_UNSIGNED, 7000},
	    {COL_PORT_STRIDE, ASN_UNSIGNED, 1},
	    {COL_PORT_DIRECTION, ASN_INTEGER, CVP_DIR_BIDIRECTIONAL},
	    {COL_PORT_STATE, ASN_INTEGER, CVP_STATE_LISTENING},
	    {COL_PORT_LISTEN_COUNT, ASN_GAUGE, 1},
	    {COL_PORT_ADDRESS_TYPE, ASN_INTEGER, CVP_ADDR_IPV4},
	    {COL_PORT_PROCESS_ID, ASN_UNSIGNED, 100},
	    {COL_PORT_COMPLIANCE, ASN_INTEGER, CVP_COMPLIANT},
	    {COL_PORT_LAST_CHANGE, ASN_TIMETICKS, 0},
	    {COL_PORT_EPHEMERAL_OVERLAP, ASN_INTEGER, 2},
	};
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		n = PORT_OID(name, 1, cols[i].col, 5); /* vxml-http, TCP 7000 */
		v = query(SNMP_MSG_GET, name, n);
		if (v->type != cols[i].type)
			fail_msg("column %u: type %d, want %d", cols[i].col, v->type, cols[i].type);
		assert_int_equal(*v->val.integer, cols[i].value);
		snmp_free_varbind(v);
	}
	n = PORT_OID(name, 1, COL_PORT_ADDRESS, 5);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_int_equal(v->val_len, 4);
	snmp_free_varbind(v);
	/* the catalogue's own reading (cvpPortRationale, column 24) beside the document's note */
	static const char why[] = "The document gives no protocol for 2098; JMX (RMI) is TCP.";
	n = PORT_OID(name, 1, COL_PORT_RATIONALE, 1);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_int_equal(v->val_len, strlen(why));
	assert_memory_equal(v->val.string, why, v->val_len);
	snmp_free_varbind(v);
}

static void test_get_errors(void **state)
{
	oid name[MAX_OID_LEN];
	(void)state;
	size_t n = PORT_OID(name, 1, COL_PORT_NAME, 9999); /* no such row */
	netsnmp_variable_list *v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(v);

	n = PORT_OID(name, 1, COL_PORT_NAME, 10); /* vxml-admin: removed */
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(v);

	n = PORT_OID(name, 1, COL_PORT_INDEX, 1); /* the index is not-accessible */
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, SNMP_NOSUCHOBJECT);
	snmp_free_varbind(v);

	n = PORT_OID(name, 1, 99, 1); /* no such column */
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, SNMP_NOSUCHOBJECT);
	snmp_free_varbind(v);

	n = PORT_OID(name, 1, COL_PORT_NAME, 1, 0); /* an index too long */
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(v);

	n = LISTENER_OID(name, 1, COL_LISTENER_PROCESS_ID, CVP_TCP, 1, 4, 0, 0, 0, 0, 7001);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(v);
}

static void test_getnext_skips_removed_rows_and_crosses_columns(void **state)
{
	oid name[MAX_OID_LEN], want[MAX_OID_LEN];
	(void)state;

	/* From the table itself to its first object. */
	netsnmp_variable_list *v = query(SNMP_MSG_GETNEXT, port_table, OID_LENGTH(port_table));
	expect_name(v, want, PORT_OID(want, 1, COL_PORT_NAME, 1));
	snmp_free_varbind(v);

	/* Row 10 is removed: 9 is followed by 11. */
	v = query(SNMP_MSG_GETNEXT, name, PORT_OID(name, 1, COL_PORT_NAME, 9));
	expect_name(v, want, PORT_OID(want, 1, COL_PORT_NAME, 11));
	snmp_free_varbind(v);

	/* A partial or odd index: .9.5 lies between 9 and 11. */
	v = query(SNMP_MSG_GETNEXT, name, PORT_OID(name, 1, COL_PORT_NAME, 9, 5));
	expect_name(v, want, PORT_OID(want, 1, COL_PORT_NAME, 11));
	snmp_free_varbind(v);

	/* The last row of a column is followed by the first of the next. */
	v = query(SNMP_MSG_GETNEXT, name, PORT_OID(name, 1, COL_PORT_NAME, F.cat.n));
	expect_name(v, want, PORT_OID(want, 1, COL_PORT_LISTENER, 1));
	snmp_free_varbind(v);

	/* The not-accessible index column is skipped. */
	v = query(SNMP_MSG_GETNEXT, name, PORT_OID(name, 1, COL_PORT_INDEX));
	expect_name(v, want, PORT_OID(want, 1, COL_PORT_NAME, 1));
	snmp_free_varbind(v);
}

static void test_getnext_from_port_table_to_listener_table(void **state)
{
	oid name[MAX_OID_LEN], want[MAX_OID_LEN];
	(void)state;
	/* The last object of cvpPortTable is followed by cvpListenerTable's first: the dual-stack
	 * TCP listener, type unknown(0) with a zero-length address. */
	netsnmp_variable_list *v =
	    query(SNMP_MSG_GETNEXT, name, PORT_OID(name, 1, COL_PORT_SOCKET_COUNT, F.cat.n));
	expect_name(v, want, LISTENER_OID(want, 1, COL_LISTENER_PROCESS_ID, CVP_TCP, 0, 0, 8000));
	assert_int_equal(v->type, ASN_UNSIGNED);
	assert_int_equal(*v->val.integer, 101);
	snmp_free_varbind(v);
}

/* Walks one column of cvpListenerTable and checks the index of every address form. */
static void test_listener_index_encoding(void **state)
{
	oid name[MAX_OID_LEN], want[MAX_OID_LEN];
	size_t n = LISTENER_OID(name, 1, COL_LISTENER_PROCESS_ID);
	static const struct {
		oid index[24];
		size_t len;
		unsigned long pid;
	} rows[] = {
	    {{CVP_TCP, 0, 0, 8000}, 4, 101},             /* dual-stack :: */
	    {{CVP_TCP, 1, 4, 0, 0, 0, 0, 7000}, 8, 100}, /* 0.0.0.0 */
	    {{CVP_TCP, 2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8443}, 20, 102},
	    {{CVP_TCP, 2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7005}, 20, 103},
	    {{CVP_TCP, 4, 20, 254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 5000},
	     24,
	     104},
	    {{CVP_TCP, 4, 20, 254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 5000},
	     24,
	     105},
	    {{CVP_UDP, 1, 4, 127, 0, 0, 1, 5060}, 8, 106},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		netsnmp_variable_list *v = query(SNMP_MSG_GETNEXT, name, n);
		size_t wl = LISTENER_OID(want, 1, COL_LISTENER_PROCESS_ID);
		memcpy(want + wl, rows[i].index, rows[i].len * sizeof(oid));
		expect_name(v, want, wl + rows[i].len);
		assert_int_equal(*v->val.integer, rows[i].pid);
		memcpy(name, v->name, v->name_length * sizeof(oid));
		n = v->name_length;
		snmp_free_varbind(v);
	}
	/* After the last row: the next column. */
	netsnmp_variable_list *v = query(SNMP_MSG_GETNEXT, name, n);
	expect_name(v, want, LISTENER_OID(want, 1, COL_LISTENER_PROCESS_NAME, CVP_TCP, 0, 0, 8000));
	assert_int_equal(v->type, ASN_OCTET_STR);
	snmp_free_varbind(v);

	/* GET by a full ipv6z index, and the escaped name stays printable. */
	n = LISTENER_OID(name, 1, COL_LISTENER_PROCESS_NAME, CVP_UDP, 1, 4, 127, 0, 0, 1, 5060);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_memory_equal(v->val.string, "sip\\x1b[31m", v->val_len);
	snmp_free_varbind(v);
}

/* After the last listener, the first remote host; after the last host finding, the end. */
static void test_end_of_mib_view_after_the_last_listener(void **state)
{
	static const oid host_name_1[] = {CVP_OID_HOST_TABLE, 1, COL_HOST_NAME, 1};
	static const oid findings[] = {CVP_OID_HOST_FINDING_TABLE};
	oid name[MAX_OID_LEN];
	(void)state;
	size_t n =
	    LISTENER_OID(name, 1, COL_LISTENER_PROCESS_UID, CVP_UDP, 1, 4, 127, 0, 0, 1, 5060);
	netsnmp_variable_list *v = query(SNMP_MSG_GETNEXT, name, n);
	expect_name(v, host_name_1, OID_LENGTH(host_name_1));
	snmp_free_varbind(v);
	n = make_oid(
	    name, findings, OID_LENGTH(findings),
	    (const oid[]){1, COL_HOST_FINDING_PROCESS_NAME, 1, CVP_UDP, 1, 4, 127, 0, 0, 1, 5060},
	    11);
	v = query(SNMP_MSG_GETNEXT, name, n);
	assert_int_equal(v->type, SNMP_ENDOFMIBVIEW);
	snmp_free_varbind(v);
}

/* RFC 2741 6.1 */
enum { AGENTX_GET = 5, AGENTX_GETNEXT = 6, AGENTX_RESPONSE = 18 };
static const oid mib_end[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 7162}; /* past CVP-PORT-MIB */

/* An AgentX request as net-snmp's parser leaves it: each varbind a search range. */
static netsnmp_pdu *agentx_request(int command)
{
	netsnmp_pdu *pdu = snmp_pdu_create(command);
	assert_non_null(pdu);
	return pdu;
}

static void add_range(netsnmp_pdu *pdu, const oid *start, size_t len, int include, const oid *end,
                      size_t endlen)
{
	assert_non_null(snmp_pdu_add_variable(pdu, start, len,
	                                      include ? ASN_PRIV_INCL_RANGE : ASN_PRIV_EXCL_RANGE,
	                                      end, endlen * sizeof(oid)));
}

static struct agentx_direct direct_tables(void)
{
	struct agentx_direct d;
	const struct mib_table *const tables[] = {&F.ports, &F.listeners, &F.host_table,
	                                          &F.host_ports, &F.host_findings};
	assert_int_equal(agentx_direct_start(&d, tables, 5), 0);
	agentx_direct_stop(&d); /* the tables stay; no session is hooked */
	return d;
}

static void expect_same(const netsnmp_variable_list *got, const netsnmp_variable_list *want)
{
	expect_name(got, want->name, want->name_length);
	assert_int_equal(got->type, want->type);
	assert_int_equal(got->val_len, want->val_len);
	if (want->val_len)
		assert_memory_equal(got->val.string, want->val.string, want->val_len);
}

static int in_table(const struct mib_table *t, const netsnmp_variable_list *v)
{
	return v->name_length > t->rootlen &&
	       snmp_oid_compare(v->name, t->rootlen, t->root, t->rootlen) == 0;
}

/* A walk of the whole MIB through the agent; at each step the direct answer to the same
 * GetNext (and to a Get of what the agent returned) is the agent's, byte for byte, and the
 * direct path declines exactly when the next instance is outside the start's table. */
static void test_direct_answers_as_the_agent(void **state)
{
	struct agentx_direct d = direct_tables();
	oid name[MAX_OID_LEN];
	size_t n = OID_LENGTH(globals) - 1; /* CVP-PORT-MIB's objects: the walk's start */
	memcpy(name, globals, n * sizeof(oid));
	unsigned answered = 0, declined = 0;
	(void)state;

	for (;;) {
		netsnmp_variable_list *want = query(SNMP_MSG_GETNEXT, name, n);
		netsnmp_pdu *req = agentx_request(AGENTX_GETNEXT);
		add_range(req, name, n, 0, mib_end, OID_LENGTH(mib_end));
		netsnmp_pdu *resp = agentx_direct_answer(&d, req);
		int same_table = 0;
		for (size_t i = 0; i < d.ntables; i++)
			if (n > d.tables[i]->rootlen &&
			    snmp_oid_compare(name, d.tables[i]->rootlen, d.tables[i]->root,
			                     d.tables[i]->rootlen) == 0 &&
			    in_table(d.tables[i], want) && want->type != SNMP_ENDOFMIBVIEW)
				same_table = 1;
		if (resp) {
			if (!same_table) {
				char a[256], b[256];
				snprint_objid(a, sizeof(a), name, n);
				snprint_objid(b, sizeof(b), want->name, want->name_length);
				fail_msg("answered from %s; the agent went on to %s", a, b);
			}
			assert_int_equal(resp->command, AGENTX_RESPONSE);
			assert_null(req->variables); /* moved into the response */
			expect_same(resp->variables, want);
			snmp_free_pdu(resp);
			answered++;
		} else {
			if (same_table) {
				char a[256], b[256];
				snprint_objid(a, sizeof(a), name, n);
				snprint_objid(b, sizeof(b), want->name, want->name_length);
				fail_msg("declined from %s; the agent found %s", a, b);
			}
			assert_non_null(req->variables); /* untouched for net-snmp's agent */
			declined++;
		}
		snmp_free_pdu(req);
		if (want->type == SNMP_ENDOFMIBVIEW ||
		    snmp_oid_compare(want->name, want->name_length, mib_end, OID_LENGTH(mib_end)) >=
		        0) {
			snmp_free_varbind(want);
			break;
		}
		/* a Get of the instance the agent found */
		req = agentx_request(AGENTX_GET);
		add_range(req, want->name, want->name_length, 0, NULL, 0);
		resp = agentx_direct_answer(&d, req);
		if (resp) {
			expect_same(resp->variables, want);
			snmp_free_pdu(resp);
		} else {
			for (size_t i = 0; i < d.ntables; i++)
				assert_false(in_table(d.tables[i], want));
		}
		snmp_free_pdu(req);
		n = want->name_length;
		memcpy(name, want->name, n * sizeof(oid));
		snmp_free_varbind(want);
	}
	/* every instance of every table but the first of each came the direct way: the remote
	 * hosts' too (2 hosts of 20 columns; cs1's rows of 7, its findings of 5) */
	size_t rows = catalog_active_count(&F.cat),
	       cols = COL_PORT_SOCKET_COUNT - COL_PORT_NAME + 1,
	       findings = F.hosts.v[0]->snap->nfindings;
	assert_true(findings > 0);
	assert_int_equal(answered, rows * cols - 1 + F.snap.nlisteners * 7 - 1 + 2 * 20 - 1 +
	                               rows * 7 - 1 + findings * 5 - 1);
	assert_true(declined >= 7); /* the globals, into each table, past the last */
}

/* Search ranges (RFC 2741 7.2.3.2), Gets of what is not there, and what is left to the agent. */
static void test_direct_ranges_and_declines(void **state)
{
	struct agentx_direct d = direct_tables();
	oid first[MAX_OID_LEN], name[MAX_OID_LEN];
	(void)state;
	size_t n1 =
	    LISTENER_OID(first, 1, COL_LISTENER_PROCESS_ID, CVP_TCP, 1, 4, 0, 0, 0, 0, 7000);

	/* the next instance at or past the range's end: endOfMibView, named as the start */
	netsnmp_variable_list *second = query(SNMP_MSG_GETNEXT, first, n1);
	netsnmp_pdu *req = agentx_request(AGENTX_GETNEXT);
	add_range(req, first, n1, 0, second->name, second->name_length);
	snmp_free_varbind(second);
	netsnmp_pdu *resp = agentx_direct_answer(&d, req);
	assert_non_null(resp);
	assert_int_equal(resp->variables->type, SNMP_ENDOFMIBVIEW);
	expect_name(resp->variables, first, n1);
	snmp_free_pdu(resp);
	snmp_free_pdu(req);

	/* an inclusive start that is an instance is the answer itself; a table's OID is not */
	netsnmp_variable_list *want = query(SNMP_MSG_GET, first, n1);
	req = agentx_request(AGENTX_GETNEXT);
	add_range(req, first, n1, 1, mib_end, OID_LENGTH(mib_end));
	add_range(req, listener_table, OID_LENGTH(listener_table), 1, mib_end, OID_LENGTH(mib_end));
	assert_non_null(resp = agentx_direct_answer(&d, req));
	expect_same(resp->variables, want);
	snmp_free_varbind(want);
	want = query(SNMP_MSG_GETNEXT, listener_table, OID_LENGTH(listener_table));
	expect_same(resp->variables->next_variable, want); /* the table's first instance */
	snmp_free_varbind(want);
	snmp_free_pdu(resp);
	snmp_free_pdu(req);

	/* Gets of no such object and no such instance, as the agent answers them */
	const struct {
		const oid *name;
		size_t len;
	} gets[] = {
	    {listener_table, OID_LENGTH(listener_table)},
	    {name, PORT_OID(name, 1, COL_PORT_SOCKET_COUNT + 1, 1)},
	};
	for (size_t i = 0; i < 2; i++) {
		want = query(SNMP_MSG_GET, gets[i].name, gets[i].len);
		req = agentx_request(AGENTX_GET);
		add_range(req, gets[i].name, gets[i].len, 0, NULL, 0);
		assert_non_null(resp = agentx_direct_answer(&d, req));
		expect_same(resp->variables, want);
		snmp_free_varbind(want);
		snmp_free_pdu(resp);
		snmp_free_pdu(req);
	}
	size_t n = PORT_OID(name, 1, COL_PORT_NAME, 9999);
	req = agentx_request(AGENTX_GET);
	add_range(req, name, n, 0, NULL, 0);
	assert_non_null(resp = agentx_direct_answer(&d, req));
	assert_int_equal(resp->variables->type, SNMP_NOSUCHINSTANCE);
	snmp_free_pdu(resp);
	snmp_free_pdu(req);

	/* left to the agent, untouched: a scalar beside an answerable varbind, another context,
	 * an unbounded search, a table's end, a Set, a request with no snapshot yet */
	oid scalar[MAX_OID_LEN];
	size_t ns = make_oid(scalar, globals, OID_LENGTH(globals), (const oid[]){1, 0}, 2);
	for (int c = 0; c < 6; c++) {
		req =
		    agentx_request(c == 4 ? 2 /* TestSet is 8; any other type */ : AGENTX_GETNEXT);
		add_range(req, first, n1, 0, mib_end, OID_LENGTH(mib_end));
		if (c == 0)
			add_range(req, scalar, ns, 0, mib_end, OID_LENGTH(mib_end));
		if (c == 1) {
			req->community = (u_char *)strdup("vrf");
			req->community_len = 3;
		}
		if (c == 2) {
			snmp_free_varbind(req->variables);
			req->variables = NULL;
			add_range(req, first, n1, 0, NULL, 0);
		}
		if (c == 3) {
			snmp_free_varbind(req->variables);
			req->variables = NULL;
			n = LISTENER_OID(name, 1, COL_LISTENER_PROCESS_UID, CVP_UDP, 1, 4, 127, 0,
			                 0, 1, 5060);
			add_range(req, name, n, 0, mib_end, OID_LENGTH(mib_end));
		}
		if (c == 5)
			F.ctx.snapshot = NULL;
		assert_null(agentx_direct_answer(&d, req));
		F.ctx.snapshot = &F.snap;
		assert_non_null(req->variables);
		snmp_free_pdu(req);
	}
}

static void test_globals(void **state)
{
	oid name[MAX_OID_LEN];
	(void)state;
	size_t n = make_oid(name, globals, OID_LENGTH(globals),
	                    (const oid[]){COL_GLOBAL_CATALOG_SIZE, 0}, 2);
	netsnmp_variable_list *v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_UNSIGNED);
	assert_int_equal(*v->val.integer, 59); /* 60 rows, one removed */
	snmp_free_varbind(v);

	n = make_oid(name, globals, OID_LENGTH(globals), (const oid[]){COL_GLOBAL_SCAN_COUNT}, 1);
	v = query(SNMP_MSG_GETNEXT, name, n);
	assert_int_equal(v->type, ASN_COUNTER);
	assert_int_equal(*v->val.integer, 7);
	snmp_free_varbind(v);

	n = make_oid(name, globals, OID_LENGTH(globals), (const oid[]){COL_GLOBAL_UNATTRIBUTED, 0},
	             2);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_GAUGE);
	assert_int_equal(*v->val.integer, 3);
	snmp_free_varbind(v);

	/* the counters' discontinuity marker, the last scalar (the unknown rows), then the first
	 * table */
	n = make_oid(name, globals, OID_LENGTH(globals),
	             (const oid[]){COL_GLOBAL_COUNTER_DISCONTINUITY, 0}, 2);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_TIMETICKS);
	assert_int_equal(*v->val.integer, 4242);
	snmp_free_varbind(v);
	v = query(SNMP_MSG_GETNEXT, name, n);
	assert_int_equal(v->name[OID_LENGTH(globals)], COL_GLOBAL_UNKNOWN);
	assert_int_equal(v->type, ASN_GAUGE);
	assert_int_equal(*v->val.integer, F.snap.sum.unknown);
	snmp_free_varbind(v);
	n = make_oid(name, globals, OID_LENGTH(globals), (const oid[]){COL_GLOBAL_UNKNOWN, 0}, 2);
	v = query(SNMP_MSG_GETNEXT, name, n);
	assert_int_equal(v->name[OID_LENGTH(globals) - 1],
	                 2); /* cvpPortTable, past cvpPortGlobals */
	snmp_free_varbind(v);
}

/* Before the first snapshot: scalars and instances do not exist, and a walk passes by. */
static void test_no_snapshot_yet(void **state)
{
	oid name[MAX_OID_LEN];
	(void)state;
	F.ctx.snapshot = NULL;
	F.ctx.hosts = NULL;
	netsnmp_variable_list *v = query(SNMP_MSG_GET, name, PORT_OID(name, 1, COL_PORT_NAME, 1));
	int type = v->type;
	snmp_free_varbind(v);
	v = query(SNMP_MSG_GETNEXT, port_table, OID_LENGTH(port_table));
	int next_type = v->type;
	snmp_free_varbind(v);
	F.ctx.snapshot = &F.snap;
	F.ctx.hosts = &F.hosts;
	assert_int_equal(type, SNMP_NOSUCHINSTANCE);
	assert_int_equal(next_type, SNMP_ENDOFMIBVIEW);
}

/* The remote hosts' tables: a host, its rows by (host, cvpPortIndex), its findings by host
 * and listener index; a host that never answered has no rows. */
static void test_host_tables(void **state)
{
	static const oid host_table[] = {CVP_OID_HOST_TABLE};
	static const oid host_ports[] = {CVP_OID_HOST_PORT_TABLE};
	static const oid host_findings[] = {CVP_OID_HOST_FINDING_TABLE};
	oid name[MAX_OID_LEN];
	size_t n;
	(void)state;

	n = make_oid(name, host_table, OID_LENGTH(host_table), (const oid[]){1, COL_HOST_NAME, 1},
	             3);
	netsnmp_variable_list *v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_memory_equal(v->val.string, "cs1", 3);
	snmp_free_varbind(v);
	const struct {
		oid host, col;
		u_char type;
		long value;
	} ints[] = {
	    {1, COL_HOST_REACHABILITY, ASN_INTEGER, 1},
	    {2, COL_HOST_REACHABILITY, ASN_INTEGER, 2},
	    {1, COL_HOST_SOURCE, ASN_INTEGER, 3},
	    {2, COL_HOST_SOURCE, ASN_INTEGER, 1},
	    {1, COL_HOST_STALE, ASN_INTEGER, 2},
	    {2, COL_HOST_OVERALL, ASN_INTEGER, 3},
	    {1, COL_HOST_POLL_DURATION, ASN_GAUGE, 42},
	    {2, COL_HOST_POLL_FAILURES, ASN_COUNTER, 1},
	    {1, COL_HOST_LAST_POLL, ASN_TIMETICKS, 4300},
	    {1, COL_HOST_POLL_INTERVAL, ASN_UNSIGNED, 60},
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		n = make_oid(name, host_table, OID_LENGTH(host_table),
		             (const oid[]){1, ints[i].col, ints[i].host}, 3);
		v = query(SNMP_MSG_GET, name, n);
		assert_int_equal(v->type, ints[i].type);
		assert_int_equal(*v->val.integer, ints[i].value);
		snmp_free_varbind(v);
	}
	/* cs1 (vxml only): vxml-http (row 5) listens, compliant; sip-udp (row 3) not applicable */
	n = make_oid(name, host_ports, OID_LENGTH(host_ports),
	             (const oid[]){1, COL_HOST_PORT_COMPLIANCE, 1, 5}, 4);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(*v->val.integer, CVP_COMPLIANT);
	snmp_free_varbind(v);
	name[n - 1] = 3;
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(*v->val.integer, CVP_NOT_APPLICABLE);
	snmp_free_varbind(v);
	/* the host that never answered: no row */
	name[n - 2] = 2;
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, SNMP_NOSUCHINSTANCE);
	snmp_free_varbind(v);
	/* a finding of cs1: UDP 127.0.0.1:5060 is unexpected there (its row's role is off) */
	n = make_oid(name, host_findings, OID_LENGTH(host_findings),
	             (const oid[]){1, COL_HOST_FINDING_KIND, 1, CVP_UDP, 1, 4, 127, 0, 0, 1, 5060},
	             11);
	v = query(SNMP_MSG_GET, name, n);
	assert_int_equal(v->type, ASN_INTEGER);
	assert_int_equal(*v->val.integer, CVP_FINDING_UNEXPECTED);
	snmp_free_varbind(v);
}

static void test_set_is_refused(void **state)
{
	oid name[MAX_OID_LEN];
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_SET), *resp = NULL;
	(void)state;
	size_t n = PORT_OID(name, 1, COL_PORT_NAME, 1);
	snmp_pdu_add_variable(pdu, name, n, ASN_OCTET_STR, "x", 1);
	assert_int_equal(snmp_synch_response(F.session, pdu, &resp), STAT_SUCCESS);
	assert_non_null(resp);
	assert_int_equal(resp->errstat, SNMP_ERR_NOTWRITABLE);
	snmp_free_pdu(resp);
	netsnmp_variable_list *v = query(SNMP_MSG_GET, name, n);
	assert_memory_equal(v->val.string, "callserver-jmx", v->val_len);
	snmp_free_varbind(v);
}

int main(void)
{
	setenv("MIBS", "", 1); /* no MIB files are needed, and loading them only warns */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_port_columns_and_types),
	    cmocka_unit_test(test_get_errors),
	    cmocka_unit_test(test_getnext_skips_removed_rows_and_crosses_columns),
	    cmocka_unit_test(test_getnext_from_port_table_to_listener_table),
	    cmocka_unit_test(test_listener_index_encoding),
	    cmocka_unit_test(test_end_of_mib_view_after_the_last_listener),
	    cmocka_unit_test(test_globals),
	    cmocka_unit_test(test_no_snapshot_yet),
	    cmocka_unit_test(test_host_tables),
	    cmocka_unit_test(test_set_is_refused),
	    cmocka_unit_test(test_direct_answers_as_the_agent),
	    cmocka_unit_test(test_direct_ranges_and_declines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
