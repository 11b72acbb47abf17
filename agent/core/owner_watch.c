/* Owners re-checked: pidfds polled, readlinks, the sweep; facts read once per process. */
#include "owner_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What became of an owning process this refresh. */
enum proc_fate { PROC_UNWATCHED = 0, PROC_WATCHED, PROC_EXITED };

/* An owning process, its pidfd (-1: none) and its facts as read this refresh (read: 0 not
 * yet, 1 read, -1 could not be read). */
struct owner_watch_proc {
	uint32_t pid;
	int pidfd;
	int fate; /* enum proc_fate */
	int read;
	struct cvp_proc_facts facts;
};

void owner_watch_init(struct owner_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->pidfd_works = -1;
}

static void close_procs(struct owner_watch_proc *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].pidfd >= 0)
			close(p[i].pidfd);
}

void owner_watch_free(struct owner_watch *w)
{
	close_procs(w->procs, w->nprocs);
	free(w->procs);
	w->procs = NULL;
	w->nprocs = 0;
}

static int proc_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct owner_watch_proc *)a)->pid;
	uint32_t y = ((const struct owner_watch_proc *)b)->pid;
	return x < y ? -1 : x > y;
}

static struct owner_watch_proc *proc_find(struct owner_watch_proc *p, size_t n, uint32_t pid)
{
	struct owner_watch_proc key = {.pid = pid};
	return n ? bsearch(&key, p, n, sizeof(key), proc_cmp) : NULL;
}

static int pidfd_open_(uint32_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/* Whether fd o->fd of process o->pid still is socket:[inode]: one readlink. */
static int still_owner(const struct cvp_proc_root *r, const struct cvp_owner *o)
{
	char path[PATH_MAX], link[64], want[64];
	snprintf(path, sizeof(path), "%s/%u/fd/%d", r->path, o->pid, o->fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	snprintf(want, sizeof(want), "socket:[%llu]", (unsigned long long)o->inode);
	return strcmp(link, want) == 0;
}

/* Replaces w->procs by the distinct pids of the known owners, sorted, each with the pidfd it
 * had (or -1). Returns -1 when out of memory (w->procs unchanged). */
static int list_procs(struct owner_watch *w, const struct cvp_owner *v, size_t n)
{
	size_t k = 0, u = 0;
	struct owner_watch_proc *p = NULL;

	for (size_t i = 0; i < n; i++)
		k += owner_known(&v[i]);
	if (k && !(p = malloc(k * sizeof(*p))))
		return -1;
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (owner_known(&v[i]))
			p[k++] = (struct owner_watch_proc){.pid = v[i].pid, .pidfd = -1};
	if (k > 1)
		qsort(p, k, sizeof(*p), proc_cmp);
	for (size_t i = 0; i < k; i++)
		if (u == 0 || p[u - 1].pid != p[i].pid)
			p[u++] = p[i];
	/* Keep the pidfds of processes still owning something; close the others'. */
	for (size_t i = 0, j = 0; i < w->nprocs; i++) {
		while (j < u && p[j].pid < w->procs[i].pid)
			j++;
		if (j < u && p[j].pid == w->procs[i].pid)
			p[j].pidfd = w->procs[i].pidfd;
		else if (w->procs[i].pidfd >= 0)
			close(w->procs[i].pidfd);
	}
	free(w->procs);
	w->procs = p;
	w->nprocs = u;
	return 0;
}

/* Opens the pidfds not open yet, where pids here are this namespace's. */
static void open_pidfds(struct owner_watch *w, const struct cvp_proc_root *r,
                        struct owner_watch_stats *st)
{
	if (!r->own || w->pidfd_works == 0)
		return;
	for (size_t i = 0; i < w->nprocs && w->pidfd_works != 0; i++) {
		struct owner_watch_proc *p = &w->procs[i];
		if (p->pidfd >= 0)
			continue;
		p->pidfd = pidfd_open_(p->pid);
		if (p->pidfd >= 0) {
			w->pidfd_works = 1;
			fcntl(p->pidfd, F_SETFD, FD_CLOEXEC);
		} else if (errno == ENOSYS || errno == EPERM || errno == EINVAL) {
			w->pidfd_works = 0; /* not on this kernel, or filtered */
		} else if (errno == EMFILE || errno == ENFILE) {
			st->fd_short++; /* re-read by readlink this time */
		}
		/* ESRCH: exited already; the readlink finds that */
	}
}

/* One poll() for every pidfd: the fate of each watched process. Returns -1 when out of
 * memory. */
static int poll_pidfds(struct owner_watch *w, struct owner_watch_stats *st)
{
	size_t npoll = 0;
	struct pollfd *pfd;

	for (size_t i = 0; i < w->nprocs; i++)
		npoll += w->procs[i].pidfd >= 0;
	st->watched = (unsigned)npoll;
	if (!npoll)
		return 0;
	if (!(pfd = malloc(npoll * sizeof(*pfd))))
		return -1;
	npoll = 0;
	for (size_t i = 0; i < w->nprocs; i++)
		if (w->procs[i].pidfd >= 0)
			pfd[npoll++] = (struct pollfd){.fd = w->procs[i].pidfd, .events = POLLIN};
	if (poll(pfd, npoll, 0) < 0)
		for (size_t i = 0; i < npoll; i++)
			pfd[i].revents = POLLIN; /* cannot tell: re-read them all */
	npoll = 0;
	for (size_t i = 0; i < w->nprocs; i++) {
		struct owner_watch_proc *p = &w->procs[i];
		if (p->pidfd < 0)
			continue;
		p->fate = PROC_WATCHED;
		if (pfd[npoll++].revents) {
			close(p->pidfd);
			p->pidfd = -1;
			p->fate = PROC_EXITED;
			st->exited++;
		}
	}
	free(pfd);
	return 0;
}

/* Re-reads a few cached owners of watched processes (those are not re-read otherwise): a
 * socket passed to another process, or closed by its owner while a child keeps it, is noticed
 * within 16 refreshes (n / CVP_ATTR_SWEEP_MAX for more than about a thousand). */
static void sweep(struct owner_watch *w, const struct cvp_proc_root *r, struct cvp_owner *v,
                  size_t n, struct owner_watch_stats *st)
{
	size_t budget = n / 16 + 1;
	if (budget > CVP_ATTR_SWEEP_MAX)
		budget = CVP_ATTR_SWEEP_MAX;
	for (size_t seen = 0; seen < n && budget; seen++) {
		struct cvp_owner *o = &v[w->sweep++ % n];
		if (!owner_known(o))
			continue;
		const struct owner_watch_proc *p = proc_find(w->procs, w->nprocs, o->pid);
		if (!p || p->pidfd < 0)
			continue;
		budget--;
		st->rechecks++;
		if (!still_owner(r, o))
			owner_lost(o);
	}
	if (n)
		w->sweep %= n;
}

int owner_watch_run(struct owner_watch *w, const struct cvp_proc_root *root, struct cvp_owner *v,
                    size_t n, struct owner_watch_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (list_procs(w, v, n) < 0)
		return -1;
	open_pidfds(w, root, st);
	if (poll_pidfds(w, st) < 0)
		return -1;

	for (size_t j = 0; j < n; j++) {
		struct cvp_owner *o = &v[j];
		if (!owner_known(o))
			continue;
		struct owner_watch_proc *q = proc_find(w->procs, w->nprocs, o->pid);
		if (q && q->fate == PROC_EXITED) {
			owner_lost(o);
			continue;
		}
		/* Watched and alive: the sweep re-reads a few of its sockets. Else one readlink. */
		if (!(q && q->fate == PROC_WATCHED)) {
			st->rechecks++;
			if (!still_owner(root, o)) {
				owner_lost(o);
				continue;
			}
		}
		/* The facts of each owning process, read once per refresh for all its sockets. */
		if (q && !q->read)
			q->read = owner_read_facts(root, q->pid, &q->facts) < 0 ? -1 : 1;
		if (q && q->read > 0) /* else gone since: the next refresh says so */
			o->facts = q->facts;
	}
	sweep(w, root, v, n, st);
	return 0;
}
