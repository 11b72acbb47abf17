/* cvpFindingTable: the listeners with a finding, served from the snapshot's index of them, so
 * that its size and its cost are the number of findings, not of sockets. */
#include "mib_findings.h"
#include "mib_listeners.h"
#include "mib_oids.h"
#include "notify.h"

static size_t findings_count(const struct mib_context *ctx)
{
	return ctx->snapshot ? ctx->snapshot->nfindings : 0;
}

static size_t findings_index(const struct mib_context *ctx, size_t pos, oid *out, int *present)
{
	const struct cvp_snapshot *s = ctx->snapshot;
	*present = 1;
	return mib_listeners_index(&s->listeners[s->findings[pos]], out);
}

/* The columns a finding shares with its listener: cvpListenerEntry's column for each. */
static const uint8_t listener_column[] = {
    [COL_FINDING_PORT_INDEX] = COL_LISTENER_PORT_INDEX,
    [COL_FINDING_PROCESS_ID] = COL_LISTENER_PROCESS_ID,
    [COL_FINDING_PROCESS_NAME] = COL_LISTENER_PROCESS_NAME,
    [COL_FINDING_UID] = COL_LISTENER_UID,
    [COL_FINDING_PROCESS_UID] = COL_LISTENER_PROCESS_UID,
};

static int findings_value(netsnmp_variable_list *vb, const struct mib_context *ctx, size_t pos,
                          unsigned col)
{
	const struct cvp_listener *l = &ctx->snapshot->listeners[ctx->snapshot->findings[pos]];
	if (col == COL_FINDING_KIND)
		mib_set_int(vb, ASN_INTEGER, l->finding);
	else if (col == COL_FINDING_SINCE)
		mib_set_int(vb, ASN_TIMETICKS, notify_finding_since(ctx->notifier, l));
	else if (col >= sizeof(listener_column) || !listener_column[col])
		return -1;
	else
		return mib_listeners_value(vb, l, listener_column[col]);
	return 0;
}

static const struct mib_table_ops findings_ops = {
    .count = findings_count,
    .index = findings_index,
    .value = findings_value,
    .mincol = COL_FINDING_KIND,
    .maxcol = COL_FINDING_SINCE,
};

int mib_findings_register(struct mib_table *t, const struct mib_context *ctx)
{
	static const oid root[] = {CVP_OID_FINDING_TABLE};
	return mib_table_register(t, "cvpFindingTable", root, OID_LENGTH(root), &findings_ops, ctx);
}
