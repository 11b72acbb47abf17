/* A read-only MIB table over the rows of the current snapshot: a sorted net-snmp container of
 * indexes, each pointing at a position in a snapshot array. GETNEXT and GETBULK are answered
 * by the table_container helper by binary search, so a walk is O(n log n). */
#ifndef CVP_MIB_TABLE_H
#define CVP_MIB_TABLE_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define MIB_TABLE_MAX_INDEX 24

struct mib_table {
	netsnmp_container *container;
	netsnmp_handler_registration *reg;
};

struct mib_table_row {
	netsnmp_index index; /* first: the container compares on it */
	oid oids[MIB_TABLE_MAX_INDEX];
	size_t pos;
};

int mib_table_register(struct mib_table *t, const char *name, const oid *root, size_t rootlen,
                       unsigned mincol, unsigned maxcol, const u_char *index_types, size_t ntypes,
                       Netsnmp_Node_Handler *handler);
void mib_table_unregister(struct mib_table *t);
void mib_table_clear(struct mib_table *t);
int mib_table_add(struct mib_table *t, const oid *index, size_t len, size_t pos);
/* The snapshot position of the row a GET request addresses, or -1 (noSuchInstance is set). */
long mib_table_request_pos(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                           unsigned *column);

/* Value setters shared by the MIB handlers. */
void mib_set_int(netsnmp_request_info *request, u_char type, long value);
void mib_set_string(netsnmp_request_info *request, const void *value, size_t len);

#endif
