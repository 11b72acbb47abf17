/* Snapshot construction: one refresh = scan + attribution + evaluation, and what carries over
 * from the previous snapshot (the scan counter; the last results when a scan fails). */
#include "snapshot.h"
#include "proc_sysctl.h"

#include <stdlib.h>
#include <string.h>

/* Linux's default, used until the host's range can be read. */
#define EPHEMERAL_LOW_DEFAULT 32768
#define EPHEMERAL_HIGH_DEFAULT 60999

void snapshot_free(struct cvp_snapshot *s)
{
	if (!s)
		return;
	free(s->rows);
	free(s->listeners);
	free(s);
}

static int copy_results(struct cvp_snapshot *s, const struct cvp_snapshot *prev)
{
	memcpy(s->rows, prev->rows, prev->nrows * sizeof(*s->rows));
	if (prev->nlisteners) {
		s->listeners = malloc(prev->nlisteners * sizeof(*s->listeners));
		if (!s->listeners)
			return -1;
		memcpy(s->listeners, prev->listeners, prev->nlisteners * sizeof(*s->listeners));
	}
	s->nlisteners = prev->nlisteners;
	s->sum = prev->sum;
	return 0;
}

struct cvp_snapshot *snapshot_build(struct cvp_collector *c, const struct cvp_catalog *cat,
                                    const struct cvp_snapshot *prev)
{
	uint64_t t0 = c->now_us();
	struct cvp_snapshot *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cat = cat;
	s->nrows = cat->n;
	s->rows = calloc(cat->n ? cat->n : 1, sizeof(*s->rows));
	if (!s->rows)
		goto fail;
	/* Results carry over only within one catalogue; counters across a reload too. */
	const struct cvp_snapshot *same = prev && prev->cat == cat ? prev : NULL;
	s->scan_count = prev ? prev->scan_count : 0;
	s->eph_low = prev ? prev->eph_low : EPHEMERAL_LOW_DEFAULT;
	s->eph_high = prev ? prev->eph_high : EPHEMERAL_HIGH_DEFAULT;
	proc_sysctl_ephemeral_range(c->proc_root, &s->eph_low, &s->eph_high);

	s->scan_ok = collector_scan(c, &s->stats) == 0;
	s->source = (uint8_t)c->source;
	if (s->scan_ok || !same) {
		/* With no scan ever done, rows say nothing is known to listen. */
		static const struct cvp_socket_list none;
		if (evaluate(cat, s->scan_ok ? &c->socks : &none, s->eph_low, s->eph_high, s->rows,
		             &s->listeners, &s->nlisteners, &s->sum) < 0)
			goto fail;
		s->scan_count += s->scan_ok;
	} else if (copy_results(s, same) < 0) {
		goto fail; /* the scan failed: keep the last results */
	}
	if (!s->scan_ok)
		s->sum.overall = CVP_OVERALL_UNKNOWN;

	uint64_t t1 = c->now_us();
	/* cvpPortScanAge counts from the last scan that completed. */
	s->taken_us = s->scan_ok ? t1 : prev ? prev->taken_us : t0;
	s->scan_us = (uint32_t)(t1 - t0 > UINT32_MAX ? UINT32_MAX : t1 - t0);
	return s;
fail:
	snapshot_free(s);
	return NULL;
}
