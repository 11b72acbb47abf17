/* cvpportd's command line: the options, as snmpd spells them where it has one. net-snmp's own
 * (-x, -c, -C, -L, -D) take effect as they are read. */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdio.h>

/* The master's unix socket, where only root may connect: AgentX has no authentication, so
 * over TCP any local process could register objects under CVP-PORT-MIB or send its
 * notifications through the master. TCP (127.0.0.1:7161) is the operator's explicit choice. */
#define AGENTX_DEFAULT "unix:" NETSNMP_AGENTX_SOCKET

/* The agent process's user when cvpportd starts as root: a system user that owns no file (the
 * Debian package and scripts/run.sh create it). */
#define CVP_AGENT_USER "_cvpportd"
/* The monitor's relay to the master's unix socket, which the agent connects to instead. */
#define CVP_RUN_DIR "/run/cvpportd"

struct options {
	int foreground, check, check_config, json, logging_set, doctor;
	const char *pidfile;
	const char *user;                            /* the agent's user (NULL: CVP_AGENT_USER) */
	const char *host, *snmp, *roles, *ephemeral; /* --check --host */
	const char *from, *format;                   /* --check --from */
	int doctor_argc; /* --doctor: the arguments after it (SNMP options, agent) */
	char **doctor_argv;
};

void options_usage(FILE *out);
/* The path of a unix AgentX address ("unix:PATH", or a path as net-snmp takes one), or NULL for
 * a network one (TCP: any local process may use it). */
const char *options_agentx_unix_path(const char *addr);
/* Options that do not go together: says which and returns the exit code to end with, else 0. */
int options_conflict(const struct options *o);
/* Reads argv into o (zeroed by the caller); --help and --version print and exit. Returns 0, or
 * -1 after saying what was wrong. */
int options_parse(int argc, char **argv, struct options *o);

#endif
