/* The application's composition root: it owns the configuration (net-snmp's machinery, the
 * strict reader, reloads), the refresh (builder thread, snapshots, notifications), the remote
 * host poller and the MIB registrations, and wires them so that data flows one way:
 * configuration -> builder -> snapshot -> handlers and notifications. The standalone daemon
 * (main.c), the command-line modes (agent/cli) and snmpd's `dlmod` all start here. */
#ifndef APP_H
#define APP_H

#include "config_model.h"
#include "snapshot.h"

#define CVP_APP_NAME "cvpportd"

/* The module is built with -fvisibility=hidden; only snmpd's dlmod entry points are exported. */
#define CVP_EXPORT __attribute__((visibility("default")))

/* The agent: registers the configuration directives and the MIB; the first snapshot is built
 * once the configuration has been read (init_snmp), and refreshed on a timer from then on.
 * (These names are what snmpd's dlmod calls for the module cvpPortMIB.) */
CVP_EXPORT void init_cvpPortMIB(void);
CVP_EXPORT void deinit_cvpPortMIB(void);

/* A one-shot mode (--check, --check-config, --doctor, --check --host): the directives only;
 * init_snmp then reads the configuration and builds one snapshot. No MIB is registered, no
 * timer runs, nothing is sent and nothing written. state_dir (kept by pointer): where the
 * daemon keeps the map of row names to indexes, read so that indexes agree with its (NULL:
 * net-snmp's persistent directory). Returns 0, or -1 when out of memory. End with app_free. */
int app_init_offline(const char *state_dir) __attribute__((warn_unused_result));
void app_free(void);

/* SIGHUP: reads cvpportd's own configuration files again and applies them only if they hold no
 * error (else the running configuration stays, and every error is logged). net-snmp's own
 * directives (agentXSocket, ...) keep the values read at start; the AgentX session stays.
 * Returns 0, or -1 when refused. */
int app_reload(void);
struct cvp_attributor;
struct file_access;
/* The files the agent reads and writes after start (the configuration on reloads, the index
 * map) are opened through files (kept by pointer; the privileged monitor's): before init_snmp. */
void app_use_files(const struct file_access *files);
/* Attribution goes through the helper process (kept by pointer): before init_snmp. */
void app_use_attributor(const struct cvp_attributor *a);
/* fn(arg) is called once, on net-snmp's thread, when the attribution helper is gone for good
 * (after the snapshot that shows its rows unknown is published). */
void app_on_helper_gone(void (*fn)(void *arg), void *arg);
/* The current snapshot (NULL when none could be built). */
const struct cvp_snapshot *app_snapshot(void);
/* Checks cvpportd's own configuration files strictly, logging every error; with into, applies
 * them to it. Returns the number of errors. Call after the directives are registered. */
unsigned app_check_files(struct cvp_settings *into);
struct reload_input;
/* The files a reload reads and the index map it keeps (in->files, in->index_path), as they are
 * now; free with reload_input_free. Returns 0, or -1 when out of memory. */
int app_files(struct reload_input *in);

#endif
