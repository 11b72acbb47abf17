/* The owner cache: inode -> owner, merged with each scan's socket list. */
#include "attribution.h"

#include <string.h>

struct cvp_owner_cache {
	struct cvp_owner *v; /* sorted by inode */
	size_t n;
	struct cvp_proc_root root;
	struct owner_watch watch;
	struct owner_walk walk;
};

struct cvp_owner_cache *attribution_new(const char *proc_root)
{
	struct cvp_owner_cache *c = calloc(1, sizeof(*c));
	if (c) {
		owner_proc_root(&c->root, proc_root);
		owner_watch_init(&c->watch);
		owner_walk_init(&c->walk);
	}
	return c;
}

void attribution_free(struct cvp_owner_cache *c)
{
	if (c) {
		owner_watch_free(&c->watch);
		owner_walk_free(&c->walk);
		free(c->v);
		free(c);
	}
}

void attribution_set_walk_budget(struct cvp_owner_cache *c, unsigned per_second, unsigned burst,
                                 uint64_t (*cpu_us)(void))
{
	owner_walk_set_budget(&c->walk, per_second, burst, cpu_us);
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

/* Carries the cached owners over to the sockets of l, one pass in inode order; the rest are to
 * be found. The same inode can be listed twice (a socket in two dumps): one entry serves both.
 * entry[i] is socket i's entry in c->v, or SIZE_MAX (no inode). Returns -1 when out of
 * memory. */
static int merge(struct cvp_owner_cache *c, const struct cvp_socket_list *l, size_t *entry)
{
	struct cvp_owner *next = NULL;
	struct inode_ref *refs = NULL;
	size_t nrefs = 0, u = 0;

	if (l->n &&
	    (!(next = malloc(l->n * sizeof(*next))) || !(refs = malloc(l->n * sizeof(*refs))))) {
		free(next);
		return -1;
	}
	for (size_t i = 0; i < l->n; i++) {
		entry[i] = SIZE_MAX;
		if (l->v[i].inode)
			refs[nrefs++] = (struct inode_ref){.inode = l->v[i].inode, .pos = i};
	}
	if (sort_refs(&refs, nrefs) < 0) {
		free(next);
		free(refs);
		return -1;
	}
	for (size_t i = 0, j = 0; i < nrefs; i++) {
		const struct cvp_socket *sk = &l->v[refs[i].pos];
		if (u == 0 || next[u - 1].inode != refs[i].inode) {
			struct cvp_owner *o = &next[u++];
			while (j < c->n && c->v[j].inode < refs[i].inode)
				j++;
			if (j < c->n && c->v[j].inode == refs[i].inode) {
				*o = c->v[j];
			} else {
				memset(o, 0, sizeof(*o));
				o->inode = refs[i].inode;
				o->state = CVP_OWNER_SEEKING;
				o->udp = sk->proto == CVP_UDP;
			}
		}
		entry[refs[i].pos] = u - 1;
	}
	free(refs);
	free(c->v);
	c->v = next;
	c->n = u;
	return 0;
}

/* Sockets held by no process are looked for again now and then: one that a process held back
 * (or received) would otherwise stay unattributed. One more miss and it is again. */
static void reseek(struct cvp_owner_cache *c, uint64_t now_us)
{
	for (size_t i = 0; i < c->n; i++) {
		struct cvp_owner *o = &c->v[i];
		if (o->state == CVP_OWNER_NONE && o->retry_at <= now_us) {
			o->state = CVP_OWNER_RESEEK;
			o->misses = CVP_ATTR_KERNEL_AFTER - 1;
		}
	}
}

/* Socket s as its owner entry o (NULL: no inode) says. */
static void fill(struct cvp_socket *s, const struct cvp_owner *o, int walking,
                 struct cvp_attribution_stats *st)
{
	int found = o && owner_known(o);
	int none = o && (o->state == CVP_OWNER_NONE || o->state == CVP_OWNER_RESEEK);
	/* Root's socket held by none may be the kernel's, which an owner rule lets pass: until it
	 * has been looked for again long enough (a holder hopping from process to process evades
	 * walks for a while) that is a hypothesis, and the holder is not known. A user's socket
	 * held by none breaks a rule at once: nothing to wait for. */
	int settled = none && (s->uid != 0 || o->reseeks >= CVP_ATTR_KERNEL_SETTLED);
	s->holder = found ? CVP_HOLDER_PROCESS : settled ? CVP_HOLDER_NONE : CVP_HOLDER_UNKNOWN;
	s->pid = found ? o->pid : 0;
	memcpy(s->comm, found ? o->facts.comm : "", found ? sizeof(o->facts.comm) : 1);
	s->proc_uid = found ? o->facts.ruid : CVP_UID_UNKNOWN;
	s->proc_euid = found ? o->facts.euid : CVP_UID_UNKNOWN;
	if (!o || found)
		return;
	/* Held by no process: the kernel's when root's; a user's socket that nobody holds
	 * (passed and in flight, say) is never taken as the kernel's. */
	if (settled && s->uid == 0) {
		st->kernel_owned++;
		return;
	}
	st->unattributed++;
	st->orphaned += none && s->uid != 0;
	st->deferred += !none && !walking && !st->walk_done;
}

int attribution_run(struct cvp_owner_cache *c, struct cvp_socket_list *l, uint64_t now_us,
                    struct cvp_attribution_stats *st)
{
	struct owner_watch_stats ws;
	struct owner_walk_stats ks;
	size_t *entry = NULL; /* per socket: its entry in c->v, or SIZE_MAX */

	memset(st, 0, sizeof(*st));
	if (l->n && !(entry = malloc(l->n * sizeof(*entry))))
		return -1;
	if (merge(c, l, entry) < 0 || owner_watch_run(&c->watch, &c->root, c->v, c->n, &ws) < 0) {
		free(entry);
		return -1;
	}
	reseek(c, now_us);
	owner_walk_run(&c->walk, &c->root, c->v, c->n, now_us, &ks);
	*st = (struct cvp_attribution_stats){
	    .rechecks = ws.rechecks,
	    .watched = ws.watched,
	    .exited = ws.exited,
	    .walks = ks.walks,
	    .walk_done = ks.walk_done,
	    .walk_us = ks.walk_us,
	    .denied = ks.denied,
	    .fd_short = ws.fd_short + ks.fd_short,
	    .blind = ks.blind,
	};
	for (size_t i = 0; i < l->n; i++)
		fill(&l->v[i], entry[i] == SIZE_MAX ? NULL : &c->v[entry[i]], c->walk.walking, st);
	free(entry);
	return 0;
}
