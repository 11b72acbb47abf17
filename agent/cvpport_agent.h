/* The SNMP layer of cvpportd: registration, the current snapshot, and the refresh timer. */
#ifndef CVPPORT_AGENT_H
#define CVPPORT_AGENT_H

#include "cvp_snapshot.h"

#define CVP_APP_NAME "cvpportd"

/* The module is built with -fvisibility=hidden; only snmpd's dlmod entry points are exported. */
#define CVP_EXPORT __attribute__((visibility("default")))

/* Registers the configuration directives and the MIB; the first snapshot is built once the
 * configuration has been read. Serves the standalone subagent and an snmpd dlmod alike. */
CVP_EXPORT void init_cvpPortMIB(void);
CVP_EXPORT void deinit_cvpPortMIB(void);

/* Registers only the configuration directives (for `cvpportd --check`). */
void cvp_config_register(void);
/* Number of configuration errors seen in the last read. */
unsigned cvp_config_errors(void);
/* Builds a new snapshot now and makes it current. Returns 0, or -1 when out of memory. */
int cvp_refresh_now(void);

/* The snapshot every request is answered from (NULL before the first refresh). */
const struct cvp_snapshot *cvp_current_snapshot(void);

/* MIB pieces: register at init, rebuild their indexes on each new snapshot. */
int mib_globals_register(void);
void mib_globals_unregister(void);
int mib_ports_register(void);
void mib_ports_rebuild(const struct cvp_snapshot *s);
void mib_ports_unregister(void);
int mib_listeners_register(void);
void mib_listeners_rebuild(const struct cvp_snapshot *s);
void mib_listeners_unregister(void);

#endif
