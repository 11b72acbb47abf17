/* The refresh core without net-snmp: a real builder on a fixture /proc tree, a fake clock and a
 * fake master (uptime, session), and recorders for what is published, sent and logged. The
 * lifetime cases: a reload while a snapshot of the replaced settings waits, out of memory at
 * each allocation of a refresh, and a shutdown with a snapshot not taken. Allocation failures
 * are injected by wrapping malloc, calloc and realloc (-Wl,--wrap); they are injected only
 * while the builder thread is not running. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refresh_core.h"

/* Allocations left before the next one fails (-1: none fails), and whether one failed. */
static long alloc_left = -1;
static int alloc_failed;

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

static int alloc_fails(void)
{
	if (alloc_left < 0 || alloc_left-- != 0)
		return 0;
	alloc_failed = 1;
	return 1;
}

void *__wrap_malloc(size_t n)
{
	return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
	return alloc_fails() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : __real_realloc(p, n);
}

static uint64_t fake_now = 1000000;

static uint64_t fake_clock(void)
{
	return fake_now;
}

/* The fake master and the recorders. */
struct rec {
	const struct cvp_snapshot *published;
	unsigned publishes, sends, logs;
	size_t events;
	uint32_t uptime;
	int session_up;
};

static void rec_log(void *arg, int err, const char *msg)
{
	(void)err;
	(void)msg;
	((struct rec *)arg)->logs++;
}

static void rec_publish(void *arg, const struct cvp_snapshot *s)
{
	struct rec *r = arg;
	r->published = s;
	r->publishes++;
}

static void rec_send(void *arg, const struct notify_event *ev, size_t n,
                     const struct cvp_snapshot *s)
{
	struct rec *r = arg;
	(void)ev;
	assert_ptr_equal(s, r->published); /* sent with the snapshot just published */
	r->sends++;
	r->events += n;
}

static uint32_t rec_uptime(void *arg)
{
	return ((struct rec *)arg)->uptime;
}

static int rec_session_up(void *arg)
{
	return ((struct rec *)arg)->session_up;
}

struct fx {
	struct rec rec;
	struct refresh_core core;
	struct cvp_settings *a, *b;
};

static struct cvp_settings *settings(const char *remove)
{
	char err[256];
	struct cvp_settings *s = config_model_new(err, sizeof(err));
	assert_non_null(s);
	s->scan_mode = CVP_SCAN_PROCFS;
	s->refresh_seconds = 3600; /* builds come from configure and kicks only */
	if (remove)
		assert_int_equal(catalog_apply(&s->cat, "cvpPortRemove", remove, err, sizeof(err)),
		                 0);
	return s;
}

static unsigned refs(const struct cvp_settings *s)
{
	return atomic_load(&s->ref.n);
}

static void core_start(struct fx *f)
{
	const struct refresh_io io = {
	    .log = rec_log,
	    .publish = rec_publish,
	    .send = rec_send,
	    .uptime_cs = rec_uptime,
	    .session_up = rec_session_up,
	    .now_us = fake_clock,
	    .arg = &f->rec,
	};
	struct builder *b = builder_new(FIXTURES "/proc-basic", fake_clock);
	assert_non_null(b);
	refresh_core_init(&f->core, b, &io);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->rec.uptime = 100;
	f->rec.session_up = 1;
	f->a = settings(NULL);
	f->b = settings("sip-udp");
	core_start(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	refresh_core_free(&f->core);
	/* Nothing holds the settings any more but the test. */
	assert_int_equal(refs(f->a), 1);
	assert_int_equal(refs(f->b), 1);
	config_model_put(f->a);
	config_model_put(f->b);
	free(f);
	return 0;
}

/* Waits (up to 10 s) until the builder's descriptor is readable. */
static int wait_ready(struct refresh_core *c)
{
	struct pollfd p = {.fd = builder_fd(c->builder), .events = POLLIN};
	return poll(&p, 1, 10000) == 1;
}

/* Before the thread runs, configure builds and publishes at once; the snapshot holds the
 * settings, and the notifier's decisions are sent with it. */
static void test_configure_publishes_at_once(void **state)
{
	struct fx *f = *state;
	assert_int_equal(refresh_core_configure(&f->core, f->a, 1), 0);
	assert_non_null(f->rec.published);
	assert_ptr_equal(f->rec.published, f->core.current);
	assert_ptr_equal(f->rec.published->cat, &f->a->cat);
	assert_int_equal(f->rec.sends, 1);
	/* Ours, the builder's and the snapshot's. */
	assert_int_equal(refs(f->a), 3);
}

/* A reload while a snapshot of the replaced settings waits: that snapshot is never published,
 * the replaced settings live exactly as long as something built of them, and the next
 * snapshot is of the new settings. */
static void test_reload_while_a_snapshot_waits(void **state)
{
	struct fx *f = *state;
	assert_int_equal(refresh_core_configure(&f->core, f->a, 1), 0);
	assert_int_equal(builder_start(f->core.builder), 0);
	builder_kick(f->core.builder);
	assert_true(wait_ready(&f->core)); /* a snapshot of a waits, not taken */

	assert_int_equal(refresh_core_configure(&f->core, f->b, 1), 0);
	/* The builder let go of a; the published snapshot and the waiting one (unless the build
	 * of b replaced it already) still hold it. */
	assert_true(refs(f->a) >= 2);
	for (int i = 0; i < 100 && f->rec.published->cat != &f->b->cat; i++) {
		assert_true(wait_ready(&f->core));
		refresh_core_ready(&f->core);
		assert_true(f->rec.published->cat == &f->a->cat ||
		            f->rec.published->cat == &f->b->cat);
		if (f->rec.published->cat == &f->a->cat)
			assert_int_equal(f->rec.publishes,
			                 1); /* still the first: none of a since */
	}
	assert_ptr_equal(f->rec.published->cat, &f->b->cat);
	assert_int_equal(f->rec.publishes, 2);
	/* Nothing built of a is left: only the test holds it. */
	assert_int_equal(refs(f->a), 1);
	assert_int_equal(f->core.current->nrows, f->b->cat.n);
}

/* Out of memory at each allocation of a first refresh: configure says so and publishes
 * nothing, or publishes a whole snapshot; nothing leaks (LeakSanitizer in the sanitizer
 * build) and the next configure works. */
static void test_out_of_memory_at_each_allocation(void **state)
{
	struct fx *f = *state;
	long k;
	for (k = 0; k < 100000; k++) {
		struct fx g = {.rec = {.uptime = 100, .session_up = 1}, .a = f->a};
		core_start(&g);
		alloc_failed = 0;
		alloc_left = k;
		int rc = refresh_core_configure(&g.core, g.a, 1);
		alloc_left = -1;
		if (rc < 0) {
			assert_null(g.core.current);
			assert_null(g.rec.published);
			assert_true(alloc_failed);
		} else {
			assert_non_null(g.core.current);
			assert_ptr_equal(g.rec.published, g.core.current);
			assert_ptr_equal(g.core.current->cat, &f->a->cat);
		}
		assert_int_equal(refresh_core_configure(&g.core, g.a, 1), 0);
		assert_ptr_equal(g.rec.published, g.core.current);
		refresh_core_free(&g.core);
		assert_int_equal(refs(f->a), 1);
		if (!alloc_failed)
			break; /* every allocation of a refresh has failed once */
	}
	assert_true(k > 10);
	assert_true(k < 100000);
}

/* Shut down while a snapshot waits to be taken: it is freed with everything else, and the
 * settings it holds are let go. */
static void test_shutdown_with_a_snapshot_pending(void **state)
{
	struct fx *f = *state;
	assert_int_equal(refresh_core_configure(&f->core, f->a, 1), 0);
	assert_int_equal(builder_start(f->core.builder), 0);
	builder_kick(f->core.builder);
	assert_true(wait_ready(&f->core));
	assert_true(refs(f->a) >= 3);
	/* teardown frees the core and checks that only the test holds a */
}

/* The master restarted (its sysUpTime went back): the notifier's TimeStamps start again,
 * and the refresh goes on publishing. */
static void test_master_restart_resets_timestamps(void **state)
{
	struct fx *f = *state;
	f->rec.uptime = 50000;
	assert_int_equal(refresh_core_configure(&f->core, f->a, 1), 0);
	assert_int_equal(f->core.last_uptime, 50000);
	f->rec.uptime = 10;
	fake_now += 5000000;
	assert_int_equal(refresh_core_configure(&f->core, f->a, 1), 0);
	assert_int_equal(f->core.last_uptime, 10);
	assert_int_equal(f->rec.publishes, 2);
	assert_int_equal(notify_counters(f->core.notifier).since, 0); /* from before the restart */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_configure_publishes_at_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reload_while_a_snapshot_waits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_out_of_memory_at_each_allocation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shutdown_with_a_snapshot_pending, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_master_restart_resets_timestamps, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
