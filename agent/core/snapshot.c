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
	free(s->findings);
	refcount_put(s->keep);
	free(s);
}

/* The positions of the listeners with a finding (cvpFindingTable), so that a request finds
 * them without a walk over every listener. Returns 0, or -1 when out of memory. */
static int index_findings(const struct cvp_listener *l, size_t nl, uint32_t **out, size_t *nout)
{
	size_t n = 0;
	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < nl; i++)
		n += l[i].finding != CVP_FINDING_NONE;
	if (n && !(*out = malloc(n * sizeof(**out))))
		return -1;
	for (size_t i = 0; i < nl; i++)
		if (l[i].finding != CVP_FINDING_NONE)
			(*out)[(*nout)++] = (uint32_t)i;
	return 0;
}

int snapshot_keep_results(struct cvp_snapshot *s, const struct cvp_snapshot *cur)
{
	struct cvp_listener *l = NULL;
	uint32_t *f;
	size_t nf;

	/* Results carry over only within one catalogue. */
	if (s->scan_ok || !cur || cur->cat != s->cat || cur->nrows != s->nrows)
		return 0;
	if (cur->nlisteners) {
		l = malloc(cur->nlisteners * sizeof(*l));
		if (!l)
			return -1;
		memcpy(l, cur->listeners, cur->nlisteners * sizeof(*l));
	}
	if (index_findings(l, cur->nlisteners, &f, &nf) < 0) {
		free(l);
		return -1;
	}
	memcpy(s->rows, cur->rows, cur->nrows * sizeof(*s->rows));
	free(s->listeners);
	s->listeners = l;
	s->nlisteners = cur->nlisteners;
	free(s->findings);
	s->findings = f;
	s->nfindings = nf;
	s->sum = cur->sum;
	s->sum.overall = CVP_OVERALL_UNKNOWN;
	return 0;
}

void snapshot_carry(struct cvp_snapshot *to, const struct cvp_snapshot *from)
{
	*to = (struct cvp_snapshot){.scan_count = from->scan_count,
	                            .eph_low = from->eph_low,
	                            .eph_high = from->eph_high,
	                            .taken_us = from->taken_us};
}

/* A new snapshot of cat (cat and keep as snapshot_build takes them), its rows not evaluated. */
static struct cvp_snapshot *snapshot_new(const struct cvp_catalog *cat, struct refcount *keep)
{
	struct cvp_snapshot *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cat = cat;
	s->keep = refcount_get(keep);
	s->nrows = cat->n;
	s->rows = calloc(cat->n ? cat->n : 1, sizeof(*s->rows));
	if (!s->rows) {
		snapshot_free(s);
		return NULL;
	}
	return s;
}

/* Evaluates socks into s: rows, listeners, findings, summary. Returns 0, or -1 (out of memory). */
static int snapshot_evaluate(struct cvp_snapshot *s, const struct cvp_socket_list *socks)
{
	return evaluate(s->cat, socks, s->eph_low, s->eph_high, s->rows, &s->listeners,
	                &s->nlisteners, &s->sum) < 0 ||
	               index_findings(s->listeners, s->nlisteners, &s->findings, &s->nfindings) < 0
	           ? -1
	           : 0;
}

struct cvp_snapshot *snapshot_build(struct cvp_collector *c, const struct cvp_catalog *cat,
                                    struct refcount *keep, const struct cvp_snapshot *prev)
{
	uint64_t t0 = c->now_us();
	struct cvp_snapshot *s = snapshot_new(cat, keep);
	if (!s)
		return NULL;
	s->scan_count = prev ? prev->scan_count : 0;
	s->eph_low = prev ? prev->eph_low : EPHEMERAL_LOW_DEFAULT;
	s->eph_high = prev ? prev->eph_high : EPHEMERAL_HIGH_DEFAULT;
	proc_sysctl_ephemeral_range(c->proc_root, &s->eph_low, &s->eph_high);

	s->scan_ok = collector_scan(c, &s->stats) == 0;
	s->source = (uint8_t)c->source;
	/* A failed scan evaluates as if nothing listened (snapshot_keep_results puts the last
	 * results back where there are some). */
	static const struct cvp_socket_list none;
	if (snapshot_evaluate(s, s->scan_ok ? &c->socks : &none) < 0) {
		snapshot_free(s);
		return NULL;
	}
	s->scan_count += s->scan_ok;
	if (!s->scan_ok)
		s->sum.overall = CVP_OVERALL_UNKNOWN;

	uint64_t t1 = c->now_us();
	/* cvpPortScanAge counts from the last scan that completed. */
	s->taken_us = s->scan_ok ? t1 : prev ? prev->taken_us : t0;
	s->scan_us = (uint32_t)(t1 - t0 > UINT32_MAX ? UINT32_MAX : t1 - t0);
	return s;
}

struct cvp_snapshot *snapshot_of_sockets(const struct cvp_catalog *cat, struct refcount *keep,
                                         const struct cvp_socket_list *socks, uint16_t eph_low,
                                         uint16_t eph_high, int source)
{
	struct cvp_snapshot *s = snapshot_new(cat, keep);
	if (!s)
		return NULL;
	s->eph_low = eph_low;
	s->eph_high = eph_high;
	s->source = (uint8_t)source;
	s->scan_ok = 1;
	s->scan_count = 1;
	if (snapshot_evaluate(s, socks) < 0) {
		snapshot_free(s);
		return NULL;
	}
	return s;
}
