/* CVP-PORT-MIB's notifications, as SNMPv2 traps through the agent: a subagent sends them as
 * AgentX Notify PDUs to the master, which forwards them to its trap2sink/informsink; a dlmod
 * module inside snmpd sends them to those sinks directly. */
#include "traps.h"
#include "mib_hosts.h"
#include "mib_listeners.h"
#include "mib_oids.h"

#include <net-snmp/agent/agent_callbacks.h>

#include <string.h>

static const oid snmptrap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

static int session_event(int major, int minor, void *server, void *client)
{
	struct traps *t = client;
	(void)major;
	(void)server;
	t->session_up = minor == SNMPD_CALLBACK_INDEX_START;
	if (t->session_up && t->on_session_up)
		t->on_session_up(t->arg);
	return SNMP_ERR_NOERROR;
}

void traps_init(struct traps *t, void (*on_session_up)(void *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->on_session_up = on_session_up;
	t->arg = arg;
	/* The agent role is a boolean: set for a subagent, clear inside snmpd (the master). */
	if (!netsnmp_ds_get_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE)) {
		t->session_up = 1; /* inside the master: its sinks are always there */
		return;
	}
	/* The AgentX client announces a session opened (after a start or a master's restart) and
	 * one closed (the master went away) with these. */
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, session_event,
	                       t);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, session_event,
	                       t);
	t->callbacks = 1;
}

void traps_free(struct traps *t)
{
	if (t->callbacks) {
		snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
		                         session_event, t, 1);
		snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
		                         session_event, t, 1);
	}
	memset(t, 0, sizeof(*t));
}

/* Appends OBJECT.INDEX of a table column to vars. */
static void add_column(netsnmp_variable_list **vars, const oid *table, size_t tablelen,
                       unsigned col, const oid *index, size_t indexlen, u_char type,
                       const void *value, size_t len)
{
	oid name[MAX_OID_LEN];
	memcpy(name, table, tablelen * sizeof(oid));
	name[tablelen] = 1;
	name[tablelen + 1] = col;
	memcpy(name + tablelen + 2, index, indexlen * sizeof(oid));
	snmp_varlist_add_variable(vars, name, tablelen + 2 + indexlen, type, value, len);
}

static void add_int(netsnmp_variable_list **vars, const oid *table, size_t tablelen, unsigned col,
                    const oid *index, size_t indexlen, u_char type, long value)
{
	add_column(vars, table, tablelen, col, index, indexlen, type, &value, sizeof(value));
}

static void add_text(netsnmp_variable_list **vars, const oid *table, size_t tablelen, unsigned col,
                     const oid *index, size_t indexlen, const char *s)
{
	add_column(vars, table, tablelen, col, index, indexlen, ASN_OCTET_STR, s, strlen(s));
}

/* cvpPortComplianceChange's objects, as the MIB's NOTIFICATION-TYPE lists them. */
static const uint8_t compliance_objects[] = {
    ROW_NAME,       ROW_PROTOCOL,     ROW_LOW,     ROW_HIGH,         ROW_STATE,
    ROW_COMPLIANCE, ROW_ADDRESS_TYPE, ROW_ADDRESS, ROW_PROCESS_NAME,
};

static netsnmp_variable_list *compliance_varbinds(const struct cvp_snapshot *s, uint32_t pos)
{
	static const oid table[] = {CVP_OID_PORT_TABLE};
	const struct row_view view = {pos, &s->cat->rows[pos], &s->rows[pos], 0};
	netsnmp_variable_list *v = NULL;
	oid idx = pos + 1;

	for (size_t i = 0; i < sizeof(compliance_objects); i++) {
		struct row_value val;
		struct mib_value m;
		if (row_fields_get(&view, compliance_objects[i], &val) < 0)
			continue;
		mib_value_encode(&val, &m);
		add_column(&v, table, OID_LENGTH(table), compliance_objects[i], &idx, 1, m.type,
		           m.ptr, m.len);
	}
	return v;
}

static netsnmp_variable_list *listener_varbinds(const struct cvp_listener *l)
{
	static const oid table[] = {CVP_OID_LISTENER_TABLE};
	const size_t tl = OID_LENGTH(table);
	netsnmp_variable_list *v = NULL;
	oid idx[MIB_TABLE_MAX_INDEX];
	size_t n = mib_listeners_index(l, idx);

	add_int(&v, table, tl, COL_LISTENER_PROCESS_ID, idx, n, ASN_UNSIGNED, l->pid);
	add_text(&v, table, tl, COL_LISTENER_PROCESS_NAME, idx, n, l->pname);
	add_int(&v, table, tl, COL_LISTENER_CLASS, idx, n, ASN_INTEGER, l->class);
	return v;
}

/* Sends CVP-PORT-MIB's notification kind with objects (taken over). */
static void send_notification(unsigned kind, netsnmp_variable_list *objects)
{
	static const oid notifications[] = {CVP_PORT_MIB_OID, 0};
	oid trap[OID_LENGTH(notifications) + 1];
	netsnmp_variable_list *vars = NULL;

	memcpy(trap, notifications, sizeof(notifications));
	trap[OID_LENGTH(notifications)] = kind;
	snmp_varlist_add_variable(&vars, snmptrap_oid, OID_LENGTH(snmptrap_oid), ASN_OBJECT_ID,
	                          trap, sizeof(trap));
	if (!vars) {
		snmp_free_varbind(objects);
		return;
	}
	vars->next_variable = objects;
	/* sysUpTime.0 is put first by the library, on the master's clock. */
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

void traps_send(const struct notify_event *ev, size_t n, const struct cvp_snapshot *s)
{
	for (size_t i = 0; i < n; i++)
		send_notification(ev[i].kind, ev[i].kind == NOTIFY_COMPLIANCE_CHANGE
		                                  ? compliance_varbinds(s, ev[i].row)
		                                  : listener_varbinds(&ev[i].listener));
}

/* cvpHostPortComplianceChange's objects after cvpHostName, as cvpHostPortEntry's columns. */
static const uint8_t host_port_objects[] = {
    COL_HOST_PORT_NAME,         COL_HOST_PORT_STATE,   COL_HOST_PORT_COMPLIANCE,
    COL_HOST_PORT_ADDRESS_TYPE, COL_HOST_PORT_ADDRESS,
};

static netsnmp_variable_list *host_varbinds(const struct host_state *h, const struct host_event *e)
{
	static const oid hosts[] = {CVP_OID_HOST_TABLE}, ports[] = {CVP_OID_HOST_PORT_TABLE};
	netsnmp_variable_list *v = NULL;
	oid idx[2] = {h->index, e->row + 1};

	add_text(&v, hosts, OID_LENGTH(hosts), COL_HOST_NAME, idx, 1, h->cfg.name);
	if (e->kind == HOST_EVENT_COMPLIANCE_CHANGE) {
		for (size_t i = 0; i < sizeof(host_port_objects); i++) {
			struct row_value val;
			struct mib_value m;
			if (mib_hosts_port_value(h, e->row, host_port_objects[i], &val) < 0)
				continue;
			mib_value_encode(&val, &m);
			add_column(&v, ports, OID_LENGTH(ports), host_port_objects[i], idx, 2,
			           m.type, m.ptr, m.len);
		}
		return v;
	}
	add_text(&v, hosts, OID_LENGTH(hosts), COL_HOST_ADDRESS, idx, 1, h->cfg.address);
	if (e->kind == HOST_EVENT_UNREACHABLE)
		add_text(&v, hosts, OID_LENGTH(hosts), COL_HOST_ERROR, idx, 1, h->error);
	else
		add_int(&v, hosts, OID_LENGTH(hosts), COL_HOST_SOURCE, idx, 1, ASN_INTEGER,
		        mib_hosts_source(h->source));
	return v;
}

void traps_send_hosts(const struct host_states *h, const struct host_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		send_notification(ev[i].kind, host_varbinds(h->v[ev[i].host], &ev[i]));
}
