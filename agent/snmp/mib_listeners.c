/* cvpListenerTable: every live listener, indexed as TCP-MIB's tcpListenerTable is
 * (protocol, InetAddressType, InetAddress with its length, port). The snapshot's listener
 * array is sorted in exactly that order. */
#include "mib_listeners.h"
#include "mib_oids.h"

static size_t listeners_count(const struct mib_context *ctx)
{
	return ctx->snapshot ? ctx->snapshot->nlisteners : 0;
}

size_t mib_listeners_index(const struct cvp_listener *l, oid *out)
{
	size_t n = 0;
	out[n++] = l->proto;
	out[n++] = l->addr_type;
	out[n++] = l->addr_len;
	for (unsigned b = 0; b < l->addr_len; b++)
		out[n++] = l->addr[b];
	out[n++] = l->port;
	return n;
}

static size_t listeners_index(const struct mib_context *ctx, size_t pos, oid *out, int *present)
{
	const struct cvp_snapshot *s = ctx->snapshot;
	*present = 1;
	return mib_listeners_index(&s->listeners[pos], out);
}

int mib_listeners_value(netsnmp_variable_list *vb, const struct cvp_listener *l, unsigned col)
{
	switch (col) {
	case COL_LISTENER_PROCESS_ID: mib_set_int(vb, ASN_UNSIGNED, l->pid); break;
	case COL_LISTENER_PROCESS_NAME: mib_set_text(vb, l->pname); break;
	case COL_LISTENER_UID: mib_set_int(vb, ASN_UNSIGNED, l->uid); break;
	case COL_LISTENER_PORT_INDEX: mib_set_int(vb, ASN_UNSIGNED, l->port_index); break;
	case COL_LISTENER_CLASS: mib_set_int(vb, ASN_INTEGER, l->class); break;
	case COL_LISTENER_SOCKETS: mib_set_int(vb, ASN_GAUGE, l->sockets); break;
	case COL_LISTENER_PROCESS_UID: mib_set_int(vb, ASN_UNSIGNED, l->proc_uid); break;
	default: return -1;
	}
	return 0;
}

static int listeners_value(netsnmp_variable_list *vb, const struct mib_context *ctx, size_t pos,
                           unsigned col)
{
	return mib_listeners_value(vb, &ctx->snapshot->listeners[pos], col);
}

static const struct mib_table_ops listeners_ops = {
    .count = listeners_count,
    .index = listeners_index,
    .value = listeners_value,
    .mincol = COL_LISTENER_PROCESS_ID,
    .maxcol = COL_LISTENER_PROCESS_UID,
};

int mib_listeners_register(struct mib_table *t, const struct mib_context *ctx)
{
	static const oid root[] = {CVP_OID_LISTENER_TABLE};
	return mib_table_register(t, "cvpListenerTable", root, OID_LENGTH(root), &listeners_ops,
	                          ctx);
}
