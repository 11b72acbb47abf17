/* cvpPortGlobals: the scalars, read from the snapshot and the notifier of the registration's
 * context. */
#include "mib_globals.h"
#include "mib_oids.h"
#include "monotonic.h"
#include "hosts.h"
#include "notify.h"

static const oid globals_oid[] = {CVP_OID_GLOBALS};

static void set_global(netsnmp_variable_list *vb, const struct mib_context *ctx, oid subid)
{
	const struct cvp_snapshot *s = ctx->snapshot;
	struct notify_counters c = notify_counters(ctx->notifier);
	if (ctx->hosts) {
		/* every notification handed to the master, the remote hosts' too */
		struct notify_counters r = hosts_counters(ctx->hosts);
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
	}
}

static int globals_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
                           netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct mib_context *ctx = reg->my_reg_void;
	const struct cvp_snapshot *s = ctx->snapshot;
	(void)handler;

	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		if (req->processed)
			continue;
		if (!s) {
			netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		/* The helpers below us rewrite reg->rootoid; the group OID's length is fixed. */
		set_global(req->requestvb, ctx, req->requestvb->name[OID_LENGTH(globals_oid)]);
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
	if (netsnmp_register_scalar_group(reg, COL_GLOBAL_CATALOG_SIZE,
	                                  COL_GLOBAL_COUNTER_DISCONTINUITY) != MIB_REGISTERED_OK)
		return NULL; /* the failed registration freed reg */
	return reg;
}
