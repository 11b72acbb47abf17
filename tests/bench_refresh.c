/* Benchmark of cvpportd's refresh (scan + attribution + evaluation), as the agent runs it:
 *   bench_refresh RUNS RSS_REFRESHES [steady]
 * Prints medians in microseconds of: steady refresh (netlink, warm owner cache), the same with
 * attribution in the privilege-separated helper (as the daemon runs it), cold refresh
 * (netlink, new collector: empty cache), procfs refresh (warm cache); then RSS in kB after 100
 * and after RSS_REFRESHES steady refreshes. With "steady", only the steady refresh and RSS (for
 * many listeners, where procfs alone would take minutes; and for profiling). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monotonic.h"
#include "catalog_load.h"
#include "privsep.h"
#include "snapshot.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static long rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

/* One refresh as the agent does it: build the next snapshot, free the previous one. */
static uint64_t refresh(struct cvp_collector *c, const struct cvp_catalog *cat,
                        struct cvp_snapshot **cur)
{
	uint64_t t0 = monotonic_us();
	struct cvp_snapshot *next = snapshot_build(c, cat, NULL, *cur);
	uint64_t t = monotonic_us() - t0;
	if (!next || !next->scan_ok) {
		fprintf(stderr, "refresh failed\n");
		exit(1);
	}
	snapshot_free(*cur);
	*cur = next;
	return t;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 21;
	long rss_runs = argc > 2 ? atol(argv[2]) : 10000;
	int steady_only = argc > 3 && strcmp(argv[3], "steady") == 0;
	uint64_t *t = calloc((size_t)runs, sizeof(*t));
	struct cvp_catalog cat;
	char err[256];

	catalog_init(&cat);
	if (!t || catalog_load_default(&cat, err, sizeof(err)) < 0)
		return 1;

	/* cold: a new collector each time, so the owner cache is empty and /proc is walked */
	for (int i = 0; i < runs && !steady_only; i++) {
		struct cvp_collector c;
		struct cvp_snapshot *s = NULL;
		if (collector_init(&c, "/proc", CVP_SCAN_NETLINK) < 0)
			return 1;
		t[i] = refresh(&c, &cat, &s);
		snapshot_free(s);
		collector_free(&c);
	}
	uint64_t cold = steady_only ? 0 : median(t, runs);

	struct cvp_collector c;
	struct cvp_snapshot *s = NULL;
	if (collector_init(&c, "/proc", CVP_SCAN_NETLINK) < 0)
		return 1;
	refresh(&c, &cat, &s); /* warm the cache */
	for (int i = 0; i < runs; i++)
		t[i] = refresh(&c, &cat, &s);
	uint64_t steady = median(t, runs);
	size_t listeners = s->nlisteners;
	uint32_t reported = s->scan_us;

	/* the same, attribution through the helper (a worker with its own warm cache) */
	struct cvp_collector h;
	struct cvp_snapshot *hs = NULL;
	struct privsep *ps = NULL;
	if (collector_init(&h, "/proc", CVP_SCAN_NETLINK) < 0 || !(ps = privsep_start("/proc")))
		return 1;
	struct cvp_attributor attr = privsep_attributor(ps);
	h.helper = &attr;
	refresh(&h, &cat, &hs);
	for (int i = 0; i < runs; i++)
		t[i] = refresh(&h, &cat, &hs);
	uint64_t helper = median(t, runs);
	snapshot_free(hs);
	privsep_stop(ps);
	collector_free(&h);

	long rss100 = 0;
	for (long i = 1; i <= rss_runs; i++) {
		refresh(&c, &cat, &s);
		if (i == 100)
			rss100 = rss_kb();
	}
	long rss_end = rss_kb();
	snapshot_free(s);
	collector_free(&c);

	uint64_t procfs = 0;
	if (!steady_only) {
		if (collector_init(&c, "/proc", CVP_SCAN_PROCFS) < 0)
			return 1;
		s = NULL;
		refresh(&c, &cat, &s);
		for (int i = 0; i < runs; i++)
			t[i] = refresh(&c, &cat, &s);
		procfs = median(t, runs);
		snapshot_free(s);
		collector_free(&c);
	}
	catalog_free(&cat);
	free(t);

	printf("steady_us=%llu helper_us=%llu cold_us=%llu procfs_us=%llu listeners=%zu "
	       "scan_duration_us=%u rss100_kb=%ld rss%ld_kb=%ld\n",
	       (unsigned long long)steady, (unsigned long long)helper, (unsigned long long)cold,
	       (unsigned long long)procfs, listeners, reported, rss100, rss_runs, rss_end);
	return 0;
}
