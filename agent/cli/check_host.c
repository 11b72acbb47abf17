/* cvpportd --check --host: another host's listeners, this host's verdicts. */
#include "check_host.h"
#include "check.h"
#include "app.h"
#include "host_state.h"
#include "host_walk.h"
#include "report.h"
#include "config_model.h"
#include "snmp_options.h"

#include <stdlib.h>
#include <string.h>

static int unknown(const char *host, const char *why)
{
	printf("CVP-PORT UNKNOWN - %s: %s\n", host, why);
	return CVP_EXIT_UNKNOWN;
}

/* The host's listeners into scan, or -1 with why. */
static int scan_host(const char *host, const char *snmp, unsigned deadline, unsigned limit,
                     struct host_scan *scan, char *why, size_t whylen)
{
	long version;
	void *sess = snmp_peer_open(host, snmp, NULL, NULL, &version, why, whylen);
	if (!sess)
		return -1;
	int rc = host_walk(sess, version, deadline, limit, scan, why, whylen);
	snmp_sess_close(sess);
	return rc;
}

int check_host_run(const char *host, const char *snmp, const char *roles, int json)
{
	struct cvp_settings s;
	struct host_scan scan = {0};
	char err[512];
	int code;

	if (config_model_init(&s, err, sizeof(err)) < 0)
		return unknown(host, err);
	unsigned errors = app_check_files(&s);
	/* (the configuration's callbacks would scan this host when net-snmp reads it) */
	app_free();
	if (errors) {
		snprintf(err, sizeof(err), "%u configuration error(s), nothing checked", errors);
		code = unknown(host, err);
		goto out;
	}
	/* a host of the configuration (cvpHost): its address, options and roles, unless given */
	const struct cvp_remote_host *known = host_config_find(&s.hosts, host);
	const char *address = known ? known->address : host;
	/* one deadline for the whole walk: a cvpHost's poll interval, at most 60 s */
	unsigned deadline = known ? host_config_interval(&s.hosts, known) : HOST_WALK_DEADLINE_MAX;
	if (deadline > HOST_WALK_DEADLINE_MAX)
		deadline = HOST_WALK_DEADLINE_MAX;
	unsigned limit =
	    host_config_row_limit(&s.hosts, known ? known : &(struct cvp_remote_host){0});
	if (known) {
		snmp = snmp ? snmp : known->options;
		if (!roles)
			s.cat.roles = known->roles;
	}
	if (roles && config_model_apply(&s, "cvpRoles", roles, err, sizeof(err)) != 0) {
		code = unknown(host, err);
	} else if (snmp && snmp_options_check(snmp, err, sizeof(err)) < 0) {
		code = unknown(host, err);
	} else if (scan_host(address, snmp, deadline, limit, &scan, err, sizeof(err)) < 0) {
		code = unknown(host, err);
	} else {
		struct cvp_snapshot *snap = host_state_evaluate(
		    &s.cat, NULL, &scan.socks, host_walk_scan_source(&scan), scan.malformed);
		if (!snap) {
			code = unknown(host, "out of memory");
		} else {
			snap->host = host;
			host_walk_scan_tables(&scan, snap->remote_tables,
			                      sizeof(snap->remote_tables));
			snprintf(snap->first_malformed, sizeof(snap->first_malformed), "%s",
			         scan.first_malformed);
			code = json ? report_print_json(stdout, snap) : report_print(stdout, snap);
			snapshot_free(snap);
		}
	}
out:
	host_walk_scan_free(&scan);
	config_model_free(&s);
	return code;
}

int check_host_command(const char *host, const char *snmp, const char *roles, int json)
{
	struct check_offline o;
	int code = CVP_EXIT_UNKNOWN;
	if (check_offline_start(&o) == 0) {
		code = check_host_run(host, snmp, roles, json);
		snmp_shutdown(CVP_APP_NAME);
	}
	check_offline_end(&o);
	return code;
}
