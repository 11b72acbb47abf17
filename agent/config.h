/* cvpportd's configuration directives, read through net-snmp's configuration machinery: the
 * catalogue being built by a read, and the one in force. */
#ifndef CONFIG_H
#define CONFIG_H

#include "catalog.h"
#include "notify.h"

#define CONFIG_REFRESH_DEFAULT 5

struct config {
	struct cvp_catalog *active;  /* in force: snapshots refer to it */
	struct cvp_catalog *pending; /* built by the read in progress */
	unsigned refresh_seconds, pending_refresh;
	int scan_mode, pending_scan_mode; /* enum cvp_scan_mode */
	struct notify_config notify, pending_notify;
	unsigned errors; /* in the last read */
};

/* Registers the directives; c receives what the following reads parse. */
void config_register(struct config *c);
void config_unregister(void);
/* After a read: makes what it parsed active. Returns the catalogue it replaced, for the caller
 * to free once no snapshot refers to it (NULL when there was none), and sets *ok to 0 when
 * the new catalogue could not be made. */
struct cvp_catalog *config_commit(struct config *c, int *ok);
void config_free(struct config *c);

/* A catalogue allocated and loaded with the embedded default, or NULL. */
struct cvp_catalog *config_default_catalog(void);
void config_delete_catalog(struct cvp_catalog *cat);

#endif
