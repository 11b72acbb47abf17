/* cvpportd --check --host: another host's listeners, this host's verdicts. */
#include "check_host.h"
#include "check.h"
#include "app.h"
#include "host_state.h"
#include "host_walk.h"
#include "report.h"
#include "config_model.h"
#include "snmp_options.h"
#include "text.h"

#include <stdio.h>
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

/* The host's ephemeral range: LOW-HIGH given, else its cvpHost's, else by its sysDescr.
 * Returns 0, or -1 with why. */
static int ephemeral(const struct check_host_request *r, const struct cvp_settings *s,
                     const struct cvp_remote_host *known, const struct host_scan *scan,
                     uint16_t range[2], char *why, size_t whylen)
{
	unsigned low, high;
	int used = 0;
	if (r->ephemeral) {
		if (sscanf(r->ephemeral, "%5u-%5u%n", &low, &high, &used) != 2 ||
		    r->ephemeral[used] || !low || low > high || high > 65535)
			return text_fail(why, whylen, "--ephemeral takes LOW-HIGH (1 to 65535)");
		range[0] = (uint16_t)low;
		range[1] = (uint16_t)high;
	} else if (!known || !host_config_ephemeral(&s->hosts, known, &range[0], &range[1])) {
		host_state_ephemeral_range(scan->descr, host_walk_scan_source(scan), &range[0],
		                           &range[1]);
	}
	return 0;
}

/* The scan judged and printed as --check prints. */
static int judge(const struct check_host_request *r, const struct cvp_catalog *cat,
                 struct host_scan *scan, const uint16_t range[2])
{
	const struct host_answer a = {&scan->socks, host_walk_scan_source(scan), scan->malformed,
	                              range[0], range[1]};
	struct cvp_snapshot *snap = host_state_evaluate(cat, NULL, &a);
	if (!snap)
		return unknown(r->host, "out of memory");
	snap->host = r->host;
	host_walk_scan_tables(scan, snap->remote_tables, sizeof(snap->remote_tables));
	snprintf(snap->first_malformed, sizeof(snap->first_malformed), "%s", scan->first_malformed);
	int code = r->json ? report_print_json(stdout, snap) : report_print(stdout, snap);
	snapshot_free(snap);
	return code;
}

int check_host_run(const struct check_host_request *r)
{
	struct cvp_settings s;
	struct host_scan scan = {0};
	char err[512];
	uint16_t range[2];
	int code;

	if (config_model_init(&s, err, sizeof(err)) < 0)
		return unknown(r->host, err);
	unsigned errors = app_check_files(&s);
	/* (the configuration's callbacks would scan this host when net-snmp reads it) */
	app_free();
	if (errors) {
		snprintf(err, sizeof(err), "%u configuration error(s), nothing checked", errors);
		code = unknown(r->host, err);
		goto out;
	}
	/* a host of the configuration (cvpHost): its address, options and roles, unless given */
	const struct cvp_remote_host *known = host_config_find(&s.hosts, r->host);
	const char *snmp = r->snmp ? r->snmp : known ? known->options : NULL;
	/* one deadline for the whole walk: a cvpHost's poll interval, at most 60 s */
	unsigned deadline = known ? host_config_interval(&s.hosts, known) : HOST_WALK_DEADLINE_MAX;
	if (deadline > HOST_WALK_DEADLINE_MAX)
		deadline = HOST_WALK_DEADLINE_MAX;
	unsigned limit =
	    host_config_row_limit(&s.hosts, known ? known : &(struct cvp_remote_host){0});
	if (known && !r->roles)
		s.cat.roles = known->roles;
	if ((r->roles && config_model_apply(&s, "cvpRoles", r->roles, err, sizeof(err)) != 0) ||
	    (r->snmp && snmp_options_check(r->snmp, err, sizeof(err)) < 0) ||
	    scan_host(known ? known->address : r->host, snmp, deadline, limit, &scan, err,
	              sizeof(err)) < 0 ||
	    ephemeral(r, &s, known, &scan, range, err, sizeof(err)) < 0)
		code = unknown(r->host, err);
	else
		code = judge(r, &s.cat, &scan, range);
out:
	host_walk_scan_free(&scan);
	config_model_free(&s);
	return code;
}

int check_host_command(const struct check_host_request *r)
{
	struct check_offline o;
	int code = CVP_EXIT_UNKNOWN;
	if (check_offline_start(&o) == 0) {
		code = check_host_run(r);
		snmp_shutdown(CVP_APP_NAME);
	}
	check_offline_end(&o);
	return code;
}
