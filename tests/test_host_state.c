/* The remote hosts' state (host_state.h) with a fake clock: indexes kept by name across
 * configurations and peers released when their host goes or its address changes; an answer's
 * verdicts with the host's roles; a host that stops answering keeps them, stale, and is never
 * "everything missing"; unreachable/reachable decided with the hold-down, the baseline and the
 * session; one rate limit shared by every host, what it holds back sent later; the MIB's
 * positions across hosts with and without verdicts; counters that never go back; ignores
 * scoped to one host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_load.h"
#include "host_state.h"
#include "host_tables.h"

#define SEC 1000000ull

struct fixture {
	struct cvp_catalog cat;
	struct host_config cfg;
	struct notify_config nc;
	struct host_states h;
	struct cvp_socket_list telnet, none; /* a host with Telnet listening; one with nothing */
	uint64_t now;
	uint32_t uptime;
	int released; /* peers released */
	int session_up;
};

static void release(void *peer, void *arg)
{
	struct fixture *f = arg;
	(void)peer;
	f->released++;
}

static void add_host(struct fixture *f, const char *line)
{
	char err[256];
	assert_int_equal(host_config_add(&f->cfg, line, err, sizeof(err)), 0);
}

static void configure(struct fixture *f)
{
	assert_int_equal(host_state_configure(&f->h, &f->cfg, &f->nc, release, f), 0);
}

static int setup(void **state)
{
	static const char *const text =
	    "cvpPort vxml-http tcp 7000 all required bidirectional vxml \"http\"\n"
	    "cvpPort telnet tcp 23 all forbidden unspecified mgmt \"telnet\"\n"
	    "cvpPort rpc tcp 135 all required inbound windows \"rpc\"\n";
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	if (!f)
		return -1;
	catalog_init(&f->cat);
	if (catalog_load_text(&f->cat, text, "test", err, sizeof(err)) < 0)
		return -1;
	const uint32_t telnet[] = {0, 0, 0, 0, 23, 0, 0, 0, 0, 0};
	if (host_tables_row(HOST_TABLE_TCP_CONN, telnet, 10, 2, &f->telnet) != 1)
		return -1;
	notify_config_default(&f->nc);
	host_state_init(&f->h);
	f->now = 100 * SEC;
	f->uptime = 1000;
	f->session_up = 1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	host_state_free(&f->h, release, f);
	host_config_free(&f->cfg);
	sock_list_free(&f->telnet);
	catalog_free(&f->cat);
	free(f);
	return 0;
}

static struct host_poll_end end_of(struct fixture *f)
{
	return (struct host_poll_end){
	    .poll_ms = 12, .now_us = f->now, .uptime_cs = f->uptime, .session_up = f->session_up};
}

/* One poll of host i (answered with socks, or failed when socks is NULL) after step seconds. */
static void poll(struct fixture *f, size_t i, struct cvp_socket_list *socks)
{
	struct host_poll_end end;
	f->now += 10 * SEC;
	f->uptime += 1000;
	end = end_of(f);
	if (socks)
		assert_int_equal(
		    host_state_answered(&f->h, i, &f->cat, NULL,
		                        &(struct host_answer){socks, CVP_SOURCE_RFC1213, 0, 49152,
		                                              65535, NULL, NULL},
		                        &end),
		    0);
	else
		host_state_failed(&f->h, i, "no answer (timeout)", &end);
}

static int event_count(const struct fixture *f, int kind)
{
	int n = 0;
	for (size_t i = 0; i < f->h.nev; i++)
		n += f->h.ev[i].kind == kind;
	return n;
}

static void test_indexes_kept_by_name(void **state)
{
	struct fixture *f = *state;
	add_host(f, "a 10.0.0.1 vxml");
	add_host(f, "b 10.0.0.2 vxml");
	add_host(f, "c 10.0.0.3 vxml");
	configure(f);
	assert_int_equal(f->h.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(f->h.v[i]->index, i + 1);
		f->h.v[i]->peer = f; /* as the poller would */
	}
	poll(f, 0, &f->telnet);

	/* b removed, d added, c's address changed, a listed last: a keeps 1 and its verdicts */
	host_config_free(&f->cfg);
	add_host(f, "d 10.0.0.4 vxml");
	add_host(f, "c 10.0.0.30 vxml");
	add_host(f, "a 10.0.0.1 vxml,mgmt");
	configure(f);
	assert_int_equal(f->released, 2); /* b's, and c's (a new address, a new session) */
	assert_int_equal(f->h.n, 3);
	assert_string_equal(f->h.v[0]->cfg.name, "a");
	assert_int_equal(f->h.v[0]->index, 1);
	assert_non_null(f->h.v[0]->snap);
	assert_ptr_equal(f->h.v[0]->peer, f); /* same address and options: same session */
	assert_int_equal(f->h.v[0]->cfg.roles & (1u << CVP_ROLE_MGMT), 1u << CVP_ROLE_MGMT);
	assert_string_equal(f->h.v[1]->cfg.name, "c");
	assert_int_equal(f->h.v[1]->index, 3);
	assert_null(f->h.v[1]->peer);
	assert_string_equal(f->h.v[2]->cfg.name, "d");
	assert_int_equal(f->h.v[2]->index, 4); /* never b's 2 again */
}

static void test_verdicts_and_stale(void **state)
{
	struct fixture *f = *state;
	add_host(f, "win 10.0.0.1 mgmt,windows");
	add_host(f, "lin 10.0.0.2 vxml");
	configure(f);
	poll(f, 0, &f->telnet);
	const struct host_state *w = f->h.v[0];
	assert_true(w->reachable);
	assert_int_equal(w->source, CVP_SOURCE_RFC1213);
	/* the host's roles: rpc (windows) required and missing, vxml-http not applicable */
	assert_int_equal(w->snap->rows[0].compliance, CVP_NOT_APPLICABLE);
	assert_int_equal(w->snap->rows[1].compliance, CVP_FORBIDDEN);
	assert_int_equal(w->snap->rows[2].compliance, CVP_MISSING);
	assert_int_equal(host_state_overall(w), CVP_OVERALL_NONCOMPLIANT);
	assert_int_equal(w->snap->eph_low, 49152); /* RFC 1213 only: a Windows host */
	assert_false(host_state_stale(w));
	/* the other host, with other roles, judged with the same catalogue */
	poll(f, 1, &f->none);
	assert_int_equal(f->h.v[1]->snap->rows[0].compliance, CVP_MISSING);
	assert_int_equal(f->h.v[1]->snap->rows[2].compliance, CVP_NOT_APPLICABLE);

	/* it stops answering: unreachable, the verdicts kept, stale, overall unknown */
	poll(f, 0, NULL);
	assert_false(w->reachable);
	assert_true(host_state_stale(w));
	assert_int_equal(host_state_overall(w), CVP_OVERALL_UNKNOWN);
	assert_int_equal(w->snap->rows[1].compliance, CVP_FORBIDDEN);
	assert_int_equal(w->snap->rows[2].compliance, CVP_MISSING);
	assert_string_equal(w->error, "no answer (timeout)");
	assert_int_equal(w->failures, 1);
	assert_int_equal(w->polls, 2);
	assert_int_equal(w->last_poll, f->uptime);
	/* never answered: no verdicts at all */
	host_config_free(&f->cfg);
	add_host(f, "win 10.0.0.1 mgmt,windows");
	add_host(f, "lin 10.0.0.2 vxml");
	add_host(f, "dead 10.0.0.3 vxml");
	configure(f);
	poll(f, 2, NULL);
	assert_null(f->h.v[2]->snap);
	assert_int_equal(host_state_overall(f->h.v[2]), CVP_OVERALL_UNKNOWN);
	assert_false(host_state_stale(f->h.v[2]));
}

static void test_reachability_holddown(void **state)
{
	struct fixture *f = *state;
	add_host(f, "a 10.0.0.1 vxml");
	configure(f); /* hold-down 2 */
	poll(f, 0, &f->none);
	assert_int_equal(f->h.nev, 0); /* the first poll is the baseline */
	poll(f, 0, NULL);
	assert_int_equal(f->h.nev, 0); /* once: not yet */
	poll(f, 0, NULL);
	assert_int_equal(event_count(f, HOST_EVENT_UNREACHABLE), 1);
	poll(f, 0, NULL);
	assert_int_equal(f->h.nev, 0); /* once per change */
	/* back while the master is away: nothing until the session is up, then once */
	f->session_up = 0;
	poll(f, 0, &f->none);
	poll(f, 0, &f->none);
	assert_int_equal(f->h.nev, 0);
	f->session_up = 1;
	poll(f, 0, &f->none);
	assert_int_equal(event_count(f, HOST_EVENT_REACHABLE), 1);
	/* a blink shorter than the hold-down sends nothing */
	poll(f, 0, NULL);
	poll(f, 0, &f->none);
	poll(f, 0, &f->none);
	assert_int_equal(f->h.nev, 0);
	assert_int_equal(host_state_counters(&f->h).sent, 2);

	/* a host that does not answer its first poll: the baseline, nothing sent; answering
	 * later is announced (the clear of what the NMS could not be told) */
	host_config_free(&f->cfg);
	add_host(f, "b 10.0.0.2 vxml");
	configure(f);
	poll(f, 0, NULL);
	poll(f, 0, NULL);
	poll(f, 0, NULL);
	assert_int_equal(f->h.nev, 0);
	poll(f, 0, &f->none);
	poll(f, 0, &f->none);
	assert_int_equal(event_count(f, HOST_EVENT_REACHABLE), 1);
}

static void test_row_changes_and_shared_rate(void **state)
{
	struct fixture *f = *state;
	f->nc.holddown = 1;
	f->nc.rate_count = 1;
	f->nc.rate_seconds = 60;
	add_host(f, "a 10.0.0.1 mgmt");
	add_host(f, "b 10.0.0.2 mgmt");
	configure(f);
	poll(f, 0, &f->none);
	poll(f, 1, &f->none);
	/* Telnet opens on both: a's row change is sent, b's held back by the one budget */
	poll(f, 0, &f->telnet);
	assert_int_equal(event_count(f, HOST_EVENT_COMPLIANCE_CHANGE), 1);
	assert_int_equal(f->h.ev[0].host, 0);
	assert_int_equal(f->h.ev[0].row, 1);
	poll(f, 1, &f->telnet);
	assert_int_equal(f->h.nev, 0);
	assert_int_equal(host_state_counters(&f->h).suppressed, 1);
	/* the window over: b's change goes at its next poll, with the state current then */
	f->now += 60 * SEC;
	poll(f, 1, &f->telnet);
	assert_int_equal(event_count(f, HOST_EVENT_COMPLIANCE_CHANGE), 1);
	assert_int_equal(f->h.ev[0].host, 1);
	assert_int_equal(f->h.v[1]->snap->rows[f->h.ev[0].row].compliance, CVP_FORBIDDEN);
	/* counters stay when a host is removed */
	uint32_t sent = host_state_counters(&f->h).sent;
	host_config_free(&f->cfg);
	add_host(f, "b 10.0.0.2 mgmt");
	configure(f);
	assert_int_equal(host_state_counters(&f->h).sent, sent);
	assert_int_equal(host_state_counters(&f->h).suppressed, 1);
}

static void test_positions(void **state)
{
	struct fixture *f = *state;
	size_t at;
	add_host(f, "a 10.0.0.1 mgmt");
	add_host(f, "never 10.0.0.2 mgmt");
	add_host(f, "c 10.0.0.3 mgmt");
	configure(f);
	assert_null(host_state_at_row(&f->h, 0, &at));
	poll(f, 0, &f->telnet);
	poll(f, 2, &f->telnet);
	poll(f, 1, NULL);
	size_t rows = f->cat.n;
	assert_int_equal(f->h.row_start[3], 2 * rows);
	assert_ptr_equal(host_state_at_row(&f->h, 0, &at), f->h.v[0]);
	assert_int_equal(at, 0);
	assert_ptr_equal(host_state_at_row(&f->h, rows - 1, &at), f->h.v[0]);
	assert_ptr_equal(host_state_at_row(&f->h, rows, &at), f->h.v[2]); /* past the one without */
	assert_int_equal(at, 0);
	assert_null(host_state_at_row(&f->h, 2 * rows, &at));
	/* one finding each: Telnet (forbidden) */
	assert_int_equal(f->h.finding_start[3], 2);
	assert_ptr_equal(host_state_at_finding(&f->h, 1, &at), f->h.v[2]);
	assert_int_equal(at, 0);
}

/* cvpHostIgnore: an ignore for one host alone; the configuration's apply to every host. */
static void test_host_scoped_ignores(void **state)
{
	struct fixture *f = *state;
	struct cvp_socket_list socks = {0};
	char err[256];
	const uint32_t p4444[] = {0, 0, 0, 0, 4444, 0, 0, 0, 0, 0};
	const uint32_t p5555[] = {0, 0, 0, 0, 5555, 0, 0, 0, 0, 0};
	assert_int_equal(host_tables_row(HOST_TABLE_TCP_CONN, p4444, 10, 2, &socks), 1);
	assert_int_equal(host_tables_row(HOST_TABLE_TCP_CONN, p5555, 10, 2, &socks), 1);
	sock_list_sort(&socks);
	assert_int_equal(catalog_apply(&f->cat, "cvpIgnore", "tcp 5555", err, sizeof(err)), 0);
	add_host(f, "a 10.0.0.1 mgmt");
	add_host(f, "b 10.0.0.2 mgmt");
	assert_int_equal(host_config_add_ignore(&f->cfg, "a tcp 4000-4500", err, sizeof(err)), 0);
	assert_int_equal(host_config_add_ignore(&f->cfg, "c tcp 1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no cvpHost c above"));
	assert_int_equal(host_config_add_ignore(&f->cfg, "a xdp 1", err, sizeof(err)), -1);
	configure(f);
	poll(f, 0, &socks);
	poll(f, 1, &socks);
	assert_int_equal(f->h.v[0]->snap->sum.unexpected, 0); /* 4444 its own, 5555 everyone's */
	assert_int_equal(f->h.v[1]->snap->sum.unexpected, 1); /* 4444 */
	assert_int_equal(f->cat.nignores, 1);                 /* the catalogue is untouched */
	/* a reload without the line: a's 4444 unexpected again at its next answer */
	host_config_free(&f->cfg);
	add_host(f, "a 10.0.0.1 mgmt");
	add_host(f, "b 10.0.0.2 mgmt");
	configure(f);
	poll(f, 0, &socks);
	assert_int_equal(f->h.v[0]->snap->sum.unexpected, 1);
	sock_list_free(&socks);
}

static void test_master_clock_restart(void **state)
{
	struct fixture *f = *state;
	add_host(f, "a 10.0.0.1 mgmt");
	configure(f);
	poll(f, 0, &f->none);
	assert_int_not_equal(f->h.v[0]->last_poll, 0);
	f->uptime = 0; /* the master restarted: its clock starts again */
	poll(f, 0, &f->none);
	assert_int_equal(f->h.v[0]->last_poll, 1000);
}

/* A host's ephemeral range by what its agent says it is (sysDescr), else by its tables. */
static void test_ephemeral_range_by_sysdescr(void **state)
{
	uint16_t low, high;
	(void)state;
	host_state_ephemeral_range(
	    "Hardware: x86 Family 15 Model 2 - Software: Windows Version 5.1 "
	    "(Build 2600 Uniprocessor Free)",
	    CVP_SOURCE_RFC1213, &low, &high);
	assert_int_equal(low, 1025);
	assert_int_equal(high, 5000);
	host_state_ephemeral_range(
	    "Hardware: Intel64 - Software: Windows Version 6.3 (Build 17763)", CVP_SOURCE_RFC1213,
	    &low, &high);
	assert_int_equal(low, 49152);
	assert_int_equal(high, 65535);
	host_state_ephemeral_range("Linux cs1 5.10.0-28-amd64 #1 SMP x86_64", CVP_SOURCE_RFC1213,
	                           &low, &high);
	assert_int_equal(low, 32768);
	assert_int_equal(high, 60999);
	/* no sysDescr, or another system: Linux's, whatever tables it serves */
	host_state_ephemeral_range("", CVP_SOURCE_RFC1213, &low, &high);
	assert_int_equal(low, 32768);
	host_state_ephemeral_range("Cisco IOS Software", CVP_SOURCE_TCP_UDP_MIB, &low, &high);
	assert_int_equal(low, 32768);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_indexes_kept_by_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verdicts_and_stale, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reachability_holddown, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_row_changes_and_shared_rate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_positions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_host_scoped_ignores, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_master_clock_restart, setup, teardown),
	    cmocka_unit_test(test_ephemeral_range_by_sysdescr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
