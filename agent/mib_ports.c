/* cvpPortTable: one row per catalogue row, indexed by catalogue position (removed rows leave
 * a gap, so an index always names the same row). */
#include "mib_ports.h"
#include "mib_oids.h"
#include "notify.h"

static size_t ports_count(const struct cvp_snapshot *s)
{
	return s->nrows;
}

static size_t ports_index(const struct cvp_snapshot *s, size_t pos, oid *out, int *present)
{
	out[0] = (oid)(pos + 1);
	*present = !s->cat->rows[pos].removed;
	return 1;
}

static int ports_value(netsnmp_request_info *req, const struct mib_context *ctx, size_t pos,
                       unsigned col)
{
	const struct cvp_snapshot *s = ctx->snapshot;
	const struct cvp_row *row = &s->cat->rows[pos];
	const struct cvp_row_result *r = &s->rows[pos];

	switch (col) {
	case COL_PORT_NAME: mib_set_text(req, row->name); break;
	case COL_PORT_LISTENER: mib_set_text(req, row->listener); break;
	case COL_PORT_PROTOCOL: mib_set_int(req, ASN_INTEGER, row->proto); break;
	case COL_PORT_LOW: mib_set_int(req, ASN_UNSIGNED, row->ports.low); break;
	case COL_PORT_HIGH: mib_set_int(req, ASN_UNSIGNED, row->ports.high); break;
	case COL_PORT_STRIDE: mib_set_int(req, ASN_UNSIGNED, row->ports.stride); break;
	case COL_PORT_MATCH: mib_set_int(req, ASN_INTEGER, row->match); break;
	case COL_PORT_DIRECTION: mib_set_int(req, ASN_INTEGER, row->direction); break;
	case COL_PORT_REMOTE: mib_set_text(req, row->remote); break;
	case COL_PORT_ROLE: mib_set_text(req, enum_role_name(row->role)); break;
	case COL_PORT_REQUIREMENT: mib_set_int(req, ASN_INTEGER, row->requirement); break;
	case COL_PORT_STATE: mib_set_int(req, ASN_INTEGER, r->state); break;
	case COL_PORT_LISTEN_COUNT: mib_set_int(req, ASN_GAUGE, r->listen_count); break;
	case COL_PORT_ADDRESS_TYPE: mib_set_int(req, ASN_INTEGER, r->addr_type); break;
	case COL_PORT_ADDRESS: mib_set_string(req, r->addr, r->addr_len); break;
	case COL_PORT_PROCESS_ID: mib_set_int(req, ASN_UNSIGNED, r->pid); break;
	case COL_PORT_PROCESS_NAME: mib_set_text(req, r->pname); break;
	case COL_PORT_COMPLIANCE: mib_set_int(req, ASN_INTEGER, r->compliance); break;
	case COL_PORT_LAST_CHANGE:
		mib_set_int(req, ASN_TIMETICKS, notify_row_last_change(ctx->notifier, pos));
		break;
	case COL_PORT_EPHEMERAL_OVERLAP:
		mib_set_int(req, ASN_INTEGER, r->ephemeral_overlap ? 1 : 2); /* TruthValue */
		break;
	case COL_PORT_NOTE: mib_set_text(req, row->note); break;
	case COL_PORT_EXPECTED_OWNER: mib_set_text(req, row->owner.text); break;
	case COL_PORT_RATIONALE: mib_set_text(req, row->rationale); break;
	default: return -1;
	}
	return 0;
}

static const struct mib_table_ops ports_ops = {
    .count = ports_count,
    .index = ports_index,
    .value = ports_value,
    .mincol = COL_PORT_NAME,
    .maxcol = COL_PORT_RATIONALE,
};

int mib_ports_register(struct mib_table *t, const struct mib_context *ctx)
{
	static const oid root[] = {CVP_OID_PORT_TABLE};
	return mib_table_register(t, "cvpPortTable", root, OID_LENGTH(root), &ports_ops, ctx);
}
