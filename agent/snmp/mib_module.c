/* CVP-PORT-MIB's registrations (mib_module.h). */
#include "mib_module.h"
#include "mib_findings.h"
#include "mib_globals.h"
#include "mib_hosts.h"
#include "mib_listeners.h"
#include "mib_ports.h"

#include "cvp_oid.h"

#include <net-snmp/agent/agent_sysORTable.h>

/* sysORTable (in SNMPv2-MIB's system group, which Debian's stock view shows every community)
 * says that CVP-PORT-MIB is served: `cvpportd --doctor` tells "not registered" from "not in
 * the view" by it, and an NMS finds the module there. */
static oid sysor_oid[] = {CVP_PORT_MIB_OID};
#define SYSOR_DESCR "CVP-PORT-MIB: Cisco CVP port compliance (cvpportd)"

int mib_module_register(struct mib_module *m, struct mib_context *ctx)
{
	if (!(m->globals = mib_globals_register(ctx)) || mib_ports_register(&m->ports, ctx) < 0 ||
	    mib_listeners_register(&m->listeners, ctx) < 0 ||
	    mib_findings_register(&m->findings, ctx) < 0 ||
	    mib_hosts_register(&m->hosts, &m->host_ports, &m->host_findings, ctx) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot register CVP-PORT-MIB\n");
		return -1;
	}
	const struct mib_table *const tables[] = {&m->ports, &m->listeners,  &m->findings,
	                                          &m->hosts, &m->host_ports, &m->host_findings};
	if (agentx_direct_start(&m->direct, tables, sizeof(tables) / sizeof(*tables)) < 0)
		snmp_log(LOG_WARNING, "cvpportd: AgentX requests take net-snmp's agent\n");
	register_sysORTable(sysor_oid, OID_LENGTH(sysor_oid), SYSOR_DESCR);
	m->registered = 1;
	return 0;
}

void mib_module_unregister(struct mib_module *m)
{
	if (m->registered) {
		agentx_direct_stop(&m->direct);
		unregister_sysORTable(sysor_oid, OID_LENGTH(sysor_oid));
		m->registered = 0;
	}
	if (m->globals)
		netsnmp_unregister_handler(m->globals);
	m->globals = NULL;
	mib_table_unregister(&m->ports);
	mib_table_unregister(&m->listeners);
	mib_table_unregister(&m->findings);
	mib_table_unregister(&m->hosts);
	mib_table_unregister(&m->host_ports);
	mib_table_unregister(&m->host_findings);
}
