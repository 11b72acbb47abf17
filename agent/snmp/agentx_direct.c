/* Direct answers to the master's AgentX Get and GetNext for CVP-PORT-MIB's tables. */
#include "agentx_direct.h"

#include <limits.h>
#include <string.h>

#include <net-snmp/agent/agent_callbacks.h>

/* RFC 2741 section 6.1: the PDU types net-snmp's AgentX parser leaves in pdu->command. */
enum { AGENTX_GET = 5, AGENTX_GETNEXT = 6, AGENTX_RESPONSE = 18 };

/* More varbinds than this in one request: net-snmp's agent answers it. */
#define AGENTX_DIRECT_MAX_VARBINDS 64

/* What one varbind's answer is, decided before anything is written. */
struct answer {
	const struct mib_table *t;
	enum mib_table_found found;
	struct mib_table_hit hit;
	int set_name; /* a GetNext's answer names the instance found */
};

static const struct mib_table *table_of(const struct agentx_direct *d, const oid *name, size_t len)
{
	for (size_t i = 0; i < d->ntables; i++) {
		const struct mib_table *t = d->tables[i];
		if (len >= t->rootlen &&
		    snmp_oid_compare(name, t->rootlen, t->root, t->rootlen) == 0)
			return t;
	}
	return NULL;
}

/* 0: answerable here; -1: not (outside the tables, or a search that leaves its table). */
static int decide(const struct agentx_direct *d, int next, const netsnmp_variable_list *vb,
                  struct answer *a)
{
	a->t = table_of(d, vb->name, vb->name_length);
	if (!a->t)
		return -1;
	a->set_name = 0;
	if (!next) {
		a->found = mib_table_find(a->t, 0, vb->name, vb->name_length, &a->hit);
		return 0;
	}
	/* A search range; net-snmp's master always bounds it, an unbounded one goes the long way */
	if ((vb->type != ASN_PRIV_INCL_RANGE && vb->type != ASN_PRIV_EXCL_RANGE) ||
	    vb->val_len < sizeof(oid))
		return -1;
	if (vb->type == ASN_PRIV_INCL_RANGE &&
	    mib_table_find(a->t, 0, vb->name, vb->name_length, &a->hit) == MIB_TABLE_VALUE) {
		a->found = MIB_TABLE_VALUE; /* the start itself is an instance: it is the answer */
		return 0;
	}
	a->set_name = 1;
	a->found = mib_table_find(a->t, 1, vb->name, vb->name_length, &a->hit);
	return a->found == MIB_TABLE_PAST ? -1 : 0;
}

static void write_answer(const struct answer *a, int next, netsnmp_variable_list *vb)
{
	if (!next) {
		if (a->found == MIB_TABLE_VALUE && mib_table_fill(a->t, &a->hit, 0, vb) == 0)
			return;
		snmp_set_var_typed_value(
		    vb, a->found == MIB_TABLE_NO_OBJECT ? SNMP_NOSUCHOBJECT : SNMP_NOSUCHINSTANCE,
		    NULL, 0);
		return;
	}
	/* The range's end and start, before the answer overwrites them. */
	oid start[MAX_OID_LEN], end[MAX_OID_LEN];
	size_t startlen = vb->name_length, endlen = vb->val_len / sizeof(oid);
	if (startlen > MAX_OID_LEN)
		startlen = MAX_OID_LEN; /* net-snmp's parser bounds both */
	if (endlen > MAX_OID_LEN)
		endlen = MAX_OID_LEN;
	memcpy(start, vb->name, startlen * sizeof(oid));
	memcpy(end, vb->val.objid, endlen * sizeof(oid));
	/* (every column from mincol to maxcol has a value: a failure would be a table's bug, and
	 * ends the search here rather than send the range's private type back) */
	if (mib_table_fill(a->t, &a->hit, a->set_name, vb) < 0 ||
	    snmp_oid_compare(vb->name, vb->name_length, end, endlen) >= 0) {
		/* RFC 2741 7.2.3.2: nothing in range is the start with endOfMibView */
		snmp_set_var_objid(vb, start, startlen);
		snmp_set_var_typed_value(vb, SNMP_ENDOFMIBVIEW, NULL, 0);
	}
}

netsnmp_pdu *agentx_direct_answer(const struct agentx_direct *d, netsnmp_pdu *request)
{
	struct answer answers[AGENTX_DIRECT_MAX_VARBINDS];
	size_t n = 0;
	int next = request->command == AGENTX_GETNEXT;

	/* The default context only (net-snmp's parser keeps an AgentX context in community). */
	if ((!next && request->command != AGENTX_GET) || request->community_len ||
	    !request->variables)
		return NULL;
	for (netsnmp_variable_list *vb = request->variables; vb; vb = vb->next_variable)
		if (n == AGENTX_DIRECT_MAX_VARBINDS || decide(d, next, vb, &answers[n++]) < 0)
			return NULL;
	/* the request's header without its varbinds, which move over */
	netsnmp_pdu *resp = snmp_split_pdu(request, INT_MAX, 0);
	if (!resp)
		return NULL;
	resp->variables = request->variables;
	request->variables = NULL;
	resp->command = AGENTX_RESPONSE;
	resp->errstat = 0;
	resp->errindex = 0;
	n = 0;
	for (netsnmp_variable_list *vb = resp->variables; vb; vb = vb->next_variable)
		write_answer(&answers[n++], next, vb);
	return resp;
}

static int agentx_direct_packet(int op, netsnmp_session *session, int reqid, netsnmp_pdu *pdu,
                                void *magic)
{
	struct agentx_direct *d = magic;

	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu) {
		netsnmp_pdu *resp = agentx_direct_answer(d, pdu);
		if (resp) {
			/* as net-snmp's handler: a request shows the master alive, no ping due */
			if (session->securityModel != SNMP_DEFAULT_SECMODEL)
				snmp_alarm_reset(session->securityModel);
			resp->version = session->version;
			if (!snmp_send(session, resp))
				snmp_free_pdu(resp);
			d->answered++;
			DEBUGMSGTL(("cvpportd/answer",
			            "answered request %ld directly (%lu so far)\n", pdu->reqid,
			            d->answered));
			return 1;
		}
	}
	snmp_callback next = d->next;
	void *next_magic = d->next_magic;
	if (op == NETSNMP_CALLBACK_OP_DISCONNECT)
		d->session = NULL; /* the next session is hooked when it opens */
	return next(op, session, reqid, pdu, next_magic);
}

/* SNMPD_CALLBACK_INDEX_START: net-snmp's subagent opened its session to the master. */
static int hook_session(int major, int minor, void *server, void *client)
{
	struct agentx_direct *d = client;
	netsnmp_session *session = server;
	(void)major;
	(void)minor;

	if (!session || !session->callback || session->callback == agentx_direct_packet)
		return SNMPERR_SUCCESS;
	d->next = session->callback;
	d->next_magic = session->callback_magic;
	d->session = session;
	session->callback = agentx_direct_packet;
	session->callback_magic = d;
	DEBUGMSGTL(("cvpportd/session", "the AgentX session answers CVP-PORT-MIB's tables\n"));
	return SNMPERR_SUCCESS;
}

int agentx_direct_start(struct agentx_direct *d, const struct mib_table *const *tables, size_t n)
{
	memset(d, 0, sizeof(*d));
	if (n > AGENTX_DIRECT_TABLES)
		return -1;
	memcpy(d->tables, tables, n * sizeof(*tables));
	d->ntables = n;
	return snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
	                              hook_session, d) == SNMPERR_SUCCESS
	           ? 0
	           : -1;
}

void agentx_direct_stop(struct agentx_direct *d)
{
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
	                         hook_session, d, 1);
	if (d->session && snmp_sess_pointer(d->session) &&
	    d->session->callback == agentx_direct_packet) {
		d->session->callback = d->next;
		d->session->callback_magic = d->next_magic;
	}
	d->session = NULL;
}
