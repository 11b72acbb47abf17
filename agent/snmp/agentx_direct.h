/* Answers the master's AgentX Get and GetNext for CVP-PORT-MIB's tables straight from the
 * snapshot, on the AgentX session itself. net-snmp's subagent hands every request to its agent
 * through an internal callback transport (a pipe written and read twice, a select per hop, a
 * cloned PDU per hop): more than half of what a value cost. A request this cannot answer whole
 * (another context, a scalar, a search that leaves a table, a Set) goes to net-snmp's own
 * handler exactly as before; both answer through mib_table_find/mib_table_fill. */
#ifndef AGENTX_DIRECT_H
#define AGENTX_DIRECT_H

#include "mib_table.h"

#define AGENTX_DIRECT_TABLES 8

struct agentx_direct {
	const struct mib_table *tables[AGENTX_DIRECT_TABLES];
	size_t ntables;
	netsnmp_session *session; /* the AgentX session hooked, NULL when none */
	snmp_callback next;       /* its own packet handler, and that handler's magic */
	void *next_magic;
	unsigned long answered; /* requests answered here (for debugging output) */
};

/* Hooks every AgentX session net-snmp's subagent opens from now on (the first and each one after
 * a master restart). Returns 0, or -1 when the callback cannot be registered. */
int agentx_direct_start(struct agentx_direct *d, const struct mib_table *const *tables, size_t n)
    __attribute__((warn_unused_result));
/* Gives the session its own handler back and stops hooking new ones. */
void agentx_direct_stop(struct agentx_direct *d);

/* The AgentX Response to request (an AgentX Get or GetNext, its search ranges as net-snmp's
 * parser leaves them), or NULL when it is not one this answers whole. On an answer the
 * request's varbinds move into the response. */
netsnmp_pdu *agentx_direct_answer(const struct agentx_direct *d, netsnmp_pdu *request);

#endif
