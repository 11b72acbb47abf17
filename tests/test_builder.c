/* The builder thread against fixture /proc trees: the first snapshot on the caller's thread,
 * snapshots handed over through the descriptor, generations that say which settings a snapshot
 * was built of, kicks, the cadence, notices queued for the consumer, and a clean stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "catalog_load.h"

struct fixture {
	struct cvp_catalog a, b;
	struct builder *bl;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	if (!f)
		return -1;
	catalog_init(&f->a);
	catalog_init(&f->b);
	if (catalog_load_default(&f->a, err, sizeof(err)) < 0 ||
	    catalog_load_default(&f->b, err, sizeof(err)) < 0 ||
	    catalog_apply(&f->b, "cvpPortRemove", "sip-udp", err, sizeof(err)) < 0)
		return -1;
	if (!(f->bl = builder_new(FIXTURES "/proc-basic", NULL)))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	builder_free(f->bl);
	catalog_free(&f->a);
	catalog_free(&f->b);
	free(f);
	return 0;
}

/* Waits (up to 10 s: a stalled builder fails the test, a slow machine does not) for the next
 * snapshot and takes it. */
static struct cvp_snapshot *next_snapshot(struct builder *b, unsigned *gen)
{
	for (int i = 0; i < 100; i++) {
		struct pollfd p = {.fd = builder_fd(b), .events = POLLIN};
		if (poll(&p, 1, 100) == 1) {
			struct cvp_snapshot *s = builder_take(b, gen);
			if (s)
				return s;
		}
	}
	return NULL;
}

static void test_first_build_on_the_callers_thread(void **state)
{
	struct fixture *f = *state;
	unsigned gen;
	assert_null(builder_build_now(f->bl)); /* nothing configured yet */
	assert_int_not_equal(builder_configure(f->bl, &f->a, NULL, CVP_SCAN_PROCFS, 3600), 0);
	struct cvp_snapshot *s = builder_build_now(f->bl);
	assert_non_null(s);
	assert_true(s->scan_ok);
	assert_ptr_equal(s->cat, &f->a);
	assert_int_equal(s->scan_count, 1);
	assert_true(s->nlisteners > 0);
	assert_null(builder_take(f->bl, &gen)); /* built here: nothing in the mailbox */
	snapshot_free(s);
}

static void test_snapshots_come_through_the_descriptor(void **state)
{
	struct fixture *f = *state;
	unsigned gen;
	unsigned g1 = builder_configure(f->bl, &f->a, NULL, CVP_SCAN_PROCFS, 3600);
	snapshot_free(builder_build_now(f->bl));
	assert_int_equal(builder_start(f->bl), 0);
	assert_true(builder_running(f->bl));
	assert_null(builder_build_now(f->bl)); /* the thread's from now on */

	/* The configuration's own kick is still pending: the thread builds at once. */
	struct cvp_snapshot *s = next_snapshot(f->bl, &gen);
	assert_non_null(s);
	unsigned scans = s->scan_count;
	snapshot_free(s);
	assert_int_equal(gen, g1);
	assert_int_equal(scans, 2); /* carried from the first build */

	/* A kick builds at once although the next build is an hour away. */
	builder_kick(f->bl);
	s = next_snapshot(f->bl, &gen);
	assert_non_null(s);
	scans = s->scan_count;
	snapshot_free(s);
	assert_int_equal(gen, g1);
	assert_int_equal(scans, 3);

	/* New settings: built at once, of the new catalogue, under a new generation. */
	unsigned g2 = builder_configure(f->bl, &f->b, NULL, CVP_SCAN_PROCFS, 3600);
	assert_int_not_equal(g2, g1);
	do {
		s = next_snapshot(f->bl, &gen);
		assert_non_null(s);
		if (gen != g2)
			snapshot_free(s); /* a build of the old settings that was under way */
	} while (gen != g2);
	assert_ptr_equal(s->cat, &f->b);
	assert_int_equal(s->nrows, f->b.n);
	assert_true(s->scan_count >= 3);
	snapshot_free(s);
}

static void test_builds_on_its_cadence(void **state)
{
	struct fixture *f = *state;
	unsigned gen;
	(void)builder_configure(f->bl, &f->a, NULL, CVP_SCAN_PROCFS, 1);
	snapshot_free(builder_build_now(f->bl));
	assert_int_equal(builder_start(f->bl), 0);
	/* No kick: two builds come by the clock alone. */
	struct cvp_snapshot *s1 = next_snapshot(f->bl, &gen);
	assert_non_null(s1);
	struct cvp_snapshot *s2 = next_snapshot(f->bl, &gen);
	assert_non_null(s2);
	assert_true(s2->scan_count > s1->scan_count);
	snapshot_free(s1);
	snapshot_free(s2);
}

static void collect(void *arg, int err, const char *msg)
{
	char *out = arg;
	snprintf(out + strlen(out), 1024 - strlen(out), "%d:%s\n", err, msg);
}

static void test_failed_scan_is_handed_over(void **state)
{
	struct fixture *f = *state;
	unsigned gen;
	char got[1024] = "";
	struct builder *b = builder_new(FIXTURES "/no-such-proc", NULL);
	assert_non_null(b);
	(void)builder_configure(b, &f->a, NULL, CVP_SCAN_PROCFS, 3600);
	struct cvp_snapshot *s = builder_build_now(b);
	assert_non_null(s);
	assert_false(s->scan_ok);
	assert_int_equal(s->scan_count, 0);
	snapshot_free(s);
	assert_int_equal(builder_start(b), 0);
	builder_kick(b);
	s = next_snapshot(b, &gen);
	assert_non_null(s);
	assert_false(s->scan_ok);
	snapshot_free(s);
	builder_take_notices(b, collect, got);
	assert_string_equal(got, ""); /* a missing tree is a failed scan, not a notice */
	builder_free(b);
}

static void test_stop_with_a_snapshot_not_taken(void **state)
{
	struct fixture *f = *state;
	(void)builder_configure(f->bl, &f->a, NULL, CVP_SCAN_PROCFS, 3600);
	assert_int_equal(builder_start(f->bl), 0);
	builder_kick(f->bl);
	struct pollfd p = {.fd = builder_fd(f->bl), .events = POLLIN};
	assert_int_equal(poll(&p, 1, 10000), 1);
	/* teardown frees the builder with the snapshot still in the mailbox (LeakSanitizer) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_first_build_on_the_callers_thread),
	    T(test_snapshots_come_through_the_descriptor),
	    T(test_builds_on_its_cadence),
	    T(test_failed_scan_is_handed_over),
	    T(test_stop_with_a_snapshot_not_taken),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
