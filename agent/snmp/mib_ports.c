/* cvpPortTable: one row per catalogue row, indexed by catalogue position (removed rows leave
 * a gap, so an index always names the same row). */
#include "mib_ports.h"
#include "mib_oids.h"
#include "notify.h"

static size_t ports_count(const struct mib_context *ctx)
{
	return ctx->snapshot ? ctx->snapshot->nrows : 0;
}

static size_t ports_index(const struct mib_context *ctx, size_t pos, oid *out, int *present)
{
	const struct cvp_snapshot *s = ctx->snapshot;
	out[0] = (oid)(pos + 1);
	*present = !s->cat->rows[pos].removed;
	return 1;
}

static int ports_value(netsnmp_variable_list *vb, const struct mib_context *ctx, size_t pos,
                       unsigned col)
{
	const struct cvp_snapshot *s = ctx->snapshot;
	const struct row_view v = {pos, &s->cat->rows[pos], &s->rows[pos],
	                           notify_row_last_change(ctx->notifier, pos)};
	struct row_value val;
	if (col > ROW_MIB_LAST || row_fields_get(&v, col, &val) < 0)
		return -1;
	mib_set_value(vb, &val);
	return 0;
}

static const struct mib_table_ops ports_ops = {
    .count = ports_count,
    .index = ports_index,
    .value = ports_value,
    .mincol = ROW_NAME,
    .maxcol = ROW_MIB_LAST,
};

int mib_ports_register(struct mib_table *t, const struct mib_context *ctx)
{
	static const oid root[] = {CVP_OID_PORT_TABLE};
	return mib_table_register(t, "cvpPortTable", root, OID_LENGTH(root), &ports_ops, ctx);
}
