/* Evaluation of the catalogue against the sockets of one scan. */
#include "evaluate.h"
#include "cover.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* First socket with (proto, port) >= (proto, low), by binary search over the sorted list. */
static size_t lower_bound(const struct cvp_socket_list *socks, uint8_t proto, uint16_t low)
{
	size_t lo = 0, hi = socks->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cvp_socket *s = &socks->v[mid];
		if (s->proto < proto || (s->proto == proto && s->port < low))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int uid_is(uint32_t uid, int64_t want)
{
	return (int64_t)uid == want;
}

enum owner_check { OWNER_ALLOWED, OWNER_DENIED, OWNER_UNSEEN };

/* What the row's owner rule says of the socket's holder. A known holder: its name, and its real
 * and effective uid when the rule names a user (passing the socket to, or setuid into, another
 * user does not pass). A holder not known (helper down, hidepid, pending, a socket in flight):
 * the socket's own uid against the rule's user can be checked (denied when it differs), the
 * name cannot (unseen: never allowed). No holder at all: only root's (the kernel's) socket may
 * pass, so that passing a socket away cannot hide it. Another host's socket: nothing to check
 * it against (wrongOwner does not apply). */
static enum owner_check owner_check(const struct cvp_owner_rule *rule, const struct cvp_socket *s)
{
	if (!rule->n || s->holder == CVP_HOLDER_REMOTE)
		return OWNER_ALLOWED;
	if (s->holder == CVP_HOLDER_PROCESS) {
		/* a captured holder: its name, no user (netstat -b, ss -p) */
		if (rule->uid >= 0 && s->proc_uid == CVP_UID_UNKNOWN && s->uid == CVP_UID_UNKNOWN)
			return OWNER_UNSEEN;
		if (rule->uid >= 0 &&
		    (s->proc_uid == CVP_UID_UNKNOWN
		         ? !uid_is(s->uid, rule->uid)
		         : !uid_is(s->proc_uid, rule->uid) || !uid_is(s->proc_euid, rule->uid)))
			return OWNER_DENIED;
		for (unsigned i = 0; i < rule->n; i++)
			if (catalog_pattern_match(rule->comm[i], s->comm))
				return OWNER_ALLOWED;
		return OWNER_DENIED;
	}
	if (rule->uid >= 0 && !uid_is(s->uid, rule->uid))
		return OWNER_DENIED;
	if (s->holder == CVP_HOLDER_NONE)
		return s->uid != 0 ? OWNER_DENIED : OWNER_ALLOWED;
	return OWNER_UNSEEN;
}

int evaluate_verdict(const struct cvp_row *row, unsigned roles, uint32_t listen_count, int exposed,
                     int wrong_owner, int owner_unseen)
{
	if (!(roles & (1u << row->role)))
		return CVP_NOT_APPLICABLE;
	if (row->requirement == CVP_REQ_FORBIDDEN && listen_count > 0)
		return CVP_FORBIDDEN;
	if (wrong_owner)
		return CVP_WRONG_OWNER;
	if (row->direction == CVP_DIR_LOOPBACK && exposed)
		return CVP_EXPOSED;
	if (row->requirement == CVP_REQ_REQUIRED) {
		int met =
		    row->match == CVP_MATCH_NONE ||
		    (row->match == CVP_MATCH_ANY && listen_count > 0) ||
		    (row->match == CVP_MATCH_ALL && listen_count == portset_size(&row->ports));
		if (!met)
			return CVP_MISSING;
	}
	return owner_unseen ? CVP_UNKNOWN : CVP_COMPLIANT;
}

static void set_reported_socket(struct cvp_row_result *r, const struct cvp_socket *s)
{
	r->addr_len = (uint8_t)sock_inet_address(s, &r->addr_type, r->addr);
	sock_format_address(s, r->address, sizeof(r->address));
	r->pid = s->pid;
	memcpy(r->pname, s->comm, sizeof(r->pname));
}

static void evaluate_row(const struct cvp_catalog *cat, const struct cvp_row *row,
                         const struct cvp_socket_list *socks, uint16_t eph_low, uint16_t eph_high,
                         struct cvp_row_result *r)
{
	const struct cvp_socket *first = NULL, *exposing = NULL, *intruder = NULL, *unseen = NULL;
	uint32_t count = 0;
	int last_port = -1;

	memset(r, 0, sizeof(*r));
	for (size_t i = lower_bound(socks, row->proto, row->ports.low);
	     i < socks->n && socks->v[i].proto == row->proto && socks->v[i].port <= row->ports.high;
	     i++) {
		const struct cvp_socket *s = &socks->v[i];
		if (!portset_contains(&row->ports, s->port))
			continue;
		r->socket_count++;
		if (!first)
			first = s;
		if (!exposing && !sock_is_loopback(s))
			exposing = s;
		enum owner_check owner = owner_check(&row->owner, s);
		if (!intruder && owner == OWNER_DENIED)
			intruder = s;
		if (!unseen && owner == OWNER_UNSEEN)
			unseen = s;
		if (s->port != last_port) {
			count++;
			last_port = s->port;
		}
	}

	r->listen_count = count;
	r->state = count == 0                           ? CVP_STATE_NOT_LISTENING
	           : count == portset_size(&row->ports) ? CVP_STATE_LISTENING
	                                                : CVP_STATE_PARTIAL;
	r->compliance = (uint8_t)evaluate_verdict(row, cat->roles, count, exposing != NULL,
	                                          intruder != NULL, unseen != NULL);
	r->ephemeral_overlap = (uint8_t)portset_overlaps_range(&row->ports, eph_low, eph_high);
	/* Report the socket that explains the verdict, else the first. */
	if (first)
		set_reported_socket(r, r->compliance == CVP_EXPOSED       ? exposing
		                       : r->compliance == CVP_WRONG_OWNER ? intruder
		                       : r->compliance == CVP_UNKNOWN     ? unseen
		                                                          : first);
}

static int is_ignored(const struct cvp_catalog *cat, const struct cvp_socket *s)
{
	for (size_t i = 0; s->pid && i < cat->nignore_procs; i++)
		if (catalog_pattern_match(cat->ignore_procs[i], s->comm))
			return 1;
	for (size_t i = 0; i < cat->nignores; i++) {
		const struct cvp_ignore *ig = &cat->ignores[i];
		if (ig->proto != s->proto || !portset_contains(&ig->ports, s->port))
			continue;
		if (ig->family == 0 || (ig->family == s->family &&
		                        memcmp(ig->addr, s->addr, ig->family == 4 ? 4 : 16) == 0))
			return 1;
	}
	return 0;
}

/* MIB index order without the port: protocol, address type, address (length first). */
static int address_cmp(const struct cvp_listener *a, const struct cvp_listener *b)
{
	if (a->proto != b->proto)
		return a->proto - b->proto;
	if (a->addr_type != b->addr_type)
		return a->addr_type - b->addr_type;
	if (a->addr_len != b->addr_len)
		return a->addr_len - b->addr_len;
	return memcmp(a->addr, b->addr, a->addr_len);
}

int evaluate_listener_cmp(const void *pa, const void *pb)
{
	const struct cvp_listener *a = pa, *b = pb;
	int c = address_cmp(a, b);
	return c ? c : a->port - b->port;
}

/* The index fields of a socket's listener but the port (what address_cmp reads). */
static void address_of(const struct cvp_socket *s, struct cvp_listener *k)
{
	k->proto = s->proto;
	k->addr_len = (uint8_t)sock_inet_address(s, &k->addr_type, k->addr);
}

/* Where each listener goes, so that they are written once, in MIB index order, without a
 * sort: the sockets come sorted by protocol and port, so the listeners of one (protocol,
 * address) group already come in port order; the few groups are ordered and each listener is
 * placed at its group's next free slot. */
#define PLAN_GROUPS_MAX 64
#define PLAN_MERGED 0xff /* the socket shares the previous one's index (SO_REUSEPORT) */

struct plan_group {
	struct cvp_listener key; /* address_of: no port */
	size_t count, next;
	uint8_t id;
};

static int plan_group_cmp(const void *a, const void *b)
{
	return address_cmp(&((const struct plan_group *)a)->key,
	                   &((const struct plan_group *)b)->key);
}

/* gid[i]: socket i's group, or PLAN_MERGED. Fills g (sorted, with each group's first slot in
 * next) and rank (group id -> position in g). Returns the number of listeners, or 0 with
 * *general set when there are too many groups. */
static size_t plan(const struct cvp_socket_list *socks, uint8_t *gid, struct plan_group *g,
                   uint8_t *rank, int *general)
{
	struct cvp_listener prev, k;
	size_t ng = 0, n = 0, last = 0;
	int prev_port = -1;

	*general = 0;
	for (size_t i = 0; i < socks->n; i++) {
		const struct cvp_socket *s = &socks->v[i];
		address_of(s, &k);
		if (s->port == prev_port && address_cmp(&k, &prev) == 0) {
			gid[i] = PLAN_MERGED;
			continue;
		}
		prev = k;
		prev_port = s->port;
		n++;
		if (!(ng && address_cmp(&g[last].key, &k) == 0)) {
			for (last = 0; last < ng && address_cmp(&g[last].key, &k) != 0; last++)
				;
			if (last == ng) {
				if (ng == PLAN_GROUPS_MAX) {
					*general = 1;
					return 0;
				}
				g[ng] = (struct plan_group){.key = k, .id = (uint8_t)ng};
				ng++;
			}
		}
		gid[i] = g[last].id;
		g[last].count++;
	}
	qsort(g, ng, sizeof(*g), plan_group_cmp);
	for (size_t i = 0, at = 0; i < ng; i++) {
		rank[g[i].id] = (uint8_t)i;
		g[i].next = at;
		at += g[i].count;
	}
	return n;
}

static void fill_listener(const struct cvp_catalog *cat, const struct cover_index *ix,
                          const struct cvp_socket *s, uint16_t eph_low, uint16_t eph_high,
                          struct cvp_listener *l)
{
	int applicable;
	memset(l, 0, offsetof(struct cvp_listener, pname));
	l->proto = s->proto;
	l->port = s->port;
	l->addr_len = (uint8_t)sock_inet_address(s, &l->addr_type, l->addr);
	l->sockets = 1;
	l->uid = s->uid;
	l->pid = s->pid;
	l->proc_uid = s->proc_uid;
	memcpy(l->pname, s->comm, sizeof(l->pname));
	l->port_index = cover_row(cat, ix, s->proto, s->port, &applicable);
	if (applicable)
		l->class = CVP_CLASS_EXPECTED;
	else if (is_ignored(cat, s))
		l->class = CVP_CLASS_IGNORED;
	/* An unconnected UDP socket on an ephemeral port no applicable row covers is a client
	 * socket (a row of a role not enabled, such as Windows' dynamic range, changes nothing). */
	else if (s->proto == CVP_UDP && s->port >= eph_low && s->port <= eph_high)
		l->class = CVP_CLASS_IGNORED;
	else
		l->class = CVP_CLASS_UNEXPECTED;
}

/* What a socket asks of an operator: an unexpected listener; or, on a row whose verdict it
 * makes (or shares), forbidden (any of its sockets), exposed (one not on loopback) or
 * wrongOwner (one its owner rule does not allow). */
static uint8_t finding_of(const struct cvp_catalog *cat, const struct cvp_row_result *rows,
                          const struct cvp_listener *l, const struct cvp_socket *s)
{
	if (l->port_index) {
		const struct cvp_row *row = &cat->rows[l->port_index - 1];
		uint8_t verdict = rows[l->port_index - 1].compliance;
		/* A forbidden row is never the listener's applicable row: it is classed
		 * unexpected, and forbidden says more. */
		if (verdict == CVP_FORBIDDEN)
			return CVP_FINDING_FORBIDDEN;
		if (l->class == CVP_CLASS_EXPECTED && verdict == CVP_EXPOSED &&
		    !sock_is_loopback(s))
			return CVP_FINDING_EXPOSED;
		if (l->class == CVP_CLASS_EXPECTED && verdict == CVP_WRONG_OWNER &&
		    owner_check(&row->owner, s) == OWNER_DENIED)
			return CVP_FINDING_WRONG_OWNER;
	}
	return l->class == CVP_CLASS_UNEXPECTED ? CVP_FINDING_UNEXPECTED : CVP_FINDING_NONE;
}

/* Another socket on the same index: counted, and its process shown if the first had none. */
static void merge_listener(struct cvp_listener *l, const struct cvp_socket *s)
{
	l->sockets++;
	if (!l->pid && s->pid) {
		l->pid = s->pid;
		l->proc_uid = s->proc_uid;
		memcpy(l->pname, s->comm, sizeof(l->pname));
	}
}

static int build_listeners(const struct cvp_catalog *cat, const struct cvp_row_result *rows,
                           const struct cvp_socket_list *socks, uint16_t eph_low, uint16_t eph_high,
                           struct cvp_listener **out, size_t *nout, uint32_t *unexpected)
{
	struct cvp_listener *v = NULL, *cur = NULL;
	struct cover_index ix;
	struct plan_group g[PLAN_GROUPS_MAX];
	uint8_t rank[PLAN_GROUPS_MAX], *gid = NULL;
	size_t n = 0;
	int general = 0;

	*unexpected = 0;
	*out = NULL;
	*nout = 0;
	if (!socks->n)
		return 0;
	if (!(v = malloc(socks->n * sizeof(*v))) || !(gid = malloc(socks->n)))
		goto fail;
	cover_build(cat, &ix);
	n = plan(socks, gid, g, rank, &general);
	for (size_t i = 0, k = 0; i < socks->n; i++) {
		const struct cvp_socket *s = &socks->v[i];
		if (!general && gid[i] == PLAN_MERGED) {
			merge_listener(cur, s);
			cur->finding = cur->finding ? cur->finding : finding_of(cat, rows, cur, s);
			continue;
		}
		if (general) {
			/* Too many addresses to plan: in socket order, merged, then sorted. */
			struct cvp_listener a;
			address_of(s, &a);
			if (cur && cur->port == s->port && address_cmp(&a, cur) == 0) {
				merge_listener(cur, s);
				cur->finding =
				    cur->finding ? cur->finding : finding_of(cat, rows, cur, s);
				continue;
			}
			cur = &v[k++];
			n = k;
		} else {
			cur = &v[g[rank[gid[i]]].next++];
		}
		fill_listener(cat, &ix, s, eph_low, eph_high, cur);
		cur->finding = finding_of(cat, rows, cur, s);
	}
	if (general && n > 1)
		qsort(v, n, sizeof(*v), evaluate_listener_cmp);
	free(gid);
	for (size_t i = 0; i < n; i++)
		*unexpected += v[i].class == CVP_CLASS_UNEXPECTED;
	*out = v;
	*nout = n;
	return 0;
fail:
	free(v);
	free(gid);
	return -1;
}

int evaluate(const struct cvp_catalog *cat, const struct cvp_socket_list *socks, uint16_t eph_low,
             uint16_t eph_high, struct cvp_row_result *rows, struct cvp_listener **listeners,
             size_t *nlisteners, struct cvp_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < cat->n; i++) {
		if (cat->rows[i].removed) {
			/* not in the table; what a closing notification says of it */
			memset(&rows[i], 0, sizeof(rows[i]));
			rows[i].state = CVP_STATE_NOT_LISTENING;
			rows[i].compliance = CVP_NOT_APPLICABLE;
			continue;
		}
		evaluate_row(cat, &cat->rows[i], socks, eph_low, eph_high, &rows[i]);
		if (rows[i].compliance == CVP_COMPLIANT)
			sum->compliant++;
		else if (rows[i].compliance == CVP_UNKNOWN)
			sum->unknown++;
		else if (rows[i].compliance != CVP_NOT_APPLICABLE)
			sum->violations++;
	}
	if (build_listeners(cat, rows, socks, eph_low, eph_high, listeners, nlisteners,
	                    &sum->unexpected) < 0)
		return -1;
	sum->overall = sum->violations ? CVP_OVERALL_NONCOMPLIANT
	               : sum->unknown  ? CVP_OVERALL_UNKNOWN
	                               : CVP_OVERALL_COMPLIANT;
	return 0;
}
