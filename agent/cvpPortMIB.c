/* CVP-PORT-MIB: wires the configuration, the refresh and the three registrations together.
 * Data flows one way: configuration -> refresh -> the context every handler reads. */
#include "cvpPortMIB.h"
#include "catalog_index.h"
#include "config.h"
#include "mib_globals.h"
#include "mib_listeners.h"
#include "mib_ports.h"
#include "refresh.h"

#include <limits.h>
#include <stdlib.h>

struct cvp_port_mib {
	struct config config;
	struct refresh refresh;
	struct traps traps;
	struct mib_context ctx;
	netsnmp_handler_registration *globals;
	struct mib_table ports, listeners;
	int registered; /* the MIB is registered and the timer runs (not --check) */
};

/* snmpd's dlmod entry points take no argument: the module's one instance. */
static struct cvp_port_mib *instance;

/* Gives every row of next the index its name had: in old, else in the map kept in the state
 * directory (net-snmp's persistent directory); with save, the result is kept there. */
static void keep_indexes(struct cvp_settings *next, const struct cvp_settings *old, int save)
{
	struct catalog_index map = {0};
	char path[PATH_MAX], err[PATH_MAX + 128] = "out of memory";
	snprintf(path, sizeof(path), "%s/cvpportd-index", get_persistent_directory());
	if ((old ? catalog_index_from(&map, &old->cat) : catalog_index_load(&map, path, err, sizeof(err))) < 0)
		snmp_log(LOG_WARNING, "cvpportd: %s; row indexes start afresh\n",
		         old ? "out of memory" : err);
	if (catalog_index_apply(&next->cat, &map, old ? &old->cat : NULL, err, sizeof(err)) < 0)
		snmp_log(LOG_ERR, "cvpportd: %s: row indexes follow the configuration's order\n",
		         err);
	if (save && (catalog_index_from(&map, &next->cat) < 0 ||
	             catalog_index_save(&map, path, err, sizeof(err)) < 0))
		snmp_log(LOG_WARNING, "cvpportd: cannot keep the row indexes (%s): a restart may "
		         "renumber rows added by configuration\n", err);
	catalog_index_free(&map);
}

/* Makes `next` the configuration in force (taking it over) and scans at once. */
static void apply(struct cvp_port_mib *m, struct cvp_settings *next)
{
	struct cvp_settings *old = m->config.active;
	keep_indexes(next, old, m->registered);
	m->config.active = next;
	if (old) {
		unsigned added, removed, changed;
		settings_diff(old, next, &added, &removed, &changed);
		snmp_log(
		    LOG_INFO,
		    "cvpportd: configuration reloaded: %u row(s) added, %u removed, %u changed\n",
		    added, removed, changed);
	}
	if (refresh_configure(&m->refresh, next, m->registered) < 0)
		snmp_log(LOG_ERR, "cvpportd: cannot build a snapshot; CVP-PORT-MIB is empty\n");
	refresh_retire(&m->refresh, old); /* freed once no snapshot refers to its catalogue */
}

int cvpPortMIB_reload(void)
{
	struct cvp_port_mib *m = instance;
	struct cvp_settings *next;
	char err[256];

	if (!m || !(next = malloc(sizeof(*next))))
		return -1;
	if (settings_init(next, err, sizeof(err)) < 0) {
		snmp_log(LOG_ERR, "%s\n", err);
		free(next);
		return -1;
	}
	unsigned errors = config_check_files(next);
	if (errors) {
		snmp_log(LOG_ERR,
		         "cvpportd: reload refused (%u configuration error(s)); the running "
		         "configuration stays\n",
		         errors);
		config_delete(next);
		return -1;
	}
	apply(m, next);
	return 0;
}

/* After each read of the configuration: apply it if it had no error, and scan at once. */
static int config_read(int major, int minor, void *server, void *client)
{
	struct cvp_port_mib *m = client;
	int applied;
	(void)major;
	(void)minor;
	(void)server;

	unsigned errors = m->config.errors;
	struct cvp_settings *next = config_commit(&m->config, &applied);
	if (!applied) {
		if (errors)
			snmp_log(LOG_ERR, "cvpportd: configuration refused (%u error(s)); %s\n",
			         errors,
			         m->config.active ? "the running configuration stays"
			                          : "serving the embedded defaults");
		else
			snmp_log(LOG_ERR, "cvpportd: out of memory loading the configuration\n");
		if (m->config.active || config_use_defaults(&m->config) < 0)
			return SNMP_ERR_NOERROR;
		next = m->config.active;
		m->config.active = NULL;
	}
	apply(m, next);
	return SNMP_ERR_NOERROR;
}

/* agent: the MIB and its notifications (else --check: the configuration and one scan). */
static struct cvp_port_mib *port_mib_new(int agent)
{
	struct cvp_port_mib *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	/* The session callbacks go in before init_snmp opens the AgentX session. */
	if (agent)
		traps_init(&m->traps, refresh_session_up, &m->refresh);
	refresh_init(&m->refresh, &m->ctx, agent ? &m->traps : NULL);
	config_register(&m->config);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_read,
	                       m);
	return m;
}

int cvpPortMIB_init_check(void)
{
	return (instance = port_mib_new(0)) ? 0 : -1;
}

void init_cvpPortMIB(void)
{
	struct cvp_port_mib *m = port_mib_new(1);
	if (!m) {
		snmp_log(LOG_ERR, "cvpportd: out of memory\n");
		return;
	}
	instance = m;
	if (!(m->globals = mib_globals_register(&m->ctx)) ||
	    mib_ports_register(&m->ports, &m->ctx) < 0 ||
	    mib_listeners_register(&m->listeners, &m->ctx) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot register CVP-PORT-MIB\n");
		return;
	}
	m->registered = 1;
}

void deinit_cvpPortMIB(void)
{
	struct cvp_port_mib *m = instance;
	if (!m)
		return;
	if (m->globals)
		netsnmp_unregister_handler(m->globals);
	mib_table_unregister(&m->ports);
	mib_table_unregister(&m->listeners);
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_read,
	                         m, 1);
	config_unregister();
	refresh_free(&m->refresh);
	traps_free(&m->traps);
	config_free(&m->config);
	free(m);
	instance = NULL;
}

const struct cvp_snapshot *cvpPortMIB_snapshot(void)
{
	return instance ? instance->ctx.snapshot : NULL;
}

unsigned cvpPortMIB_check_files(struct cvp_settings *into)
{
	unsigned errors = config_check_files(into);
	if (!errors && into)
		keep_indexes(into, NULL, 0);
	return errors;
}
