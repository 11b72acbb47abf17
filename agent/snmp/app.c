/* The composition root (app.h): configuration -> refresh -> the context every handler reads. */
#include "app.h"
#include "config_netsnmp.h"
#include "host_poller.h"
#include "mib_module.h"
#include "refresh.h"
#include "reloader.h"

#include <stdlib.h>

struct app {
	struct config_netsnmp config;
	struct refresh refresh;
	struct traps traps;
	struct mib_context ctx;
	struct host_poller poller; /* the cvpHost hosts (polled only by the agent) */
	struct reloader reloader;
	struct mib_module mib;
	int agent; /* the MIB is registered and the timer runs (not a one-shot mode) */
};

/* snmpd's dlmod entry points take no argument: the application's one instance. */
static struct app *instance;

/* Makes `next` the configuration in force (taking over its reference) and scans at once. The
 * old one lives on while a build or a snapshot still holds it. */
static void apply(struct app *a, struct cvp_settings *next)
{
	struct cvp_settings *old = a->config.active;
	a->config.active = next;
	if (refresh_configure(&a->refresh, next, a->agent) < 0)
		snmp_log(LOG_ERR, "cvpportd: cannot build a snapshot; CVP-PORT-MIB is empty\n");
	if (a->agent && host_poller_configure(&a->poller, next) < 0)
		snmp_log(LOG_ERR, "cvpportd: out of memory; the cvpHost hosts stay as they were\n");
	config_model_put(old);
}

/* A reload's read is done: log what it found, apply what it read (or keep what runs). */
static void reload_done(void *arg, struct reload_result *out)
{
	struct app *a = arg;
	config_netsnmp_log(out);
	if (out->next) {
		config_netsnmp_log_reloaded(a->config.active, out->next);
		apply(a, out->next);
		out->next = NULL; /* taken over */
	} else {
		snmp_log(LOG_ERR,
		         "cvpportd: reload refused (%u configuration error(s)); the running "
		         "configuration stays\n",
		         out->errors);
	}
}

static const struct cvp_settings *active_settings(void *arg)
{
	return ((struct app *)arg)->config.active;
}

/* Rows keep the indexes their names had (the map in the state directory). */
static void keep_indexes(struct app *a, struct cvp_settings *next)
{
	struct reload_result kept = {0};
	char path[4096];
	config_netsnmp_index_path(path, sizeof(path));
	struct reload_input in = {.old = a->config.active,
	                          .index_path = path,
	                          .save_index = a->agent,
	                          .access = a->config.files};
	reload_keep_indexes(next, &in, &kept);
	config_netsnmp_log(&kept);
	reload_result_free(&kept);
	if (a->config.active) /* a re-read (snmpd's SIGHUP, with dlmod) */
		config_netsnmp_log_reloaded(a->config.active, next);
}

/* After each read of the configuration: apply it if it had no error, and scan at once. */
static int config_read(int major, int minor, void *server, void *client)
{
	struct app *a = client;
	int applied;
	(void)major;
	(void)minor;
	(void)server;

	unsigned errors = a->config.errors;
	struct cvp_settings *next = config_netsnmp_commit(&a->config, &applied);
	if (applied) {
		keep_indexes(a, next);
	} else {
		if (errors)
			snmp_log(LOG_ERR, "cvpportd: configuration refused (%u error(s)); %s\n",
			         errors,
			         a->config.active ? "the running configuration stays"
			                          : "serving the embedded defaults");
		else
			snmp_log(LOG_ERR, "cvpportd: out of memory loading the configuration\n");
		if (a->config.active || config_netsnmp_use_defaults(&a->config) < 0)
			return SNMP_ERR_NOERROR;
		next = a->config.active;
		a->config.active = NULL;
	}
	apply(a, next);
	return SNMP_ERR_NOERROR;
}

/* agent: the MIB and its notifications (else a one-shot mode: the configuration and one scan). */
static struct app *app_new(int agent)
{
	struct app *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->agent = agent;
	reloader_init(&a->reloader, reload_done, active_settings, a, agent);
	/* The session callbacks go in before init_snmp opens the AgentX session. */
	if (agent)
		traps_init(&a->traps, refresh_session_up, &a->refresh);
	refresh_init(&a->refresh, &a->ctx, agent ? &a->traps : NULL);
	host_poller_init(&a->poller, agent ? &a->traps : NULL);
	a->ctx.hosts = &a->poller.hosts;
	config_netsnmp_register(&a->config);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_read,
	                       a);
	return a;
}

int app_init_offline(const char *state_dir)
{
	if (!(instance = app_new(0)))
		return -1;
	instance->config.state_dir = state_dir;
	return 0;
}

void init_cvpPortMIB(void)
{
	struct app *a = app_new(1);
	if (!a) {
		snmp_log(LOG_ERR, "cvpportd: out of memory\n");
		return;
	}
	instance = a;
	if (mib_module_register(&a->mib, &a->ctx) < 0)
		a->agent = a->reloader.save = 0; /* nothing to serve: no timer, no index map */
}

void app_free(void)
{
	struct app *a = instance;
	if (!a)
		return;
	reloader_free(&a->reloader);
	mib_module_unregister(&a->mib);
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_read,
	                         a, 1);
	config_netsnmp_unregister();
	refresh_free(&a->refresh);
	host_poller_free(&a->poller);
	traps_free(&a->traps);
	config_netsnmp_free(&a->config);
	free(a);
	instance = NULL;
}

void deinit_cvpPortMIB(void)
{
	app_free();
}

int app_reload(void)
{
	return instance ? reloader_start(&instance->reloader) : -1;
}

void app_use_attributor(const struct cvp_attributor *attr)
{
	if (instance)
		instance->refresh.helper = attr;
}

void app_use_files(const struct file_access *files)
{
	if (instance)
		instance->config.files = files;
}

void app_on_helper_gone(void (*fn)(void *arg), void *arg)
{
	if (instance) {
		instance->refresh.helper_gone = fn;
		instance->refresh.helper_gone_arg = arg;
	}
}

const struct cvp_snapshot *app_snapshot(void)
{
	return instance ? instance->ctx.snapshot : NULL;
}

unsigned app_check_files(struct cvp_settings *into)
{
	return config_netsnmp_check_files(into);
}

int app_files(struct reload_input *in)
{
	return config_netsnmp_reload_input(in, NULL, 0);
}
