/* cvpportd's configuration through net-snmp's configuration machinery: the settings a read
 * builds, the settings in force, and the strict check of cvpportd's own files that decides
 * whether a read may be applied at all. A configuration is all or nothing. */
#ifndef CONFIG_NETSNMP_H
#define CONFIG_NETSNMP_H

#include "reload.h"
#include "config_model.h"

struct config_netsnmp {
	struct cvp_settings *active;  /* in force: snapshots refer to its catalogue */
	struct cvp_settings *pending; /* built by the read in progress */
	unsigned errors;              /* in the last read */
	const char *state_dir;        /* where the index map is; NULL: net-snmp's persistent dir */
	const struct file_access *files; /* who opens the files for reloads; NULL: this process */
};

/* Registers the directives; c receives what the following reads parse. */
void config_netsnmp_register(struct config_netsnmp *c);
void config_netsnmp_unregister(void);
/* After a read: hands over what it parsed if it had no error (*applied set; the caller makes
 * it active), else drops it and counts the refusal. */
struct cvp_settings *config_netsnmp_commit(struct config_netsnmp *c, int *applied);
/* No configuration in force yet and the first one refused: the embedded defaults. */
int config_netsnmp_use_defaults(struct config_netsnmp *c);
void config_netsnmp_free(struct config_netsnmp *c);

/* What a reload reads, gathered on net-snmp's thread (the files on the configuration path and
 * the -c files, net-snmp's own tokens, the index map in its persistent directory), so that
 * reload_run can run on another. Returns 0, or -1 when out of memory. */
int config_netsnmp_reload_input(struct reload_input *in, const struct cvp_settings *old, int save);
/* Logs the lines a reload collected. */
void config_netsnmp_log(const struct reload_result *r);
/* Logs what a reload changed (rows added, removed, changed; the roles). */
void config_netsnmp_log_reloaded(const struct cvp_settings *old, const struct cvp_settings *next);
/* Where the map of row names to indexes is kept: the state directory (net-snmp's persistent
 * directory, or the daemon's for a one-shot mode, whose own is a scratch one). */
void config_netsnmp_index_path(char *buf, size_t len);

/* Checks cvpportd's own configuration files (cvpportd.conf on the configuration path unless
 * -C, and the -c files) as net-snmp is about to read them: each a regular, bounded, text file
 * of known directives without error. Logs every error and returns their number. With into,
 * the files are also applied to it (for --check-config). */
unsigned config_netsnmp_check_files(struct cvp_settings *into);

#endif
