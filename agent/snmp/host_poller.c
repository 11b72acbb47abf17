/* The cvpHost hosts, polled in net-snmp's main loop. */
#include "host_poller.h"
#include "monotonic.h"
#include "host_walk.h"
#include "snmp_peer.h"

#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

/* An answer this large (listeners) hands its freed memory back to the system: the walk's
 * sockets and the replaced snapshot, freed on two threads' arenas, would otherwise stay in the
 * process's RSS until the next poll of the same size. */
#define TRIM_LISTENERS 10000

/* One host's session and the poll in progress. */
struct host_peer {
	struct host_poller *owner;
	struct host_state *state;
	netsnmp_session *ss; /* snmp_open's; NULL until the first poll opens it */
	long version;
	struct host_walker walk;
	struct host_scan scan;
	uint64_t started_us, ended_us, next_us;
	int busy, closing;
	int evaluating; /* its answer is on the evaluation thread */
};

static void schedule(struct host_poller *hp);

static void peer_release(void *arg, void *unused)
{
	struct host_peer *p = arg;
	(void)unused;
	p->closing = 1; /* snmp_close calls back for the request in flight: ignored */
	if (p->ss)
		snmp_close(p->ss);
	p->ss = NULL;
	host_walk_scan_free(&p->scan);
	p->state = NULL;
	if (!p->evaluating) /* else freed when the evaluation comes back */
		free(p);
}

static size_t position_of(const struct host_states *h, const struct host_state *s)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i] == s)
			return i;
	return h->n;
}

static struct host_poll_end poll_end(const struct host_peer *p)
{
	uint64_t now = monotonic_us();
	return (struct host_poll_end){
	    .poll_ms = (uint32_t)((p->ended_us - p->started_us) / 1000u),
	    .now_us = now,
	    .uptime_cs = (uint32_t)netsnmp_get_agent_uptime(),
	    .session_up = p->owner->traps && p->owner->traps->session_up,
	};
}

static void send_events(struct host_poller *hp)
{
	if (hp->traps && hp->hosts.nev)
		traps_send_hosts(&hp->hosts, hp->hosts.ev, hp->hosts.nev);
	hp->hosts.nev = 0;
}

/* The poll is over: with the host's evaluated answer (why NULL; view and snap taken), or with
 * why it failed. */
static void conclude(struct host_peer *p, const char *why, struct cvp_catalog *view,
                     struct cvp_snapshot *snap)
{
	struct host_poller *hp = p->owner;
	size_t i = position_of(&hp->hosts, p->state);
	struct host_poll_end end = poll_end(p);

	p->busy = 0;
	if (i == hp->hosts.n) {
		snapshot_free(snap);
		host_state_view_free(view);
		return;
	}
	const struct host_state *s = p->state;
	int was = s->polled ? s->reachable : -1;
	if (!why && host_state_take(&hp->hosts, i, view, snap, &end) < 0)
		why = "out of memory";
	else if (!why && s->malformed) /* one line a poll that finds any */
		snmp_log(LOG_WARNING,
		         "cvpportd: host %s: %u row(s) whose index does not decode skipped (the "
		         "first: %s)\n",
		         s->cfg.name, s->malformed, s->snap->first_malformed);
	if (why) {
		host_state_failed(&hp->hosts, i, why, &end);
		DEBUGMSGTL(("cvpportd/hosts", "%s: %s (%u ms)\n", s->cfg.name, why, end.poll_ms));
	} else {
		DEBUGMSGTL(("cvpportd/hosts", "%s: %zu listeners (%u ms)\n", s->cfg.name,
		            s->snap->nlisteners, end.poll_ms));
	}
	/* the log says when a host goes and comes back, not at every poll */
	if (!s->reachable && was != 0)
		snmp_log(LOG_WARNING, "cvpportd: host %s (%s) unreachable: %s\n", s->cfg.name,
		         s->cfg.address, s->error);
	else if (s->reachable && was != 1)
		snmp_log(LOG_INFO, "cvpportd: host %s (%s) answers\n", s->cfg.name, s->cfg.address);
	send_events(hp);
	schedule(hp);
}

/* An evaluation is back (on this thread). */
static void evaluated(struct host_eval_job *job, void *arg)
{
	struct host_peer *p = job->peer;
	(void)arg;
	p->evaluating = 0;
	if (p->closing) { /* released meanwhile: nobody reads its answer */
		host_eval_job_free(job);
		free(p);
		return;
	}
	if (job->cancelled) {
		p->busy = 0; /* (the poller is going away: nothing to schedule) */
	} else {
		size_t n = job->snap ? job->snap->nlisteners : 0;
		if (job->why[0] || !job->snap) { /* (the job keeps its view: freed with it) */
			conclude(p, job->why[0] ? job->why : "out of memory", NULL, NULL);
		} else {
			conclude(p, NULL, job->view, job->snap);
			job->view = NULL;
			job->snap = NULL;
		}
		if (n >= TRIM_LISTENERS) {
			host_eval_job_free(job);
			malloc_trim(0);
			return;
		}
	}
	host_eval_job_free(job);
}

/* A job for host i's answer, its view and a reference to the settings taken; NULL when out of
 * memory. */
static struct host_eval_job *new_job(struct host_peer *p, size_t i)
{
	struct host_poller *hp = p->owner;
	struct host_eval_job *job = calloc(1, sizeof(*job));
	if (!job || !(job->view = host_state_view(&hp->hosts, i, &hp->settings->cat))) {
		free(job);
		return NULL;
	}
	job->peer = p;
	job->keep = refcount_get(&hp->settings->ref);
	return job;
}

/* The job goes to the evaluation thread; 0, or -1 (the job freed). */
static int submit(struct host_peer *p, struct host_eval_job *job)
{
	if (host_eval_submit(&p->owner->eval, job) < 0) {
		host_eval_job_free(job);
		return -1;
	}
	p->evaluating = 1;
	return 0;
}

/* The walk ends: its sockets go to the evaluation thread (why NULL), or the poll failed. */
static void finish(struct host_peer *p, const char *why)
{
	struct host_poller *hp = p->owner;
	size_t i = position_of(&hp->hosts, p->state);
	struct host_eval_job *job;

	p->ended_us = monotonic_us();
	if (!why && i < hp->hosts.n && (job = new_job(p, i))) {
		job->socks = p->scan.socks;
		job->source = host_walk_scan_source(&p->scan);
		job->malformed = p->scan.malformed;
		host_walk_scan_ephemeral(&p->scan, &hp->settings->hosts, &p->state->cfg,
		                         &job->eph_low, &job->eph_high);
		host_walk_scan_tables(&p->scan, job->tables, sizeof(job->tables));
		memcpy(job->first_malformed, p->scan.first_malformed, sizeof(job->first_malformed));
		memset(&p->scan, 0, sizeof(p->scan));
		if (submit(p, job) == 0)
			return;
	}
	host_walk_scan_free(&p->scan);
	conclude(p, why ? why : "out of memory", NULL, NULL);
}

/* A host known from captures: the newest at its path is read and judged on the evaluation
 * thread, one older than two poll intervals refused. */
static void poll_file(struct host_peer *p, size_t i)
{
	struct host_poller *hp = p->owner;
	const struct host_state *s = p->state;
	struct host_eval_job *job = new_job(p, i);
	p->ended_us = monotonic_us();
	if (job) {
		snprintf(job->path, sizeof(job->path), "%s", s->cfg.address);
		job->max_age = 2 * s->interval;
		host_config_ephemeral(&hp->settings->hosts, &s->cfg, &job->eph_low, &job->eph_high);
		if (submit(p, job) == 0)
			return;
	}
	conclude(p, "out of memory", NULL, NULL);
}

static int send_next(struct host_peer *p)
{
	netsnmp_pdu *pdu = host_walk_request(&p->walk);
	if (!pdu)
		return -1;
	if (!snmp_async_send(p->ss, pdu, NULL, NULL)) { /* the session's callback answers */
		snmp_free_pdu(pdu);
		return -1;
	}
	return 0;
}

/* One deadline for a whole poll: the host's interval, at most HOST_WALK_DEADLINE_MAX. */
static unsigned host_deadline(const struct host_state *s)
{
	return s->interval < HOST_WALK_DEADLINE_MAX ? s->interval : HOST_WALK_DEADLINE_MAX;
}

static int on_answer(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct host_peer *p = magic;
	char why[128];
	(void)sess;
	(void)reqid;

	if (p->closing || !p->busy)
		return 1;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
		finish(p, op == NETSNMP_CALLBACK_OP_TIMED_OUT ? "no answer (timeout)"
		                                              : "the session was closed");
		return 1;
	}
	unsigned deadline = host_deadline(p->state);
	if (monotonic_us() - p->started_us > (uint64_t)deadline * 1000000u) {
		host_walk_deadline_why(deadline, why, sizeof(why));
		finish(p, why);
		return 1;
	}
	int more = host_walk_take(&p->walk, pdu, why, sizeof(why));
	if (more < 0)
		finish(p, why);
	else if (!more)
		finish(p, NULL);
	else if (send_next(p) < 0)
		finish(p, "cannot send the next request");
	return 1;
}

/* Host i of n: a new host's first poll is spread over its first interval, so that the hosts'
 * answers, and their evaluation on this thread, do not all come at once. */
static void start_poll(struct host_poller *hp, size_t i, size_t n, uint64_t now)
{
	struct host_state *s = hp->hosts.v[i];
	struct host_peer *p = s->peer;

	if (!p) {
		if (!(p = calloc(1, sizeof(*p))))
			return;
		p->owner = hp;
		p->state = s;
		p->next_us = now + (uint64_t)s->interval * 1000000u * i / n;
		s->peer = p;
	}
	if (p->busy || now < p->next_us)
		return;
	/* the cadence is kept: the next poll is an interval after this one began */
	p->next_us = now + (uint64_t)s->interval * 1000000u;
	p->started_us = now;
	p->busy = 1;
	memset(&p->scan, 0, sizeof(p->scan));
	if (host_config_is_file(&s->cfg)) {
		poll_file(p, i);
		return;
	}
	if (!p->ss) {
		char why[256];
		p->ss = snmp_peer_open(s->cfg.address, s->cfg.options, on_answer, p, &p->version,
		                       why, sizeof(why));
		if (!p->ss) {
			finish(p, why);
			return;
		}
	}
	host_walk_start(&p->walk, p->version, s->row_limit, &p->scan);
	if (send_next(p) < 0)
		finish(p, "cannot send a request");
}

static void tick(unsigned int reg, void *arg);

/* One alarm, at the moment the next poll is due (a host without a session yet: at once), so
 * that a poll starts on time, not on the next tick of a clock; none while every host is busy
 * (the end of a poll calls this again). */
static void schedule(struct host_poller *hp)
{
	uint64_t now = monotonic_us(), next = UINT64_MAX;
	for (size_t i = 0; i < hp->hosts.n; i++) {
		const struct host_peer *p = hp->hosts.v[i]->peer;
		uint64_t due = !p ? now : p->busy ? UINT64_MAX : p->next_us;
		next = due < next ? due : next;
	}
	if (hp->tick)
		snmp_alarm_unregister(hp->tick);
	hp->tick = 0;
	if (next == UINT64_MAX)
		return;
	uint64_t d = next > now ? next - now : 0;
	struct timeval tv = {.tv_sec = (time_t)(d / 1000000u),
	                     .tv_usec = (suseconds_t)(d % 1000000u)};
	hp->tick = snmp_alarm_register_hr(tv, 0, tick, hp);
}

static void tick(unsigned int reg, void *arg)
{
	struct host_poller *hp = arg;
	uint64_t now = monotonic_us();
	(void)reg;
	hp->tick = 0; /* (a one-shot alarm: fired) */
	for (size_t i = 0; i < hp->hosts.n; i++)
		start_poll(hp, i, hp->hosts.n, now);
	schedule(hp);
}

void host_poller_init(struct host_poller *p, const struct traps *traps)
{
	memset(p, 0, sizeof(*p));
	host_state_init(&p->hosts);
	p->traps = traps;
	host_eval_init(&p->eval, evaluated, p);
}

int host_poller_configure(struct host_poller *p, struct cvp_settings *s)
{
	if (host_state_configure(&p->hosts, &s->hosts, &s->notify, peer_release, NULL) < 0)
		return -1;
	refcount_get(&s->ref);
	if (p->settings)
		refcount_put(&p->settings->ref);
	p->settings = s;
	tick(0, p); /* new hosts' polls are scheduled (the first at once) */
	return 0;
}

void host_poller_free(struct host_poller *p)
{
	host_eval_free(&p->eval); /* (answers still out come back first, and may schedule) */
	if (p->tick)
		snmp_alarm_unregister(p->tick);
	host_state_free(&p->hosts, peer_release, NULL);
	if (p->settings)
		refcount_put(&p->settings->ref);
	memset(p, 0, sizeof(*p));
}
