/* cvpPortGlobals: the scalars, read from the snapshot and the notifier of the registration's
 * context. */
#include "mib_globals.h"
#include "mib_oids.h"
#include "monotonic.h"
#include "host_state.h"
#include "notify.h"

#include <string.h>

static const oid globals_oid[] = {CVP_OID_GLOBALS};

static void set_global(netsnmp_variable_list *vb, const struct mib_context *ctx, oid subid)
{
	const struct cvp_snapshot *s = ctx->snapshot;
	struct notify_counters c = notify_counters(ctx->notifier);
	if (ctx->hosts) {
		/* every notification handed to the master, the remote hosts' too */
		struct notify_counters r = host_state_counters(ctx->hosts);
		c.sent += r.sent;
		c.suppressed += r.suppressed;
	}
	char roles[128];
	uint64_t age;

	switch (subid) {
	case COL_GLOBAL_CATALOG_SIZE:
		mib_set_int(vb, ASN_UNSIGNED, (long)catalog_active_count(s->cat));
		break;
	case COL_GLOBAL_COMPLIANT: mib_set_int(vb, ASN_GAUGE, s->sum.compliant); break;
	case COL_GLOBAL_VIOLATIONS: mib_set_int(vb, ASN_GAUGE, s->sum.violations); break;
	case COL_GLOBAL_UNEXPECTED: mib_set_int(vb, ASN_GAUGE, s->sum.unexpected); break;
	case COL_GLOBAL_OVERALL: mib_set_int(vb, ASN_INTEGER, s->sum.overall); break;
	case COL_GLOBAL_SCAN_AGE:
		age = (monotonic_us() - s->taken_us) / 1000000u;
		mib_set_int(vb, ASN_GAUGE, (long)(age > UINT32_MAX ? UINT32_MAX : age));
		break;
	case COL_GLOBAL_SCAN_DURATION: mib_set_int(vb, ASN_GAUGE, s->scan_us); break;
	case COL_GLOBAL_SCAN_COUNT: mib_set_int(vb, ASN_COUNTER, s->scan_count); break;
	case COL_GLOBAL_SCAN_SOURCE: mib_set_int(vb, ASN_INTEGER, s->source); break;
	case COL_GLOBAL_ROLES:
		catalog_format_roles(s->cat->roles, roles, sizeof(roles));
		mib_set_text(vb, roles);
		break;
	case COL_GLOBAL_EPHEMERAL_LOW: mib_set_int(vb, ASN_UNSIGNED, s->eph_low); break;
	case COL_GLOBAL_EPHEMERAL_HIGH: mib_set_int(vb, ASN_UNSIGNED, s->eph_high); break;
	case COL_GLOBAL_COMPLIANCE_CHANGES:
		mib_set_int(vb, ASN_COUNTER, c.compliance_changes);
		break;
	case COL_GLOBAL_NOTIFICATIONS_SENT: mib_set_int(vb, ASN_COUNTER, c.sent); break;
	case COL_GLOBAL_NOTIFICATIONS_SUPPRESSED: mib_set_int(vb, ASN_COUNTER, c.suppressed); break;
	case COL_GLOBAL_UNATTRIBUTED: mib_set_int(vb, ASN_GAUGE, s->stats.unattributed); break;
	case COL_GLOBAL_COUNTER_DISCONTINUITY: mib_set_int(vb, ASN_TIMETICKS, c.since); break;
	case COL_GLOBAL_UNKNOWN: mib_set_int(vb, ASN_GAUGE, s->sum.unknown); break;
	}
}

/* The scalars are instances X.0 of the group, X from the first column to the last. */
#define GLOBALS_LEN OID_LENGTH(globals_oid)
#define COL_GLOBAL_LAST COL_GLOBAL_UNKNOWN

/* The scalar a GET names: its column, or 0 when the OID is no instance of the group. */
static oid get_column(const netsnmp_variable_list *vb)
{
	if (vb->name_length != GLOBALS_LEN + 2 ||
	    snmp_oid_compare(vb->name, GLOBALS_LEN, globals_oid, GLOBALS_LEN) != 0 ||
	    vb->name[GLOBALS_LEN + 1] != 0 || vb->name[GLOBALS_LEN] < COL_GLOBAL_CATALOG_SIZE ||
	    vb->name[GLOBALS_LEN] > COL_GLOBAL_LAST)
		return 0;
	return vb->name[GLOBALS_LEN];
}

/* The scalar after the OID a GETNEXT names: the first instance X.0 greater than it, compared as
 * OIDs (every subidentifier unsigned, of any size), or 0 when none of the group's is. */
static oid next_column(const netsnmp_variable_list *vb)
{
	if (snmp_oid_compare(vb->name, vb->name_length, globals_oid, GLOBALS_LEN) < 0)
		return COL_GLOBAL_CATALOG_SIZE;
	if (netsnmp_oid_is_subtree(globals_oid, GLOBALS_LEN, vb->name, vb->name_length) != 0)
		return 0; /* past the group */
	if (vb->name_length == GLOBALS_LEN || vb->name[GLOBALS_LEN] < COL_GLOBAL_CATALOG_SIZE)
		return COL_GLOBAL_CATALOG_SIZE;
	oid x = vb->name[GLOBALS_LEN];
	if (x > COL_GLOBAL_LAST)
		return 0;
	if (vb->name_length == GLOBALS_LEN + 1)
		return x; /* X itself comes before X.0 */
	return x < COL_GLOBAL_LAST ? x + 1 : 0;
}

/* A handler of its own rather than net-snmp's scalar-group helper: that one reads a request's
 * subidentifier into a narrower type, so that GETNEXT of X.4294967295 went backwards. */
static int globals_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
                           netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct mib_context *ctx = reg->my_reg_void;
	const struct cvp_snapshot *s = ctx->snapshot;
	(void)handler;

	if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		if (req->processed)
			continue;
		netsnmp_variable_list *vb = req->requestvb;
		oid col = reqinfo->mode == MODE_GET ? get_column(vb) : next_column(vb);
		if (!col || !s) {
			/* GET: no such instance; GETNEXT: the agent goes on past the group */
			if (reqinfo->mode == MODE_GET)
				netsnmp_set_request_error(
				    reqinfo, req, col ? SNMP_NOSUCHINSTANCE : SNMP_NOSUCHOBJECT);
			continue;
		}
		if (reqinfo->mode == MODE_GETNEXT) {
			oid name[GLOBALS_LEN + 2];
			memcpy(name, globals_oid, sizeof(globals_oid));
			name[GLOBALS_LEN] = col;
			name[GLOBALS_LEN + 1] = 0;
			snmp_set_var_objid(vb, name, GLOBALS_LEN + 2);
		}
		set_global(vb, ctx, col);
	}
	return SNMP_ERR_NOERROR;
}

netsnmp_handler_registration *mib_globals_register(const struct mib_context *ctx)
{
	netsnmp_handler_registration *reg =
	    netsnmp_create_handler_registration("cvpPortGlobals", globals_handler, globals_oid,
	                                        OID_LENGTH(globals_oid), HANDLER_CAN_RONLY);
	if (!reg)
		return NULL;
	reg->my_reg_void = (void *)ctx;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK)
		return NULL; /* the failed registration freed reg */
	return reg;
}
