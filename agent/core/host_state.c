/* Remote hosts' state and verdicts, and the notifications they call for. */
#include "host_state.h"
#include "array.h"

#include <stdlib.h>
#include <string.h>

void host_state_ephemeral_range(const char *descr, int source, uint16_t *low, uint16_t *high)
{
	/* (netsh int ipv4 show dynamicport: Windows' defaults; Linux's ip_local_port_range) */
	(void)source;
	if (strstr(descr, "Windows Version 5.")) { /* 2000, XP, 2003 */
		*low = 1025;
		*high = 5000;
	} else if (strstr(descr, "Windows")) {
		*low = 49152;
		*high = 65535;
	} else {
		*low = 32768;
		*high = 60999;
	}
}

void host_state_init(struct host_states *h)
{
	memset(h, 0, sizeof(*h));
	h->next_index = 1;
	notify_config_default(&h->ncfg);
}

void host_state_view_free(struct cvp_catalog *view)
{
	if (view)
		free(view->ignores);
	free(view);
}

/* The host's own cvpHostIgnore lines, taken from cfg. Returns 0, or -1 when out of memory. */
static int take_ignores(struct host_state *s, const struct host_config *cfg)
{
	size_t n = 0;
	struct cvp_ignore *v = NULL;
	for (size_t k = 0; k < cfg->nignores; k++)
		n += strcmp(cfg->ignores[k].host, s->cfg.name) == 0;
	if (n && !(v = malloc(n * sizeof(*v))))
		return -1;
	n = 0;
	for (size_t k = 0; k < cfg->nignores; k++)
		if (strcmp(cfg->ignores[k].host, s->cfg.name) == 0)
			v[n++] = cfg->ignores[k].ig;
	free(s->ignores);
	s->ignores = v;
	s->nignores = n;
	return 0;
}

static void host_free(struct host_state *s, void (*release)(void *, void *), void *arg)
{
	if (!s)
		return;
	if (release && s->peer)
		release(s->peer, arg);
	snapshot_free(s->snap);
	host_state_view_free(s->view);
	free(s->ignores);
	notify_free(s->notifier);
	free(s);
}

void host_state_free(struct host_states *h, void (*release)(void *peer, void *arg), void *arg)
{
	for (size_t i = 0; i < h->n; i++)
		host_free(h->v[i], release, arg);
	free(h->v);
	free(h->row_start);
	free(h->finding_start);
	free(h->ev);
	notify_rate_free(&h->rate);
	memset(h, 0, sizeof(*h));
}

/* The MIB's positions of every host's rows and findings. */
static void index_positions(struct host_states *h)
{
	size_t rows = 0, findings = 0;
	for (size_t i = 0; i < h->n; i++) {
		const struct cvp_snapshot *s = h->v[i]->snap;
		h->row_start[i] = rows;
		h->finding_start[i] = findings;
		rows += s ? s->nrows : 0;
		findings += s ? s->nfindings : 0;
	}
	h->row_start[h->n] = rows;
	h->finding_start[h->n] = findings;
}

static struct host_state *find_old(struct host_states *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i] && strcmp(h->v[i]->cfg.name, name) == 0)
			return h->v[i];
	return NULL;
}

static int index_cmp(const void *a, const void *b)
{
	const struct host_state *x = *(struct host_state *const *)a,
	                        *y = *(struct host_state *const *)b;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The hosts the configuration adds, each a new state with the next index, into v (by position
 * in cfg). Returns 0, or -1 when out of memory (v then holds only new ones). */
static int add_new_hosts(struct host_states *h, const struct host_config *cfg,
                         const struct notify_config *hc, struct host_state **v, uint32_t *next)
{
	for (size_t i = 0; i < cfg->n; i++) {
		if (find_old(h, cfg->v[i].name))
			continue;
		struct host_state *s = calloc(1, sizeof(*s));
		if (!s || !(s->notifier = notify_new(hc))) {
			free(s);
			return -1;
		}
		notify_share_rate(s->notifier, &h->rate);
		s->cfg = cfg->v[i];
		s->interval = host_config_interval(cfg, &cfg->v[i]);
		s->row_limit = host_config_row_limit(cfg, &cfg->v[i]);
		s->index = (*next)++;
		if (take_ignores(s, cfg) < 0) {
			notify_free(s->notifier);
			free(s);
			return -1;
		}
		v[i] = s;
	}
	return 0;
}

/* The hosts that stay: their state (index, verdicts, session unless the address or options
 * changed) moves from h->v into v with the new configuration. */
static void keep_hosts(struct host_states *h, const struct host_config *cfg,
                       const struct notify_config *hc, struct host_state **v,
                       void (*release)(void *peer, void *arg), void *arg)
{
	for (size_t i = 0; i < cfg->n; i++) {
		if (v[i])
			continue;
		struct host_state *s = find_old(h, cfg->v[i].name);
		if (strcmp(s->cfg.address, cfg->v[i].address) != 0 ||
		    strcmp(s->cfg.options, cfg->v[i].options) != 0) {
			if (release && s->peer)
				release(s->peer, arg);
			s->peer = NULL; /* a new session at the next poll */
		}
		s->cfg = cfg->v[i];
		s->interval = host_config_interval(cfg, &cfg->v[i]);
		s->row_limit = host_config_row_limit(cfg, &cfg->v[i]);
		/* (out of memory: it keeps its earlier ignores) */
		(void)take_ignores(s, cfg);
		notify_configure(s->notifier, hc);
		v[i] = s;
		for (size_t k = 0; k < h->n; k++)
			if (h->v[k] == s)
				h->v[k] = NULL; /* taken */
	}
}

/* What is left in h->v is no longer configured: freed, its counts kept in the totals
 * (Counter32s never go back). */
static void retire_hosts(struct host_states *h, void (*release)(void *peer, void *arg), void *arg)
{
	for (size_t k = 0; k < h->n; k++) {
		if (!h->v[k])
			continue;
		struct notify_counters c = notify_counters(h->v[k]->notifier);
		h->retired.sent += c.sent;
		h->retired.suppressed += c.suppressed;
		h->retired.compliance_changes += c.compliance_changes;
		host_free(h->v[k], release, arg);
	}
}

int host_state_configure(struct host_states *h, const struct host_config *cfg,
                         const struct notify_config *nc, void (*release)(void *peer, void *arg),
                         void *arg)
{
	size_t n = cfg->n;
	struct host_state **v = calloc(n ? n : 1, sizeof(*v));
	size_t *rs = calloc(n + 1, sizeof(*rs)), *fs = calloc(n + 1, sizeof(*fs));
	struct notify_config hc = *nc;
	uint32_t next = h->next_index;

	hc.rows_only = 1;
	if (!v || !rs || !fs)
		goto fail;
	if (nc->rate_count != h->ncfg.rate_count || !h->rate.sent_at) {
		if (notify_rate_init(&h->rate, nc->rate_count, nc->rate_seconds) < 0)
			goto fail;
	}
	h->rate.seconds = nc->rate_seconds;
	/* new hosts first, so that failing leaves the old set whole */
	if (add_new_hosts(h, cfg, &hc, v, &next) < 0) {
		for (size_t i = 0; i < n; i++)
			host_free(v[i], NULL, NULL); /* (only new ones so far) */
		goto fail;
	}
	keep_hosts(h, cfg, &hc, v, release, arg);
	retire_hosts(h, release, arg);
	qsort(v, n, sizeof(*v), index_cmp);
	free(h->v);
	free(h->row_start);
	free(h->finding_start);
	h->v = v;
	h->n = n;
	h->row_start = rs;
	h->finding_start = fs;
	h->next_index = next;
	h->ncfg = *nc;
	index_positions(h);
	return 0;
fail:
	free(v);
	free(rs);
	free(fs);
	return -1;
}

/* The master's clock restarted: every TimeStamp recorded before reads 0. */
static void clock_check(struct host_states *h, uint32_t uptime_cs)
{
	if (uptime_cs < h->last_uptime)
		for (size_t i = 0; i < h->n; i++) {
			h->v[i]->last_poll = 0;
			notify_clock_reset(h->v[i]->notifier);
		}
	h->last_uptime = uptime_cs;
}

static void poll_ended(struct host_state *s, int reachable, const struct host_poll_end *end)
{
	s->polled = 1;
	s->reachable = (uint8_t)reachable;
	s->last_poll = end->uptime_cs;
	s->poll_ms = end->poll_ms;
	s->polls++;
	s->failures += !reachable;
}

static int reserve_events(struct host_states *h, size_t more)
{
	return array_reserve((void **)&h->ev, &h->capev, h->nev + more, sizeof(*h->ev));
}

/* cvpHostUnreachable/Reachable: the first poll is the baseline (with cvpTrapOnStart, a host
 * that does not answer it is announced); a change is due once it has held for the hold-down,
 * and is sent within the shared rate limit, or later with the state current then. */
static void step_reach(struct host_states *h, size_t i, const struct host_poll_end *end)
{
	struct host_state *s = h->v[i];
	uint8_t cur = s->reachable;
	if (!s->reach_known) {
		s->reach_known = 1;
		s->reach_announced = h->ncfg.on_start ? 1 : cur;
		s->reach_candidate = cur;
		s->reach_held = 1;
	} else if (cur == s->reach_candidate) {
		if (s->reach_held < UINT16_MAX)
			s->reach_held++;
	} else {
		s->reach_candidate = cur;
		s->reach_held = 1;
	}
	int due = end->session_up && s->reach_candidate != s->reach_announced &&
	          s->reach_held >= h->ncfg.holddown;
	if (!due) {
		s->reach_due = s->reach_deferred = 0;
		return;
	}
	if (!s->reach_due)
		s->reach_due_since = end->now_us;
	s->reach_due = 1;
	if (!notify_rate_allow(&h->rate, end->now_us)) {
		if (!s->reach_deferred) {
			s->reach_deferred = 1;
			h->suppressed++;
		}
		return;
	}
	h->ev[h->nev++] = (struct host_event){
	    .kind = cur ? HOST_EVENT_REACHABLE : HOST_EVENT_UNREACHABLE, .host = i};
	h->sent++;
	s->reach_announced = cur;
	s->reach_due = s->reach_deferred = 0;
}

struct cvp_catalog *host_state_view(const struct host_states *h, size_t i,
                                    const struct cvp_catalog *cat)
{
	const struct host_state *s = h->v[i];
	struct cvp_catalog *view = malloc(sizeof(*view));
	if (!view)
		return NULL;
	*view = *cat; /* the rows are cat's: the roles and the ignores are the host's */
	view->roles = s->cfg.roles;
	view->ignores = malloc((cat->nignores + s->nignores + 1) * sizeof(*view->ignores));
	if (!view->ignores) {
		free(view);
		return NULL;
	}
	if (cat->nignores)
		memcpy(view->ignores, cat->ignores, cat->nignores * sizeof(*view->ignores));
	if (s->nignores)
		memcpy(view->ignores + cat->nignores, s->ignores,
		       s->nignores * sizeof(*s->ignores));
	view->nignores = view->capignores = cat->nignores + s->nignores;
	return view;
}

struct cvp_snapshot *host_state_evaluate(const struct cvp_catalog *view, struct refcount *keep,
                                         const struct host_answer *a)
{
	sock_list_sort(a->socks);
	sock_list_unique(a->socks); /* (one socket in two of the agent's tables) */
	struct cvp_snapshot *snap =
	    snapshot_of_sockets(view, keep, a->socks, a->eph_low, a->eph_high, a->source);
	if (snap) {
		snap->stats.malformed = a->malformed;
		snprintf(snap->remote_tables, sizeof(snap->remote_tables), "%s",
		         a->tables ? a->tables : "");
		snprintf(snap->first_malformed, sizeof(snap->first_malformed), "%s",
		         a->first_malformed ? a->first_malformed : "");
	}
	return snap;
}

/* The host's rows' verdict changes, as events of host i. */
static void collect_changes(struct host_states *h, size_t i, const struct host_poll_end *end)
{
	struct host_state *s = h->v[i];
	const struct notify_event *ev;
	size_t nev;
	if (notify_step(s->notifier, s->snap, end->session_up, end->now_us, end->uptime_cs, &ev,
	                &nev) != 0)
		return;
	for (size_t k = 0; k < nev; k++)
		if (ev[k].kind == NOTIFY_COMPLIANCE_CHANGE)
			h->ev[h->nev++] = (struct host_event){
			    .kind = HOST_EVENT_COMPLIANCE_CHANGE, .host = i, .row = ev[k].row};
}

int host_state_take(struct host_states *h, size_t i, struct cvp_catalog *view,
                    struct cvp_snapshot *snap, const struct host_poll_end *end)
{
	struct host_state *s = h->v[i];

	h->nev = 0;
	clock_check(h, end->uptime_cs);
	if (reserve_events(h, 1 + view->n) < 0) {
		snapshot_free(snap);
		host_state_view_free(view);
		return -1;
	}
	snap->host = s->cfg.name;
	snap->scan_count = s->polls + 1;
	snap->taken_us = end->now_us;
	snap->scan_us = end->poll_ms * 1000u;
	snapshot_free(s->snap);
	host_state_view_free(s->view);
	s->snap = snap;
	s->view = view;
	s->source = snap->source;
	s->malformed = snap->stats.malformed;
	s->error[0] = '\0';
	poll_ended(s, 1, end);
	/* back first, then what changed while it was away */
	step_reach(h, i, end);
	collect_changes(h, i, end);
	index_positions(h);
	return 0;
}

int host_state_answered(struct host_states *h, size_t i, const struct cvp_catalog *cat,
                        struct refcount *keep, const struct host_answer *a,
                        const struct host_poll_end *end)
{
	struct cvp_catalog *view = host_state_view(h, i, cat);
	struct cvp_snapshot *snap = view ? host_state_evaluate(view, keep, a) : NULL;
	if (!snap) {
		host_state_view_free(view);
		return -1;
	}
	return host_state_take(h, i, view, snap, end);
}

void host_state_failed(struct host_states *h, size_t i, const char *why,
                       const struct host_poll_end *end)
{
	struct host_state *s = h->v[i];
	h->nev = 0;
	clock_check(h, end->uptime_cs);
	snprintf(s->error, sizeof(s->error), "%s", why);
	poll_ended(s, 0, end);
	if (reserve_events(h, 1) == 0)
		step_reach(h, i, end);
}

struct notify_counters host_state_counters(const struct host_states *h)
{
	struct notify_counters c = h->retired;
	c.sent += h->sent;
	c.suppressed += h->suppressed;
	for (size_t i = 0; i < h->n; i++) {
		struct notify_counters r = notify_counters(h->v[i]->notifier);
		c.sent += r.sent;
		c.suppressed += r.suppressed;
		c.compliance_changes += r.compliance_changes;
	}
	return c;
}

int host_state_overall(const struct host_state *s)
{
	return s->reachable && s->snap ? s->snap->sum.overall : CVP_OVERALL_UNKNOWN;
}

int host_state_stale(const struct host_state *s)
{
	return s->snap && !s->reachable;
}

/* The host whose positions [start[i], start[i + 1]) hold pos. */
static size_t host_of(const struct host_states *h, const size_t *start, size_t pos)
{
	size_t lo = 0, hi = h->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (start[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

const struct host_state *host_state_at_row(const struct host_states *h, size_t pos, size_t *row)
{
	if (!h->n || pos >= h->row_start[h->n])
		return NULL;
	size_t i = host_of(h, h->row_start, pos);
	*row = pos - h->row_start[i];
	return h->v[i];
}

const struct host_state *host_state_at_finding(const struct host_states *h, size_t pos,
                                               size_t *finding)
{
	if (!h->n || pos >= h->finding_start[h->n])
		return NULL;
	size_t i = host_of(h, h->finding_start, pos);
	*finding = pos - h->finding_start[i];
	return h->v[i];
}
