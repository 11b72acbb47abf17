/* `cvpportd --check --host HOST[:PORT] [--snmp "SNMP ARGS"] [--roles R,...]`: a monitoring
 * plugin for another host (a Windows CVP server, say), whose listeners come from its standard
 * MIBs (host_walk.h) and are judged by this host's catalogue and configuration. */
#ifndef CHECK_HOST_H
#define CHECK_HOST_H

/* What is asked of the host. host: an agent's address, or the name of a cvpHost of the
 * configuration (whose address, options and roles stand where snmp and roles are NULL). snmp:
 * net-snmp's session options as one string, as snmpget takes them (default -v2c -c public);
 * roles: cvpRoles for that host (default: the configuration's); ephemeral: its ephemeral range,
 * LOW-HIGH (default: the cvpHost's cvpHostEphemeral, else what its sysDescr tells). */
struct check_host_request {
	const char *host, *snmp, *roles, *ephemeral;
	int json;
};

/* Call with the directives registered (app_init_offline) and no snapshot built. Prints as
 * --check and returns its exit code: 3 (UNKNOWN) when the host does not answer or an option is
 * wrong. */
int check_host_run(const struct check_host_request *r);
/* `cvpportd --check --host`: the one-shot start, then check_host_run. */
int check_host_command(const struct check_host_request *r);

#endif
