/* `cvpportd --check` and `--check-config` (check.h). */
#include "check.h"
#include "app.h"
#include "report.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stdio.h>

/* The process is marked a subagent only after init_agent(), so that it neither connects to a
 * master nor warns about access control, which only a master has. */
int check_offline_start(void)
{
	init_agent(CVP_APP_NAME); /* for its configuration tokens; no port is opened */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	if (app_init_offline() < 0) {
		fprintf(stderr, "cvpportd: out of memory\n");
		return -1;
	}
	return 0;
}

int check_config_run(void)
{
	struct cvp_settings s;
	char err[256];
	if (check_offline_start() < 0)
		return 1;
	if (settings_init(&s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	unsigned errors = app_check_files(&s);
	if (errors)
		fprintf(stderr, "cvpportd: %u configuration error(s)\n", errors);
	else
		settings_print(stdout, &s);
	settings_free(&s);
	app_free();
	snmp_shutdown(CVP_APP_NAME);
	return errors ? 1 : 0;
}

int check_run(int json)
{
	if (check_offline_start() < 0)
		return CVP_EXIT_UNKNOWN;
	unsigned errors = app_check_files(NULL);
	if (errors) {
		printf("CVP-PORT UNKNOWN - %u configuration error(s), nothing checked\n", errors);
		app_free();
		snmp_shutdown(CVP_APP_NAME);
		return CVP_EXIT_UNKNOWN;
	}
	init_snmp(CVP_APP_NAME);
	const struct cvp_snapshot *snap = app_snapshot();
	int code = !snap  ? CVP_EXIT_UNKNOWN
	           : json ? report_print_json(stdout, snap)
	                  : report_print(stdout, snap);
	app_free();
	snmp_shutdown(CVP_APP_NAME);
	return code;
}
