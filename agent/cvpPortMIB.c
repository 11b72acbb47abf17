/* CVP-PORT-MIB registration, configuration directives and the refresh timer. The current
 * snapshot is the only state requests read; it is replaced whole on each refresh. */
#include "cvpport_agent.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stdlib.h>
#include <string.h>

#define REFRESH_DEFAULT 5

static struct {
	struct cvp_catalog *active;  /* the catalogue snapshots refer to */
	struct cvp_catalog *pending; /* the one the configuration being read builds */
	struct cvp_collector collector;
	struct cvp_snapshot *current;
	unsigned refresh_seconds, pending_refresh;
	int scan_mode, pending_scan_mode;
	unsigned config_errors;
	unsigned alarm;
	int mib_registered;
	int collector_ready;
} agent;

const struct cvp_snapshot *cvp_current_snapshot(void)
{
	return agent.current;
}

unsigned cvp_config_errors(void)
{
	return agent.config_errors;
}

static void collector_notice(int err, const char *msg)
{
	snmp_log(err ? LOG_WARNING : LOG_INFO, "%s\n", msg);
}

static struct cvp_catalog *catalog_new_default(void)
{
	char err[256];
	struct cvp_catalog *cat = malloc(sizeof(*cat));
	if (!cat)
		return NULL;
	catalog_init(cat);
	if (catalog_load_default(cat, err, sizeof(err)) < 0) {
		snmp_log(LOG_ERR, "%s\n", err); /* a build defect; tests keep it from shipping */
		catalog_free(cat);
		free(cat);
		return NULL;
	}
	return cat;
}

static void catalog_delete(struct cvp_catalog *cat)
{
	if (cat) {
		catalog_free(cat);
		free(cat);
	}
}

static uint32_t uptime_cs(void)
{
	return (uint32_t)netsnmp_get_agent_uptime();
}

int cvp_refresh_now(void)
{
	if (!agent.active)
		return -1;
	struct cvp_snapshot *next =
	    snapshot_build(&agent.collector, agent.active, agent.current, uptime_cs());
	if (!next) {
		snmp_log(LOG_ERR, "cvpportd: out of memory building a snapshot\n");
		return -1;
	}
	if (!next->scan_ok && (!agent.current || agent.current->scan_ok))
		snmp_log(LOG_ERR, "cvpportd: socket scan failed; keeping the last results\n");
	DEBUGMSGTL(("cvpportd",
	            "refresh: %zu listeners, %u violations, %u us, %u malformed records skipped, "
	            "%u interrupted dumps retried\n",
	            next->nlisteners, next->sum.violations, next->scan_us, next->stats.malformed,
	            next->stats.retries));
	struct cvp_snapshot *old = agent.current;
	agent.current = next;
	if (agent.mib_registered) {
		/* cvpPortTable's rows change only with the catalogue; listeners with every scan. */
		if (!old || old->cat != next->cat)
			mib_ports_rebuild(next);
		mib_listeners_rebuild(next);
	}
	snapshot_free(old);
	return 0;
}

static void refresh_alarm(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	cvp_refresh_now();
}

/* --- configuration ------------------------------------------------------------------------ */

static void report_config_error(const char *msg)
{
	agent.config_errors++;
	config_perror(msg);
}

static void parse_catalog_directive(const char *token, char *line)
{
	char err[512];
	if (!agent.pending && !(agent.pending = catalog_new_default()))
		return;
	if (catalog_apply(agent.pending, token, line, err, sizeof(err)) < 0)
		report_config_error(err);
}

static void parse_refresh(const char *token, char *line)
{
	char *end;
	long v = strtol(line, &end, 10);
	(void)token;
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == line || *end || v < 1 || v > 3600)
		report_config_error("cvpRefresh takes a number of seconds from 1 to 3600");
	else
		agent.pending_refresh = (unsigned)v;
}

static void parse_scan_source(const char *token, char *line)
{
	char word[16] = "";
	(void)token;
	sscanf(line, "%15s", word);
	if (strcmp(word, "auto") == 0)
		agent.pending_scan_mode = CVP_SCAN_AUTO;
	else if (strcmp(word, "netlink") == 0)
		agent.pending_scan_mode = CVP_SCAN_NETLINK;
	else if (strcmp(word, "procfs") == 0)
		agent.pending_scan_mode = CVP_SCAN_PROCFS;
	else
		report_config_error("cvpScanSource takes auto, netlink or procfs");
}

/* Called before each (re)read of the configuration: start again from the defaults. The
 * catalogue is made when the first directive (or the end of the read) needs it. */
static void config_reset(void)
{
	catalog_delete(agent.pending);
	agent.pending = NULL;
	agent.pending_refresh = REFRESH_DEFAULT;
	agent.pending_scan_mode = CVP_SCAN_AUTO;
	agent.config_errors = 0;
}

/* After the configuration is read: make it active and scan at once. */
static int config_done(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (!agent.pending && !(agent.pending = catalog_new_default()))
		return SNMP_ERR_NOERROR;

	if (!agent.collector_ready || agent.pending_scan_mode != agent.scan_mode) {
		if (agent.collector_ready)
			collector_free(&agent.collector);
		collector_init(&agent.collector, "/proc", agent.pending_scan_mode);
		agent.collector.log = collector_notice;
		agent.collector_ready = 1;
		agent.scan_mode = agent.pending_scan_mode;
	}

	/* The old snapshot refers to the old catalogue: build the new one before freeing it. */
	struct cvp_catalog *old_cat = agent.active;
	agent.active = agent.pending;
	agent.pending = NULL;
	struct cvp_snapshot *old = agent.current;
	agent.current = NULL;
	cvp_refresh_now();
	snapshot_free(old);
	catalog_delete(old_cat);

	if (agent.alarm && agent.refresh_seconds != agent.pending_refresh) {
		snmp_alarm_unregister(agent.alarm);
		agent.alarm = 0;
	}
	agent.refresh_seconds = agent.pending_refresh;
	if (!agent.alarm && agent.mib_registered)
		agent.alarm =
		    snmp_alarm_register(agent.refresh_seconds, SA_REPEAT, refresh_alarm, NULL);
	return SNMP_ERR_NOERROR;
}

void cvp_config_register(void)
{
	const char *token, *usage;

	config_reset();
	/* The first catalogue directive's releaser resets the configuration before a re-read. */
	for (size_t i = 0; (token = catalog_directive(i, &usage)); i++)
		register_app_config_handler(token, parse_catalog_directive,
		                            i == 0 ? config_reset : NULL, usage);
	register_app_config_handler("cvpRefresh", parse_refresh, NULL, "SECONDS");
	register_app_config_handler("cvpScanSource", parse_scan_source, NULL,
	                            "auto|netlink|procfs");
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_done,
	                       NULL);
}

void init_cvpPortMIB(void)
{
	cvp_config_register();
	if (mib_globals_register() < 0 || mib_ports_register() < 0 ||
	    mib_listeners_register() < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot register CVP-PORT-MIB\n");
		return;
	}
	agent.mib_registered = 1;
}

void deinit_cvpPortMIB(void)
{
	if (agent.alarm)
		snmp_alarm_unregister(agent.alarm);
	if (agent.mib_registered) {
		mib_listeners_unregister();
		mib_ports_unregister();
		mib_globals_unregister();
	}
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_done,
	                         NULL, 1);
	snapshot_free(agent.current);
	catalog_delete(agent.active);
	catalog_delete(agent.pending);
	if (agent.collector_ready)
		collector_free(&agent.collector);
	memset(&agent, 0, sizeof(agent));
}
