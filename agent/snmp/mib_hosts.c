/* The remote hosts' tables, over the hosts' state (host_state.h). */
#include "mib_hosts.h"
#include "mib_listeners.h"
#include "mib_oids.h"

#include <string.h>

/* cvpHostSource: none(1), tcpUdpMib(2), rfc1213(3). */
long mib_hosts_source(int source)
{
	return source == CVP_SOURCE_TCP_UDP_MIB ? 2
	       : source == CVP_SOURCE_RFC1213   ? 3
	       : source == CVP_SOURCE_CAPTURE   ? 4
	                                        : 1;
}

static size_t hosts_count(const struct mib_context *ctx)
{
	return ctx->hosts ? ctx->hosts->n : 0;
}

static size_t hosts_index(const struct mib_context *ctx, size_t pos, oid *out, int *present)
{
	out[0] = ctx->hosts->v[pos]->index;
	*present = 1;
	return 1;
}

static int hosts_value(netsnmp_variable_list *vb, const struct mib_context *ctx, size_t pos,
                       unsigned col)
{
	const struct host_state *h = ctx->hosts->v[pos];
	const struct cvp_summary *sum = h->snap ? &h->snap->sum : &(struct cvp_summary){0};
	char roles[128];

	switch (col) {
	case COL_HOST_NAME: mib_set_text(vb, h->cfg.name); break;
	case COL_HOST_ADDRESS: mib_set_text(vb, h->cfg.address); break;
	case COL_HOST_ROLES:
		catalog_format_roles(h->cfg.roles, roles, sizeof(roles));
		mib_set_text(vb, roles);
		break;
	case COL_HOST_SOURCE: mib_set_int(vb, ASN_INTEGER, mib_hosts_source(h->source)); break;
	case COL_HOST_REACHABILITY:
		mib_set_int(vb, ASN_INTEGER, !h->polled ? 3 : h->reachable ? 1 : 2);
		break;
	case COL_HOST_STALE: mib_set_int(vb, ASN_INTEGER, host_state_stale(h) ? 1 : 2); break;
	case COL_HOST_LAST_POLL: mib_set_int(vb, ASN_TIMETICKS, h->last_poll); break;
	case COL_HOST_POLL_DURATION: mib_set_int(vb, ASN_GAUGE, h->poll_ms); break;
	case COL_HOST_POLL_INTERVAL: mib_set_int(vb, ASN_UNSIGNED, h->interval); break;
	case COL_HOST_OVERALL: mib_set_int(vb, ASN_INTEGER, host_state_overall(h)); break;
	case COL_HOST_COMPLIANT: mib_set_int(vb, ASN_GAUGE, sum->compliant); break;
	case COL_HOST_VIOLATIONS: mib_set_int(vb, ASN_GAUGE, sum->violations); break;
	case COL_HOST_UNEXPECTED: mib_set_int(vb, ASN_GAUGE, sum->unexpected); break;
	case COL_HOST_POLL_FAILURES: mib_set_int(vb, ASN_COUNTER, h->failures); break;
	case COL_HOST_ERROR: mib_set_text(vb, h->error); break;
	case COL_HOST_UNKNOWN: mib_set_int(vb, ASN_GAUGE, sum->unknown); break;
	case COL_HOST_TABLES: mib_set_text(vb, h->snap ? h->snap->remote_tables : ""); break;
	case COL_HOST_MALFORMED: mib_set_int(vb, ASN_GAUGE, h->malformed); break;
	case COL_HOST_EPHEMERAL_LOW:
		mib_set_int(vb, ASN_UNSIGNED, h->snap ? h->snap->eph_low : 0);
		break;
	case COL_HOST_EPHEMERAL_HIGH:
		mib_set_int(vb, ASN_UNSIGNED, h->snap ? h->snap->eph_high : 0);
		break;
	default: return -1;
	}
	return 0;
}

static size_t ports_count(const struct mib_context *ctx)
{
	const struct host_states *h = ctx->hosts;
	return h && h->n ? h->row_start[h->n] : 0;
}

static size_t ports_index(const struct mib_context *ctx, size_t pos, oid *out, int *present)
{
	size_t row;
	const struct host_state *h = host_state_at_row(ctx->hosts, pos, &row);
	out[0] = h->index;
	out[1] = (oid)(row + 1);
	*present = !h->snap->cat->rows[row].removed;
	return 2;
}

/* cvpHostPortEntry's columns, as cvpPortEntry's fields. */
static const uint8_t port_field[] = {
    [COL_HOST_PORT_NAME] = ROW_NAME,
    [COL_HOST_PORT_STATE] = ROW_STATE,
    [COL_HOST_PORT_COMPLIANCE] = ROW_COMPLIANCE,
    [COL_HOST_PORT_LISTEN_COUNT] = ROW_LISTEN_COUNT,
    [COL_HOST_PORT_ADDRESS_TYPE] = ROW_ADDRESS_TYPE,
    [COL_HOST_PORT_ADDRESS] = ROW_ADDRESS,
    [COL_HOST_PORT_LAST_CHANGE] = ROW_LAST_CHANGE,
};

int mib_hosts_port_value(const struct host_state *h, size_t row, unsigned col,
                         struct row_value *out)
{
	if (col >= sizeof(port_field) || !port_field[col] || !h->snap || row >= h->snap->nrows)
		return -1;
	const struct row_view v = {row, &h->snap->cat->rows[row], &h->snap->rows[row],
	                           notify_row_last_change(h->notifier, row)};
	return row_fields_get(&v, port_field[col], out);
}

static int ports_value(netsnmp_variable_list *vb, const struct mib_context *ctx, size_t pos,
                       unsigned col)
{
	size_t row;
	struct row_value val;
	const struct host_state *h = host_state_at_row(ctx->hosts, pos, &row);
	if (!h || mib_hosts_port_value(h, row, col, &val) < 0)
		return -1;
	mib_set_value(vb, &val);
	return 0;
}

static size_t findings_count(const struct mib_context *ctx)
{
	const struct host_states *h = ctx->hosts;
	return h && h->n ? h->finding_start[h->n] : 0;
}

static const struct cvp_listener *finding_at(const struct mib_context *ctx, size_t pos,
                                             const struct host_state **host)
{
	size_t f;
	const struct host_state *h = host_state_at_finding(ctx->hosts, pos, &f);
	*host = h;
	return h ? &h->snap->listeners[h->snap->findings[f]] : NULL;
}

static size_t findings_index(const struct mib_context *ctx, size_t pos, oid *out, int *present)
{
	const struct host_state *h;
	const struct cvp_listener *l = finding_at(ctx, pos, &h);
	out[0] = h->index;
	*present = 1;
	return 1 + mib_listeners_index(l, out + 1);
}

static int findings_value(netsnmp_variable_list *vb, const struct mib_context *ctx, size_t pos,
                          unsigned col)
{
	const struct host_state *h;
	const struct cvp_listener *l = finding_at(ctx, pos, &h);
	if (!l)
		return -1;
	if (col == COL_HOST_FINDING_KIND)
		mib_set_int(vb, ASN_INTEGER, l->finding);
	else if (col == COL_HOST_FINDING_PORT_INDEX)
		mib_set_int(vb, ASN_UNSIGNED, l->port_index);
	else if (col == COL_HOST_FINDING_SINCE)
		mib_set_int(vb, ASN_TIMETICKS, notify_finding_since(h->notifier, l));
	else if (col == COL_HOST_FINDING_PROCESS_ID) /* (a capture's: 0 from SNMP) */
		mib_set_int(vb, ASN_UNSIGNED, l->pid);
	else if (col == COL_HOST_FINDING_PROCESS_NAME)
		mib_set_text(vb, l->pname);
	else
		return -1;
	return 0;
}

static const struct mib_table_ops hosts_ops = {
    .count = hosts_count,
    .index = hosts_index,
    .value = hosts_value,
    .mincol = COL_HOST_NAME,
    .maxcol = COL_HOST_EPHEMERAL_HIGH,
};

static const struct mib_table_ops ports_ops = {
    .count = ports_count,
    .index = ports_index,
    .value = ports_value,
    .mincol = COL_HOST_PORT_NAME,
    .maxcol = COL_HOST_PORT_LAST_CHANGE,
};

static const struct mib_table_ops findings_ops = {
    .count = findings_count,
    .index = findings_index,
    .value = findings_value,
    .mincol = COL_HOST_FINDING_KIND,
    .maxcol = COL_HOST_FINDING_PROCESS_NAME,
};

int mib_hosts_register(struct mib_table *hosts, struct mib_table *ports, struct mib_table *findings,
                       const struct mib_context *ctx)
{
	static const oid host_root[] = {CVP_OID_HOST_TABLE};
	static const oid port_root[] = {CVP_OID_HOST_PORT_TABLE};
	static const oid finding_root[] = {CVP_OID_HOST_FINDING_TABLE};
	if (mib_table_register(hosts, "cvpHostTable", host_root, OID_LENGTH(host_root), &hosts_ops,
	                       ctx) < 0 ||
	    mib_table_register(ports, "cvpHostPortTable", port_root, OID_LENGTH(port_root),
	                       &ports_ops, ctx) < 0)
		return -1;
	return mib_table_register(findings, "cvpHostFindingTable", finding_root,
	                          OID_LENGTH(finding_root), &findings_ops, ctx);
}
