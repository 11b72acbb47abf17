/* CVP-PORT-MIB: the one registration that serves the standalone subagent and an snmpd
 * `dlmod` module alike. */
#ifndef CVPPORTMIB_H
#define CVPPORTMIB_H

#include "settings.h"
#include "snapshot.h"

#define CVP_APP_NAME "cvpportd"

/* The module is built with -fvisibility=hidden; only snmpd's dlmod entry points are exported. */
#define CVP_EXPORT __attribute__((visibility("default")))

/* Registers the configuration directives and the MIB; the first snapshot is built once the
 * configuration has been read (init_snmp), and refreshed on a timer from then on. */
CVP_EXPORT void init_cvpPortMIB(void);
CVP_EXPORT void deinit_cvpPortMIB(void);

/* SIGHUP: reads cvpportd's own configuration files again and applies them only if they hold no
 * error (else the running configuration stays, and every error is logged). net-snmp's own
 * directives (agentXSocket, ...) keep the values read at start; the AgentX session stays.
 * Returns 0, or -1 when refused. */
int cvpPortMIB_reload(void);

/* For `cvpportd --check`: the directives only; init_snmp then reads the configuration and
 * builds one snapshot. No MIB is registered and no timer runs. */
int cvpPortMIB_init_check(void) __attribute__((warn_unused_result));
struct privsep;
/* Attribution goes through the helper process (privsep.h): before init_snmp. */
void cvpPortMIB_use_helper(struct privsep *helper);
/* The current snapshot (NULL when none could be built). */
const struct cvp_snapshot *cvpPortMIB_snapshot(void);
/* Checks cvpportd's own configuration files strictly, logging every error; with into, applies
 * them to it. Returns the number of errors. Call after the directives are registered. */
unsigned cvpPortMIB_check_files(struct cvp_settings *into);

#endif
