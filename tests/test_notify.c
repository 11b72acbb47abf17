/* The notifier on handmade snapshots and a fake clock: baseline, hold-down, clear, net change
 * after the master's absence, rate limit, listeners and their clear, reloads, clock resets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"

#define NROWS 40
#define SEC 1000000u

struct fixture {
	struct cvp_catalog cat;
	struct notifier *n;
	struct notify_config cfg;
	uint8_t compliance[NROWS];
	struct cvp_listener ls[8];
	struct cvp_listener *many; /* the listeners, when there are more than ls holds */
	size_t nls;
	uint64_t now;
	uint32_t uptime;
	int session_up, scan_ok;
	struct notify_counters counters; /* the notifier's after the last step */
	uint32_t last_change[NROWS];     /* its rows' TimeStamps after the last step */
	struct cvp_row_result rows[NROWS];
};

static int setup_with(void **state, unsigned holddown, unsigned count, unsigned seconds,
                      int on_start)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256], line[128];
	if (!f)
		return -1;
	catalog_init(&f->cat);
	for (int i = 0; i < NROWS; i++) {
		snprintf(line, sizeof(line),
		         "r%d tcp %d all required bidirectional callserver \"x\"", i, 1000 + i);
		if (catalog_apply(&f->cat, "cvpPort", line, err, sizeof(err)) < 0)
			return -1;
		f->compliance[i] = CVP_COMPLIANT;
	}
	f->cfg.holddown = holddown;
	f->cfg.rate_count = count;
	f->cfg.rate_seconds = seconds;
	f->cfg.on_start = on_start;
	f->n = notify_new(&f->cfg);
	f->now = 100 * SEC;
	f->uptime = 1000;
	f->session_up = 1;
	f->scan_ok = 1;
	*state = f;
	return f->n ? 0 : -1;
}

static int setup(void **state)
{
	return setup_with(state, 2, 20, 10, 0);
}

/* The daemon's defaults: hold-down 2, 20 notifications in 10 s, no announcement at start. */
static int setup_default_limit(void **state)
{
	return setup_with(state, NOTIFY_HOLDDOWN_DEFAULT, NOTIFY_RATE_COUNT_DEFAULT,
	                  NOTIFY_RATE_SECONDS_DEFAULT, 0);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	notify_free(f->n);
	catalog_free(&f->cat);
	free(f);
	return 0;
}

/* One scan: the current compliance and listeners; returns the number of events, copied out. */
static size_t step(struct fixture *f, struct notify_event *out, size_t max)
{
	const struct notify_event *ev;
	size_t nev;
	struct cvp_snapshot s = {0};
	memset(f->rows, 0, sizeof(f->rows));
	for (int i = 0; i < NROWS; i++)
		f->rows[i].compliance = f->compliance[i];
	s.cat = &f->cat;
	s.rows = f->rows;
	s.nrows = f->cat.n;
	s.listeners = f->many ? f->many : f->ls;
	s.nlisteners = f->nls;
	s.scan_ok = (uint8_t)f->scan_ok;
	assert_int_equal(notify_step(f->n, &s, f->session_up, f->now, f->uptime, &ev, &nev), 0);
	f->counters = notify_counters(f->n);
	for (size_t i = 0; i < NROWS; i++)
		f->last_change[i] = notify_row_last_change(f->n, i);
	f->now += SEC;
	f->uptime += 100;
	for (size_t i = 0; i < nev && i < max; i++)
		out[i] = ev[i];
	return nev;
}

static size_t steps(struct fixture *f, int count)
{
	struct notify_event ev[64];
	size_t total = 0;
	for (int i = 0; i < count; i++)
		total += step(f, ev, 64);
	return total;
}

static void test_baseline_sends_nothing_and_a_held_change_sends_once(void **state)
{
	struct fixture *f = *state;
	struct notify_event ev[4];
	f->compliance[3] = CVP_MISSING; /* wrong from the start: the baseline */
	assert_int_equal(step(f, ev, 4), 0);
	assert_int_equal(steps(f, 3), 0);

	f->compliance[5] = CVP_MISSING;
	assert_int_equal(step(f, ev, 4), 0); /* held for 1 scan of 2 */
	uint32_t uptime_at_send = f->uptime;
	assert_int_equal(step(f, ev, 4), 1);
	assert_int_equal(ev[0].kind, NOTIFY_COMPLIANCE_CHANGE);
	assert_int_equal(ev[0].row, 5);
	assert_int_equal(f->counters.compliance_changes, 1);
	assert_int_equal(f->last_change[5], uptime_at_send);
	assert_int_equal(f->last_change[3], 0);
	assert_int_equal(steps(f, 5), 0); /* once */

	f->compliance[5] = CVP_COMPLIANT; /* the clear */
	assert_int_equal(step(f, ev, 4), 0);
	assert_int_equal(step(f, ev, 4), 1);
	assert_int_equal(ev[0].row, 5);
	assert_int_equal(f->counters.compliance_changes, 2);
	assert_int_equal(f->counters.sent, 2);
}

static void test_a_blink_shorter_than_the_holddown_sends_nothing(void **state)
{
	struct fixture *f = *state;
	steps(f, 1);
	f->compliance[7] = CVP_MISSING;
	assert_int_equal(steps(f, 1), 0);
	f->compliance[7] = CVP_COMPLIANT;
	assert_int_equal(steps(f, 4), 0);
	assert_int_equal(f->counters.compliance_changes, 0);
}

static void test_on_start_announces_violations_once(void **state)
{
	struct fixture *f;
	struct notify_event ev[8];
	assert_int_equal(setup_with(state, 2, 20, 10, 1), 0);
	f = *state;
	f->compliance[1] = CVP_MISSING;
	f->compliance[2] = CVP_EXPOSED;
	f->compliance[3] = CVP_NOT_APPLICABLE;
	assert_int_equal(step(f, ev, 8), 0);
	assert_int_equal(step(f, ev, 8), 2);
	assert_int_equal(ev[0].row, 1);
	assert_int_equal(ev[1].row, 2);
	assert_int_equal(steps(f, 5), 0);
	teardown(state);
}

static void test_master_away_holds_and_sends_the_net_change_once(void **state)
{
	struct fixture *f = *state;
	struct notify_event ev[8];
	steps(f, 2);
	f->session_up = 0;
	f->compliance[1] = CVP_MISSING; /* changes and stays */
	f->compliance[2] = CVP_MISSING; /* changes and comes back */
	assert_int_equal(steps(f, 3), 0);
	f->compliance[2] = CVP_COMPLIANT;
	assert_int_equal(steps(f, 3), 0);
	assert_int_equal(f->counters.compliance_changes, 0);
	f->session_up = 1;
	assert_int_equal(step(f, ev, 8), 1);
	assert_int_equal(ev[0].row, 1);
	assert_int_equal(f->counters.compliance_changes, 1);
	assert_int_equal(steps(f, 3), 0);
}

static struct cvp_listener listener(uint16_t port, uint8_t class, uint32_t pid)
{
	struct cvp_listener l = {0};
	l.proto = CVP_TCP;
	l.addr_type = CVP_ADDR_IPV4;
	l.addr_len = 4;
	l.port = port;
	l.class = class;
	l.pid = pid;
	l.sockets = 1;
	snprintf(l.pname, sizeof(l.pname), "p%u", pid);
	return l;
}

static void test_rate_limit_delays_and_never_drops(void **state)
{
	struct fixture *f = *state;
	struct notify_event ev[64];
	steps(f, 1);
	for (int i = 0; i < 30; i++)
		f->compliance[i] = CVP_MISSING;
	assert_int_equal(steps(f, 1), 0);
	assert_int_equal(steps(f, 1), 20);
	assert_int_equal(f->counters.sent, 20);
	assert_int_equal(f->counters.suppressed, 10);
	assert_int_equal(f->counters.compliance_changes, 20); /* only what was sent */
	assert_int_equal(steps(f, 3), 0);                     /* the window is full */
	assert_int_equal(f->counters.suppressed, 10);         /* each held back counted once */
	/* One summary per interval, once the interval is over. */
	assert_int_equal(notify_take_suppressed_summary(f->n, f->now), 0);
	assert_int_equal(notify_take_suppressed_summary(f->n, f->now + 10 * SEC), 10);
	assert_int_equal(notify_take_suppressed_summary(f->n, f->now + 20 * SEC), 0);

	/* Row 29 comes back to what was announced meanwhile: nothing left to say about it. Row 28
	 * changes again: one notification, with the state current when it is sent. */
	f->compliance[29] = CVP_COMPLIANT;
	f->compliance[28] = CVP_EXPOSED;
	steps(f, 2);
	/* The window is over: the rest is sent, oldest first (they were due together: in index
	 * order), and row 28 after them (due again later, after its hold-down). */
	f->now += 10 * SEC;
	size_t k = step(f, ev, 64);
	assert_int_equal(k, 9);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(ev[i].kind, NOTIFY_COMPLIANCE_CHANGE);
		assert_int_equal(ev[i].row, 20 + i);
	}
	assert_int_equal(ev[8].row, 28);
	assert_int_equal(f->counters.compliance_changes, 29);
	assert_int_equal(f->counters.sent, 29);
	assert_int_equal(steps(f, 5), 0);
}

/* A storm: 200 listeners flapping at random (each scan a coin decides, for long runs) and 30 rows
 * changing verdict, for 60 scans with the default limit, then quiet. Every notification sent
 * alternates in kind per listener, and once quiet for long enough every object's last
 * notification is its state: announced rows equal their compliance, every listener announced
 * unexpected is still unexpected, every unexpected one was announced. */
static void test_storm_converges(void **state)
{
	struct fixture *f = *state;
	enum { NL = 200 };
	static struct cvp_listener all[NL];
	static uint8_t last_kind[NL + 1], open_now[NL];
	uint8_t last_row[NROWS];
	uint64_t x = 42;
	struct notify_event ev[1024];
	unsigned sent = 0;

	f->nls = 0;
	for (int i = 0; i < NROWS; i++)
		last_row[i] = CVP_COMPLIANT;
	memset(last_kind, 0, sizeof(last_kind));
	memset(open_now, 0, sizeof(open_now));
	steps(f, 1);
	for (int scan = 0; scan < 60 + 400; scan++) {
		if (scan < 60) {
			for (int i = 0; i < NL; i++) {
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				if ((x >> 33) % 3 == 0)
					open_now[i] = !open_now[i];
			}
			for (int i = 0; i < 30; i++) {
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				if ((x >> 33) % 4 == 0)
					f->compliance[i] =
					    (x >> 40) % 2 ? CVP_MISSING : CVP_COMPLIANT;
			}
		}
		f->nls = 0;
		for (int i = 0; i < NL; i++)
			if (open_now[i])
				all[f->nls++] =
				    listener((uint16_t)(20000 + i), CVP_CLASS_UNEXPECTED, 7);
		f->many = all;
		size_t nev = step(f, ev, sizeof(ev) / sizeof(ev[0]));
		assert_true(nev <= sizeof(ev) / sizeof(ev[0]));
		sent += (unsigned)nev;
		for (size_t k = 0; k < nev; k++) {
			if (ev[k].kind == NOTIFY_COMPLIANCE_CHANGE) {
				last_row[ev[k].row] = f->rows[ev[k].row].compliance;
				continue;
			}
			unsigned i = ev[k].listener.port - 20000u;
			if (last_kind[i] == ev[k].kind)
				fail_msg("listener %u: kind %u twice in a row", i, ev[k].kind);
			last_kind[i] = ev[k].kind;
		}
	}
	assert_int_equal(sent, f->counters.sent);
	assert_true(f->counters.suppressed > 0); /* the limit was reached */
	for (int i = 0; i < NROWS; i++)
		if (last_row[i] != f->compliance[i])
			fail_msg("row %d: last sent %u, now %u", i, last_row[i], f->compliance[i]);
	for (int i = 0; i < NL; i++) {
		int announced = last_kind[i] == NOTIFY_UNEXPECTED_LISTENER;
		if (announced != open_now[i])
			fail_msg("listener %d: announced %d, open %d", i, announced, open_now[i]);
	}
}

static void test_unexpected_listener_announced_once_and_cleared(void **state)
{
	struct fixture *f = *state;
	struct notify_event ev[8];
	f->ls[0] = listener(2000, CVP_CLASS_UNEXPECTED, 10); /* baseline: never announced */
	f->nls = 1;
	assert_int_equal(steps(f, 3), 0);

	f->ls[1] = listener(3000, CVP_CLASS_UNEXPECTED, 11);
	f->ls[2] = listener(4000, CVP_CLASS_EXPECTED, 12);
	f->nls = 3;
	assert_int_equal(step(f, ev, 8), 0);
	assert_int_equal(step(f, ev, 8), 1);
	assert_int_equal(ev[0].kind, NOTIFY_UNEXPECTED_LISTENER);
	assert_int_equal(ev[0].listener.port, 3000);
	assert_int_equal(ev[0].listener.pid, 11);
	assert_string_equal(ev[0].listener.pname, "p11");
	assert_int_equal(steps(f, 4), 0);

	/* Both close: the announced one is cleared after the hold-down, the baseline one not. */
	f->ls[0] = f->ls[2];
	f->nls = 1;
	assert_int_equal(step(f, ev, 8), 0);
	assert_int_equal(step(f, ev, 8), 1);
	assert_int_equal(ev[0].kind, NOTIFY_UNEXPECTED_LISTENER_GONE);
	assert_int_equal(ev[0].listener.port, 3000);
	assert_int_equal(ev[0].listener.class, CVP_CLASS_UNEXPECTED);
	assert_int_equal(ev[0].listener.pid, 11);
	assert_int_equal(steps(f, 3), 0);

	/* The baseline listener comes back: a new appearance, announced. */
	f->ls[0] = listener(2000, CVP_CLASS_UNEXPECTED, 13);
	f->ls[1] = listener(4000, CVP_CLASS_EXPECTED, 12);
	f->nls = 2;
	assert_int_equal(steps(f, 2), 1);
}

static void test_listener_blink_and_reclass(void **state)
{
	struct fixture *f = *state;
	struct notify_event ev[8];
	steps(f, 1);
	f->ls[0] = listener(5000, CVP_CLASS_UNEXPECTED, 20);
	f->nls = 1;
	assert_int_equal(steps(f, 1), 0);
	f->nls = 0; /* gone before the hold-down: nothing, not even a Gone */
	assert_int_equal(steps(f, 4), 0);

	f->nls = 1;
	assert_int_equal(steps(f, 2), 1);
	f->ls[0].class = CVP_CLASS_IGNORED; /* a reload ignores it */
	assert_int_equal(step(f, ev, 8), 0);
	assert_int_equal(step(f, ev, 8), 1);
	assert_int_equal(ev[0].kind, NOTIFY_UNEXPECTED_LISTENER_GONE);
	assert_int_equal(ev[0].listener.class, CVP_CLASS_IGNORED);
}

static void test_reload_keeps_state_and_counters(void **state)
{
	struct fixture *f = *state;
	struct cvp_catalog old;
	char err[256];
	steps(f, 1);
	f->compliance[4] = CVP_MISSING;
	assert_int_equal(steps(f, 2), 1);
	uint32_t stamp = f->last_change[4];

	/* A new catalogue object with the same rows but r9 removed: no new baseline. */
	old = f->cat;
	catalog_init(&f->cat);
	for (size_t i = 0; i < old.n; i++) {
		char line[128];
		snprintf(line, sizeof(line),
		         "%s tcp %u all required bidirectional callserver \"x\"", old.rows[i].name,
		         old.rows[i].ports.low);
		assert_int_equal(catalog_apply(&f->cat, "cvpPort", line, err, sizeof(err)), 0);
	}
	assert_int_equal(catalog_apply(&f->cat, "cvpPortRemove", "r9", err, sizeof(err)), 0);
	catalog_free(&old);
	struct notify_config cfg = f->cfg;
	cfg.holddown = 1;
	notify_configure(f->n, &cfg);
	assert_int_equal(steps(f, 2), 0);
	assert_int_equal(f->last_change[4], stamp);
	assert_int_equal(f->counters.compliance_changes, 1);
	assert_int_equal(f->counters.sent, 1);
	f->compliance[6] = CVP_MISSING; /* the new hold-down: one scan */
	assert_int_equal(steps(f, 1), 1);
}

static void test_clock_reset_zeroes_timestamps(void **state)
{
	struct fixture *f = *state;
	uint32_t first = f->uptime;
	steps(f, 1);
	assert_int_equal(f->counters.since, first); /* the counters started then */
	f->compliance[2] = CVP_MISSING;
	steps(f, 2);
	assert_true(f->last_change[2] > 0);
	assert_int_equal(f->counters.since, first); /* and it stays */
	notify_clock_reset(f->n);
	f->uptime = 50; /* the restarted master's clock */
	steps(f, 1);
	assert_int_equal(f->last_change[2], 0);
	assert_int_equal(f->counters.since, 0); /* before the master's restart */
}

/* A row announced in violation and then removed by a reload gets one closing notification
 * (notApplicable: it no longer applies), and nothing after it; one removed while compliant gets
 * none. */
static void test_removed_row_gets_a_closing_notification(void **state)
{
	struct fixture *f = *state;
	struct notify_event ev[8];
	steps(f, 1);
	f->compliance[4] = CVP_MISSING;
	assert_int_equal(steps(f, 2), 1);
	f->cat.rows[4].removed = 1;
	f->cat.rows[5].removed = 1;
	f->compliance[4] = f->compliance[5] = CVP_NOT_APPLICABLE; /* as evaluate leaves them */
	assert_int_equal(step(f, ev, 8), 1);
	assert_int_equal(ev[0].kind, NOTIFY_COMPLIANCE_CHANGE);
	assert_int_equal(ev[0].row, 4);
	assert_int_equal(steps(f, 3), 0);
	/* The name comes back at its index, still missing: the NMS was last told notApplicable,
	 * so it is told again (after the hold-down). Row 5 comes back compliant: nothing. */
	f->cat.rows[4].removed = f->cat.rows[5].removed = 0;
	f->compliance[4] = CVP_MISSING;
	f->compliance[5] = CVP_COMPLIANT;
	assert_int_equal(step(f, ev, 8), 0);
	assert_int_equal(step(f, ev, 8), 1);
	assert_int_equal(ev[0].row, 4);
	assert_int_equal(steps(f, 3), 0);
}

static void test_failed_scan_decides_nothing(void **state)
{
	struct fixture *f = *state;
	steps(f, 1);
	f->scan_ok = 0;
	f->compliance[1] = CVP_MISSING; /* carried rows: not to be trusted */
	assert_int_equal(steps(f, 4), 0);
	f->scan_ok = 1;
	f->compliance[1] = CVP_COMPLIANT;
	assert_int_equal(steps(f, 3), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_baseline_sends_nothing_and_a_held_change_sends_once),
	    T(test_a_blink_shorter_than_the_holddown_sends_nothing),
	    cmocka_unit_test(test_on_start_announces_violations_once),
	    T(test_master_away_holds_and_sends_the_net_change_once),
	    T(test_rate_limit_delays_and_never_drops),
	    cmocka_unit_test_setup_teardown(test_storm_converges, setup_default_limit, teardown),
	    T(test_unexpected_listener_announced_once_and_cleared),
	    T(test_listener_blink_and_reclass),
	    T(test_reload_keeps_state_and_counters),
	    T(test_clock_reset_zeroes_timestamps),
	    T(test_removed_row_gets_a_closing_notification),
	    T(test_failed_scan_decides_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
