/* Notification decisions: hold-down, baseline, net change after the master's absence, rate
 * limit. Each step first updates every row and listener and lists what is due (what the NMS
 * was last told differs from what has held for the hold-down), then sends what is due oldest
 * first while the rate limit allows. What the limit holds back stays due: it is sent, with the
 * state current then, as soon as the budget allows, or not at all when the object comes back
 * to what was announced. An object's announced state moves only when a notification is sent,
 * so the last notification of every object ends equal to its state. */
#include "notify.h"
#include "array.h"

#include <stdlib.h>
#include <string.h>

struct row_state {
	char name[CVP_NAME_LEN]; /* the row this state belongs to (indexes survive reloads) */
	uint32_t last_change;    /* TimeStamp of the last announced transition */
	uint16_t held;           /* consecutive scans `candidate` has held */
	uint8_t known;
	uint8_t announced; /* the compliance the NMS was last told (or the baseline) */
	uint8_t candidate; /* the compliance of the latest scans */
	uint8_t due;       /* candidate != announced, held long enough: to be sent */
	uint8_t deferred;  /* due and held back by the rate limit (counted once) */
	uint64_t due_since;
};

struct listener_state {
	struct cvp_listener l;  /* index and last-known values */
	uint16_t present;       /* consecutive scans seen as unexpected */
	uint16_t absent;        /* consecutive scans not seen as unexpected */
	uint8_t announced;      /* cvpPortUnexpectedListener sent, Gone not yet */
	uint8_t quiet;          /* unexpected at the baseline: not announced while it stays */
	uint8_t due;            /* 0, or the enum cvp_notification to be sent */
	uint8_t deferred;       /* due and held back by the rate limit (counted once) */
	uint8_t finding;        /* the finding whose start finding_since is (enum cvp_finding) */
	uint32_t finding_since; /* TimeStamp: when the listener's finding first held */
	uint64_t due_since;
};

/* Something due this step: a row (catalogue position) or a tracked listener (position in ls). */
struct due {
	uint64_t since;
	size_t pos;
	uint8_t listener;
};

struct notifier {
	struct notify_config cfg;
	struct row_state *rows;
	size_t nrows;
	struct listener_state *ls, *next_ls; /* sorted by index; next_ls is the step's scratch */
	size_t nls, capls;
	struct notify_event *ev;
	size_t nev, capev;
	struct due *due;
	size_t ndue, capdue;
	struct notify_rate own_rate, *rate; /* rate: own_rate, or one shared (notify_share_rate) */
	struct notify_counters c;
	unsigned suppressed_pending;
	uint64_t summary_due;
	int started, stepped; /* stepped: since is set */
};

void notify_config_default(struct notify_config *cfg)
{
	cfg->holddown = NOTIFY_HOLDDOWN_DEFAULT;
	cfg->rate_count = NOTIFY_RATE_COUNT_DEFAULT;
	cfg->rate_seconds = NOTIFY_RATE_SECONDS_DEFAULT;
	cfg->on_start = 0;
	cfg->rows_only = 0;
}

int notify_rate_init(struct notify_rate *r, unsigned count, unsigned seconds)
{
	uint64_t *ring = calloc(count ? count : 1, sizeof(*ring));
	if (!ring)
		return -1;
	free(r->sent_at);
	r->sent_at = ring;
	r->cap = count;
	r->pos = r->n = 0;
	r->seconds = seconds;
	return 0;
}

void notify_rate_free(struct notify_rate *r)
{
	free(r->sent_at);
	memset(r, 0, sizeof(*r));
}

struct notifier *notify_new(const struct notify_config *cfg)
{
	struct notifier *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->cfg = *cfg;
	n->rate = &n->own_rate;
	if (notify_rate_init(&n->own_rate, cfg->rate_count, cfg->rate_seconds) < 0) {
		free(n);
		return NULL;
	}
	return n;
}

void notify_free(struct notifier *n)
{
	if (!n)
		return;
	free(n->rows);
	free(n->ls);
	free(n->next_ls);
	free(n->ev);
	free(n->due);
	notify_rate_free(&n->own_rate);
	free(n);
}

void notify_configure(struct notifier *n, const struct notify_config *cfg)
{
	/* A new rate limit starts a new window; when memory is short the old one stays. */
	if (cfg->rate_count != n->cfg.rate_count &&
	    notify_rate_init(&n->own_rate, cfg->rate_count, cfg->rate_seconds) < 0)
		return;
	n->own_rate.seconds = cfg->rate_seconds;
	n->cfg = *cfg;
}

void notify_clock_reset(struct notifier *n)
{
	for (size_t i = 0; i < n->nrows; i++)
		n->rows[i].last_change = 0;
	for (size_t i = 0; i < n->nls; i++)
		n->ls[i].finding_since = 0;
	n->c.since = 0;
}

unsigned notify_take_suppressed_summary(struct notifier *n, uint64_t now_us)
{
	if (!n->suppressed_pending || now_us < n->summary_due)
		return 0;
	unsigned count = n->suppressed_pending;
	n->suppressed_pending = 0;
	return count;
}

int notify_rate_allow(struct notify_rate *r, uint64_t now_us)
{
	uint64_t window = (uint64_t)r->seconds * 1000000u;
	if (!r->cap)
		return 0;
	if (r->n == r->cap) {
		/* full: pos is the oldest send */
		if (now_us - r->sent_at[r->pos] < window)
			return 0;
	} else {
		r->n++;
	}
	r->sent_at[r->pos] = now_us;
	r->pos = (r->pos + 1) % r->cap;
	return 1;
}

void notify_share_rate(struct notifier *n, struct notify_rate *r)
{
	n->rate = r ? r : &n->own_rate;
}

/* Marks a row or listener due (since when it first was), or not due. */
static void set_due(uint8_t *due, uint8_t *deferred, uint64_t *since, uint8_t kind, uint64_t now_us)
{
	if (!kind) {
		*due = *deferred = 0;
		return;
	}
	if (!*due)
		*since = now_us;
	*due = kind;
}

static int grow_rows(struct notifier *n, size_t count)
{
	if (count <= n->nrows)
		return 0;
	struct row_state *v = realloc(n->rows, count * sizeof(*v));
	if (!v)
		return -1;
	memset(v + n->nrows, 0, (count - n->nrows) * sizeof(*v));
	n->rows = v;
	n->nrows = count;
	return 0;
}

static int step_rows(struct notifier *n, const struct cvp_snapshot *s, int session_up,
                     uint64_t now_us)
{
	const struct cvp_catalog *cat = s->cat;
	if (grow_rows(n, cat->n) < 0)
		return -1;
	for (size_t i = 0; i < cat->n; i++) {
		struct row_state *st = &n->rows[i];
		const struct cvp_row *row = &cat->rows[i];
		uint8_t cur = s->rows[i].compliance;

		if (row->removed) {
			/* A row gone (its index stays its name's): notApplicable. The NMS is told
			 * only if it was told of a violation (the closing notification); the state
			 * stays, so that the row coming back is compared with what was said. */
			if (!st->known || strcmp(st->name, row->name) != 0) {
				memset(st, 0, sizeof(*st));
				continue;
			}
			st->candidate = CVP_NOT_APPLICABLE;
			int closing =
			    st->announced != CVP_COMPLIANT && st->announced != CVP_NOT_APPLICABLE;
			set_due(&st->due, &st->deferred, &st->due_since,
			        session_up && closing ? NOTIFY_COMPLIANCE_CHANGE : 0, now_us);
			if (st->due)
				n->due[n->ndue++] = (struct due){.since = st->due_since, .pos = i};
			continue;
		}
		if (!s->scan_ok)
			continue; /* a failed scan carries the last rows: nothing to learn from them
			           */
		if (!st->known || strcmp(st->name, row->name) != 0) {
			/* A row seen for the first time is the baseline; with cvpTrapOnStart, what
			 * is wrong at the first scan is announced. */
			memset(st, 0, sizeof(*st));
			memcpy(st->name, row->name, sizeof(st->name));
			st->known = 1;
			st->announced = cur;
			if (!n->started && n->cfg.on_start && cur != CVP_NOT_APPLICABLE)
				st->announced = CVP_COMPLIANT;
			st->candidate = cur;
			st->held = 1;
		} else {
			if (cur == st->candidate) {
				if (st->held < UINT16_MAX)
					st->held++;
			} else {
				st->candidate = cur;
				st->held = 1;
			}
		}
		int due =
		    session_up && st->candidate != st->announced && st->held >= n->cfg.holddown;
		set_due(&st->due, &st->deferred, &st->due_since, due ? NOTIFY_COMPLIANCE_CHANGE : 0,
		        now_us);
		if (st->due)
			n->due[n->ndue++] = (struct due){.since = st->due_since, .pos = i};
	}
	return 0;
}

/* Updates one tracked listener with what this scan says of it (cur NULL: not listed) and
 * marks due what has held long enough. Returns whether it is still worth tracking. */
static int step_listener(struct notifier *n, struct listener_state *t,
                         const struct cvp_listener *cur, int session_up, uint64_t now_us,
                         uint32_t uptime_cs)
{
	/* When its finding began (cvpFindingSince): kept while the kind stays. */
	uint8_t finding = cur ? cur->finding : CVP_FINDING_NONE;
	if (finding != t->finding)
		t->finding_since = uptime_cs;
	t->finding = finding;
	int unexpected = cur && cur->class == CVP_CLASS_UNEXPECTED;
	if (cur)
		t->l = *cur; /* the latest values; a closed listener keeps its last ones */
	if (unexpected) {
		t->absent = 0;
		if (t->present < UINT16_MAX)
			t->present++;
	} else {
		t->present = 0;
		if (t->absent < UINT16_MAX)
			t->absent++;
		t->quiet = 0;
	}
	uint8_t kind = 0;
	if (n->cfg.rows_only)
		; /* rows only: the listener is tracked for its finding's start */
	else if (session_up && !t->announced && !t->quiet && t->present >= n->cfg.holddown)
		kind = NOTIFY_UNEXPECTED_LISTENER;
	else if (session_up && t->announced && t->absent >= n->cfg.holddown)
		kind = NOTIFY_UNEXPECTED_LISTENER_GONE;
	set_due(&t->due, &t->deferred, &t->due_since, kind, now_us);
	return t->announced || unexpected || finding != CVP_FINDING_NONE;
}

static int step_listeners(struct notifier *n, const struct cvp_snapshot *s, int session_up,
                          uint64_t now_us, uint32_t uptime_cs)
{
	size_t need = n->nls + s->nlisteners, out = 0, a = 0, b = 0;

	if (need > n->capls) {
		struct listener_state *v1 = realloc(n->ls, need * sizeof(*v1));
		if (!v1)
			return -1;
		n->ls = v1;
		struct listener_state *v2 = realloc(n->next_ls, need * sizeof(*v2));
		if (!v2)
			return -1;
		n->next_ls = v2;
		n->capls = need;
	}
	/* Both lists are in index order: merge them. */
	while (a < n->nls || b < s->nlisteners) {
		const struct cvp_listener *cur = b < s->nlisteners ? &s->listeners[b] : NULL;
		int c = a == n->nls ? 1 : !cur ? -1 : evaluate_listener_cmp(&n->ls[a].l, cur);
		struct listener_state t;
		if (c <= 0) {
			t = n->ls[a++];
		} else {
			if (cur->class != CVP_CLASS_UNEXPECTED &&
			    cur->finding == CVP_FINDING_NONE) {
				b++;
				continue; /* nothing to track */
			}
			memset(&t, 0, sizeof(t));
			t.quiet = !n->started && !n->cfg.on_start; /* the baseline */
		}
		if (c >= 0)
			b++;
		if (step_listener(n, &t, c >= 0 ? cur : NULL, session_up, now_us, uptime_cs)) {
			if (t.due)
				n->due[n->ndue++] =
				    (struct due){.since = t.due_since, .pos = out, .listener = 1};
			n->next_ls[out++] = t;
		}
	}
	struct listener_state *swap = n->ls;
	n->ls = n->next_ls;
	n->next_ls = swap;
	n->nls = out;
	return 0;
}

/* Oldest first; then rows before listeners, each in index order (the order they were listed). */
static int due_cmp(const void *pa, const void *pb)
{
	const struct due *a = pa, *b = pb;
	if (a->since != b->since)
		return a->since < b->since ? -1 : 1;
	if (a->listener != b->listener)
		return a->listener - b->listener;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Sends what is due while the rate limit allows; the rest stays due, counted once as held back
 * by the limit. */
static void dispatch(struct notifier *n, uint64_t now_us, uint32_t uptime_cs)
{
	if (n->ndue > 1)
		qsort(n->due, n->ndue, sizeof(*n->due), due_cmp);
	for (size_t k = 0; k < n->ndue; k++) {
		const struct due *d = &n->due[k];
		struct row_state *rs = d->listener ? NULL : &n->rows[d->pos];
		struct listener_state *ls = d->listener ? &n->ls[d->pos] : NULL;
		uint8_t *deferred = rs ? &rs->deferred : &ls->deferred;
		if (!notify_rate_allow(n->rate, now_us)) {
			if (!*deferred) {
				*deferred = 1;
				n->c.suppressed++;
				if (!n->suppressed_pending++)
					n->summary_due =
					    now_us + (uint64_t)n->cfg.rate_seconds * 1000000u;
			}
			continue;
		}
		struct notify_event *e = &n->ev[n->nev++];
		memset(e, 0, sizeof(*e));
		n->c.sent++;
		if (rs) {
			e->kind = NOTIFY_COMPLIANCE_CHANGE;
			e->row = (uint32_t)d->pos;
			rs->announced = rs->candidate;
			rs->last_change = uptime_cs;
			rs->due = rs->deferred = 0;
			n->c.compliance_changes++;
		} else {
			e->kind = ls->due;
			e->listener = ls->l;
			ls->announced = ls->due == NOTIFY_UNEXPECTED_LISTENER;
			ls->due = ls->deferred = 0;
		}
	}
}

int notify_step(struct notifier *n, const struct cvp_snapshot *s, int session_up, uint64_t now_us,
                uint32_t uptime_cs, const struct notify_event **ev, size_t *nev)
{
	int rc = 0;
	n->nev = n->ndue = 0;
	if (!n->stepped) {
		n->stepped = 1;
		n->c.since = uptime_cs;
	}
	/* Everything may be due at once: room for it before anything changes. */
	size_t most = s->cat->n + n->nls + s->nlisteners;
	if (array_reserve((void **)&n->due, &n->capdue, most, sizeof(*n->due)) < 0 ||
	    array_reserve((void **)&n->ev, &n->capev, most, sizeof(*n->ev)) < 0 ||
	    step_rows(n, s, session_up, now_us) < 0 ||
	    (s->scan_ok && step_listeners(n, s, session_up, now_us, uptime_cs) < 0)) {
		rc = -1;
		n->ndue = 0; /* nothing decided: found again at the next step */
	}
	dispatch(n, now_us, uptime_cs);
	if (s->scan_ok && !rc)
		n->started = 1;
	*ev = n->ev;
	*nev = n->nev;
	return rc;
}

uint32_t notify_row_last_change(const struct notifier *n, size_t pos)
{
	return n && pos < n->nrows && n->rows[pos].known ? n->rows[pos].last_change : 0;
}

struct notify_counters notify_counters(const struct notifier *n)
{
	static const struct notify_counters none;
	return n ? n->c : none;
}

uint32_t notify_finding_since(const struct notifier *n, const struct cvp_listener *l)
{
	if (!n || !n->nls)
		return 0;
	const struct listener_state *t =
	    bsearch(l, n->ls, n->nls, sizeof(*n->ls), evaluate_listener_cmp);
	return t && t->finding == l->finding ? t->finding_since : 0;
}
