/* A read-only MIB table served straight from an array of the current snapshot, whose rows are
 * in index order: GET is a binary search for the instance, GETNEXT (and so GETBULK) a binary
 * search for the next one, so a walk is O(n log n) and nothing is rebuilt when a new snapshot
 * is published. Every handler finds its data through its registration's context. */
#ifndef MIB_TABLE_H
#define MIB_TABLE_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "row_fields.h"
#include "snapshot.h"

/* (a host,) protocol, address type, address length, 20 address octets, port */
#define MIB_TABLE_MAX_INDEX 25
#define MIB_TABLE_MAX_ROOT 16

/* What the handlers read: the refresh publishes each new snapshot here in one step. */
struct notifier;
struct host_states;

/* What the handlers answer from: both replaced, never written, on net-snmp's thread. */
struct mib_context {
	const struct cvp_snapshot *snapshot; /* NULL before the first refresh */
	const struct notifier *notifier;     /* TimeStamps and counters; NULL: none decided */
	const struct host_states *hosts;     /* the remote hosts (host_state.h); NULL: none */
};

struct mib_table_ops {
	/* Number of positions in the array the table is served from (0 when there is none). */
	size_t (*count)(const struct mib_context *ctx);
	/* The index of position pos (its length is returned); *present is 0 for a position that is
	 * in order but has no row (a removed catalogue row). */
	size_t (*index)(const struct mib_context *ctx, size_t pos, oid *out, int *present);
	/* Sets the value of column col at pos. Returns 0, or -1 when the column does not exist. */
	int (*value)(netsnmp_variable_list *vb, const struct mib_context *ctx, size_t pos,
	             unsigned col);
	unsigned mincol, maxcol; /* the accessible columns */
};

struct mib_table {
	const struct mib_table_ops *ops;
	const struct mib_context *ctx;
	oid root[MIB_TABLE_MAX_ROOT]; /* the table's OID; entries are root.1.COLUMN.INDEX */
	size_t rootlen;
	netsnmp_handler_registration *reg;
};

int mib_table_register(struct mib_table *t, const char *name, const oid *root, size_t rootlen,
                       const struct mib_table_ops *ops, const struct mib_context *ctx)
    __attribute__((warn_unused_result));
void mib_table_unregister(struct mib_table *t);

/* Where a GET (next 0) or a GETNEXT (next 1) of name lands in the table: an instance (hit), no
 * such object or instance (GET), or past the table's last instance (GETNEXT). The registered
 * handler and the direct AgentX answer (agentx_direct.h) both answer through these two. */
enum mib_table_found {
	MIB_TABLE_VALUE,
	MIB_TABLE_NO_OBJECT,
	MIB_TABLE_NO_INSTANCE,
	MIB_TABLE_PAST
};
struct mib_table_hit {
	unsigned col;
	size_t pos;
};
enum mib_table_found mib_table_find(const struct mib_table *t, int next, const oid *name,
                                    size_t len, struct mib_table_hit *hit);
/* Sets vb's value to the hit's (and its name to the hit's instance when set_name). Returns 0,
 * or -1 when the column has no value there. */
int mib_table_fill(const struct mib_table *t, const struct mib_table_hit *hit, int set_name,
                   netsnmp_variable_list *vb);

/* A row field's value (row_fields.h) as net-snmp types it: its ASN type, and the bytes to
 * give snmp_set_var_typed_value or snmp_varlist_add_variable (num holds an integer's). */
struct mib_value {
	u_char type;
	const void *ptr;
	size_t len;
	u_long num;
};
void mib_value_encode(const struct row_value *v, struct mib_value *out);
/* Sets the request's value to v. */
void mib_set_value(netsnmp_variable_list *vb, const struct row_value *v);

/* Value setters shared by the MIB handlers. */
void mib_set_int(netsnmp_variable_list *vb, u_char type, long value);
void mib_set_text(netsnmp_variable_list *vb, const char *s);

#endif
