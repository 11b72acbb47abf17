/* Evaluation: every verdict, every match rule, strides, loopback and local rows, the listener
 * table, and the default catalogue on the cases its interpretation of the document decides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "report.h"
#include "catalog_load.h"

struct fixture {
	struct cvp_catalog cat;
	struct cvp_socket_list socks;
	struct cvp_row_result rows[16];
	struct cvp_listener *listeners;
	size_t nlisteners;
	struct cvp_summary sum;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	static const char *const text =
	    "cvpRoles callserver,vxml\n"
	    "cvpPort single tcp 7000 all required bidirectional vxml \"one\"\n"     /* 1 */
	    "cvpPort set-all tcp 7939-7942 all required local callserver \"all\"\n" /* 2 */
	    "cvpPort set-any tcp 23000-28000 any required bidirectional callserver \"any\"\n"  /* 3
	                                                                                        */
	    "cvpPort dynamic udp 16384-32767 none required bidirectional callserver \"rtp\"\n" /* 4
	                                                                                        */
	    "cvpPort odd udp 5517-5555/2 any required local callserver \"odd\"\n"        /* 5 */
	    "cvpPort loop tcp 7005 all required loopback vxml \"loopback\"\n"            /* 6 */
	    "cvpPort telnet tcp 23 all forbidden inbound callserver \"telnet\"\n"        /* 7 */
	    "cvpPort opt tcp 21 all optional bidirectional callserver \"ftp\"\n"         /* 8 */
	    "cvpPort offrole tcp 9000 all required bidirectional oamp \"ops\"\n"         /* 9 */
	    "cvpPort forbidden-local tcp 24 all forbidden loopback callserver \"x\"\n"   /* 10 */
	    "cvpPort intra tcp 111 all required local callserver \"local\"\n"            /* 11 */
	    "cvpPort offrole-udp udp 45000-46000 none optional unspecified oamp \"w\"\n" /* 12 */
	    "cvpIgnore tcp 2024\n";
	if (!f)
		return -1;
	catalog_init(&f->cat);
	if (catalog_load_text(&f->cat, text, "test", err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	catalog_free(&f->cat);
	sock_list_free(&f->socks);
	free(f->listeners);
	free(f);
	return 0;
}

static struct cvp_socket *add(struct fixture *f, int proto, const char *addr, unsigned port)
{
	struct cvp_socket *s = sock_list_add(&f->socks);
	s->proto = (uint8_t)proto;
	s->port = (uint16_t)port;
	s->v6only = -1;
	s->inode = f->socks.n;
	if (inet_pton(AF_INET, addr, s->addr) == 1)
		s->family = 4;
	else {
		assert_int_equal(inet_pton(AF_INET6, addr, s->addr), 1);
		s->family = 6;
	}
	return s;
}

static void run(struct fixture *f)
{
	free(f->listeners);
	f->listeners = NULL;
	sock_list_sort(&f->socks);
	assert_int_equal(evaluate(&f->cat, &f->socks, 32768, 60999, f->rows, &f->listeners,
	                          &f->nlisteners, &f->sum),
	                 0);
}

#define ROW(n) (&f->rows[(n)-1])

static void test_nothing_listening(void **state)
{
	struct fixture *f = *state;
	run(f);
	assert_int_equal(ROW(1)->state, CVP_STATE_NOT_LISTENING);
	assert_int_equal(ROW(1)->compliance, CVP_MISSING);
	assert_int_equal(ROW(2)->compliance, CVP_MISSING);
	assert_int_equal(ROW(3)->compliance, CVP_MISSING);
	assert_int_equal(ROW(4)->compliance, CVP_COMPLIANT); /* match none */
	assert_int_equal(ROW(5)->compliance, CVP_MISSING);
	assert_int_equal(ROW(7)->compliance, CVP_COMPLIANT); /* forbidden, not listening */
	assert_int_equal(ROW(8)->compliance, CVP_COMPLIANT); /* optional */
	assert_int_equal(ROW(9)->compliance, CVP_NOT_APPLICABLE);
	assert_int_equal(ROW(1)->addr_len, 0);
	assert_int_equal(ROW(11)->compliance, CVP_MISSING); /* required, local */
	assert_int_equal(f->sum.violations, 6);
	assert_int_equal(f->sum.compliant, 4);
	assert_int_equal(f->sum.overall, CVP_OVERALL_NONCOMPLIANT);
	assert_int_equal(f->nlisteners, 0);
}

static void test_match_all_partial_and_full(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_TCP, "127.0.0.1", 7939);
	add(f, CVP_TCP, "127.0.0.1", 7941);
	add(f, CVP_TCP, "::1", 7941); /* same port twice: counted once */
	run(f);
	assert_int_equal(ROW(2)->state, CVP_STATE_PARTIAL);
	assert_int_equal(ROW(2)->listen_count, 2);
	assert_int_equal(ROW(2)->compliance, CVP_MISSING);

	add(f, CVP_TCP, "127.0.0.1", 7940);
	add(f, CVP_TCP, "127.0.0.1", 7942);
	run(f);
	assert_int_equal(ROW(2)->state, CVP_STATE_LISTENING);
	assert_int_equal(ROW(2)->listen_count, 4);
	assert_int_equal(ROW(2)->compliance, CVP_COMPLIANT);
}

static void test_match_any_and_none(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_TCP, "0.0.0.0", 23456);
	add(f, CVP_UDP, "0.0.0.0", 20000);
	run(f);
	assert_int_equal(ROW(3)->state, CVP_STATE_PARTIAL);
	assert_int_equal(ROW(3)->listen_count, 1);
	assert_int_equal(ROW(3)->compliance, CVP_COMPLIANT);
	assert_int_equal(ROW(4)->state, CVP_STATE_PARTIAL);
	assert_int_equal(ROW(4)->compliance, CVP_COMPLIANT);
}

static void test_stride_counts_only_members(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_UDP, "127.0.0.1", 5518); /* even: not in the odd set */
	run(f);
	assert_int_equal(ROW(5)->state, CVP_STATE_NOT_LISTENING);
	assert_int_equal(ROW(5)->compliance, CVP_MISSING);
	add(f, CVP_UDP, "127.0.0.1", 5555);
	run(f);
	assert_int_equal(ROW(5)->listen_count, 1);
	assert_int_equal(ROW(5)->state, CVP_STATE_PARTIAL);
	assert_int_equal(ROW(5)->compliance, CVP_COMPLIANT);
}

static void expect_loopback(struct fixture *f, const char *addr, int v6only, int verdict)
{
	sock_list_clear(&f->socks);
	add(f, CVP_TCP, addr, 7005)->v6only = (int8_t)v6only;
	run(f);
	assert_int_equal(ROW(6)->state, CVP_STATE_LISTENING);
	if (ROW(6)->compliance != verdict)
		fail_msg("loopback row on %s: verdict %d, want %d", addr, ROW(6)->compliance,
		         verdict);
}

static void test_loopback_rows_exposed_or_compliant(void **state)
{
	struct fixture *f = *state;
	expect_loopback(f, "0.0.0.0", -1, CVP_EXPOSED);
	assert_int_equal(ROW(6)->addr_type, CVP_ADDR_IPV4);
	assert_int_equal(ROW(6)->addr_len, 4);
	expect_loopback(f, "::", 0, CVP_EXPOSED);
	assert_int_equal(ROW(6)->addr_type, CVP_ADDR_UNKNOWN); /* dual-stack */
	assert_int_equal(ROW(6)->addr_len, 0);
	expect_loopback(f, "::", 1, CVP_EXPOSED);
	assert_int_equal(ROW(6)->addr_type, CVP_ADDR_IPV6);
	assert_int_equal(ROW(6)->addr_len, 16);
	expect_loopback(f, "192.0.2.10", -1, CVP_EXPOSED);
	expect_loopback(f, "127.0.0.1", -1, CVP_COMPLIANT);
	expect_loopback(f, "127.0.0.53", -1, CVP_COMPLIANT);
	expect_loopback(f, "::1", -1, CVP_COMPLIANT);
	assert_string_equal(ROW(6)->address, "[::1]");
}

/* "local" is traffic within the host: no binding rule, so the wildcard is compliant. */
static void test_local_rows_have_no_binding_rule(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_TCP, "0.0.0.0", 111);
	add(f, CVP_TCP, "::", 111)->v6only = 1;
	run(f);
	assert_int_equal(ROW(11)->state, CVP_STATE_LISTENING);
	assert_int_equal(ROW(11)->compliance, CVP_COMPLIANT);
}

static void test_link_local_listeners_on_two_interfaces_are_two_rows(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_TCP, "fe80::1", 7000)->ifindex = 2;
	add(f, CVP_TCP, "fe80::1", 7000)->ifindex = 3;
	add(f, CVP_TCP, "fe80::1", 7000)->ifindex = 3; /* SO_REUSEPORT on the second */
	run(f);
	assert_int_equal(f->nlisteners, 2);
	for (int i = 0; i < 2; i++) {
		const struct cvp_listener *l = &f->listeners[i];
		assert_int_equal(l->addr_type, CVP_ADDR_IPV6Z);
		assert_int_equal(l->addr_len, 20);
		assert_int_equal(l->addr[0], 0xfe);
		assert_int_equal(l->addr[15], 1);
		/* the zone index in network byte order */
		assert_int_equal(l->addr[16] | l->addr[17] | l->addr[18], 0);
		assert_int_equal(l->addr[19], 2 + i);
		assert_int_equal(l->sockets, 1u + (unsigned)i);
	}
	char a[64];
	sock_format_inet_address(f->listeners[0].addr_type, f->listeners[0].addr, a, sizeof(a));
	assert_string_equal(a, "[fe80::1%2]");
	sock_format_inet_address(f->listeners[1].addr_type, f->listeners[1].addr, a, sizeof(a));
	assert_string_equal(a, "[fe80::1%3]");
	assert_int_equal(ROW(1)->addr_type, CVP_ADDR_IPV6Z);
	assert_int_equal(ROW(1)->addr_len, 20);
}

/* The default catalogue: 111 is intra-host traffic (rpcbind is normally on the wildcard),
 * 7005 is restricted to local access, and 9080 has a row of its own. */
static void test_default_catalogue_interpretation(void **state)
{
	struct cvp_catalog cat;
	struct cvp_socket_list socks = {0};
	struct cvp_row_result *rows;
	struct cvp_listener *ls = NULL;
	size_t nls = 0;
	struct cvp_summary sum;
	char err[256];
	static const unsigned ports[] = {111, 7005, 9080, 50000};
	(void)state;

	catalog_init(&cat);
	assert_int_equal(catalog_load_default(&cat, err, sizeof(err)), 0);
	assert_int_equal(
	    catalog_apply(&cat, "cvpRoles", "vxml,reporting,windows", err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		struct cvp_socket *s = sock_list_add(&socks);
		s->proto = CVP_TCP;
		s->family = 4; /* 0.0.0.0 */
		s->port = (uint16_t)ports[i];
		s->inode = i + 1;
	}
	sock_list_sort(&socks);
	rows = calloc(cat.n, sizeof(*rows));
	assert_non_null(rows);
	assert_int_equal(evaluate(&cat, &socks, 32768, 60999, rows, &ls, &nls, &sum), 0);
	size_t portmap = (size_t)(catalog_find(&cat, "ism-portmap") - cat.rows);
	size_t tomcat = (size_t)(catalog_find(&cat, "vxml-tomcat") - cat.rows);
	size_t was = (size_t)(catalog_find(&cat, "vxml-was") - cat.rows);
	size_t dyn = (size_t)(catalog_find(&cat, "windows-dynamic") - cat.rows);
	assert_int_equal(rows[portmap].compliance, CVP_COMPLIANT);
	assert_int_equal(rows[tomcat].compliance, CVP_EXPOSED);
	assert_int_equal(rows[was].compliance, CVP_COMPLIANT);
	assert_int_equal(nls, 4);
	for (size_t i = 0; i < nls; i++) {
		assert_int_equal(ls[i].class, CVP_CLASS_EXPECTED);
		if (ls[i].port == 9080)
			assert_int_equal(ls[i].port_index, was + 1);
		if (ls[i].port == 50000)
			assert_int_equal(ls[i].port_index, dyn + 1);
	}
	free(ls);
	free(rows);
	sock_list_free(&socks);
	catalog_free(&cat);
}

static struct cvp_socket *held(struct fixture *f, const char *addr, unsigned port, uint32_t pid,
                               const char *comm, uint32_t uid)
{
	struct cvp_socket *s = add(f, CVP_TCP, addr, port);
	s->pid = pid;
	s->uid = s->proc_uid = s->proc_euid = uid;
	s->holder = pid ? CVP_HOLDER_PROCESS : CVP_HOLDER_UNKNOWN;
	snprintf(s->comm, sizeof(s->comm), "%s", comm);
	return s;
}

static void apply(struct fixture *f, const char *token, const char *args)
{
	char err[256];
	if (catalog_apply(&f->cat, token, args, err, sizeof(err)) != 0)
		fail_msg("%s %s: %s", token, args, err);
}

/* A port held by the wrong program is not compliant; an unseen holder is no evidence either way:
 * unknown, never compliant; precedence: forbidden > wrongOwner > exposed > unknown. */
static void test_owner_rules(void **state)
{
	struct fixture *f = *state;
	apply(f, "cvpPortOwner", "single java*,tomcat 0");
	apply(f, "cvpPortOwner", "loop java");
	apply(f, "cvpPortOwner", "telnet inetd");
	held(f, "0.0.0.0", 7000, 41, "java-vxml", 0);
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_COMPLIANT); /* prefix, right user */

	sock_list_clear(&f->socks);
	held(f, "0.0.0.0", 7000, 42, "python3", 0);
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_WRONG_OWNER);
	assert_int_equal(ROW(1)->pid, 42); /* the intruder is reported */
	assert_string_equal(ROW(1)->pname, "python3");

	sock_list_clear(&f->socks);
	held(f, "0.0.0.0", 7000, 43, "java", 65534); /* any user may call itself java */
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_WRONG_OWNER);

	sock_list_clear(&f->socks);
	held(f, "0.0.0.0", 7000, 0, "", 0); /* holder not known yet: the name cannot be checked */
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_UNKNOWN);
	assert_int_equal(f->sum.unknown, 1);

	sock_list_clear(&f->socks);
	held(f, "0.0.0.0", 7000, 0, "", 0);
	held(f, "0.0.0.0", 23, 47, "inetd", 0); /* a violation elsewhere: nonCompliant wins */
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_UNKNOWN);
	assert_int_equal(f->sum.overall, CVP_OVERALL_NONCOMPLIANT);

	sock_list_clear(&f->socks);
	held(f, "0.0.0.0", 7005, 44, "nc", 0); /* wrong owner and exposed: wrongOwner first */
	held(f, "0.0.0.0", 23, 45, "nc", 0);   /* forbidden first */
	run(f);
	assert_int_equal(ROW(6)->compliance, CVP_WRONG_OWNER);
	assert_int_equal(ROW(7)->compliance, CVP_FORBIDDEN);

	sock_list_clear(&f->socks);
	held(f, "127.0.0.1", 7005, 46, "java", 0);
	run(f);
	assert_int_equal(ROW(6)->compliance, CVP_COMPLIANT); /* exact match, loopback */
	assert_string_equal(f->cat.rows[0].owner.text, "java*,tomcat 0");
}

/* An owner rule cannot be evaded by hiding the holder, passing the socket away or changing
 * user: whatever is known of the holder is checked, and nothing is taken on trust. */
static void test_owner_rules_cannot_be_evaded(void **state)
{
	struct fx_case {
		uint8_t holder;
		uint32_t sock_uid, ruid, euid;
		const char *comm;
		int want;
	};
	static const struct fx_case cases[] = {
	    /* holder not known (hidden, or pending): the socket's uid against the user; the name
	     * cannot be checked, so the right uid is no pass */
	    {CVP_HOLDER_UNKNOWN, 65534, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, "", CVP_WRONG_OWNER},
	    {CVP_HOLDER_UNKNOWN, 0, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, "", CVP_UNKNOWN},
	    /* nobody's socket passed over a socketpair and closed: held by no process */
	    {CVP_HOLDER_NONE, 65534, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, "", CVP_WRONG_OWNER},
	    /* root's socket no process holds: the kernel's */
	    {CVP_HOLDER_NONE, 0, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, "", CVP_COMPLIANT},
	    /* root's socket, held by a java that is nobody (received, or setuid) */
	    {CVP_HOLDER_PROCESS, 0, 65534, 65534, "java", CVP_WRONG_OWNER},
	    /* real uid root, effective nobody, and the reverse */
	    {CVP_HOLDER_PROCESS, 0, 0, 65534, "java", CVP_WRONG_OWNER},
	    {CVP_HOLDER_PROCESS, 0, 65534, 0, "java", CVP_WRONG_OWNER},
	    /* nobody's socket handed to root's java: the holder counts */
	    {CVP_HOLDER_PROCESS, 65534, 0, 0, "java", CVP_COMPLIANT},
	    /* the process's uids could not be read: the socket's */
	    {CVP_HOLDER_PROCESS, 0, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, "java", CVP_COMPLIANT},
	    {CVP_HOLDER_PROCESS, 65534, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, "java", CVP_WRONG_OWNER},
	    /* a captured holder (netstat -b, ss -p): its name, no user at all: the user cannot be
	     * checked, so unknown, never compliant */
	    {CVP_HOLDER_PROCESS, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, CVP_UID_UNKNOWN, "java",
	     CVP_UNKNOWN},
	};
	struct fixture *f = *state;
	apply(f, "cvpPortOwner", "single java* 0");
	apply(f, "cvpPortOwner", "loop java"); /* any user */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fx_case *c = &cases[i];
		sock_list_clear(&f->socks);
		struct cvp_socket *s =
		    held(f, "0.0.0.0", 7000, c->holder == CVP_HOLDER_PROCESS ? 9 : 0, c->comm,
		         c->sock_uid);
		s->holder = c->holder;
		s->proc_uid = c->ruid;
		s->proc_euid = c->euid;
		run(f);
		if (ROW(1)->compliance != c->want)
			fail_msg("case %zu: %s, expected %s", i,
			         enum_compliance_name(ROW(1)->compliance),
			         enum_compliance_name(c->want));
	}
	/* A rule without a user: an unknown holder is unknown (never compliant), a user's socket
	 * held by none is wrongOwner, root's held by none (the kernel's) passes. */
	static const struct {
		uint8_t holder;
		uint32_t uid;
		int want;
	} anyuser[] = {{CVP_HOLDER_UNKNOWN, 65534, CVP_UNKNOWN},
	               {CVP_HOLDER_UNKNOWN, 0, CVP_UNKNOWN},
	               {CVP_HOLDER_NONE, 65534, CVP_WRONG_OWNER},
	               {CVP_HOLDER_NONE, 0, CVP_COMPLIANT}};
	for (size_t i = 0; i < sizeof(anyuser) / sizeof(anyuser[0]); i++) {
		sock_list_clear(&f->socks);
		held(f, "127.0.0.1", 7005, 0, "", anyuser[i].uid)->holder = anyuser[i].holder;
		run(f);
		if (ROW(6)->compliance != anyuser[i].want)
			fail_msg("any user, case %zu: %s", i,
			         enum_compliance_name(ROW(6)->compliance));
	}
}

/* No evidence is no verdict: with every other applicable row compliant, a row whose owner rule
 * cannot see the holder makes the host unknown (exit 3, UNKNOWN), not compliant; a violation
 * anywhere still makes it nonCompliant. */
static void test_unknown_makes_the_host_unknown(void **state)
{
	struct fixture *f = *state;
	apply(f, "cvpRoles", "vxml"); /* rows single and loop */
	apply(f, "cvpPortOwner", "single java");
	held(f, "0.0.0.0", 7000, 0, "", 0);          /* holder not known */
	held(f, "127.0.0.1", 7005, 50, "tomcat", 0); /* compliant */
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_UNKNOWN);
	assert_int_equal(ROW(6)->compliance, CVP_COMPLIANT);
	assert_int_equal(f->sum.compliant, 1);
	assert_int_equal(f->sum.unknown, 1);
	assert_int_equal(f->sum.violations, 0);
	assert_int_equal(f->sum.overall, CVP_OVERALL_UNKNOWN);
	struct cvp_snapshot snap = {.scan_ok = 1, .sum = f->sum};
	assert_int_equal(report_exit_code(&snap), CVP_EXIT_UNKNOWN);

	/* the holder seen: compliant again, and the host with it */
	f->socks.v[0].holder = CVP_HOLDER_PROCESS;
	f->socks.v[0].pid = 51;
	snprintf(f->socks.v[0].comm, sizeof(f->socks.v[0].comm), "java");
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_COMPLIANT);
	assert_int_equal(f->sum.overall, CVP_OVERALL_COMPLIANT);
	snap.sum = f->sum;
	assert_int_equal(report_exit_code(&snap), CVP_EXIT_OK);

	/* a violation elsewhere: nonCompliant, CRITICAL, whatever is unknown */
	f->socks.v[0].holder = CVP_HOLDER_UNKNOWN;
	f->socks.v[0].pid = 0;
	held(f, "0.0.0.0", 7005, 52, "tomcat", 0); /* exposed */
	run(f);
	assert_int_equal(ROW(1)->compliance, CVP_UNKNOWN);
	assert_int_equal(ROW(6)->compliance, CVP_EXPOSED);
	assert_int_equal(f->sum.overall, CVP_OVERALL_NONCOMPLIANT);
	snap.sum = f->sum;
	assert_int_equal(report_exit_code(&snap), CVP_EXIT_CRITICAL);
}

static void test_owner_rule_errors(void **state)
{
	struct fixture *f = *state;
	char err[256];
	static const char *const bad[][2] = {
	    {"nosuchrow java", "no catalogue row named 'nosuchrow'"},
	    {"single ja*va", "bad process name pattern 'ja*va'"},
	    {"single *", "bad process name pattern '*'"},
	    {"single java no-such-user-here", "no user 'no-such-user-here'"},
	    {"single", "usage: cvpPortOwner"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    catalog_apply(&f->cat, "cvpPortOwner", bad[i][0], err, sizeof(err)), -1);
		if (!strstr(err, bad[i][1]))
			fail_msg("'%s': got '%s'", bad[i][0], err);
	}
	assert_int_equal(f->cat.rows[0].owner.n, 0); /* nothing half-applied */
}

static void test_ignored_processes(void **state)
{
	struct fixture *f = *state;
	apply(f, "cvpIgnoreProcess", "backup*,opsconsole");
	held(f, "0.0.0.0", 40001, 50, "backupd", 0);
	held(f, "0.0.0.0", 40002, 51, "opsconsole", 0);
	held(f, "0.0.0.0", 40003, 52, "other", 0);
	held(f, "0.0.0.0", 7000, 53, "backupd", 0); /* covered by a row: still expected */
	run(f);
	assert_int_equal(f->nlisteners, 4);
	assert_int_equal(f->listeners[0].class, CVP_CLASS_EXPECTED);
	assert_int_equal(f->listeners[1].class, CVP_CLASS_IGNORED);
	assert_int_equal(f->listeners[2].class, CVP_CLASS_IGNORED);
	assert_int_equal(f->listeners[3].class, CVP_CLASS_UNEXPECTED);
	assert_int_equal(f->sum.unexpected, 1);
}

static void test_exposed_row_reports_the_exposing_socket(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_TCP, "127.0.0.1", 7005);
	add(f, CVP_TCP, "192.0.2.1", 7005);
	run(f);
	assert_int_equal(ROW(6)->compliance, CVP_EXPOSED);
	assert_string_equal(ROW(6)->address, "192.0.2.1");
}

static void test_forbidden_precedes_exposed(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_TCP, "0.0.0.0", 23);
	add(f, CVP_TCP, "0.0.0.0", 24);
	run(f);
	assert_int_equal(ROW(7)->compliance, CVP_FORBIDDEN);
	assert_int_equal(ROW(10)->compliance, CVP_FORBIDDEN);
}

static void test_role_not_enabled_precedes_everything(void **state)
{
	struct fixture *f = *state;
	f->cat.roles = 1u << CVP_ROLE_OAMP;
	add(f, CVP_TCP, "0.0.0.0", 7005);
	add(f, CVP_TCP, "0.0.0.0", 23);
	run(f);
	assert_int_equal(ROW(6)->compliance, CVP_NOT_APPLICABLE);
	assert_int_equal(ROW(7)->compliance, CVP_NOT_APPLICABLE);
	assert_int_equal(ROW(9)->compliance, CVP_MISSING);
}

static void test_listener_table(void **state)
{
	struct fixture *f = *state;
	add(f, CVP_TCP, "0.0.0.0", 7000)->pid = 0;
	struct cvp_socket *a = add(f, CVP_TCP, "::", 8080); /* reuseport pair, dual-stack */
	a->v6only = 0;
	a->pid = 42;
	memcpy(a->comm, "web", 4);
	add(f, CVP_TCP, "::", 8080)->v6only = 0;
	add(f, CVP_TCP, "::", 9000)->v6only = 1; /* off-role catalogue port */
	add(f, CVP_TCP, "0.0.0.0", 2024);        /* ignored by configuration */
	add(f, CVP_UDP, "0.0.0.0", 40000);       /* client socket, ephemeral */
	add(f, CVP_UDP, "0.0.0.0", 9999);        /* unexpected */
	add(f, CVP_UDP, "0.0.0.0", 45500); /* client socket, ephemeral, under an off-role row */
	run(f);
	assert_int_equal(f->nlisteners, 7);
	/* MIB index order: tcp before udp; unknown(0) before ipv4 before ipv6 */
	const struct cvp_listener *l = f->listeners;
	assert_int_equal(l[0].proto, CVP_TCP);
	assert_int_equal(l[0].addr_type, CVP_ADDR_UNKNOWN);
	assert_int_equal(l[0].port, 8080);
	assert_int_equal(l[0].sockets, 2);
	assert_int_equal(l[0].pid, 42);
	assert_string_equal(l[0].pname, "web");
	assert_int_equal(l[0].class, CVP_CLASS_UNEXPECTED);
	assert_int_equal(l[1].port, 2024);
	assert_int_equal(l[1].class, CVP_CLASS_IGNORED);
	assert_int_equal(l[2].port, 7000);
	assert_int_equal(l[2].class, CVP_CLASS_EXPECTED);
	assert_int_equal(l[2].port_index, 1);
	assert_int_equal(l[3].port, 9000);
	assert_int_equal(l[3].addr_type, CVP_ADDR_IPV6);
	assert_int_equal(l[3].port_index, 9);
	assert_int_equal(l[3].class, CVP_CLASS_UNEXPECTED); /* its row's role is not enabled */
	assert_int_equal(l[4].proto, CVP_UDP);
	assert_int_equal(l[4].port, 9999);
	assert_int_equal(l[4].class, CVP_CLASS_UNEXPECTED);
	assert_int_equal(l[5].port, 40000);
	assert_int_equal(l[5].class, CVP_CLASS_IGNORED);
	/* a row of a role not enabled does not make a client socket unexpected */
	assert_int_equal(l[6].port, 45500);
	assert_int_equal(l[6].port_index, 12);
	assert_int_equal(l[6].class, CVP_CLASS_IGNORED);
	assert_int_equal(f->sum.unexpected, 3);
}

/* The findings: each listener says what it asks of an operator, and only the listeners that
 * make their row's verdict (or that no applicable row covers) have one; each row counts the
 * sockets it covers. */
static const struct cvp_listener *listener_at(struct fixture *f, unsigned port, const char *addr)
{
	uint8_t a[16];
	assert_int_equal(inet_pton(AF_INET, addr, a), 1);
	for (size_t i = 0; i < f->nlisteners; i++)
		if (f->listeners[i].port == port && memcmp(f->listeners[i].addr, a, 4) == 0)
			return &f->listeners[i];
	fail_msg("no listener %s:%u", addr, port);
	return NULL;
}

static void test_findings(void **state)
{
	struct fixture *f = *state;
	apply(f, "cvpPortOwner", "single java");
	held(f, "0.0.0.0", 23, 50, "inetd", 0);       /* forbidden row */
	held(f, "127.0.0.1", 7005, 51, "java", 0);    /* loopback row: fine here */
	held(f, "192.0.2.1", 7005, 52, "java", 0);    /* ... exposed here */
	held(f, "192.0.2.7", 7000, 53, "python3", 0); /* not its owner */
	held(f, "192.0.2.8", 7000, 54, "java", 0);    /* its owner */
	held(f, "0.0.0.0", 2024, 55, "sshd", 0);      /* ignored */
	add(f, CVP_UDP, "0.0.0.0", 9999);             /* unexpected */
	run(f);
	assert_int_equal(listener_at(f, 23, "0.0.0.0")->finding, CVP_FINDING_FORBIDDEN);
	assert_int_equal(listener_at(f, 7005, "127.0.0.1")->finding, CVP_FINDING_NONE);
	assert_int_equal(listener_at(f, 7005, "192.0.2.1")->finding, CVP_FINDING_EXPOSED);
	assert_int_equal(listener_at(f, 7000, "192.0.2.7")->finding, CVP_FINDING_WRONG_OWNER);
	assert_int_equal(listener_at(f, 7000, "192.0.2.8")->finding, CVP_FINDING_NONE);
	assert_int_equal(listener_at(f, 2024, "0.0.0.0")->finding, CVP_FINDING_NONE);
	assert_int_equal(listener_at(f, 9999, "0.0.0.0")->finding, CVP_FINDING_UNEXPECTED);
	unsigned n = 0;
	for (size_t i = 0; i < f->nlisteners; i++)
		n += f->listeners[i].finding != CVP_FINDING_NONE;
	assert_int_equal(n, 4);
	assert_int_equal(ROW(6)->socket_count, 2);
	assert_int_equal(ROW(6)->listen_count, 1);
	assert_int_equal(ROW(1)->socket_count, 2);
	assert_int_equal(ROW(2)->socket_count, 0);
}

static void test_ephemeral_overlap(void **state)
{
	struct fixture *f = *state;
	run(f);
	assert_false(ROW(4)->ephemeral_overlap); /* 16384-32767 ends below 32768 */
	assert_false(ROW(1)->ephemeral_overlap);
	sock_list_sort(&f->socks);
	free(f->listeners);
	assert_int_equal(evaluate(&f->cat, &f->socks, 7000, 7000, f->rows, &f->listeners,
	                          &f->nlisteners, &f->sum),
	                 0);
	assert_true(ROW(1)->ephemeral_overlap);
}

/* Every port of both protocols, on two addresses: each listener's row is the one a scan of
 * the catalogue in order gives (first applicable covering row, else the first covering one),
 * and the table comes in MIB index order. */
static void test_every_port_covered_as_the_catalogue_says(void **state)
{
	struct fixture *f = *state;
	char err[256];
	/* overlapping rows, a stride inside a range, a row of a role not enabled first */
	assert_int_equal(catalog_apply(&f->cat, "cvpPort",
	                               "shadow udp 5500-5600 any optional local oamp \"x\"", err,
	                               sizeof(err)),
	                 0);
	for (int proto = CVP_TCP; proto <= CVP_UDP; proto++)
		for (unsigned port = 1; port <= 65535; port++) {
			add(f, proto, "127.0.0.1", port);
			add(f, proto, "10.0.0.1", port);
		}
	run(f);
	assert_int_equal(f->nlisteners, 4 * 65535);
	for (size_t i = 0; i < f->nlisteners; i++) {
		const struct cvp_listener *l = &f->listeners[i];
		uint32_t want = 0, any = 0;
		for (size_t r = 0; r < f->cat.n && !want; r++) {
			const struct cvp_row *row = &f->cat.rows[r];
			if (row->removed || row->proto != l->proto ||
			    !portset_contains(&row->ports, l->port))
				continue;
			if ((f->cat.roles & (1u << row->role)) &&
			    row->requirement != CVP_REQ_FORBIDDEN)
				want = (uint32_t)r + 1;
			else if (!any)
				any = (uint32_t)r + 1;
		}
		if (l->port_index != (want ? want : any))
			fail_msg("%s port %u: row %u, expected %u", enum_proto_name(l->proto),
			         l->port, l->port_index, want ? want : any);
		if (i)
			assert_true(evaluate_listener_cmp(&f->listeners[i - 1], l) < 0);
	}
}

/* More addresses than the planner groups: the same table, by the general sort. */
static void test_many_addresses_in_index_order(void **state)
{
	struct fixture *f = *state;
	char a[32];
	for (unsigned port = 7000; port < 7004; port++)
		for (unsigned k = 0; k < 200; k++) {
			snprintf(a, sizeof(a), "10.0.%u.%u", k / 100, k % 100 + 1);
			add(f, CVP_TCP, a, port);
			if (k % 50 == 0)
				add(f, CVP_TCP, a, port); /* SO_REUSEPORT: one row, two sockets */
		}
	run(f);
	assert_int_equal(f->nlisteners, 800);
	for (size_t i = 1; i < f->nlisteners; i++)
		assert_true(evaluate_listener_cmp(&f->listeners[i - 1], &f->listeners[i]) < 0);
	assert_int_equal(f->listeners[0].sockets, 2); /* 10.0.0.1:7000 */
	assert_int_equal(f->listeners[0].port, 7000);
	assert_int_equal(f->listeners[1].port, 7001);
	assert_int_equal(f->listeners[4].sockets, 1); /* 10.0.0.2:7000 */
	assert_int_equal(f->listeners[4].port, 7000);
}

/* Three sockets on [::]:N (dual-stack, v6only, dual-stack bound to lo by SO_BINDTODEVICE): two
 * indexes, each once, the dual-stack pair counted as one row of two sockets. */
static void test_reuseport_dual_stack_and_bound_device_one_index(void **state)
{
	struct fixture *f = *state;
	struct cvp_socket *s = add(f, CVP_TCP, "::", 9999);
	s->v6only = 0;
	s = add(f, CVP_TCP, "::", 9999);
	s->v6only = 1;
	s = add(f, CVP_TCP, "::", 9999);
	s->v6only = 0;
	s->ifindex = 1;
	run(f);
	assert_int_equal(f->nlisteners, 2);
	assert_int_equal(f->listeners[0].addr_type, CVP_ADDR_UNKNOWN);
	assert_int_equal(f->listeners[0].sockets, 2);
	assert_int_equal(f->listeners[1].addr_type, CVP_ADDR_IPV6);
	assert_int_equal(f->listeners[1].sockets, 1);
	assert_int_equal(f->sum.unexpected, 2);
}

/* A small deterministic generator, so that a failure names its seed and repeats. */
static uint32_t next_rand(uint64_t *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*x >> 33);
}

/* For any set of sockets (every address form, scope, v6only, bound device, SO_REUSEPORT
 * duplicates, few or many addresses) the listener table's indexes are unique and strictly
 * increasing, every socket is counted in exactly one row, and the unexpected count is the
 * number of rows classed unexpected. */
static void test_listener_indexes_unique_for_any_socket_set(void **state)
{
	struct fixture *f = *state;
	static const char *const addrs[] = {"0.0.0.0", "127.0.0.1",   "10.1.2.3",
	                                    "::",      "::1",         "fe80::1",
	                                    "fe80::2", "2001:db8::5", "::ffff:10.1.2.3"};
	char a[48];
	for (uint64_t seed = 1; seed <= 400; seed++) {
		uint64_t x = seed;
		sock_list_clear(&f->socks);
		size_t n = 1 + next_rand(&x) % (seed % 10 == 0 ? 3000 : 60);
		for (size_t i = 0; i < n; i++) {
			unsigned r = next_rand(&x);
			const char *addr = addrs[r % 9];
			if (seed % 10 == 0 && r % 3 == 0) { /* many addresses: the general path */
				snprintf(a, sizeof(a), "10.9.%u.%u", (r >> 8) % 8, (r >> 12) % 200);
				addr = a;
			}
			struct cvp_socket *s =
			    add(f, (r >> 4) % 2 ? CVP_UDP : CVP_TCP, addr, 7000 + (r >> 5) % 6);
			sock_unmap_v4(s);
			s->v6only = (int8_t)((r >> 20) % 3) - 1;
			s->ifindex = (r >> 22) % 3;
			s->inode = next_rand(&x);
		}
		run(f);
		uint32_t sockets = 0, unexpected = 0;
		for (size_t i = 0; i < f->nlisteners; i++) {
			sockets += f->listeners[i].sockets;
			unexpected += f->listeners[i].class == CVP_CLASS_UNEXPECTED;
			if (i && evaluate_listener_cmp(&f->listeners[i - 1], &f->listeners[i]) >= 0)
				fail_msg("seed %llu: listeners %zu and %zu out of order or equal",
				         (unsigned long long)seed, i - 1, i);
		}
		if (sockets != n || unexpected != f->sum.unexpected)
			fail_msg(
			    "seed %llu: %u of %zu sockets in rows, %u unexpected rows, count %u",
			    (unsigned long long)seed, sockets, n, unexpected, f->sum.unexpected);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_nothing_listening),
	    T(test_match_all_partial_and_full),
	    T(test_match_any_and_none),
	    T(test_stride_counts_only_members),
	    T(test_loopback_rows_exposed_or_compliant),
	    T(test_local_rows_have_no_binding_rule),
	    T(test_link_local_listeners_on_two_interfaces_are_two_rows),
	    cmocka_unit_test(test_default_catalogue_interpretation),
	    T(test_exposed_row_reports_the_exposing_socket),
	    T(test_owner_rules),
	    T(test_owner_rules_cannot_be_evaded),
	    T(test_unknown_makes_the_host_unknown),
	    T(test_owner_rule_errors),
	    T(test_ignored_processes),
	    T(test_forbidden_precedes_exposed),
	    T(test_role_not_enabled_precedes_everything),
	    T(test_listener_table),
	    T(test_findings),
	    T(test_ephemeral_overlap),
	    T(test_every_port_covered_as_the_catalogue_says),
	    T(test_many_addresses_in_index_order),
	    T(test_reuseport_dual_stack_and_bound_device_one_index),
	    T(test_listener_indexes_unique_for_any_socket_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
