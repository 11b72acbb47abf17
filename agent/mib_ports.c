/* cvpPortTable: one row per catalogue row, indexed by catalogue position. */
#include "cvpport_agent.h"
#include "mib_oids.h"
#include "mib_table.h"

#include <string.h>

static struct mib_table ports;

static void set_text(netsnmp_request_info *req, const char *s)
{
	mib_set_string(req, s, strlen(s));
}

static int set_port_column(netsnmp_request_info *req, const struct cvp_snapshot *s, size_t pos,
                           unsigned col)
{
	const struct cvp_row *row = &s->cat->rows[pos];
	const struct cvp_row_result *r = &s->rows[pos];

	switch (col) {
	case COL_PORT_NAME: set_text(req, row->name); break;
	case COL_PORT_LISTENER: set_text(req, row->listener); break;
	case COL_PORT_PROTOCOL: mib_set_int(req, ASN_INTEGER, row->proto); break;
	case COL_PORT_LOW: mib_set_int(req, ASN_UNSIGNED, row->ports.low); break;
	case COL_PORT_HIGH: mib_set_int(req, ASN_UNSIGNED, row->ports.high); break;
	case COL_PORT_STRIDE: mib_set_int(req, ASN_UNSIGNED, row->ports.stride); break;
	case COL_PORT_MATCH: mib_set_int(req, ASN_INTEGER, row->match); break;
	case COL_PORT_DIRECTION: mib_set_int(req, ASN_INTEGER, row->direction); break;
	case COL_PORT_REMOTE: set_text(req, row->remote); break;
	case COL_PORT_ROLE: set_text(req, cvp_role_name(row->role)); break;
	case COL_PORT_REQUIREMENT: mib_set_int(req, ASN_INTEGER, row->requirement); break;
	case COL_PORT_STATE: mib_set_int(req, ASN_INTEGER, r->state); break;
	case COL_PORT_LISTEN_COUNT: mib_set_int(req, ASN_GAUGE, r->listen_count); break;
	case COL_PORT_ADDRESS_TYPE: mib_set_int(req, ASN_INTEGER, r->addr_type); break;
	case COL_PORT_ADDRESS: mib_set_string(req, r->addr, r->addr_len); break;
	case COL_PORT_PROCESS_ID: mib_set_int(req, ASN_UNSIGNED, r->pid); break;
	case COL_PORT_PROCESS_NAME: set_text(req, r->pname); break;
	case COL_PORT_COMPLIANCE: mib_set_int(req, ASN_INTEGER, r->compliance); break;
	case COL_PORT_LAST_CHANGE: mib_set_int(req, ASN_TIMETICKS, r->last_change); break;
	case COL_PORT_EPHEMERAL_OVERLAP:
		mib_set_int(req, ASN_INTEGER, r->ephemeral_overlap ? 1 : 2);
		break;
	case COL_PORT_NOTE: set_text(req, row->note); break;
	default: return -1;
	}
	return 0;
}

static int ports_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
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
		if (!s || (size_t)pos >= s->nrows || set_port_column(req, s, (size_t)pos, col) < 0)
			netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHOBJECT);
	}
	return SNMP_ERR_NOERROR;
}

int mib_ports_register(void)
{
	static const oid root[] = {CVP_OID_PORT_TABLE};
	static const u_char index_types[] = {ASN_UNSIGNED};
	return mib_table_register(&ports, "cvpPortTable", root, OID_LENGTH(root), COL_PORT_NAME,
	                          COL_PORT_NOTE, index_types, 1, ports_handler);
}

void mib_ports_rebuild(const struct cvp_snapshot *s)
{
	mib_table_clear(&ports);
	for (size_t i = 0; i < s->nrows; i++) {
		oid index = (oid)(i + 1);
		if (!s->cat->rows[i].removed && mib_table_add(&ports, &index, 1, i) < 0)
			snmp_log(LOG_ERR, "cvpPortTable: cannot add row %zu\n", i + 1);
	}
}

void mib_ports_unregister(void)
{
	mib_table_unregister(&ports);
}
