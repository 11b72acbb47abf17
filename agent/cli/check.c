/* `cvpportd --check` and `--check-config` (check.h). */
#include "check.h"
#include "app.h"
#include "report.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path) < 0 ? -1 : 0;
}

/* The process is marked a subagent only after init_agent(), so that it neither connects to a
 * master nor warns about access control, which only a master has. */
int check_offline_start(struct check_offline *o)
{
	const char *dir = get_persistent_directory();
	snprintf(o->state_dir, sizeof(o->state_dir), "%s", dir ? dir : "");
	snprintf(o->scratch, sizeof(o->scratch), "/tmp/cvpportd-oneshot.XXXXXX");
	if (!mkdtemp(o->scratch)) {
		fprintf(stderr, "cvpportd: cannot make a temporary directory: %s\n",
		        strerror(errno));
		o->scratch[0] = '\0';
		return -1;
	}
	/* (made here, so that net-snmp does not say on stderr that it made it) */
	char certs[sizeof(o->scratch) + 16];
	snprintf(certs, sizeof(certs), "%s/cert_indexes", o->scratch);
	mkdir(certs, 0700);
	set_persistent_directory(o->scratch);
	init_agent(CVP_APP_NAME); /* for its configuration tokens; no port is opened */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	if (app_init_offline(o->state_dir) < 0) {
		fprintf(stderr, "cvpportd: out of memory\n");
		return -1;
	}
	return 0;
}

void check_offline_end(struct check_offline *o)
{
	if (o->scratch[0])
		nftw(o->scratch, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	o->scratch[0] = '\0';
}

int check_config_run(void)
{
	struct check_offline o;
	struct cvp_settings s;
	char err[256];
	if (check_offline_start(&o) < 0) {
		check_offline_end(&o);
		return 1;
	}
	if (config_model_init(&s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		check_offline_end(&o);
		return 1;
	}
	unsigned errors = app_check_files(&s);
	if (errors)
		fprintf(stderr, "cvpportd: %u configuration error(s)\n", errors);
	else
		config_model_print(stdout, &s);
	config_model_free(&s);
	app_free();
	snmp_shutdown(CVP_APP_NAME);
	check_offline_end(&o);
	return errors ? 1 : 0;
}

int check_run(int json)
{
	struct check_offline o;
	if (check_offline_start(&o) < 0) {
		check_offline_end(&o);
		return CVP_EXIT_UNKNOWN;
	}
	unsigned errors = app_check_files(NULL);
	if (errors) {
		printf("CVP-PORT UNKNOWN - %u configuration error(s), nothing checked\n", errors);
		app_free();
		snmp_shutdown(CVP_APP_NAME);
		check_offline_end(&o);
		return CVP_EXIT_UNKNOWN;
	}
	init_snmp(CVP_APP_NAME);
	const struct cvp_snapshot *snap = app_snapshot();
	int code = !snap  ? CVP_EXIT_UNKNOWN
	           : json ? report_print_json(stdout, snap)
	                  : report_print(stdout, snap);
	app_free();
	snmp_shutdown(CVP_APP_NAME);
	check_offline_end(&o);
	return code;
}
