/* CVP-PORT-MIB's registrations: the globals, the six tables (answered by net-snmp's agent and,
 * for Get and GetNext on the AgentX session, directly: agentx_direct.h) and the sysORTable
 * entry. It only registers and answers from the context it is given; app.h composes the rest. */
#ifndef MIB_MODULE_H
#define MIB_MODULE_H

#include "agentx_direct.h"
#include "mib_table.h"

struct mib_module {
	netsnmp_handler_registration *globals;
	struct mib_table ports, listeners, findings;
	struct mib_table hosts, host_ports, host_findings;
	struct agentx_direct direct;
	int registered;
};

/* Registers everything, answering from ctx. Returns 0, or -1 (logged) when the MIB could not be
 * registered. */
int mib_module_register(struct mib_module *m, struct mib_context *ctx);
void mib_module_unregister(struct mib_module *m);

#endif
