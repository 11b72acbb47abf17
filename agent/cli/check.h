/* The one-shot modes that judge this host or its configuration: `cvpportd --check [--json]`,
 * `--check-config`, and the start every one-shot mode shares. */
#ifndef CHECK_H
#define CHECK_H

/* Registers net-snmp's and cvpportd's directives for a one-shot mode, as a subagent that
 * neither connects to a master nor opens a port. Returns 0, or -1 (said on stderr). */
int check_offline_start(void);
/* --check: one scan, printed as a monitoring plugin (or JSON); returns the plugin's exit code. */
int check_run(int json);
/* --check-config: every error with file and line, or the configuration as it would apply;
 * returns 0 or 1. */
int check_config_run(void);

#endif
