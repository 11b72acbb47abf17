/* inode -> (pid, comm), cached across refreshes. */
#include "attribution.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct owner {
	uint64_t inode;
	uint32_t pid; /* 0: held by no process (kernel-owned); cached too */
	int fd;
	uint8_t pending; /* to be found by the walk */
	uint8_t udp;
	char comm[CVP_PNAME_LEN]; /* escaped */
};

struct cvp_owner_cache {
	struct owner *v; /* sorted by inode; pid UINT32_MAX: not looked for yet (deferred) */
	size_t n, cap;
	uint64_t last_walk_us;
	int walked;
};

struct cvp_owner_cache *attribution_new(void)
{
	return calloc(1, sizeof(struct cvp_owner_cache));
}

void attribution_free(struct cvp_owner_cache *c)
{
	if (c) {
		free(c->v);
		free(c);
	}
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

/* Whether fd o->fd of the directory dfd (/proc/PID/fd) still is socket:[inode]. */
static int still_owner(int dfd, const struct owner *o)
{
	char name[16], link[64], want[64];
	snprintf(name, sizeof(name), "%d", o->fd);
	ssize_t n = readlinkat(dfd, name, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	snprintf(want, sizeof(want), "socket:[%llu]", (unsigned long long)o->inode);
	return strcmp(link, want) == 0;
}

static int owner_pid_cmp(const void *a, const void *b)
{
	const struct owner *x = *(const struct owner *const *)a,
	                   *y = *(const struct owner *const *)b;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Re-checks the cached owners with one readlinkat each, opening each process's fd directory
 * once (listeners of one service share a process). A failed check makes the entry pending. */
static void recheck(const char *proc_root, struct owner *v, size_t n,
                    struct cvp_attribution_stats *st)
{
	struct owner **by_pid = n ? malloc(n * sizeof(*by_pid)) : NULL;
	size_t k = 0;
	char path[PATH_MAX];

	if (!by_pid)
		return; /* nothing cached, or out of memory: the values stay unverified this time */
	for (size_t i = 0; i < n; i++)
		if (!v[i].pending && v[i].pid != 0 && v[i].pid != UINT32_MAX)
			by_pid[k++] = &v[i];
	qsort(by_pid, k, sizeof(*by_pid), owner_pid_cmp);
	for (size_t i = 0; i < k;) {
		uint32_t pid = by_pid[i]->pid;
		snprintf(path, sizeof(path), "%s/%u/fd", proc_root, pid);
		int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		for (; i < k && by_pid[i]->pid == pid; i++) {
			struct owner *o = by_pid[i];
			st->rechecks++;
			if (dfd < 0 || !still_owner(dfd, o)) {
				memset(o->comm, 0, sizeof(o->comm));
				o->pid = UINT32_MAX;
				o->pending = 1;
			}
		}
		if (dfd >= 0)
			close(dfd);
	}
	free(by_pid);
}

static void read_comm(const char *proc_root, struct owner *o)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%u/comm", proc_root, o->pid);
	char raw[CVP_COMM_LEN + 1]; /* the name and the kernel's closing newline */
	o->comm[0] = '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, raw, sizeof(raw));
	close(fd);
	if (n <= 0)
		return;
	/* Only the last newline is the kernel's: a name may hold newlines of its own. */
	if (raw[n - 1] == '\n')
		n--;
	text_escape(raw, (size_t)n, o->comm, sizeof(o->comm));
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

/* Walks /proc/PID/fd for the owners of the pending entries of v. PIDs are visited in ascending
 * order and the lowest pid other than 1 wins; pid 1 (socket activation) only when no other
 * process holds the socket. Stops as soon as every pending inode has a final owner. */
static void walk(const char *proc_root, struct owner *v, size_t n, size_t left,
                 struct cvp_attribution_stats *st)
{
	size_t npids;
	uint32_t *pids = list_pids(proc_root, &npids);
	if (!pids && (errno == EMFILE || errno == ENFILE))
		st->fd_short++;
	char path[PATH_MAX], link[64];

	for (size_t i = 0; i < npids && left; i++) {
		uint32_t pid = pids[i];
		snprintf(path, sizeof(path), "%s/%u/fd", proc_root, pid);
		DIR *d = opendir(path);
		if (!d) {
			if (errno == EACCES || errno == EPERM)
				st->denied++;
			else if (errno == EMFILE || errno == ENFILE)
				st->fd_short++; /* not "not found": the walk is incomplete */
			continue;               /* exited meanwhile: normal */
		}
		struct dirent *e;
		while (left && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			ssize_t len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
			if (len < 9 || memcmp(link, "socket:[", 8) != 0)
				continue;
			link[len] = '\0';
			struct owner *o = find(v, n, strtoull(link + 8, NULL, 10));
			if (!o || !o->pending || (o->pid != UINT32_MAX && o->pid != 1))
				continue;
			o->pid = pid;
			o->fd = atoi(e->d_name);
			if (pid != 1) {
				o->pending = 0;
				left--;
			}
		}
		closedir(d);
	}
	free(pids);
}

/* A new TCP listener is always looked for at once. New UDP sockets come and go with traffic
 * (RTP, for one), so they start a walk at most once per CVP_UDP_WALK_INTERVAL_US; until then
 * they show no process. */
static int walk_due(const struct cvp_owner_cache *c, const struct owner *v, size_t n,
                    uint64_t now_us)
{
	int udp = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].pending && !v[i].udp)
			return 1;
		udp |= v[i].pending;
	}
	return udp && (!c->walked || now_us - c->last_walk_us >= CVP_UDP_WALK_INTERVAL_US);
}

int attribution_run(struct cvp_owner_cache *c, const char *proc_root, struct cvp_socket_list *l,
                    uint64_t now_us, struct cvp_attribution_stats *st)
{
	struct owner *next = NULL;
	size_t n = 0, ntodo = 0;

	memset(st, 0, sizeof(*st));
	if (l->n) {
		next = malloc(l->n * sizeof(*next));
		if (!next)
			return -1;
	}
	/* Carry over what is cached and still true; the rest is to be found. */
	for (size_t i = 0; i < l->n; i++) {
		struct owner *o = &next[n];
		const struct owner *old = find(c->v, c->n, l->v[i].inode);
		if (l->v[i].inode == 0)
			continue;
		if (old) {
			*o = *old; /* kernel-owned (pid 0) stays so: no walk for it every refresh */
			o->pending = old->pid == UINT32_MAX;
		} else {
			memset(o, 0, sizeof(*o));
			o->inode = l->v[i].inode;
			o->pid = UINT32_MAX;
			o->pending = 1;
			o->udp = l->v[i].proto == CVP_UDP;
		}
		n++;
	}
	if (n > 1)
		qsort(next, n, sizeof(*next), owner_cmp);
	/* The same inode can be listed twice (a socket in two dumps): keep one entry. */
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || next[u - 1].inode != next[i].inode)
			next[u++] = next[i];
	n = u;
	recheck(proc_root, next, n, st);
	for (size_t i = 0; i < n; i++)
		ntodo += next[i].pending;

	if (ntodo && walk_due(c, next, n, now_us)) {
		st->walks++;
		c->walked = 1;
		c->last_walk_us = now_us;
		walk(proc_root, next, n, ntodo, st);
		for (size_t i = 0; i < n; i++) {
			if (next[i].pid == UINT32_MAX && st->fd_short)
				; /* the walk could not look everywhere: looked for again next time
				   */
			else if (next[i].pid == UINT32_MAX)
				next[i].pid = 0; /* nobody holds it: the kernel does */
			else if (next[i].pending || next[i].pid == 1 || next[i].comm[0] == '\0')
				read_comm(proc_root, &next[i]);
			next[i].pending = 0;
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			st->deferred += next[i].pending;
			next[i].pending = 0;
		}
	}
	free(c->v);
	c->v = next;
	c->n = n;

	for (size_t i = 0; i < l->n; i++) {
		const struct owner *o = find(c->v, c->n, l->v[i].inode);
		if (o && o->pid == UINT32_MAX)
			o = NULL; /* deferred */
		l->v[i].pid = o ? o->pid : 0;
		memcpy(l->v[i].comm, o ? o->comm : "", o ? sizeof(o->comm) : 1);
		st->kernel_owned += o && o->pid == 0;
	}
	return 0;
}
