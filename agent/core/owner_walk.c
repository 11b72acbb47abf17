/* The budgeted, resumable /proc walk. */
#include "owner_walk.h"
#include "array.h"
#include "monotonic.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t thread_cpu_us(void)
{
	return monotonic_clock_us(CLOCK_THREAD_CPUTIME_ID);
}

void owner_walk_init(struct owner_walk *w)
{
	memset(w, 0, sizeof(*w));
	owner_walk_set_budget(w, CVP_ATTR_WALK_US_PER_S, CVP_ATTR_WALK_BURST_US, NULL);
}

void owner_walk_free(struct owner_walk *w)
{
	free(w->pids);
	w->pids = NULL;
	w->npids = w->pos = 0;
	w->walking = 0;
}

void owner_walk_set_budget(struct owner_walk *w, unsigned per_second, unsigned burst,
                           uint64_t (*cpu_us)(void))
{
	w->rate = per_second;
	w->burst = burst;
	w->cpu_us = cpu_us ? cpu_us : thread_cpu_us;
	w->units_init = 0;
}

static int pid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The numeric entries of the root, ascending, so that "lowest pid" is found first. Returns 0,
 * or -1 (errno set) when they cannot all be listed: out of memory or descriptors. */
static int list_pids(const struct cvp_proc_root *r, uint32_t **pv, size_t *pn)
{
	DIR *d = opendir(r->path);
	uint32_t *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	*pv = NULL;
	*pn = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(e->d_name, &end, 10);
		if (*end || e->d_name[0] < '1' || e->d_name[0] > '9' || pid > UINT32_MAX)
			continue;
		if (array_reserve((void **)&v, &cap, n + 1, sizeof(*v)) < 0) {
			/* A partial list is no walk: it would miss the owners beyond it. */
			closedir(d);
			free(v);
			errno = ENOMEM;
			return -1;
		}
		v[n++] = (uint32_t)pid;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), pid_cmp);
	*pv = v;
	*pn = n;
	return 0;
}

/* Entries the walk looks for. */
static size_t searched(const struct cvp_owner *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += owner_searched(&v[i]);
	return k;
}

/* The walk has gone past every process it listed: those started since are visited too (the
 * new holder of a listener, often), a few passes at most. Returns whether there are any. */
static int walk_tail(struct owner_walk *w, const struct cvp_proc_root *r)
{
	size_t n, k = 0;
	uint32_t *v;
	if (w->tails >= CVP_ATTR_TAIL_PASSES || !w->npids)
		return 0;
	uint32_t last = w->pids[w->npids - 1];
	w->tails++;
	if (list_pids(r, &v, &n) < 0) {
		w->inconclusive = 1; /* those started since could not be looked at */
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i] > last)
			v[k++] = v[i];
	if (!k) {
		free(v);
		return 0;
	}
	free(w->pids);
	w->pids = v;
	w->npids = k;
	w->pos = 0;
	return 1;
}

/* One /proc/PID/fd directory: the searched sockets it holds are found. Returns how many of
 * those left to find it found (pid 1 finds none for good). */
static size_t walk_process(const struct cvp_proc_root *r, uint32_t pid, DIR *d, struct cvp_owner *v,
                           size_t n, size_t left)
{
	char link[64];
	struct dirent *e;
	size_t found = 0;

	while (found < left && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		ssize_t len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (len < 9 || memcmp(link, "socket:[", 8) != 0)
			continue;
		link[len] = '\0';
		struct cvp_owner *o = owner_find(v, n, strtoull(link + 8, NULL, 10));
		if (!o || !owner_searched(o))
			continue;
		/* pid 1 holds it only unless another process holds it too. */
		if (pid == 1 && o->state == CVP_OWNER_PID1)
			continue;
		struct cvp_proc_facts f;
		owner_read_facts(r, pid, &f);
		owner_found(o, pid, atoi(e->d_name), &f);
		found += pid != 1;
	}
	return found;
}

/* Walks on from w->pos while the budget lasts and something is looked for. */
static void walk_slice(struct owner_walk *w, const struct cvp_proc_root *r, struct cvp_owner *v,
                       size_t n, struct owner_walk_stats *st)
{
	char path[PATH_MAX];
	size_t left = searched(v, n);
	uint64_t t0 = w->cpu_us(), t = t0;

	st->walks++;
	for (; left && w->units > 0 && w->pos < w->npids; w->pos++) {
		uint32_t pid = w->pids[w->pos];
		snprintf(path, sizeof(path), "%s/%u/fd", r->path, pid);
		DIR *d = opendir(path);
		if (d) {
			left -= walk_process(r, pid, d, v, n, left);
			closedir(d);
		} else if (errno == EACCES || errno == EPERM) {
			st->denied++;
			w->inconclusive = 1;
		} else if (errno == EMFILE || errno == ENFILE || errno == ENOMEM) {
			st->fd_short +=
			    errno != ENOMEM; /* not "not found": the walk is incomplete */
			w->inconclusive = 1;
		}
		/* Charged process by process: one process is the smallest piece of a walk. */
		uint64_t now = w->cpu_us();
		w->units -= (int64_t)(now - t);
		t = now;
	}
	st->walk_us = (unsigned)(t - t0);
}

/* The walk is over: what it did not find is looked for again later, with back-off, and taken
 * as held by no process only after enough complete walks that could look everywhere. */
static void walk_end(struct owner_walk *w, struct cvp_owner *v, size_t n, uint64_t now_us,
                     struct owner_walk_stats *st)
{
	for (size_t i = 0; i < n; i++) {
		struct cvp_owner *o = &v[i];
		if (o->state == CVP_OWNER_PID1 && w->pos >= w->npids)
			o->state = CVP_OWNER_PROCESS; /* nobody else holds it: pid 1's */
		if (owner_unfound(o) && o->in_walk) {
			if (o->attempts < 31)
				o->attempts++;
			if (!w->inconclusive)
				o->misses++;
			uint64_t backoff = 1000000ull << (o->attempts - 1);
			if (backoff > CVP_ATTR_BACKOFF_MAX_US)
				backoff = CVP_ATTR_BACKOFF_MAX_US;
			o->retry_at = now_us + backoff;
			if (o->misses >= CVP_ATTR_KERNEL_AFTER) {
				uint64_t recheck = (uint64_t)CVP_ATTR_KERNEL_RECHECK_FIRST_US
				                   << (o->reseeks < 16 ? o->reseeks : 16);
				o->state = CVP_OWNER_NONE;
				o->retry_at = now_us + (recheck < CVP_ATTR_KERNEL_RECHECK_US
				                            ? recheck
				                            : CVP_ATTR_KERNEL_RECHECK_US);
				if (o->reseeks < UINT8_MAX)
					o->reseeks++;
			}
		}
		o->in_walk = 0;
	}
	owner_walk_free(w);
	st->walk_done = 1;
}

static int wanted(const struct cvp_owner *o, uint64_t now_us)
{
	return owner_unfound(o) && o->retry_at <= now_us;
}

/* A new TCP listener is always looked for at once. New UDP sockets come and go with traffic
 * (RTP, for one), so they start a walk at most once per CVP_UDP_WALK_INTERVAL_US. */
static int walk_due(const struct owner_walk *w, const struct cvp_owner *v, size_t n,
                    uint64_t now_us)
{
	int udp = 0;
	for (size_t i = 0; i < n; i++) {
		if (!wanted(&v[i], now_us))
			continue;
		if (!v[i].udp)
			return 1;
		udp = 1;
	}
	return udp && (!w->walked || now_us - w->last_walk_us >= CVP_UDP_WALK_INTERVAL_US);
}

static void walk_start(struct owner_walk *w, const struct cvp_proc_root *r, struct cvp_owner *v,
                       size_t n, uint64_t now_us, struct owner_walk_stats *st)
{
	w->pos = 0;
	w->tails = 0;
	w->inconclusive = 0;
	if (list_pids(r, &w->pids, &w->npids) < 0) {
		st->fd_short += errno == EMFILE || errno == ENFILE;
		w->inconclusive = 1;
	}
	/* A procfs that does not show pid 1 hides other users' processes (hidepid): a walk over
	 * it cannot conclude that nobody holds a socket. */
	if (r->procfs && !(w->npids && w->pids[0] == 1)) {
		st->blind = 1;
		w->inconclusive = 1;
	}
	for (size_t i = 0; i < n; i++)
		v[i].in_walk = (uint8_t)wanted(&v[i], now_us);
	w->walking = 1;
	w->walked = 1;
	w->last_walk_us = now_us;
}

static void refill(struct owner_walk *w, uint64_t now_us)
{
	if (!w->units_init) {
		w->units = w->burst;
		w->units_at = now_us;
		w->units_init = 1;
		return;
	}
	if (now_us > w->units_at) {
		uint64_t add = (now_us - w->units_at) * w->rate / 1000000u;
		if (add) {
			w->units += (int64_t)add;
			w->units_at = now_us;
		}
	}
	if (w->units > (int64_t)w->burst)
		w->units = w->burst;
}

void owner_walk_run(struct owner_walk *w, const struct cvp_proc_root *root, struct cvp_owner *v,
                    size_t n, uint64_t now_us, struct owner_walk_stats *st)
{
	memset(st, 0, sizeof(*st));
	refill(w, now_us);
	if (!w->walking) {
		if (!walk_due(w, v, n, now_us))
			return;
		walk_start(w, root, v, n, now_us, st);
	}
	walk_slice(w, root, v, n, st);
	/* Over when nothing is looked for any more, or past every process, those started since
	 * included (walked from the next refresh on). */
	if (!searched(v, n) || (w->pos >= w->npids && !walk_tail(w, root)))
		walk_end(w, v, n, now_us, st);
}
