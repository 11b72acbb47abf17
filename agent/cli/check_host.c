/* cvpportd --check --host: another host's listeners, this host's verdicts. */
#include "check_host.h"
#include "check.h"
#include "check_other.h"
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
	if (r->ephemeral)
		return check_other_range(r->ephemeral, "--ephemeral", range, why, whylen);
	host_walk_scan_ephemeral(scan, &s->hosts, known, &range[0], &range[1]);
	return 0;
}

/* The scan judged and printed as --check prints. */
static int judge(const struct check_host_request *r, const struct cvp_catalog *cat,
                 struct host_scan *scan, const uint16_t range[2])
{
	char tables[96];
	host_walk_scan_tables(scan, tables, sizeof(tables));
	const struct host_answer a = {
	    &scan->socks, host_walk_scan_source(scan), scan->malformed, range[0], range[1],
	    tables,       scan->first_malformed};
	return check_other_print(r->host, cat, &a, r->json);
}

int check_host_run(const struct check_host_request *r)
{
	struct cvp_settings s;
	struct host_scan scan = {0};
	char err[512];
	uint16_t range[2];
	int code;

	if (check_other_settings(&s, err, sizeof(err)) < 0)
		return check_other_unknown(r->host, err);
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
		code = check_other_unknown(r->host, err);
	else
		code = judge(r, &s.cat, &scan, range);
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
