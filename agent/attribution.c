/* inode -> (pid, comm), cached across refreshes; the budgeted, resumable /proc walk. */
#include "attribution.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define UNKNOWN UINT32_MAX       /* owner not found (yet) */
#define EXITED -2                /* a watched process found exited (struct proc's pidfd) */
#define PROC_SUPER_MAGIC_ 0x9fa0 /* linux/magic.h */

/* What a process is: its name (escaped) and its real and effective uid (CVP_UID_UNKNOWN when
 * /proc/PID/status could not be read). Re-read at every refresh, so exec, a rename and setuid
 * are seen at the next one. */
struct facts {
	char comm[CVP_PNAME_LEN];
	uint32_t ruid, euid;
};

struct owner {
	uint64_t inode;
	uint64_t retry_at; /* not found, or kernel-owned: looked for again from then on */
	uint32_t pid;      /* UNKNOWN, 0 (kernel-owned), or the owner */
	int fd;            /* the descriptor that holds it in pid */
	uint8_t attempts;  /* complete walks that did not find it (back-off) */
	uint8_t misses;    /* ... of which could look everywhere (kernel-owned after enough) */
	uint8_t in_walk;   /* wanted when the walk in progress started */
	uint8_t pid1;      /* held by pid 1; kept unless another process holds it too */
	uint8_t udp;
	uint8_t reseek; /* kernel-owned, looked for again: still reported as held by none */
	struct facts facts;
};

/* An owning process watched through a pidfd (-1: none, re-checked by readlink), and its facts
 * as read this refresh (read: 0 not yet, 1 read, -1 could not be read). */
struct proc {
	uint32_t pid;
	int pidfd;
	int read;
	struct facts facts;
};

struct cvp_owner_cache {
	struct owner *v; /* sorted by inode */
	size_t n;
	struct proc *procs; /* sorted by pid */
	size_t nprocs;
	int pidfd_works; /* -1 not tried, 0 not here (ENOSYS, EPERM), 1 yes */
	size_t sweep;    /* position of the sweep's next entry */

	/* The walk in progress: the pids listed when it started and how far it got. */
	uint32_t *pids;
	size_t npids, pos;
	int walking, inconclusive; /* inconclusive: met EMFILE or unreadable directories */
	int walked;
	uint64_t last_walk_us;

	/* The budget. */
	unsigned rate, burst;
	int64_t units; /* CPU microseconds in hand */
	uint64_t units_at;
	int units_init;
	uint64_t (*cpu_us)(void);
	unsigned tails; /* passes over processes started since the walk began */
	int procfs;     /* -1 not known yet, 1 the root is a procfs mount, 0 a fixture tree */
};

static uint64_t thread_cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct cvp_owner_cache *attribution_new(void)
{
	struct cvp_owner_cache *c = calloc(1, sizeof(*c));
	if (c) {
		c->pidfd_works = -1;
		c->rate = CVP_ATTR_WALK_US_PER_S;
		c->burst = CVP_ATTR_WALK_BURST_US;
		c->cpu_us = thread_cpu_us;
		c->procfs = -1;
	}
	return c;
}

static void close_procs(struct proc *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].pidfd >= 0)
			close(p[i].pidfd);
}

void attribution_free(struct cvp_owner_cache *c)
{
	if (c) {
		close_procs(c->procs, c->nprocs);
		free(c->procs);
		free(c->pids);
		free(c->v);
		free(c);
	}
}

void attribution_set_walk_budget(struct cvp_owner_cache *c, unsigned per_second, unsigned burst,
                                 uint64_t (*cpu_us)(void))
{
	c->rate = per_second;
	c->burst = burst;
	c->cpu_us = cpu_us ? cpu_us : thread_cpu_us;
	c->units_init = 0;
}

static int owner_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct owner *)a)->inode, y = ((const struct owner *)b)->inode;
	return x < y ? -1 : x > y;
}

static struct owner *find(struct owner *v, size_t n, uint64_t inode)
{
	struct owner key = {.inode = inode};
	return n ? bsearch(&key, v, n, sizeof(*v), owner_cmp) : NULL;
}

/* Found, and final (pid 1 is final only once no other holder can turn up). */
static int known(const struct owner *o)
{
	return o->pid != UNKNOWN && o->pid != 0 && !o->pid1;
}

/* To be looked for again (its owner exited, or no longer holds it). */
static void lost(struct owner *o)
{
	o->pid = UNKNOWN;
	o->retry_at = 0;
	o->attempts = o->misses = 0;
	o->pid1 = 0;
	o->reseek = 0;
	o->facts.comm[0] = '\0';
}

/* Whether fd o->fd of process o->pid still is socket:[inode]: one readlink. */
static int still_owner(const char *proc_root, const struct owner *o)
{
	char path[PATH_MAX], link[64], want[64];
	snprintf(path, sizeof(path), "%s/%u/fd/%d", proc_root, o->pid, o->fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	snprintf(want, sizeof(want), "socket:[%llu]", (unsigned long long)o->inode);
	return strcmp(link, want) == 0;
}

static int proc_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct proc *)a)->pid, y = ((const struct proc *)b)->pid;
	return x < y ? -1 : x > y;
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

/* The owning processes: each watched through a pidfd where the live /proc allows it, one
 * poll() for all; the sockets of those that exited are lost. The others' sockets are re-read
 * one by one. Returns -1 when out of memory. */
static int read_facts(const char *proc_root, uint32_t pid, struct facts *f);

static int check_processes(struct cvp_owner_cache *c, const char *proc_root,
                           struct cvp_attribution_stats *st)
{
	size_t k = 0;
	struct proc *p = NULL;
	struct pollfd *pfd = NULL;
	int live = strcmp(proc_root, "/proc") == 0 && c->pidfd_works != 0;

	for (size_t i = 0; i < c->n; i++)
		k += known(&c->v[i]);
	if (k && !(p = malloc(k * sizeof(*p))))
		return -1;
	k = 0;
	for (size_t i = 0; i < c->n; i++)
		if (known(&c->v[i]))
			p[k++] = (struct proc){.pid = c->v[i].pid, .pidfd = -1};
	if (k > 1)
		qsort(p, k, sizeof(*p), proc_cmp);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || p[u - 1].pid != p[i].pid)
			p[u++] = p[i];
	k = u;

	/* Keep the pidfds of processes still owning something; open the new ones. */
	for (size_t i = 0, j = 0; i < c->nprocs; i++) {
		while (j < k && p[j].pid < c->procs[i].pid)
			j++;
		if (j < k && p[j].pid == c->procs[i].pid) {
			p[j].pidfd = c->procs[i].pidfd;
		} else if (c->procs[i].pidfd >= 0) {
			close(c->procs[i].pidfd);
		}
	}
	free(c->procs);
	c->procs = p;
	c->nprocs = k;
	size_t npoll = 0;
	for (size_t i = 0; i < k; i++) {
		if (p[i].pidfd < 0 && live && c->pidfd_works != 0) {
			p[i].pidfd = pidfd_open_(p[i].pid);
			if (p[i].pidfd >= 0) {
				c->pidfd_works = 1;
				fcntl(p[i].pidfd, F_SETFD, FD_CLOEXEC);
			} else if (errno == ENOSYS || errno == EPERM || errno == EINVAL) {
				c->pidfd_works = 0; /* not on this kernel, or filtered */
			} else if (errno == EMFILE || errno == ENFILE) {
				st->fd_short++; /* re-read by readlink this time */
			}
			/* ESRCH: exited already; the readlink below finds that */
		}
		npoll += p[i].pidfd >= 0;
	}
	if (npoll && !(pfd = malloc(npoll * sizeof(*pfd))))
		return -1;
	npoll = 0;
	for (size_t i = 0; i < k; i++)
		if (p[i].pidfd >= 0)
			pfd[npoll++] = (struct pollfd){.fd = p[i].pidfd, .events = POLLIN};
	if (npoll && poll(pfd, npoll, 0) < 0)
		for (size_t i = 0; i < npoll; i++)
			pfd[i].revents = POLLIN; /* cannot tell: re-read them all */
	st->watched = (unsigned)npoll;

	/* What became of each process: alive (watched), exited, or to be re-read. */
	npoll = 0;
	for (size_t i = 0; i < k; i++) {
		if (p[i].pidfd < 0)
			continue;
		if (pfd[npoll++].revents) {
			close(p[i].pidfd);
			p[i].pidfd = EXITED;
			st->exited++;
		}
	}
	for (size_t j = 0; j < c->n; j++) {
		struct owner *o = &c->v[j];
		if (!known(o))
			continue;
		struct proc key = {.pid = o->pid};
		struct proc *q = bsearch(&key, p, k, sizeof(key), proc_cmp);
		if (q && q->pidfd == EXITED) {
			lost(o);
			continue;
		}
		/* Watched and alive: the sweep re-reads a few of its sockets. Else one readlink. */
		if (!(q && q->pidfd >= 0)) {
			st->rechecks++;
			if (!still_owner(proc_root, o)) {
				lost(o);
				continue;
			}
		}
		/* The facts of each owning process, read once per refresh for all its sockets. */
		if (q && !q->read)
			q->read = read_facts(proc_root, q->pid, &q->facts) < 0 ? -1 : 1;
		if (q && q->read > 0) /* else gone since: the next refresh says so */
			o->facts = q->facts;
	}
	for (size_t i = 0; i < k; i++)
		if (p[i].pidfd == EXITED)
			p[i].pidfd = -1;
	free(pfd);
	return 0;
}

/* Whether process pid is watched through a pidfd. */
static int watched(const struct cvp_owner_cache *c, uint32_t pid)
{
	struct proc key = {.pid = pid};
	const struct proc *p =
	    c->nprocs ? bsearch(&key, c->procs, c->nprocs, sizeof(key), proc_cmp) : NULL;
	return p && p->pidfd >= 0;
}

/* Re-reads a few cached owners of watched processes (those are not re-read otherwise): a
 * socket passed to another process, or closed by its owner while a child keeps it, is noticed
 * within 16 refreshes (n / CVP_ATTR_SWEEP_MAX for more than about a thousand). */
static void sweep(struct cvp_owner_cache *c, const char *proc_root,
                  struct cvp_attribution_stats *st)
{
	size_t budget = c->n / 16 + 1;
	if (budget > CVP_ATTR_SWEEP_MAX)
		budget = CVP_ATTR_SWEEP_MAX;
	for (size_t seen = 0; seen < c->n && budget; seen++) {
		struct owner *o = &c->v[c->sweep++ % c->n];
		if (!known(o) || !watched(c, o->pid))
			continue;
		budget--;
		st->rechecks++;
		if (!still_owner(proc_root, o))
			lost(o);
	}
	if (c->n)
		c->sweep %= c->n;
}

/* Reads at most len - 1 bytes of PROC_ROOT/PID/NAME; returns the count, or -1. */
static ssize_t read_proc_file(const char *proc_root, uint32_t pid, const char *name, char *buf,
                              size_t len)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%u/%s", proc_root, pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The real and effective uid from the "Uid:" line of /proc/PID/status. */
static void parse_uids(const char *status, struct facts *f)
{
	const char *u = strstr(status, "\nUid:");
	unsigned long r, e;
	if (u && sscanf(u + 5, "%lu %lu", &r, &e) == 2 && r < UINT32_MAX && e < UINT32_MAX) {
		f->ruid = (uint32_t)r;
		f->euid = (uint32_t)e;
	}
}

/* The process's facts; returns -1 when it is gone (its name cannot be read). */
static int read_facts(const char *proc_root, uint32_t pid, struct facts *f)
{
	char raw[CVP_COMM_LEN + 2], status[2048]; /* the Uid line is within the first 1 KiB */
	f->comm[0] = '\0';
	f->ruid = f->euid = CVP_UID_UNKNOWN;
	ssize_t n = read_proc_file(proc_root, pid, "comm", raw, sizeof(raw));
	if (n <= 0)
		return -1;
	/* Only the last newline is the kernel's: a name may hold newlines of its own. */
	if (raw[n - 1] == '\n')
		n--;
	text_escape(raw, (size_t)n, f->comm, sizeof(f->comm));
	if (read_proc_file(proc_root, pid, "status", status, sizeof(status)) > 0)
		parse_uids(status, f);
	return 0;
}

static int pid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Numeric entries of proc_root, ascending, so that "lowest pid" is found first. */
static uint32_t *list_pids(const char *proc_root, size_t *n)
{
	DIR *d = opendir(proc_root);
	uint32_t *v = NULL;
	size_t cap = 0;
	struct dirent *e;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(e->d_name, &end, 10);
		if (*end || e->d_name[0] < '1' || e->d_name[0] > '9' || pid > UINT32_MAX)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			uint32_t *nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[(*n)++] = (uint32_t)pid;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), pid_cmp);
	return v;
}

/* Entries the walk looks for: not found, or held by pid 1 only so far. */
static size_t searched(const struct cvp_owner_cache *c)
{
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++)
		k += c->v[i].pid == UNKNOWN || c->v[i].pid1;
	return k;
}

/* The walk has gone past every process it listed: those started since are visited too (the
 * new holder of a listener, often), a few passes at most. Returns whether there are any. */
static int walk_tail(struct cvp_owner_cache *c, const char *proc_root)
{
	size_t n, k = 0;
	if (c->tails >= CVP_ATTR_TAIL_PASSES || !c->npids)
		return 0;
	uint32_t last = c->pids[c->npids - 1];
	uint32_t *v = list_pids(proc_root, &n);
	c->tails++;
	if (!v)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] > last)
			v[k++] = v[i];
	if (!k) {
		free(v);
		return 0;
	}
	free(c->pids);
	c->pids = v;
	c->npids = k;
	c->pos = 0;
	return 1;
}

/* Walks on from c->pos while the budget lasts and something is looked for. */
static void walk_slice(struct cvp_owner_cache *c, const char *proc_root,
                       struct cvp_attribution_stats *st)
{
	char path[PATH_MAX], link[64];
	size_t left = searched(c);
	uint64_t t0 = c->cpu_us(), t = t0;

	st->walks++;
	for (;; c->pos++) {
		if (!left || c->units <= 0 || c->pos >= c->npids)
			break;
		uint32_t pid = c->pids[c->pos];
		snprintf(path, sizeof(path), "%s/%u/fd", proc_root, pid);
		DIR *d = opendir(path);
		if (!d) {
			if (errno == EACCES || errno == EPERM) {
				st->denied++;
				c->inconclusive = 1;
			} else if (errno == EMFILE || errno == ENFILE) {
				st->fd_short++; /* not "not found": the walk is incomplete */
				c->inconclusive = 1;
			}
		} else {
			struct dirent *e;
			while (left && (e = readdir(d))) {
				if (e->d_name[0] == '.')
					continue;
				ssize_t len =
				    readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
				if (len < 9 || memcmp(link, "socket:[", 8) != 0)
					continue;
				link[len] = '\0';
				struct owner *o = find(c->v, c->n, strtoull(link + 8, NULL, 10));
				if (!o || !(o->pid == UNKNOWN || o->pid1))
					continue;
				o->fd = atoi(e->d_name);
				if (pid == 1) {
					if (o->pid == UNKNOWN) {
						o->pid = 1;
						o->pid1 =
						    1; /* unless another process holds it too */
						o->reseek = 0;
						read_facts(proc_root, 1, &o->facts);
					}
					continue;
				}
				o->pid = pid;
				o->pid1 = 0;
				o->reseek = 0;
				read_facts(proc_root, pid, &o->facts);
				left--;
			}
			closedir(d);
		}
		/* Charged process by process: one process is the smallest piece of a walk. */
		uint64_t now = c->cpu_us();
		c->units -= (int64_t)(now - t);
		t = now;
	}
	st->walk_us = (unsigned)(t - t0);
}

/* The walk is over: what it did not find is looked for again later, with back-off, and taken
 * as kernel-owned only after enough complete walks that could look everywhere. */
static void walk_end(struct cvp_owner_cache *c, uint64_t now_us, struct cvp_attribution_stats *st)
{
	for (size_t i = 0; i < c->n; i++) {
		struct owner *o = &c->v[i];
		if (o->pid1 && c->pos >= c->npids)
			o->pid1 = 0; /* nobody else holds it: pid 1's */
		if (o->pid == UNKNOWN && o->in_walk) {
			if (o->attempts < 31)
				o->attempts++;
			if (!c->inconclusive)
				o->misses++;
			uint64_t backoff = 1000000ull << (o->attempts - 1);
			if (backoff > CVP_ATTR_BACKOFF_MAX_US)
				backoff = CVP_ATTR_BACKOFF_MAX_US;
			o->retry_at = now_us + backoff;
			if (o->misses >= CVP_ATTR_KERNEL_AFTER) {
				o->pid = 0; /* no process holds it */
				o->reseek = 0;
				o->retry_at = now_us + CVP_ATTR_KERNEL_RECHECK_US;
			}
		}
		o->in_walk = 0;
	}
	free(c->pids);
	c->pids = NULL;
	c->npids = c->pos = 0;
	c->walking = 0;
	st->walk_done = 1;
}

static int wanted(const struct owner *o, uint64_t now_us)
{
	return o->pid == UNKNOWN && o->retry_at <= now_us;
}

/* A new TCP listener is always looked for at once. New UDP sockets come and go with traffic
 * (RTP, for one), so they start a walk at most once per CVP_UDP_WALK_INTERVAL_US. */
static int walk_due(const struct cvp_owner_cache *c, uint64_t now_us)
{
	int udp = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (!wanted(&c->v[i], now_us))
			continue;
		if (!c->v[i].udp)
			return 1;
		udp = 1;
	}
	return udp && (!c->walked || now_us - c->last_walk_us >= CVP_UDP_WALK_INTERVAL_US);
}

/* A procfs that does not show pid 1 hides other users' processes (hidepid): a walk over it
 * cannot conclude that nobody holds a socket. */
static int blind(struct cvp_owner_cache *c, const char *proc_root)
{
	if (c->procfs < 0) {
		struct statfs sf;
		c->procfs = statfs(proc_root, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC_;
	}
	return c->procfs && !(c->npids && c->pids[0] == 1);
}

static void walk(struct cvp_owner_cache *c, const char *proc_root, uint64_t now_us,
                 struct cvp_attribution_stats *st)
{
	if (!c->walking) {
		if (!walk_due(c, now_us))
			return;
		c->pids = list_pids(proc_root, &c->npids);
		c->pos = 0;
		c->tails = 0;
		c->inconclusive = 0;
		if (!c->pids && (errno == EMFILE || errno == ENFILE)) {
			st->fd_short++;
			c->inconclusive = 1;
		}
		if (blind(c, proc_root)) {
			st->blind = 1;
			c->inconclusive = 1;
		}
		for (size_t i = 0; i < c->n; i++)
			c->v[i].in_walk = wanted(&c->v[i], now_us);
		c->walking = 1;
		c->walked = 1;
		c->last_walk_us = now_us;
	}
	walk_slice(c, proc_root, st);
	/* Over when nothing is looked for any more, or past every process, those started since
	 * included (walked from the next refresh on). */
	if (!searched(c) || (c->pos >= c->npids && !walk_tail(c, proc_root)))
		walk_end(c, now_us, st);
}

static void refill(struct cvp_owner_cache *c, uint64_t now_us)
{
	if (!c->units_init) {
		c->units = c->burst;
		c->units_at = now_us;
		c->units_init = 1;
		return;
	}
	if (now_us > c->units_at) {
		uint64_t add = (now_us - c->units_at) * c->rate / 1000000u;
		if (add) {
			c->units += (int64_t)add;
			c->units_at = now_us;
		}
	}
	if (c->units > (int64_t)c->burst)
		c->units = c->burst;
}

/* A socket's inode and its position in the list. */
struct inode_ref {
	uint64_t inode;
	size_t pos;
};

/* Sorts v by inode: LSD radix, 11 bits a pass, as many passes as the largest inode needs
 * (inodes are small numbers: two or three passes), so no comparison sort over the list. */
static int sort_refs(struct inode_ref **pv, size_t n)
{
	enum { BITS = 11, BUCKETS = 1 << BITS };
	struct inode_ref *v = *pv, *tmp;
	uint64_t max = 0;
	size_t count[BUCKETS];

	for (size_t i = 0; i < n; i++)
		max = v[i].inode > max ? v[i].inode : max;
	if (n < 2)
		return 0;
	if (!(tmp = malloc(n * sizeof(*tmp))))
		return -1;
	for (unsigned shift = 0; shift < 64 && (max >> shift); shift += BITS) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(v[i].inode >> shift) & (BUCKETS - 1)]++;
		for (size_t i = 0, at = 0; i < BUCKETS; i++) {
			size_t k = count[i];
			count[i] = at;
			at += k;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i].inode >> shift) & (BUCKETS - 1)]++] = v[i];
		struct inode_ref *t = v;
		v = tmp;
		tmp = t;
	}
	free(tmp);
	*pv = v;
	return 0;
}

int attribution_run(struct cvp_owner_cache *c, const char *proc_root, struct cvp_socket_list *l,
                    uint64_t now_us, struct cvp_attribution_stats *st)
{
	struct owner *next = NULL;
	struct inode_ref *refs = NULL;
	size_t *entry = NULL; /* per socket: its entry in c->v, or SIZE_MAX */
	size_t nrefs = 0, u = 0;

	memset(st, 0, sizeof(*st));
	refill(c, now_us);
	if (l->n &&
	    (!(next = malloc(l->n * sizeof(*next))) || !(refs = malloc(l->n * sizeof(*refs))) ||
	     !(entry = malloc(l->n * sizeof(*entry)))))
		goto fail;
	for (size_t i = 0; i < l->n; i++) {
		entry[i] = SIZE_MAX;
		if (l->v[i].inode)
			refs[nrefs++] = (struct inode_ref){.inode = l->v[i].inode, .pos = i};
	}
	if (sort_refs(&refs, nrefs) < 0)
		goto fail;
	/* Both in inode order: carry over what is cached, one pass; the rest is to be found. The
	 * same inode can be listed twice (a socket in two dumps): one entry serves both. */
	for (size_t i = 0, j = 0; i < nrefs; i++) {
		const struct cvp_socket *sk = &l->v[refs[i].pos];
		if (u == 0 || next[u - 1].inode != refs[i].inode) {
			struct owner *o = &next[u++];
			while (j < c->n && c->v[j].inode < refs[i].inode)
				j++;
			if (j < c->n && c->v[j].inode == refs[i].inode) {
				*o = c->v[j];
			} else {
				memset(o, 0, sizeof(*o));
				o->inode = refs[i].inode;
				o->pid = UNKNOWN;
				o->udp = sk->proto == CVP_UDP;
			}
		}
		entry[refs[i].pos] = u - 1;
	}
	free(refs);
	refs = NULL;
	free(c->v);
	c->v = next;
	c->n = u;
	next = NULL;

	if (check_processes(c, proc_root, st) < 0)
		goto fail;
	sweep(c, proc_root, st);
	/* Kernel-owned sockets are looked for again now and then: one that a process held back
	 * (or received) would otherwise stay unattributed. */
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].pid == 0 && c->v[i].retry_at <= now_us) {
			c->v[i].pid = UNKNOWN;
			c->v[i].reseek = 1;
			c->v[i].misses =
			    CVP_ATTR_KERNEL_AFTER - 1; /* one more miss and it is again */
		}
	walk(c, proc_root, now_us, st);

	for (size_t i = 0; i < l->n; i++) {
		const struct owner *o = entry[i] == SIZE_MAX ? NULL : &c->v[entry[i]];
		struct cvp_socket *s = &l->v[i];
		int found = o && known(o);
		int none = o && (o->pid == 0 || (o->pid == UNKNOWN && o->reseek));
		s->holder = found  ? CVP_HOLDER_PROCESS
		            : none ? CVP_HOLDER_NONE
		                   : CVP_HOLDER_UNKNOWN;
		s->pid = found ? o->pid : 0;
		memcpy(s->comm, found ? o->facts.comm : "", found ? sizeof(o->facts.comm) : 1);
		s->proc_uid = found ? o->facts.ruid : CVP_UID_UNKNOWN;
		s->proc_euid = found ? o->facts.euid : CVP_UID_UNKNOWN;
		if (!o || found)
			continue;
		/* Held by no process: the kernel's when root's; a user's socket that nobody holds
		 * (passed and in flight, say) is never taken as the kernel's. */
		if (none && s->uid == 0) {
			st->kernel_owned++;
			continue;
		}
		st->unattributed++;
		st->orphaned += none;
		st->deferred += !none && !c->walking && !st->walk_done;
	}
	free(entry);
	return 0;
fail:
	free(next);
	free(refs);
	free(entry);
	return -1;
}
