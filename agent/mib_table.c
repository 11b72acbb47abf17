/* Shared plumbing of the two CVP-PORT-MIB tables. */
#include "mib_table.h"

#include <string.h>

static void row_free(void *data, void *context)
{
	(void)context;
	free(data);
}

int mib_table_register(struct mib_table *t, const char *name, const oid *root, size_t rootlen,
                       unsigned mincol, unsigned maxcol, const u_char *index_types, size_t ntypes,
                       Netsnmp_Node_Handler *handler)
{
	netsnmp_table_registration_info *info = NULL;
	char cname[64];

	memset(t, 0, sizeof(*t));
	snprintf(cname, sizeof(cname), "%s:table_container", name);
	t->container = netsnmp_container_find(cname);
	if (!t->container)
		goto fail;
	t->container->container_name = strdup(name);
	info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (!info)
		goto fail;
	for (size_t i = 0; i < ntypes; i++)
		netsnmp_table_helper_add_index(info, index_types[i]);
	info->min_column = mincol;
	info->max_column = maxcol;
	t->reg =
	    netsnmp_create_handler_registration(name, handler, root, rootlen, HANDLER_CAN_RONLY);
	if (!t->reg)
		goto fail;
	if (netsnmp_container_table_register(t->reg, info, t->container,
	                                     TABLE_CONTAINER_KEY_NETSNMP_INDEX) !=
	    MIB_REGISTERED_OK) {
		t->reg = NULL; /* freed by the failed registration */
		info = NULL;
		goto fail;
	}
	return 0;
fail:
	if (t->reg)
		netsnmp_handler_registration_free(t->reg);
	if (info)
		netsnmp_table_registration_info_free(info);
	if (t->container)
		CONTAINER_FREE(t->container);
	memset(t, 0, sizeof(*t));
	return -1;
}

void mib_table_clear(struct mib_table *t)
{
	if (t->container)
		CONTAINER_CLEAR(t->container, row_free, NULL);
}

void mib_table_unregister(struct mib_table *t)
{
	if (t->reg)
		netsnmp_unregister_handler(t->reg);
	if (t->container) {
		mib_table_clear(t);
		CONTAINER_FREE(t->container);
	}
	memset(t, 0, sizeof(*t));
}

int mib_table_add(struct mib_table *t, const oid *index, size_t len, size_t pos)
{
	struct mib_table_row *row;
	if (len > MIB_TABLE_MAX_INDEX || !(row = calloc(1, sizeof(*row))))
		return -1;
	memcpy(row->oids, index, len * sizeof(oid));
	row->index.oids = row->oids;
	row->index.len = len;
	row->pos = pos;
	if (CONTAINER_INSERT(t->container, row) != 0) {
		free(row);
		return -1;
	}
	return 0;
}

long mib_table_request_pos(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *request,
                           unsigned *column)
{
	struct mib_table_row *row = netsnmp_container_table_row_extract(request);
	netsnmp_table_request_info *tinfo = netsnmp_extract_table_info(request);
	if (!row || !tinfo) {
		netsnmp_set_request_error(reqinfo, request, SNMP_NOSUCHINSTANCE);
		return -1;
	}
	*column = tinfo->colnum;
	return (long)row->pos;
}

void mib_set_int(netsnmp_request_info *request, u_char type, long value)
{
	if (type == ASN_INTEGER) {
		snmp_set_var_typed_value(request->requestvb, type, &value, sizeof(value));
	} else {
		u_long u = (u_long)value;
		snmp_set_var_typed_value(request->requestvb, type, &u, sizeof(u));
	}
}

void mib_set_string(netsnmp_request_info *request, const void *value, size_t len)
{
	snmp_set_var_typed_value(request->requestvb, ASN_OCTET_STR, value, len);
}
