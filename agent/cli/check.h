/* The one-shot modes that judge this host or its configuration: `cvpportd --check [--json]`,
 * `--check-config`, and the start every one-shot mode shares. */
#ifndef CHECK_H
#define CHECK_H

#include <limits.h>

/* A one-shot mode's surroundings: it writes nothing anywhere. net-snmp keeps what it would
 * write (its certificate index directory) in a private temporary directory, removed at the end;
 * the daemon's state directory is only read. */
struct check_offline {
	char state_dir[PATH_MAX]; /* the daemon's (SNMP_PERSISTENT_DIR), read only */
	char scratch[64];         /* net-snmp's persistent directory for this run */
};

/* Registers net-snmp's and cvpportd's directives for a one-shot mode, as a subagent that
 * neither connects to a master nor opens a port. Returns 0, or -1 (said on stderr). */
int check_offline_start(struct check_offline *o);
/* After snmp_shutdown: removes what net-snmp wrote for the run. */
void check_offline_end(struct check_offline *o);
/* --check: one scan, printed as a monitoring plugin (or JSON); returns the plugin's exit code. */
int check_run(int json);
/* --check-config: every error with file and line, or the configuration as it would apply;
 * returns 0 or 1. */
int check_config_run(void);

#endif
