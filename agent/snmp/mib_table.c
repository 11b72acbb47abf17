/* Read-only tables over arrays of what the handlers read (the snapshot, the hosts). */
#include "mib_table.h"

#include <string.h>

/* First position whose index is > key (strict) or >= key. Positions without a row keep their
 * place in the order, so the search is over all of them. */
static size_t index_bound(const struct mib_table *t, const struct mib_context *s, const oid *key,
                          size_t keylen, int strict)
{
	size_t lo = 0, hi = t->ops->count(s);
	oid idx[MIB_TABLE_MAX_INDEX];
	int present;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t len = t->ops->index(s, mid, idx, &present);
		int c = snmp_oid_compare(idx, len, key, keylen);
		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first position at or after pos that has a row, or count. */
static size_t next_present(const struct mib_table *t, const struct mib_context *s, size_t pos)
{
	oid idx[MIB_TABLE_MAX_INDEX];
	int present = 0;
	size_t n = t->ops->count(s);
	for (; pos < n; pos++) {
		t->ops->index(s, pos, idx, &present);
		if (present)
			break;
	}
	return pos;
}

enum mib_table_found mib_table_find(const struct mib_table *t, int next, const oid *name,
                                    size_t len, struct mib_table_hit *hit)
{
	const struct mib_context *s = t->ctx;
	size_t entry = t->rootlen + 1;
	oid idx[MIB_TABLE_MAX_INDEX];
	int present = 0;

	if (!next) {
		if (len <= entry || name[t->rootlen] != 1 || name[entry] < t->ops->mincol ||
		    name[entry] > t->ops->maxcol)
			return MIB_TABLE_NO_OBJECT;
		const oid *key = name + entry + 1;
		size_t keylen = len - entry - 1;
		size_t pos = index_bound(t, s, key, keylen, 0);
		if (pos >= t->ops->count(s) ||
		    snmp_oid_compare(idx, t->ops->index(s, pos, idx, &present), key, keylen) != 0 ||
		    !present)
			return MIB_TABLE_NO_INSTANCE;
		hit->col = (unsigned)name[entry];
		hit->pos = pos;
		return MIB_TABLE_VALUE;
	}

	/* GETNEXT: the next instance in column-major order. */
	unsigned col = t->ops->mincol;
	size_t pos = 0;
	/* Where the request stands relative to root.1 (the entry). */
	oid entry_oid[MIB_TABLE_MAX_ROOT + 1];
	memcpy(entry_oid, t->root, t->rootlen * sizeof(oid));
	entry_oid[t->rootlen] = 1;
	size_t cmplen = len < entry ? len : entry;
	int c = snmp_oid_compare(name, cmplen, entry_oid, cmplen);
	if (c > 0)
		return MIB_TABLE_PAST;
	if (c == 0 && len > entry) {
		if (name[entry] > t->ops->maxcol)
			return MIB_TABLE_PAST;
		if (name[entry] >= t->ops->mincol) {
			col = (unsigned)name[entry];
			pos = index_bound(t, s, name + entry + 1, len - entry - 1, 1);
		}
	}
	for (;;) {
		pos = next_present(t, s, pos);
		if (pos < t->ops->count(s))
			break;
		if (++col > t->ops->maxcol)
			return MIB_TABLE_PAST;
		pos = 0;
	}
	hit->col = col;
	hit->pos = pos;
	return MIB_TABLE_VALUE;
}

int mib_table_fill(const struct mib_table *t, const struct mib_table_hit *hit, int set_name,
                   netsnmp_variable_list *vb)
{
	if (set_name) {
		oid out[MIB_TABLE_MAX_ROOT + 2 + MIB_TABLE_MAX_INDEX];
		int present;
		size_t entry = t->rootlen + 1;
		memcpy(out, t->root, t->rootlen * sizeof(oid));
		out[t->rootlen] = 1;
		out[entry] = hit->col;
		size_t n = entry + 1 + t->ops->index(t->ctx, hit->pos, out + entry + 1, &present);
		snmp_set_var_objid(vb, out, n);
	}
	return t->ops->value(vb, t->ctx, hit->pos, hit->col);
}

/* GET: the instance's value or the error; GETNEXT: the next instance, or the request left as it
 * is so that the agent goes on to the next registered subtree. */
static void mib_table_answer(const struct mib_table *t, int mode,
                             netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req)
{
	struct mib_table_hit hit;
	netsnmp_variable_list *vb = req->requestvb;

	if (mode != MODE_GET && mode != MODE_GETNEXT)
		return;
	enum mib_table_found f =
	    mib_table_find(t, mode == MODE_GETNEXT, vb->name, vb->name_length, &hit);
	if (f == MIB_TABLE_VALUE && mib_table_fill(t, &hit, mode == MODE_GETNEXT, vb) < 0 &&
	    mode == MODE_GET)
		f = MIB_TABLE_NO_INSTANCE;
	if (f == MIB_TABLE_NO_OBJECT)
		netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHOBJECT);
	else if (f == MIB_TABLE_NO_INSTANCE)
		netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
}

static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct mib_table *t = reg->my_reg_void;
	(void)handler;

	for (netsnmp_request_info *req = requests; req; req = req->next)
		if (!req->processed)
			mib_table_answer(t, reqinfo->mode, reqinfo, req);
	return SNMP_ERR_NOERROR;
}

int mib_table_register(struct mib_table *t, const char *name, const oid *root, size_t rootlen,
                       const struct mib_table_ops *ops, const struct mib_context *ctx)
{
	memset(t, 0, sizeof(*t));
	if (rootlen > MIB_TABLE_MAX_ROOT - 1)
		return -1;
	t->ops = ops;
	t->ctx = ctx;
	memcpy(t->root, root, rootlen * sizeof(oid));
	t->rootlen = rootlen;
	t->reg = netsnmp_create_handler_registration(name, table_handler, root, rootlen,
	                                             HANDLER_CAN_RONLY);
	if (!t->reg)
		return -1;
	t->reg->my_reg_void = t;
	if (netsnmp_register_handler(t->reg) != MIB_REGISTERED_OK) {
		t->reg = NULL; /* freed by the failed registration */
		return -1;
	}
	return 0;
}

void mib_table_unregister(struct mib_table *t)
{
	if (t->reg)
		netsnmp_unregister_handler(t->reg);
	t->reg = NULL;
}

void mib_set_int(netsnmp_variable_list *vb, u_char type, long value)
{
	if (type == ASN_INTEGER) {
		snmp_set_var_typed_value(vb, type, &value, sizeof(value));
	} else {
		u_long u = (u_long)value;
		snmp_set_var_typed_value(vb, type, &u, sizeof(u));
	}
}

void mib_set_text(netsnmp_variable_list *vb, const char *s)
{
	snmp_set_var_typed_value(vb, ASN_OCTET_STR, s, strlen(s));
}

void mib_value_encode(const struct row_value *v, struct mib_value *out)
{
	static const u_char types[] = {
	    [ROW_KIND_TEXT] = ASN_OCTET_STR,    [ROW_KIND_ENUM] = ASN_INTEGER,
	    [ROW_KIND_UNSIGNED] = ASN_UNSIGNED, [ROW_KIND_GAUGE] = ASN_GAUGE,
	    [ROW_KIND_OCTETS] = ASN_OCTET_STR,  [ROW_KIND_TIMETICKS] = ASN_TIMETICKS,
	    [ROW_KIND_TRUTH] = ASN_INTEGER,
	};
	out->type = types[v->kind];
	switch (v->kind) {
	case ROW_KIND_TEXT:
		out->ptr = v->text;
		out->len = strlen(v->text);
		break;
	case ROW_KIND_OCTETS:
		out->ptr = v->octets;
		out->len = v->len;
		break;
	default:
		out->num = v->kind == ROW_KIND_TRUTH ? (v->num ? 1 : 2) : v->num; /* TruthValue */
		out->ptr = &out->num;
		out->len = sizeof(out->num);
	}
}

void mib_set_value(netsnmp_variable_list *vb, const struct row_value *v)
{
	struct mib_value m;
	mib_value_encode(v, &m);
	snmp_set_var_typed_value(vb, m.type, m.ptr, m.len);
}
