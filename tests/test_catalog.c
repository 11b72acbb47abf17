/* The embedded default catalogue and the configuration directives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "catalog.h"
#include "catalog_load.h"

struct want {
	const char *name;
	int proto;
	unsigned low, high, stride;
	int match, direction, role;
};

static void expect_row(const struct cvp_catalog *cat, const struct want *w)
{
	const struct cvp_row *r = catalog_find(cat, w->name);
	if (!r)
		fail_msg("no row %s", w->name);
	assert_int_equal(r->proto, w->proto);
	assert_int_equal(r->ports.low, w->low);
	assert_int_equal(r->ports.high, w->high);
	assert_int_equal(r->ports.stride, w->stride);
	if (w->match)
		assert_int_equal(r->match, w->match);
	if (w->direction)
		assert_int_equal(r->direction, w->direction);
	if (w->role >= 0)
		assert_int_equal(r->role, w->role);
}

static int setup(void **state)
{
	static struct cvp_catalog cat;
	char err[256];
	catalog_init(&cat);
	if (catalog_load_default(&cat, err, sizeof(err)) < 0)
		return -1;
	*state = &cat;
	return 0;
}

static int teardown(void **state)
{
	catalog_free(*state);
	return 0;
}

static void test_default_rows_from_the_seed(void **state)
{
	const struct cvp_catalog *cat = *state;
	static const struct want rows[] = {
	    {"sip-udp", CVP_UDP, 5060, 5060, 1, CVP_MATCH_ALL, CVP_DIR_BIDIRECTIONAL,
	     CVP_ROLE_CALLSERVER},
	    {"sip-tcp", CVP_TCP, 5060, 5060, 1, CVP_MATCH_ALL, CVP_DIR_BIDIRECTIONAL,
	     CVP_ROLE_CALLSERVER},
	    {"messaging", CVP_TCP, 23000, 28000, 1, CVP_MATCH_ANY, 0, -1},
	    {"rtp", CVP_UDP, 16384, 32767, 1, CVP_MATCH_NONE, 0, CVP_ROLE_MEDIA},
	    /* the document lists each of the twenty ports */
	    {"snmp-subagent", CVP_UDP, 5517, 5555, 2, CVP_MATCH_ALL, CVP_DIR_LOCAL, CVP_ROLE_SNMP},
	    {"snmp-subsystem", CVP_UDP, 5516, 5554, 2, CVP_MATCH_ALL, CVP_DIR_LOCAL, CVP_ROLE_SNMP},
	    {"vxml-tomcat", CVP_TCP, 7005, 7005, 1, 0, CVP_DIR_LOOPBACK, CVP_ROLE_VXML},
	    {"vxml-ajp", CVP_TCP, 7009, 7009, 1, 0, CVP_DIR_LOCAL, CVP_ROLE_VXML},
	    {"ism", CVP_TCP, 7939, 7942, 1, CVP_MATCH_ALL, CVP_DIR_LOCAL, CVP_ROLE_REPORTING},
	    {"ism-portmap", CVP_TCP, 111, 111, 1, 0, CVP_DIR_LOCAL, CVP_ROLE_REPORTING},
	    {"rm-ftp", CVP_TCP, 21, 21, 1, 0, CVP_DIR_BIDIRECTIONAL, CVP_ROLE_OAMP},
	    {"vxml-was", CVP_TCP, 9080, 9080, 1, CVP_MATCH_ALL, CVP_DIR_LOCAL, CVP_ROLE_VXML},
	    {"windows-dynamic", CVP_TCP, 49152, 65535, 1, CVP_MATCH_NONE, CVP_DIR_UNSPECIFIED,
	     CVP_ROLE_WINDOWS},
	    /* the document sets the range for each transport */
	    {"windows-dynamic-udp", CVP_UDP, 49152, 65535, 1, CVP_MATCH_NONE, CVP_DIR_UNSPECIFIED,
	     CVP_ROLE_WINDOWS},
	    {"snmp-trap", CVP_UDP, 162, 162, 1, 0, CVP_DIR_BIDIRECTIONAL, CVP_ROLE_SNMP},
	    {"syslog", CVP_UDP, 514, 514, 1, 0, CVP_DIR_BIDIRECTIONAL, CVP_ROLE_MGMT},
	    {"telnet", CVP_TCP, 23, 23, 1, 0, CVP_DIR_UNSPECIFIED, CVP_ROLE_MGMT},
	    {"wsm-8101", CVP_TCP, 8101, 8101, 1, 0, 0, CVP_ROLE_COMMON},
	    {"wsm-8110", CVP_TCP, 8110, 8110, 1, 0, 0, CVP_ROLE_COMMON},
	    {"wsm-8111", CVP_TCP, 8111, 8111, 1, 0, 0, CVP_ROLE_COMMON},
	    {"wsm-10001", CVP_TCP, 10001, 10001, 1, 0, 0, CVP_ROLE_COMMON},
	    {"wsm-10002", CVP_TCP, 10002, 10002, 1, 0, 0, CVP_ROLE_COMMON},
	    {"snmp-agent", CVP_UDP, 161, 161, 1, 0, 0, CVP_ROLE_SNMP},
	    {"snmp-agentx", CVP_TCP, 7161, 7161, 1, 0, CVP_DIR_LOCAL, CVP_ROLE_SNMP},
	    {"ntp", CVP_UDP, 123, 123, 1, 0, 0, CVP_ROLE_WINDOWS},
	    {"smb-tcp", CVP_TCP, 445, 445, 1, 0, 0, CVP_ROLE_WINDOWS},
	    {"smb-udp", CVP_UDP, 445, 445, 1, 0, 0, CVP_ROLE_WINDOWS},
	    {"callserver-jmx", CVP_TCP, 2098, 2098, 1, 0, 0, CVP_ROLE_CALLSERVER},
	    {"rm-wrapper", CVP_TCP, 32000, 32999, 1, CVP_MATCH_ANY, CVP_DIR_LOCAL, CVP_ROLE_COMMON},
	    {"ssh", CVP_TCP, 22, 22, 1, 0, CVP_DIR_UNSPECIFIED, CVP_ROLE_MGMT},
	    {"rdp", CVP_TCP, 3389, 3389, 1, 0, CVP_DIR_BIDIRECTIONAL, CVP_ROLE_MGMT},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		expect_row(cat, &rows[i]);
	assert_int_equal(cat->n, 60);
	assert_int_equal(cat->roles, CVP_DEFAULT_ROLES);
}

/* The document restricts exactly five ports to local access, and gives no direction for the
 * Windows table. */
static void test_default_directions(void **state)
{
	const struct cvp_catalog *cat = *state;
	static const unsigned loopback[] = {7005, 10100, 8005, 9005, 1529};
	unsigned found = 0;
	for (size_t i = 0; i < cat->n; i++) {
		const struct cvp_row *r = &cat->rows[i];
		if (r->direction == CVP_DIR_LOOPBACK) {
			int listed = 0;
			for (size_t k = 0; k < sizeof(loopback) / sizeof(loopback[0]); k++)
				listed |= r->proto == CVP_TCP && r->ports.low == loopback[k] &&
				          r->ports.high == loopback[k];
			if (!listed)
				fail_msg("row %s is loopback", r->name);
			found++;
		}
		if (r->role == CVP_ROLE_WINDOWS)
			assert_int_equal(r->direction, CVP_DIR_UNSPECIFIED);
		/* every optional row says why, in its rationale: the note is the document's */
		if (r->requirement == CVP_REQ_OPTIONAL && !strstr(r->rationale, "ptional"))
			fail_msg("optional row %s gives no reason", r->name);
		static const char *const ours[] = {"ptional", "nothing need listen", "Linux",
		                                   "this host", "a site"};
		for (size_t k = 0; k < sizeof(ours) / sizeof(ours[0]); k++)
			if (strstr(r->note, ours[k]))
				fail_msg("row %s: the note holds this project's words (%s)",
				         r->name, ours[k]);
	}
	assert_int_equal(found, 5);
}

static void test_default_requirements(void **state)
{
	const struct cvp_catalog *cat = *state;
	/* the document: opened by a Resource Manager beside the Operations Console (oamp) */
	assert_int_equal(catalog_find(cat, "rm-ftp")->requirement, CVP_REQ_REQUIRED);
	/* remote texts only where the document gives them */
	assert_string_equal(catalog_find(cat, "vxml-ajp")->remote, "");
	assert_string_equal(catalog_find(cat, "callserver-tomcat")->remote, "");
	assert_int_equal(catalog_find(cat, "snmp-trap")->requirement, CVP_REQ_OPTIONAL);
	assert_int_equal(catalog_find(cat, "snmp-trap")->direction, CVP_DIR_BIDIRECTIONAL);
	assert_int_equal(catalog_find(cat, "vxml-was")->requirement, CVP_REQ_OPTIONAL);
	assert_int_equal(catalog_find(cat, "sip-udp")->requirement, CVP_REQ_REQUIRED);
	/* every row has ASCII text and a listener */
	for (size_t i = 0; i < cat->n; i++) {
		assert_true(cat->rows[i].listener[0] != '\0');
		for (const char *c = cat->rows[i].note; *c; c++)
			assert_true(*c >= 0x20 && *c <= 0x7e);
		for (const char *c = cat->rows[i].rationale; *c; c++)
			assert_true(*c >= 0x20 && *c <= 0x7e);
	}
}

static void test_site_config_changes_rows_in_place(void **state)
{
	struct cvp_catalog *cat = *state;
	char err[256];
	size_t n = cat->n;
	size_t rdp_index = (size_t)(catalog_find(cat, "rdp") - cat->rows);
	size_t http_index = (size_t)(catalog_find(cat, "vxml-http") - cat->rows);

	assert_int_equal(catalog_load_file(cat, FIXTURES "/site.conf", err, sizeof(err)), 0);
	assert_int_equal(cat->roles, (1u << CVP_ROLE_CALLSERVER) | (1u << CVP_ROLE_VXML) |
	                                 (1u << CVP_ROLE_OAMP));
	assert_int_equal(catalog_find(cat, "sip-udp")->ports.low, 5080);
	assert_int_equal(catalog_find(cat, "sip-tcp")->ports.high, 5080);
	assert_int_equal(catalog_find(cat, "telnet")->requirement, CVP_REQ_FORBIDDEN);
	/* removed: not found, but its slot (and so every later index) stays */
	assert_null(catalog_find(cat, "rdp"));
	assert_true(cat->rows[rdp_index].removed);
	assert_string_equal(cat->rows[rdp_index + 1].name, "rpc");
	/* replaced in place: same index, new values */
	const struct cvp_row *http = catalog_find(cat, "vxml-http");
	assert_int_equal((size_t)(http - cat->rows), http_index);
	assert_string_equal(http->listener, "VXML Server HTTP (replaced)");
	assert_int_equal(http->requirement, CVP_REQ_OPTIONAL);
	assert_string_equal(http->remote, "");
	/* added at the end */
	assert_int_equal(cat->n, n + 1);
	assert_string_equal(cat->rows[n].name, "site-extra");
	assert_int_equal(cat->rows[n].ports.stride, 2);
	assert_string_equal(cat->rows[n].note, "Added by the site");
	assert_int_equal(catalog_active_count(cat), n);
	assert_int_equal(cat->nignores, 2);
	assert_int_equal(cat->ignores[1].family, 4);
}

static void test_errors_name_file_and_line(void **state)
{
	struct cvp_catalog *cat = *state;
	char err[256];
	assert_int_equal(catalog_load_file(cat, FIXTURES "/bad-port.conf", err, sizeof(err)), -1);
	assert_string_equal(err,
	                    FIXTURES "/bad-port.conf:3: bad port set '70000' (expected N, N-M or "
	                             "N-M/STRIDE, 1-65535)");
	assert_int_equal(catalog_load_file(cat, FIXTURES "/bad-quote.conf", err, sizeof(err)), -1);
	assert_string_equal(err, FIXTURES "/bad-quote.conf:3: unterminated quoted string");
	assert_int_equal(catalog_load_file(cat, FIXTURES "/none.conf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "none.conf"));
}

static void test_directive_errors(void **state)
{
	struct cvp_catalog *cat = *state;
	char err[256];
	static const struct {
		const char *token, *args, *msg;
	} bad[] = {
	    {"cvpPort", "x tcp 1 all required inbound", "usage: cvpPort"},
	    {"cvpPort", "x sctp 1 all required inbound mgmt \"L\"", "bad protocol 'sctp'"},
	    {"cvpPort", "x tcp 9-3 all required inbound mgmt \"L\"", "bad port set '9-3'"},
	    {"cvpPort", "x tcp 1-9/0 all required inbound mgmt \"L\"", "bad port set"},
	    {"cvpPort", "x tcp 1 some required inbound mgmt \"L\"", "bad match 'some'"},
	    {"cvpPort", "x tcp 1 all needed inbound mgmt \"L\"", "bad requirement 'needed'"},
	    {"cvpPort", "x tcp 1 all required sideways mgmt \"L\"", "bad direction 'sideways'"},
	    {"cvpPort", "x tcp 1 all required inbound dba \"L\"", "bad role 'dba'"},
	    {"cvpPort", "x/y tcp 1 all required inbound mgmt \"L\"", "name 'x/y'"},
	    {"cvpPort", "x tcp 1 all required inbound mgmt \"caf\xc3\xa9\"", "printable ASCII"},
	    {"cvpPortMove", "nosuch 80", "no catalogue row named 'nosuch'"},
	    {"cvpPortRequire", "ssh maybe", "bad requirement 'maybe'"},
	    {"cvpPortRemove", "", "usage: cvpPortRemove"},
	    {"cvpIgnore", "tcp 80 not-an-ip", "bad address 'not-an-ip'"},
	    {"cvpRoles", "callserver,dba", "bad role 'dba'"},
	    {"cvpNothing", "", "unknown directive"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(catalog_apply(cat, bad[i].token, bad[i].args, err, sizeof(err)),
		                 -1);
		if (!strstr(err, bad[i].msg))
			fail_msg("%s %s: got '%s', want '%s'", bad[i].token, bad[i].args, err,
			         bad[i].msg);
	}
	assert_int_equal(cat->n, 60);
}

static void test_quoted_escapes(void **state)
{
	struct cvp_catalog *cat = *state;
	char err[256];
	assert_int_equal(
	    catalog_apply(cat, "cvpPort",
	                  "q tcp 1 all optional inbound mgmt \"say \\\"hi\\\" \\\\\" \"\"", err,
	                  sizeof(err)),
	    0);
	assert_string_equal(catalog_find(cat, "q")->listener, "say \"hi\" \\");
}

/* Owner patterns: a Linux name as written; a Windows program's (NAME.exe, as netstat -b and
 * PowerShell give it) without regard to case, as Windows compares them. */
static void test_owner_patterns(void **state)
{
	(void)state;
	assert_true(catalog_pattern_match("java", "java"));
	assert_false(catalog_pattern_match("java", "Java"));
	assert_true(catalog_pattern_match("java*", "java-17"));
	assert_true(catalog_pattern_match("java.exe", "Java.EXE"));
	assert_true(catalog_pattern_match("Tomcat9*", "tomcat9w.exe"));
	assert_false(catalog_pattern_match("java.exe", "javaw.exe"));
}

static void test_port_set_helpers(void **state)
{
	struct cvp_port_set ps;
	char buf[32];
	(void)state;
	assert_int_equal(portset_parse("5517-5555/2", &ps), 0);
	assert_int_equal(portset_size(&ps), 20);
	assert_true(portset_contains(&ps, 5517));
	assert_true(portset_contains(&ps, 5555));
	assert_false(portset_contains(&ps, 5518));
	assert_false(portset_contains(&ps, 5557));
	assert_false(portset_overlaps_range(&ps, 5518, 5518));
	assert_true(portset_overlaps_range(&ps, 5518, 5519));
	assert_true(portset_overlaps_range(&ps, 1, 5517));
	assert_false(portset_overlaps_range(&ps, 5556, 60000));
	portset_format(&ps, buf, sizeof(buf));
	assert_string_equal(buf, "5517-5555/2");
	assert_int_equal(portset_parse("0", &ps), -1);
	assert_int_equal(portset_parse("80x", &ps), -1);
	assert_int_equal(portset_parse("-80", &ps), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_default_rows_from_the_seed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_directions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_requirements, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_site_config_changes_rows_in_place, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_errors_name_file_and_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_directive_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quoted_escapes, setup, teardown),
	    cmocka_unit_test(test_owner_patterns),
	    cmocka_unit_test(test_port_set_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
