/* cvpportd: one program, several modes. The subagent (serve.h); the one-shot modes --check
 * and --check-config (check.h), --check --host (check_host.h) and --doctor (doctor.h). This file
 * only sets net-snmp's process-wide defaults, reads the command line and picks the mode. */
#include "app.h"
#include "check.h"
#include "check_from.h"
#include "check_host.h"
#include "doctor.h"
#include "options.h"
#include "report.h"
#include "serve.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	struct options o = {0};

	/* A subagent needs no MIB files; loading them only prints warnings. */
	setenv("MIBS", "", 0);
	/* net-snmp reads the configuration path and then its persistent directory, where it keeps
	 * a cvpportd.conf of its own that the strict reader never checks and that cvpportd's
	 * service could write: with the path set, only the path is read. */
	setenv("SNMPCONFPATH", get_configuration_directory(), 0);
	/* cvpportd's state (the row index map) goes in a directory of its own, and net-snmp keeps
	 * no state file for it: a subagent has no engine state worth keeping. */
	setenv("SNMP_PERSISTENT_DIR", "/var/lib/cvpportd", 0);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	if (options_parse(argc, argv, &o) < 0)
		return o.check || o.doctor ? CVP_EXIT_UNKNOWN : 1;
	if (!o.logging_set) {
		if (o.foreground || o.check || o.check_config || o.doctor)
			snmp_enable_stderrlog();
		else
			snmp_enable_syslog_ident(CVP_APP_NAME, LOG_DAEMON);
	}
	int conflict = options_conflict(&o);
	if (conflict)
		return conflict;
	if (o.doctor)
		return doctor_command(o.doctor_argc, o.doctor_argv);
	if (o.check_config)
		return check_config_run();
	if (o.from)
		return check_from_command(&(struct check_from_request){.path = o.from,
		                                                       .format = o.format,
		                                                       .roles = o.roles,
		                                                       .ephemeral = o.ephemeral,
		                                                       .json = o.json});
	if (o.host)
		return check_host_command(&(struct check_host_request){.host = o.host,
		                                                       .snmp = o.snmp,
		                                                       .roles = o.roles,
		                                                       .ephemeral = o.ephemeral,
		                                                       .json = o.json});
	return o.check ? check_run(o.json) : serve_run(&o);
}
