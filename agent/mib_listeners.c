/* cvpListenerTable: every live listener, indexed as TCP-MIB's tcpListenerTable is. */
#include "cvpport_agent.h"
#include "mib_oids.h"
#include "mib_table.h"

#include <string.h>

static struct mib_table listeners;

static int set_listener_column(netsnmp_request_info *req, const struct cvp_listener *l,
                               unsigned col)
{
	switch (col) {
	case COL_LISTENER_PROCESS_ID: mib_set_int(req, ASN_UNSIGNED, l->pid); break;
	case COL_LISTENER_PROCESS_NAME: mib_set_string(req, l->pname, strlen(l->pname)); break;
	case COL_LISTENER_UID: mib_set_int(req, ASN_UNSIGNED, l->uid); break;
	case COL_LISTENER_PORT_INDEX: mib_set_int(req, ASN_UNSIGNED, l->port_index); break;
	case COL_LISTENER_CLASS: mib_set_int(req, ASN_INTEGER, l->class); break;
	case COL_LISTENER_SOCKETS: mib_set_int(req, ASN_GAUGE, l->sockets); break;
	default: return -1;
	}
	return 0;
}

static int listeners_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
                             netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct cvp_snapshot *s = cvp_current_snapshot();
	(void)handler;
	(void)reg;

	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		unsigned col;
		if (req->processed)
			continue;
		long pos = mib_table_request_pos(reqinfo, req, &col);
		if (pos < 0)
			continue;
		if (!s || (size_t)pos >= s->nlisteners ||
		    set_listener_column(req, &s->listeners[pos], col) < 0)
			netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHOBJECT);
	}
	return SNMP_ERR_NOERROR;
}

int mib_listeners_register(void)
{
	static const oid root[] = {CVP_OID_LISTENER_TABLE};
	static const u_char index_types[] = {ASN_INTEGER, ASN_INTEGER, ASN_OCTET_STR, ASN_UNSIGNED};
	return mib_table_register(&listeners, "cvpListenerTable", root, OID_LENGTH(root),
	                          COL_LISTENER_PROCESS_ID, COL_LISTENER_SOCKETS, index_types, 4,
	                          listeners_handler);
}

void mib_listeners_rebuild(const struct cvp_snapshot *s)
{
	mib_table_clear(&listeners);
	for (size_t i = 0; i < s->nlisteners; i++) {
		const struct cvp_listener *l = &s->listeners[i];
		oid index[MIB_TABLE_MAX_INDEX];
		size_t n = 0;
		index[n++] = l->proto;
		index[n++] = l->addr_type;
		index[n++] = l->addr_len;
		for (unsigned b = 0; b < l->addr_len; b++)
			index[n++] = l->addr[b];
		index[n++] = l->port;
		if (mib_table_add(&listeners, index, n, i) < 0)
			snmp_log(LOG_ERR, "cvpListenerTable: cannot add a row\n");
	}
}

void mib_listeners_unregister(void)
{
	mib_table_unregister(&listeners);
}
