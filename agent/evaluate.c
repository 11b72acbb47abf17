/* Evaluation of the catalogue against the sockets of one scan. */
#include "evaluate.h"

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

/* Whether the row's owner rule allows the socket's holder. A socket whose holder is not known
 * (pid 0: no privilege to see it, or kernel-owned) is never held against the row. */
static int owner_allowed(const struct cvp_owner_rule *rule, const struct cvp_socket *s)
{
	if (!rule->n || !s->pid)
		return 1;
	if (rule->uid >= 0 && (int64_t)s->uid != rule->uid)
		return 0;
	for (unsigned i = 0; i < rule->n; i++)
		if (catalog_pattern_match(rule->comm[i], s->comm))
			return 1;
	return 0;
}

int evaluate_verdict(const struct cvp_row *row, unsigned roles, uint32_t listen_count, int exposed,
                     int wrong_owner)
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
	return CVP_COMPLIANT;
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
	const struct cvp_socket *first = NULL, *exposing = NULL, *intruder = NULL;
	uint32_t count = 0;
	int last_port = -1;

	memset(r, 0, sizeof(*r));
	for (size_t i = lower_bound(socks, row->proto, row->ports.low);
	     i < socks->n && socks->v[i].proto == row->proto && socks->v[i].port <= row->ports.high;
	     i++) {
		const struct cvp_socket *s = &socks->v[i];
		if (!portset_contains(&row->ports, s->port))
			continue;
		if (!first)
			first = s;
		if (!exposing && !sock_is_loopback(s))
			exposing = s;
		if (!intruder && !owner_allowed(&row->owner, s))
			intruder = s;
		if (s->port != last_port) {
			count++;
			last_port = s->port;
		}
	}

	r->listen_count = count;
	r->state = count == 0                           ? CVP_STATE_NOT_LISTENING
	           : count == portset_size(&row->ports) ? CVP_STATE_LISTENING
	                                                : CVP_STATE_PARTIAL;
	r->compliance =
	    (uint8_t)evaluate_verdict(row, cat->roles, count, exposing != NULL, intruder != NULL);
	r->ephemeral_overlap = (uint8_t)portset_overlaps_range(&row->ports, eph_low, eph_high);
	/* Report the socket that explains the verdict, else the first. */
	if (first)
		set_reported_socket(r, r->compliance == CVP_EXPOSED       ? exposing
		                       : r->compliance == CVP_WRONG_OWNER ? intruder
		                                                          : first);
}

/* The catalogue row that covers a listener: the first applicable one, else the first. */
static uint32_t covering_row(const struct cvp_catalog *cat, uint8_t proto, uint16_t port,
                             int *applicable)
{
	uint32_t any = 0;
	*applicable = 0;
	for (size_t i = 0; i < cat->n; i++) {
		const struct cvp_row *row = &cat->rows[i];
		if (row->removed || row->proto != proto || !portset_contains(&row->ports, port))
			continue;
		if ((cat->roles & (1u << row->role)) && row->requirement != CVP_REQ_FORBIDDEN) {
			*applicable = 1;
			return (uint32_t)(i + 1);
		}
		if (!any)
			any = (uint32_t)(i + 1);
	}
	return any;
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

int evaluate_listener_cmp(const void *pa, const void *pb)
{
	/* MIB index order: protocol, address type, address (length first), port. */
	const struct cvp_listener *a = pa, *b = pb;
	if (a->proto != b->proto)
		return a->proto - b->proto;
	if (a->addr_type != b->addr_type)
		return a->addr_type - b->addr_type;
	if (a->addr_len != b->addr_len)
		return a->addr_len - b->addr_len;
	int c = memcmp(a->addr, b->addr, a->addr_len);
	if (c)
		return c;
	return a->port - b->port;
}

static int build_listeners(const struct cvp_catalog *cat, const struct cvp_socket_list *socks,
                           uint16_t eph_low, uint16_t eph_high, struct cvp_listener **out,
                           size_t *nout, uint32_t *unexpected)
{
	struct cvp_listener *v = NULL, *cur = NULL;
	size_t n = 0;

	*unexpected = 0;
	if (socks->n) {
		v = malloc(socks->n * sizeof(*v));
		if (!v)
			return -1;
	}
	for (size_t i = 0; i < socks->n; i++) {
		const struct cvp_socket *s = &socks->v[i];
		struct cvp_listener l = {0};
		l.proto = s->proto;
		l.port = s->port;
		l.addr_len = (uint8_t)sock_inet_address(s, &l.addr_type, l.addr);
		/* Sockets on one index (SO_REUSEPORT) are adjacent in the sorted list: merge them.
		 */
		if (cur && cur->proto == l.proto && cur->port == l.port &&
		    cur->addr_type == l.addr_type && memcmp(cur->addr, l.addr, l.addr_len) == 0) {
			cur->sockets++;
			if (!cur->pid && s->pid) {
				cur->pid = s->pid;
				memcpy(cur->pname, s->comm, sizeof(cur->pname));
			}
			continue;
		}
		int applicable;
		l.sockets = 1;
		l.uid = s->uid;
		l.pid = s->pid;
		memcpy(l.pname, s->comm, sizeof(l.pname));
		sock_format_address(s, l.address, sizeof(l.address));
		l.port_index = covering_row(cat, s->proto, s->port, &applicable);
		if (applicable)
			l.class = CVP_CLASS_EXPECTED;
		else if (is_ignored(cat, s))
			l.class = CVP_CLASS_IGNORED;
		/* An unconnected UDP socket on an ephemeral port no row covers is a client socket.
		 */
		else if (s->proto == CVP_UDP && !l.port_index && s->port >= eph_low &&
		         s->port <= eph_high)
			l.class = CVP_CLASS_IGNORED;
		else
			l.class = CVP_CLASS_UNEXPECTED;
		v[n] = l;
		cur = &v[n++];
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), evaluate_listener_cmp);
	for (size_t i = 0; i < n; i++)
		*unexpected += v[i].class == CVP_CLASS_UNEXPECTED;
	*out = v;
	*nout = n;
	return 0;
}

int evaluate(const struct cvp_catalog *cat, const struct cvp_socket_list *socks, uint16_t eph_low,
             uint16_t eph_high, struct cvp_row_result *rows, struct cvp_listener **listeners,
             size_t *nlisteners, struct cvp_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < cat->n; i++) {
		if (cat->rows[i].removed) {
			memset(&rows[i], 0, sizeof(rows[i]));
			continue;
		}
		evaluate_row(cat, &cat->rows[i], socks, eph_low, eph_high, &rows[i]);
		if (rows[i].compliance == CVP_COMPLIANT)
			sum->compliant++;
		else if (rows[i].compliance != CVP_NOT_APPLICABLE)
			sum->violations++;
	}
	if (build_listeners(cat, socks, eph_low, eph_high, listeners, nlisteners,
	                    &sum->unexpected) < 0)
		return -1;
	sum->overall = sum->violations ? CVP_OVERALL_NONCOMPLIANT : CVP_OVERALL_COMPLIANT;
	return 0;
}
