/* A remote host's listeners over SNMP. */
#include "host_walk.h"
#include "host_state.h"
#include "monotonic.h"

#include <string.h>

#define HOST_WALK_REPETITIONS 50

/* The tables in the order they are walked: all of them, the newest first. */
static const enum host_table walk_order[] = {HOST_TABLE_TCP_LISTENER, HOST_TABLE_UDP_ENDPOINT,
                                             HOST_TABLE_TCP_CONN,     HOST_TABLE_UDP,
                                             HOST_TABLE_IPV6_TCP,     HOST_TABLE_IPV6_UDP};
#define WALK_STEPS (sizeof(walk_order) / sizeof(*walk_order))

/* Starts the walk of step's column. */
static void walker_column(struct host_walker *w, unsigned step)
{
	size_t collen;
	const uint32_t *col = host_tables_column(walk_order[step], &collen);
	w->step = step;
	w->rows = 0;
	for (size_t i = 0; i < collen; i++)
		w->last[i] = col[i];
	w->lastlen = collen;
}

void host_walk_start(struct host_walker *w, long version, unsigned limit, struct host_scan *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->limit = limit;
	w->descr = 1;
	w->bulk = version != SNMP_VERSION_1;
	walker_column(w, 0);
}

static const oid sys_descr[] = {1, 3, 6, 1, 2, 1, 1, 1, 0};

netsnmp_pdu *host_walk_request(const struct host_walker *w)
{
	if (w->descr) {
		netsnmp_pdu *get = snmp_pdu_create(SNMP_MSG_GET);
		if (get && !snmp_add_null_var(get, sys_descr, OID_LENGTH(sys_descr))) {
			snmp_free_pdu(get);
			return NULL;
		}
		return get;
	}
	netsnmp_pdu *pdu = snmp_pdu_create(w->bulk ? SNMP_MSG_GETBULK : SNMP_MSG_GETNEXT);
	if (!pdu)
		return NULL;
	if (w->bulk) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = HOST_WALK_REPETITIONS;
	}
	if (!snmp_add_null_var(pdu, w->last, w->lastlen)) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	return pdu;
}

#define HOST_WALK_NO_TABLE                                                                         \
	"the agent's view shows no listener table (TCP-MIB, UDP-MIB or RFC 1213's): give this "    \
	"community or user a view that includes them"

/* The column is done: the next table to walk, 0 when the walk is over, -1 (why set) when it
 * found no row at all. */
static int walker_column_done(struct host_walker *w, char *why, size_t whylen)
{
	if (w->rows > 0)
		w->out->tables |= 1u << walk_order[w->step];
	unsigned next = w->step + 1;
	if (next >= WALK_STEPS) {
		w->step = WALK_STEPS;
		if (!w->seen) {
			snprintf(why, whylen, "%s", HOST_WALK_NO_TABLE);
			return -1;
		}
		return 0;
	}
	walker_column(w, next);
	return 1;
}

/* A row whose index did not decode: counted, the first one's OID kept for the log. */
static void malformed(struct host_walker *w, const netsnmp_variable_list *vb)
{
	if (!w->out->malformed++)
		snprint_objid(w->out->first_malformed, sizeof(w->out->first_malformed), vb->name,
		              vb->name_length);
}

/* The answer to sysDescr.0: kept, printable ASCII only; an agent without it is no error. */
static void take_descr(struct host_walker *w, const netsnmp_pdu *resp)
{
	const netsnmp_variable_list *vb = resp->variables;
	w->descr = 0;
	if (resp->errstat != SNMP_ERR_NOERROR || !vb || vb->type != ASN_OCTET_STR)
		return;
	size_t n =
	    vb->val_len < sizeof(w->out->descr) - 1 ? vb->val_len : sizeof(w->out->descr) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = vb->val.string[i];
		w->out->descr[i] = c >= ' ' && c <= '~' ? (char)c : '?';
	}
	w->out->descr[n] = '\0';
}

int host_walk_take(struct host_walker *w, const netsnmp_pdu *resp, char *why, size_t whylen)
{
	if (w->descr) {
		take_descr(w, resp);
		return 1;
	}
	enum host_table t = walk_order[w->step];
	size_t collen;
	const uint32_t *col = host_tables_column(t, &collen);
	oid start[MAX_OID_LEN];

	for (size_t i = 0; i < collen; i++)
		start[i] = col[i];
	/* SNMPv1 says that a GETNEXT went past the end of the agent's view with noSuchName */
	if (!w->bulk && resp->errstat == SNMP_ERR_NOSUCHNAME)
		return walker_column_done(w, why, whylen);
	if (resp->errstat != SNMP_ERR_NOERROR) {
		snprintf(why, whylen, "%s", snmp_errstring(resp->errstat));
		return -1;
	}
	if (!resp->variables)
		return walker_column_done(w, why, whylen);
	for (const netsnmp_variable_list *vb = resp->variables; vb; vb = vb->next_variable) {
		if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT ||
		    vb->type == SNMP_NOSUCHINSTANCE || vb->name_length <= collen ||
		    snmp_oid_compare(vb->name, collen, start, collen) != 0)
			return walker_column_done(w, why, whylen); /* past the column */
		if (snmp_oid_compare(vb->name, vb->name_length, w->last, w->lastlen) <= 0) {
			snprintf(why, whylen, "%s: the agent's answers do not advance",
			         host_tables_name(t));
			return -1;
		}
		if (++w->seen > w->limit) {
			snprintf(why, whylen,
			         "row limit: the listener tables hold more than %ld rows "
			         "(cvpHostRowLimit)",
			         w->limit);
			return -1;
		}
		w->rows++;
		uint32_t index[MAX_OID_LEN];
		size_t n = vb->name_length - collen;
		int r = 0;
		for (size_t i = 0; i < n && r == 0; i++) {
			if (vb->name[collen + i] > UINT32_MAX)
				r = -1;
			index[i] = (uint32_t)vb->name[collen + i];
		}
		long value = vb->type == ASN_INTEGER && vb->val.integer ? *vb->val.integer : 0;
		if (r == 0)
			r = host_tables_row(t, index, n, value, &w->out->socks);
		if (r == -2) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		if (r < 0)
			malformed(w, vb);
		memcpy(w->last, vb->name, vb->name_length * sizeof(oid));
		w->lastlen = vb->name_length;
	}
	return 1;
}

void host_walk_deadline_why(unsigned seconds, char *why, size_t whylen)
{
	snprintf(why, whylen,
	         "poll deadline: the walk took more than %u s (an agent that answers each request "
	         "late)",
	         seconds);
}

int host_walk(void *sess, long version, unsigned deadline_s, unsigned limit, struct host_scan *out,
              char *why, size_t whylen)
{
	struct host_walker w;
	int more = 1;
	uint64_t end = monotonic_us() + (uint64_t)deadline_s * 1000000u;

	host_walk_start(&w, version, limit, out);
	while (more > 0) {
		if (monotonic_us() > end) {
			host_walk_deadline_why(deadline_s, why, whylen);
			return -1;
		}
		netsnmp_pdu *pdu = host_walk_request(&w);
		if (!pdu) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		netsnmp_pdu *resp = snmp_peer_send(sess, pdu, 1, why, whylen);
		if (!resp)
			return -1;
		more = host_walk_take(&w, resp, why, whylen);
		snmp_free_pdu(resp);
	}
	return more;
}

void host_walk_scan_free(struct host_scan *s)
{
	sock_list_free(&s->socks);
}

int host_walk_scan_source(const struct host_scan *s)
{
	unsigned current = 1u << HOST_TABLE_TCP_LISTENER | 1u << HOST_TABLE_UDP_ENDPOINT;
	return (s->tables & current) == current ? CVP_SOURCE_TCP_UDP_MIB : CVP_SOURCE_RFC1213;
}

void host_walk_scan_ephemeral(const struct host_scan *s, const struct host_config *l,
                              const struct cvp_remote_host *h, uint16_t *low, uint16_t *high)
{
	if (!h || !host_config_ephemeral(l, h, low, high))
		host_state_ephemeral_range(s->descr, host_walk_scan_source(s), low, high);
}

void host_walk_scan_tables(const struct host_scan *s, char *buf, size_t len)
{
	size_t used = 0;
	if (len)
		buf[0] = '\0';
	for (unsigned t = 0; t < HOST_TABLES && used < len; t++)
		if (s->tables & 1u << t) {
			int n = snprintf(buf + used, len - used, "%s%s", used ? " " : "",
			                 host_tables_name((enum host_table)t));
			used += n > 0 ? (size_t)n : 0;
		}
}
