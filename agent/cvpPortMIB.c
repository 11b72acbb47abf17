/* CVP-PORT-MIB: wires the configuration, the refresh and the three registrations together.
 * Data flows one way: configuration -> refresh -> the context every handler reads. */
#include "cvpPortMIB.h"
#include "agentx_direct.h"
#include "config.h"
#include "host_poller.h"
#include "mib_hosts.h"
#include "mib_globals.h"
#include "mib_findings.h"
#include "mib_listeners.h"
#include "mib_ports.h"
#include "refresh.h"

#include "cvp_oid.h"

#include <net-snmp/agent/agent_sysORTable.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A SIGHUP's reading of the configuration, on a thread of its own: a large file must not hold
 * up requests. Done, it wakes net-snmp's thread through the pipe, which applies the result. */
struct reloader {
	pthread_t thread;
	int running, again; /* again: a SIGHUP came while it ran */
	int pipe[2];        /* -1 until the first reload */
	struct reload_input in;
	struct reload_result out;
};

struct cvp_port_mib {
	struct config config;
	struct refresh refresh;
	struct traps traps;
	struct mib_context ctx;
	netsnmp_handler_registration *globals;
	struct mib_table ports, listeners, findings;
	struct mib_table hosts, host_ports, host_findings;
	struct host_poller poller; /* the cvpHost hosts (polled only by the agent) */
	struct agentx_direct direct;
	struct reloader reloader;
	int registered; /* the MIB is registered and the timer runs (not --check) */
};

/* sysORTable (in SNMPv2-MIB's system group, which Debian's stock view shows every community)
 * says that CVP-PORT-MIB is served: `cvpportd --doctor` tells "not registered" from "not in
 * the view" by it, and an NMS finds the module there. */
static oid sysor_oid[] = {CVP_PORT_MIB_OID};
#define SYSOR_DESCR "CVP-PORT-MIB: Cisco CVP port compliance (cvpportd)"

/* snmpd's dlmod entry points take no argument: the module's one instance. */
static struct cvp_port_mib *instance;

/* Makes `next` the configuration in force (taking over its reference) and scans at once. The
 * old one lives on while a build or a snapshot still holds it. */
static void apply(struct cvp_port_mib *m, struct cvp_settings *next)
{
	struct cvp_settings *old = m->config.active;
	m->config.active = next;
	if (refresh_configure(&m->refresh, next, m->registered) < 0)
		snmp_log(LOG_ERR, "cvpportd: cannot build a snapshot; CVP-PORT-MIB is empty\n");
	if (m->registered && host_poller_configure(&m->poller, next) < 0)
		snmp_log(LOG_ERR, "cvpportd: out of memory; the cvpHost hosts stay as they were\n");
	settings_put(old);
}

static void *reload_thread(void *arg)
{
	struct reloader *rl = arg;
	reload_run(&rl->in, &rl->out);
	if (write(rl->pipe[1], "", 1) < 0) {
		/* the pipe is never full: one byte per reload */
	}
	return NULL;
}

static int reload_start(struct cvp_port_mib *m);

/* The reload thread is done: log what it found, apply what it read (or keep what runs). */
static void reload_done(int fd, void *arg)
{
	struct cvp_port_mib *m = arg;
	struct reloader *rl = &m->reloader;
	char byte;
	while (read(fd, &byte, 1) > 0)
		;
	if (!rl->running)
		return;
	pthread_join(rl->thread, NULL);
	rl->running = 0;
	config_log(&rl->out);
	if (rl->out.next) {
		config_log_reloaded(m->config.active, rl->out.next);
		apply(m, rl->out.next);
		rl->out.next = NULL; /* taken over */
	} else {
		snmp_log(LOG_ERR,
		         "cvpportd: reload refused (%u configuration error(s)); the running "
		         "configuration stays\n",
		         rl->out.errors);
	}
	reload_result_free(&rl->out);
	reload_input_free(&rl->in);
	if (rl->again) {
		rl->again = 0;
		reload_start(m);
	}
}

static int reload_start(struct cvp_port_mib *m)
{
	struct reloader *rl = &m->reloader;
	if (rl->running) {
		rl->again = 1; /* read again when this one is done: the file may have changed */
		return 0;
	}
	if (rl->pipe[0] < 0) {
		if (pipe2(rl->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
			snmp_log(LOG_ERR, "cvpportd: reload: %s\n", strerror(errno));
			rl->pipe[0] = rl->pipe[1] = -1;
			return -1;
		}
		register_readfd(rl->pipe[0], reload_done, m);
	}
	if (config_reload_input(&rl->in, m->config.active, m->registered) < 0) {
		snmp_log(LOG_ERR, "cvpportd: reload: out of memory\n");
		return -1;
	}
	int e = pthread_create(&rl->thread, NULL, reload_thread, rl);
	if (e) {
		snmp_log(LOG_ERR, "cvpportd: reload: cannot start a thread: %s\n", strerror(e));
		reload_input_free(&rl->in);
		return -1;
	}
	rl->running = 1;
	return 0;
}

int cvpPortMIB_reload(void)
{
	return instance ? reload_start(instance) : -1;
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
	if (applied) {
		/* rows keep the indexes their names had (the map in the state directory) */
		struct reload_result kept = {0};
		char path[4096];
		config_index_path(path, sizeof(path));
		reload_keep_indexes(next, m->config.active, path, m->registered, &kept);
		config_log(&kept);
		reload_result_free(&kept);
		if (m->config.active) /* a re-read (snmpd's SIGHUP, with dlmod) */
			config_log_reloaded(m->config.active, next);
	} else {
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
	m->reloader.pipe[0] = m->reloader.pipe[1] = -1;
	/* The session callbacks go in before init_snmp opens the AgentX session. */
	if (agent)
		traps_init(&m->traps, refresh_session_up, &m->refresh);
	refresh_init(&m->refresh, &m->ctx, agent ? &m->traps : NULL);
	host_poller_init(&m->poller, agent ? &m->traps : NULL);
	m->ctx.hosts = &m->poller.hosts;
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
	    mib_listeners_register(&m->listeners, &m->ctx) < 0 ||
	    mib_findings_register(&m->findings, &m->ctx) < 0 ||
	    mib_hosts_register(&m->hosts, &m->host_ports, &m->host_findings, &m->ctx) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot register CVP-PORT-MIB\n");
		return;
	}
	const struct mib_table *const tables[] = {&m->ports, &m->listeners,  &m->findings,
	                                          &m->hosts, &m->host_ports, &m->host_findings};
	if (agentx_direct_start(&m->direct, tables, sizeof(tables) / sizeof(*tables)) < 0)
		snmp_log(LOG_WARNING, "cvpportd: AgentX requests take net-snmp's agent\n");
	register_sysORTable(sysor_oid, OID_LENGTH(sysor_oid), SYSOR_DESCR);
	m->registered = 1;
}

void deinit_cvpPortMIB(void)
{
	struct cvp_port_mib *m = instance;
	if (!m)
		return;
	if (m->reloader.running) {
		pthread_join(m->reloader.thread, NULL);
		reload_result_free(&m->reloader.out);
		reload_input_free(&m->reloader.in);
	}
	if (m->reloader.pipe[0] >= 0) {
		unregister_readfd(m->reloader.pipe[0]);
		close(m->reloader.pipe[0]);
		close(m->reloader.pipe[1]);
	}
	if (m->registered) {
		agentx_direct_stop(&m->direct);
		unregister_sysORTable(sysor_oid, OID_LENGTH(sysor_oid));
	}
	if (m->globals)
		netsnmp_unregister_handler(m->globals);
	mib_table_unregister(&m->ports);
	mib_table_unregister(&m->listeners);
	mib_table_unregister(&m->findings);
	mib_table_unregister(&m->hosts);
	mib_table_unregister(&m->host_ports);
	mib_table_unregister(&m->host_findings);
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, config_read,
	                         m, 1);
	config_unregister();
	refresh_free(&m->refresh);
	host_poller_free(&m->poller);
	traps_free(&m->traps);
	config_free(&m->config);
	free(m);
	instance = NULL;
}

void cvpPortMIB_use_helper(struct privsep *helper)
{
	if (instance)
		instance->refresh.helper = helper;
}

const struct cvp_snapshot *cvpPortMIB_snapshot(void)
{
	return instance ? instance->ctx.snapshot : NULL;
}

unsigned cvpPortMIB_check_files(struct cvp_settings *into)
{
	return config_check_files(into);
}
