/* The evaluation thread for remote hosts' answers (host_eval.h). */
#include "host_eval.h"
#include "capture.h"
#include "thread.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void host_eval_init(struct host_eval *e, void (*done)(struct host_eval_job *job, void *arg),
                    void *arg)
{
	memset(e, 0, sizeof(*e));
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->wake, NULL);
	e->todo_tail = &e->todo;
	e->pipe[0] = e->pipe[1] = -1;
	e->done_fn = done;
	e->arg = arg;
}

void host_eval_job_free(struct host_eval_job *job)
{
	if (!job)
		return;
	host_state_view_free(job->view);
	snapshot_free(job->snap);
	sock_list_free(&job->socks);
	refcount_put(job->keep);
	free(job);
}

/* The next job, or NULL when told to stop. */
static struct host_eval_job *next_job(struct host_eval *e)
{
	pthread_mutex_lock(&e->lock);
	while (!e->todo && !e->stop)
		pthread_cond_wait(&e->wake, &e->lock);
	struct host_eval_job *j = e->stop ? NULL : e->todo;
	if (j) {
		e->todo = j->next;
		if (!e->todo)
			e->todo_tail = &e->todo;
	}
	pthread_mutex_unlock(&e->lock);
	return j;
}

/* A file: host's capture into j (its sockets, the range netsh gave or its system's, what
 * was read): 0, or -1 with why (unreadable, no capture, older than max_age). */
static int read_capture(struct host_eval_job *j)
{
	struct capture c = {0};
	long long mtime = 0;
	int rc = capture_read_file(j->path + 5, CAPTURE_AUTO, &c, &mtime, j->why, sizeof(j->why));
	long long age = (long long)time(NULL) - mtime;
	if (rc == 0 && age > (long long)j->max_age) {
		snprintf(j->why, sizeof(j->why),
		         "the capture is %lld s old (more than two poll intervals)", age);
		rc = -1;
	}
	if (rc < 0) {
		capture_free(&c);
		return -1;
	}
	j->socks = c.socks;
	j->source = CVP_SOURCE_CAPTURE;
	j->malformed = c.skipped;
	if (!j->eph_high)
		capture_ephemeral_range(&c, &j->eph_low, &j->eph_high);
	snprintf(j->tables, sizeof(j->tables), "%s capture", capture_format_name(c.format));
	if (c.first_skipped)
		snprintf(j->first_malformed, sizeof(j->first_malformed), "line %u",
		         c.first_skipped);
	return 0;
}

static void judge_job(struct host_eval_job *j)
{
	if (j->path[0] && read_capture(j) < 0)
		return;
	const struct host_answer a = {&j->socks,   j->source, j->malformed,      j->eph_low,
	                              j->eph_high, j->tables, j->first_malformed};
	j->snap = host_state_evaluate(j->view, j->keep, &a);
}

static void *worker(void *arg)
{
	struct host_eval *e = arg;
	struct host_eval_job *j;
	while ((j = next_job(e))) {
		judge_job(j);
		sock_list_free(&j->socks); /* the snapshot holds what it needs */
		pthread_mutex_lock(&e->lock);
		j->next = e->done;
		e->done = j;
		pthread_mutex_unlock(&e->lock);
		if (write(e->pipe[1], "", 1) < 0) {
			/* full: a byte already waits, and the reader takes every finished job */
		}
	}
	return NULL;
}

/* Hands every finished job back (on net-snmp's thread). */
static void take_done(int fd, void *arg)
{
	struct host_eval *e = arg;
	char buf[64];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&e->lock);
	struct host_eval_job *j = e->done;
	e->done = NULL;
	pthread_mutex_unlock(&e->lock);
	while (j) {
		struct host_eval_job *next = j->next;
		e->done_fn(j, e->arg);
		j = next;
	}
}

/* The pipe and the thread, at the first job. */
static int start(struct host_eval *e)
{
	if (pipe2(e->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		e->pipe[0] = e->pipe[1] = -1;
		return -1;
	}
	int err = thread_start(&e->thread, worker, e);
	if (err) {
		close(e->pipe[0]);
		close(e->pipe[1]);
		e->pipe[0] = e->pipe[1] = -1;
		return -1;
	}
	register_readfd(e->pipe[0], take_done, e);
	e->running = 1;
	return 0;
}

int host_eval_submit(struct host_eval *e, struct host_eval_job *job)
{
	if (!e->running && start(e) < 0)
		return -1;
	job->next = NULL;
	pthread_mutex_lock(&e->lock);
	*e->todo_tail = job;
	e->todo_tail = &job->next;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
	return 0;
}

void host_eval_free(struct host_eval *e)
{
	if (e->running) {
		pthread_mutex_lock(&e->lock);
		e->stop = 1;
		pthread_cond_signal(&e->wake);
		pthread_mutex_unlock(&e->lock);
		pthread_join(e->thread, NULL);
		unregister_readfd(e->pipe[0]);
		take_done(e->pipe[0], e);
		for (struct host_eval_job *j = e->todo, *next; j; j = next) {
			next = j->next;
			j->cancelled = 1;
			e->done_fn(j, e->arg);
		}
		close(e->pipe[0]);
		close(e->pipe[1]);
	}
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->wake);
	memset(e, 0, sizeof(*e));
}
