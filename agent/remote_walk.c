/* A remote host's listeners over SNMP. */
#include "remote_walk.h"

#include <string.h>

#define REMOTE_WALK_REPETITIONS 50

/* Walks one column, each instance to remote_tables_row. Returns the number of rows read
 * (listeners or not), or -1 with why. */
static long walk_column(void *sess, int bulk, enum remote_table t, struct remote_scan *out,
                        char *why, size_t whylen)
{
	size_t collen;
	const uint32_t *col = remote_tables_column(t, &collen);
	oid start[MAX_OID_LEN], last[MAX_OID_LEN];
	size_t lastlen = collen;
	long rows = 0;

	for (size_t i = 0; i < collen; i++)
		start[i] = last[i] = col[i];
	for (;;) {
		netsnmp_pdu *pdu = snmp_pdu_create(bulk ? SNMP_MSG_GETBULK : SNMP_MSG_GETNEXT);
		if (!pdu) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		if (bulk) {
			pdu->non_repeaters = 0;
			pdu->max_repetitions = REMOTE_WALK_REPETITIONS;
		}
		snmp_add_null_var(pdu, last, lastlen);
		netsnmp_pdu *resp = snmp_peer_send(sess, pdu, why, whylen);
		if (!resp)
			return -1;
		int done = !resp->variables;
		for (netsnmp_variable_list *vb = resp->variables; vb && !done;
		     vb = vb->next_variable) {
			if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT ||
			    vb->type == SNMP_NOSUCHINSTANCE || vb->name_length <= collen ||
			    snmp_oid_compare(vb->name, collen, start, collen) != 0) {
				done = 1; /* past the column */
				break;
			}
			if (snmp_oid_compare(vb->name, vb->name_length, last, lastlen) <= 0 ||
			    ++rows > REMOTE_WALK_MAX_ROWS) {
				snprintf(why, whylen, "%s: the agent's answers do not advance",
				         remote_tables_name(t));
				snmp_free_pdu(resp);
				return -1;
			}
			uint32_t index[MAX_OID_LEN];
			size_t n = vb->name_length - collen;
			int r = 0;
			for (size_t i = 0; i < n && r == 0; i++) {
				if (vb->name[collen + i] > UINT32_MAX)
					r = -1;
				index[i] = (uint32_t)vb->name[collen + i];
			}
			long value =
			    vb->type == ASN_INTEGER && vb->val.integer ? *vb->val.integer : 0;
			if (r == 0)
				r = remote_tables_row(t, index, n, value, &out->socks);
			if (r == -2) {
				snprintf(why, whylen, "out of memory");
				snmp_free_pdu(resp);
				return -1;
			}
			out->malformed += r < 0;
			memcpy(last, vb->name, vb->name_length * sizeof(oid));
			lastlen = vb->name_length;
		}
		snmp_free_pdu(resp);
		if (done)
			return rows;
	}
}

/* The first of the two tables (new, then RFC 1213's) that has rows. */
static int walk_protocol(void *sess, int bulk, enum remote_table preferred,
                         enum remote_table fallback, enum remote_table *used,
                         struct remote_scan *out, char *why, size_t whylen)
{
	long n = walk_column(sess, bulk, preferred, out, why, whylen);
	*used = preferred;
	if (n == 0) {
		n = walk_column(sess, bulk, fallback, out, why, whylen);
		*used = fallback;
	}
	return n < 0 ? -1 : 0;
}

int remote_walk(void *sess, long version, struct remote_scan *out, char *why, size_t whylen)
{
	int bulk = version != SNMP_VERSION_1;
	if (walk_protocol(sess, bulk, REMOTE_TCP_LISTENER, REMOTE_TCP_CONN, &out->tcp, out, why,
	                  whylen) < 0 ||
	    walk_protocol(sess, bulk, REMOTE_UDP_ENDPOINT, REMOTE_UDP, &out->udp, out, why,
	                  whylen) < 0)
		return -1;
	sock_list_sort(&out->socks);
	return 0;
}

void remote_scan_free(struct remote_scan *s)
{
	sock_list_free(&s->socks);
}

int remote_scan_source(const struct remote_scan *s)
{
	return s->tcp == REMOTE_TCP_CONN || s->udp == REMOTE_UDP ? CVP_SOURCE_RFC1213
	                                                         : CVP_SOURCE_TCP_UDP_MIB;
}
