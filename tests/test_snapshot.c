/* Snapshots with a fake clock and fixture /proc trees: last-change times, the change counter,
 * scan duration and age, scan failure, and the --check report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "catalog_load.h"

static uint64_t fake_now;
static uint64_t fake_clock(void)
{
	uint64_t t = fake_now;
	fake_now += 250; /* every reading advances the clock by 250 us */
	return t;
}

struct fixture {
	struct cvp_catalog cat;
	struct cvp_collector c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	if (!f)
		return -1;
	catalog_init(&f->cat);
	if (catalog_load_default(&f->cat, err, sizeof(err)) < 0)
		return -1;
	if (collector_init(&f->c, FIXTURES "/proc-basic", CVP_SCAN_PROCFS) < 0)
		return -1;
	f->c.now_us = fake_clock;
	fake_now = 1000000;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	collector_free(&f->c);
	catalog_free(&f->cat);
	free(f);
	return 0;
}

static size_t idx(const struct cvp_catalog *cat, const char *name)
{
	return (size_t)(catalog_find(cat, name) - cat->rows);
}

static void test_first_snapshot(void **state)
{
	struct fixture *f = *state;
	struct cvp_snapshot *s = snapshot_build(&f->c, &f->cat, NULL, NULL);
	assert_non_null(s);
	assert_true(s->scan_ok);
	assert_int_equal(s->scan_count, 1);
	assert_int_equal(s->source, CVP_SOURCE_PROCFS);
	assert_int_equal(s->stats.malformed, 4);
	assert_int_equal(s->scan_us, 500); /* readings: start, attribution, end */
	assert_int_equal(s->taken_us, 1000500);
	assert_int_equal(s->eph_low, 32768);
	size_t http = idx(&f->cat, "vxml-http");
	assert_int_equal(s->rows[http].state, CVP_STATE_LISTENING);
	assert_int_equal(s->rows[idx(&f->cat, "vxml-tomcat")].compliance, CVP_COMPLIANT);
	assert_int_equal(s->rows[idx(&f->cat, "vxml-ajp")].compliance, CVP_COMPLIANT); /* ::1 */
	assert_int_equal(s->rows[idx(&f->cat, "sip-udp")].compliance, CVP_COMPLIANT);
	assert_int_equal(s->rows[idx(&f->cat, "snmp-agent")].compliance, CVP_COMPLIANT);
	assert_int_equal(s->rows[idx(&f->cat, "callserver-https")].addr_type, CVP_ADDR_UNKNOWN);
	snapshot_free(s);
}

static void test_scan_count_carries_and_rows_follow_the_scan(void **state)
{
	struct fixture *f = *state;
	struct cvp_snapshot *s1 = snapshot_build(&f->c, &f->cat, NULL, NULL);
	struct cvp_snapshot *s2 = snapshot_build(&f->c, &f->cat, NULL, s1);
	size_t http = idx(&f->cat, "vxml-http"), sip = idx(&f->cat, "sip-udp");
	assert_int_equal(s2->scan_count, 2);

	f->c.proc_root = FIXTURES "/proc-after"; /* the 7000 listener is gone */
	struct cvp_snapshot *s3 = snapshot_build(&f->c, &f->cat, NULL, s2);
	assert_int_equal(s3->rows[http].state, CVP_STATE_NOT_LISTENING);
	assert_int_equal(s3->rows[http].compliance, CVP_MISSING);
	assert_int_equal(s3->rows[sip].compliance, CVP_COMPLIANT);
	assert_int_equal(s3->scan_count, 3);
	assert_int_equal(s3->sum.violations, s2->sum.violations + 1);
	/* the ephemeral range is read each refresh */
	assert_int_equal(s3->eph_low, 1024);
	assert_int_equal(s3->eph_high, 65000);
	assert_true(s3->rows[http].ephemeral_overlap);
	snapshot_free(s1);
	snapshot_free(s2);
	snapshot_free(s3);
}

static void test_scan_failure_keeps_rows_and_says_unknown(void **state)
{
	struct fixture *f = *state;
	struct cvp_snapshot *s1 = snapshot_build(&f->c, &f->cat, NULL, NULL);
	f->c.proc_root = FIXTURES "/no-such-proc";
	struct cvp_snapshot *s2 = snapshot_build(&f->c, &f->cat, NULL, s1);
	assert_false(s2->scan_ok);
	assert_int_equal(s2->rows[idx(&f->cat, "vxml-http")].state, CVP_STATE_NOT_LISTENING);
	/* Results of another catalogue are not kept. */
	struct cvp_snapshot other = *s1;
	other.cat = NULL;
	assert_int_equal(snapshot_keep_results(s2, &other), 0);
	assert_int_equal(s2->rows[idx(&f->cat, "vxml-http")].state, CVP_STATE_NOT_LISTENING);
	assert_int_equal(snapshot_keep_results(s2, s1), 0);
	assert_int_equal(s2->sum.overall, CVP_OVERALL_UNKNOWN);
	assert_int_equal(s2->scan_count, 1);
	assert_int_equal(s2->taken_us, s1->taken_us); /* age counts from the last good scan */
	assert_int_equal(s2->nlisteners, s1->nlisteners);
	size_t http = idx(&f->cat, "vxml-http");
	assert_int_equal(s2->rows[http].state, CVP_STATE_LISTENING);

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(report_print(out, s2), CVP_EXIT_UNKNOWN);
	fclose(out);
	assert_non_null(strstr(buf, "CVP-PORT UNKNOWN - socket scan failed"));
	free(buf);
	snapshot_free(s1);
	snapshot_free(s2);
}

static void test_no_scan_ever_worked(void **state)
{
	struct fixture *f = *state;
	f->c.proc_root = FIXTURES "/no-such-proc";
	struct cvp_snapshot *s = snapshot_build(&f->c, &f->cat, NULL, NULL);
	assert_non_null(s);
	assert_false(s->scan_ok);
	assert_int_equal(s->sum.overall, CVP_OVERALL_UNKNOWN);
	assert_int_equal(s->eph_low, 32768); /* Linux's default until read */
	snapshot_free(s);
}

static void test_report_table_and_exit_codes(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL;
	size_t len = 0;
	struct cvp_snapshot *s = snapshot_build(&f->c, &f->cat, NULL, NULL);
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(report_print(out, s), CVP_EXIT_CRITICAL);
	fclose(out);
	assert_non_null(strstr(
	    buf,
	    "    5  vxml-http          tcp   7000         listening     compliant      0.0.0.0"));
	assert_non_null(
	    strstr(buf, "    4  sip-tcp            tcp   5060         notListening  missing"));
	assert_non_null(strstr(buf, "(overlaps ephemeral range)"));
	/* 10.1.2.3:8000 is the call server HTTP port; 9000 (ops-http) is off-role: unexpected */
	assert_non_null(strstr(buf, "Unexpected listeners"));
	assert_non_null(strstr(buf, "tcp   127.0.0.1                                9000"));
	assert_non_null(strstr(buf, "CVP-PORT CRITICAL - "));
	free(buf);
	snapshot_free(s);

	/* Only what listens here is required: compliant, with unexpected listeners a warning. */
	char err[256];
	assert_int_equal(catalog_load_text(&f->cat, "cvpRoles mgmt\n", "t", err, sizeof(err)), 0);
	s = snapshot_build(&f->c, &f->cat, NULL, NULL);
	assert_int_equal(s->sum.violations, 0);
	assert_int_equal(s->sum.overall, CVP_OVERALL_COMPLIANT);
	assert_int_equal(report_exit_code(s), CVP_EXIT_WARNING);
	assert_int_equal(catalog_load_text(&f->cat,
	                                   "cvpIgnore tcp 1-65535\ncvpIgnore udp 1-65535\n", "t",
	                                   err, sizeof(err)),
	                 0);
	snapshot_free(s);
	s = snapshot_build(&f->c, &f->cat, NULL, NULL);
	assert_int_equal(report_exit_code(s), CVP_EXIT_OK);
	snapshot_free(s);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_json_report(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL;
	size_t len = 0;
	struct cvp_snapshot *s = snapshot_build(&f->c, &f->cat, NULL, NULL);
	assert_true(s->nlisteners > 0);
	snprintf(s->listeners[0].pname, sizeof(s->listeners[0].pname), "a\"b\\c\x01");
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(report_print_json(out, s), CVP_EXIT_CRITICAL);
	fclose(out);
	assert_true(strncmp(buf, "{\"status\": \"CRITICAL\", \"exit\": 2, ", 33) == 0);
	assert_int_equal(count(buf, "{\"index\": "), 60);
	assert_non_null(strstr(
	    buf,
	    "{\"index\": 5, \"name\": \"vxml-http\", \"protocol\": \"tcp\", \"ports\": \"7000\""));
	assert_non_null(strstr(buf, "\"state\": \"listening\", \"listen_count\": 1, "
	                            "\"compliance\": \"compliant\", \"address\": \"0.0.0.0\""));
	assert_int_equal(count(buf, "\"class\": "), s->nlisteners);
	assert_non_null(strstr(buf, "\"process\": \"a\\\"b\\\\c\\u0001\""));
	assert_string_equal(buf + len - 3, "]}\n");
	free(buf);
	snapshot_free(s);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_first_snapshot),
	    T(test_scan_count_carries_and_rows_follow_the_scan),
	    T(test_scan_failure_keeps_rows_and_says_unknown),
	    T(test_no_scan_ever_worked),
	    T(test_report_table_and_exit_codes),
	    T(test_json_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
