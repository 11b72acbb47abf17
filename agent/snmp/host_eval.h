/* Remote hosts' answers evaluated off net-snmp's thread: one worker thread takes the jobs in
 * order and hands each back on net-snmp's thread (a pipe in the agent's select loop), so that a
 * request to cvpportd never waits while a host at its row limit is judged. */
#ifndef HOST_EVAL_H
#define HOST_EVAL_H

#include "host_state.h"

#include <pthread.h>

struct host_eval_job {
	void *peer; /* the submitter's */
	/* A host known from captures (file:PATH): the worker reads the capture into socks first,
	 * refusing one older than max_age seconds; why says what went wrong ("" when nothing). */
	char path[256];
	unsigned max_age;
	char why[200];
	struct cvp_catalog *view;     /* host_state_view's, taken */
	struct refcount *keep;        /* a reference to the view's settings, dropped with the job */
	struct cvp_socket_list socks; /* taken; freed once evaluated */
	int source;                   /* enum cvp_source */
	unsigned malformed;
	uint16_t eph_low, eph_high;            /* the host's ephemeral range */
	char tables[96], first_malformed[128]; /* for the snapshot (host_walk_scan_tables) */
	struct cvp_snapshot *snap;             /* the result; NULL when out of memory */
	int cancelled;                         /* never evaluated: the evaluator stopped first */
	struct host_eval_job *next;
};

struct host_eval {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct host_eval_job *todo, **todo_tail, *done;
	int pipe[2];
	int running, stop;
	void (*done_fn)(struct host_eval_job *job, void *arg); /* takes the job */
	void *arg;
};

void host_eval_init(struct host_eval *e, void (*done)(struct host_eval_job *job, void *arg),
                    void *arg);
/* Queues job (the worker starts with the first). Returns 0, or -1 when no thread or pipe can
 * be had (the job stays the caller's). */
int host_eval_submit(struct host_eval *e, struct host_eval_job *job)
    __attribute__((warn_unused_result));
/* Frees what a job holds, and the job. */
void host_eval_job_free(struct host_eval_job *job);
/* Stops the worker; every job not handed back yet goes to done now (cancelled when it never
 * ran). */
void host_eval_free(struct host_eval *e);

#endif
