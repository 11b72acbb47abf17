/* cvpportd's command line. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "options.h"
#include "report.h"

#include <getopt.h>
#include <stdlib.h>

#ifndef CVPPORTD_VERSION
#define CVPPORTD_VERSION "unknown"
#endif

void options_usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: cvpportd [OPTIONS]\n"
	    "  -f              stay in the foreground\n"
	    "  -x ADDRESS      AgentX master address (default " AGENTX_DEFAULT ")\n"
	    "  -c FILE         read FILE as configuration, besides cvpportd.conf (repeatable)\n"
	    "  -C              read only the files given with -c\n"
	    "  -L[eEfFoOsS] .. logging, as snmpd: -Lo stdout, -Lf FILE, -Ls daemon, ...\n"
	    "  -D[TOKENS]      debug output for TOKENS (e.g. -Dcvpportd)\n"
	    "  -p FILE         write the process id to FILE\n"
	    "  --user NAME     the user the agent process runs as (default " CVP_AGENT_USER ")\n"
	    "  --check-config  check the configuration, print the effective catalogue and\n"
	    "                  exit (0 valid, 1 errors); neither scans nor connects\n"
	    "  --check         scan once, print the compliance table and exit\n"
	    "                  (0 ok, 1 warning, 2 critical, 3 unknown)\n"
	    "  --json          with --check: print it as JSON\n"
	    "  --host HOST[:PORT]|NAME\n"
	    "                  with --check: check that host (or cvpHost NAME) instead, from\n"
	    "                  its TCP-MIB and UDP-MIB or RFC 1213 tables (Windows' SNMP service)\n"
	    "  --snmp \"SNMP-OPTIONS\"\n"
	    "                  with --host: snmpget's options (default \"-v2c -c public\")\n"
	    "  --roles ROLE[,ROLE...]\n"
	    "                  with --host: that host's roles (default: cvpRoles)\n"
	    "  --ephemeral LOW-HIGH\n"
	    "                  with --host or --from: that host's ephemeral port range\n"
	    "                  (default: by its sysDescr; a capture: its system's default)\n"
	    "  --from FILE     with --check: judge a capture of another host instead: Windows'\n"
	    "                  netstat -ano or -abno or PowerShell's CSV, Linux's ss -tulpn\n"
	    "  --format auto|netstat|powershell|ss\n"
	    "                  with --from: the capture's format (default: auto)\n"
	    "  --doctor [SNMP-OPTIONS] [AGENT]\n"
	    "                  check every link from this host to an NMS (configuration,\n"
	    "                  attribution, AgentX, registration, the MIB through AGENT with\n"
	    "                  snmpget's options, default -v2c -c public 127.0.0.1, trap\n"
	    "                  destinations, MIB files); the last option (exit codes as --check)\n"
	    "  --version       print the version and exit\n"
	    "  -h, --help      this text\n");
}

const char *options_agentx_unix_path(const char *addr)
{
	if (!addr)
		return NULL;
	if (strncmp(addr, "unix:", 5) == 0)
		return addr + 5;
	return addr[0] == '/' ? addr : NULL;
}

/* Repeated -c: every file (net-snmp reads a comma-separated list). */
static int add_config_file(const char *file)
{
	const char *had =
	    netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	char joined[4096];
	if (had && (size_t)snprintf(joined, sizeof(joined), "%s,%s", had, file) >= sizeof(joined)) {
		fprintf(stderr, "cvpportd: too many -c files\n");
		return -1;
	}
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG,
	                      had ? joined : file);
	return 0;
}

/* net-snmp's own options, which take effect as they are read. Returns 0, -1 (said), or 1 when
 * c is not one of them. */
static int netsnmp_option(int c, int argc, char **argv, struct options *o)
{
	switch (c) {
	case 'x':
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, optarg);
		return 0;
	case 'c': return add_config_file(optarg);
	case 'C':
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
		return 0;
	case 'L':
		if (snmp_log_options(optarg, argc, argv) < 0) {
			options_usage(stderr);
			return -1;
		}
		o->logging_set = 1;
		return 0;
	case 'D':
		debug_register_tokens(optarg ? optarg : "ALL");
		snmp_set_do_debugging(1);
		return 0;
	default: return 1;
	}
}

int options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"check", no_argument, NULL, 'K'},       {"check-config", no_argument, NULL, 'G'},
	    {"json", no_argument, NULL, 'J'},        {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},        {"doctor", no_argument, NULL, 'O'},
	    {"host", required_argument, NULL, 'H'},  {"snmp", required_argument, NULL, 'S'},
	    {"roles", required_argument, NULL, 'R'}, {"ephemeral", required_argument, NULL, 'E'},
	    {"from", required_argument, NULL, 'F'},  {"format", required_argument, NULL, 'T'},
	    {"user", required_argument, NULL, 'U'},  {NULL, 0, NULL, 0},
	};
	int c, rc;

	/* '+': stop at the first non-option, so nothing after --doctor is reordered */
	while (!o->doctor &&
	       (c = getopt_long(argc, argv, "+fx:c:CL:D::p:hV", longopts, NULL)) != -1) {
		if ((rc = netsnmp_option(c, argc, argv, o)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		switch (c) {
		case 'f': o->foreground = 1; break;
		case 'p': o->pidfile = optarg; break;
		case 'K': o->check = 1; break;
		case 'G': o->check_config = 1; break;
		case 'J': o->json = 1; break;
		case 'H': o->host = optarg; break;
		case 'S': o->snmp = optarg; break;
		case 'R': o->roles = optarg; break;
		case 'E': o->ephemeral = optarg; break;
		case 'F': o->from = optarg; break;
		case 'T': o->format = optarg; break;
		case 'U': o->user = optarg; break;
		case 'O':
			o->doctor = 1;
			o->doctor_argc = argc - optind + 1;
			o->doctor_argv = argv + optind - 1; /* [0]: "--doctor", as a program name */
			optind = argc;
			break;
		case 'V':
			printf("cvpportd %s (net-snmp %s)\n", CVPPORTD_VERSION,
			       netsnmp_get_version());
			exit(0);
		case 'h': options_usage(stdout); exit(0);
		default: options_usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cvpportd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

int options_conflict(const struct options *o)
{
	const char *why = NULL;
	if (o->json && !o->check)
		why = "--json goes with --check";
	else if ((o->host || o->from) && !o->check)
		why = "--host and --from go with --check";
	else if (o->host && o->from)
		why = "--host and --from do not go together";
	else if (o->snmp && !o->host)
		why = "--snmp goes with --host";
	else if ((o->roles || o->ephemeral) && !o->host && !o->from)
		why = "--roles and --ephemeral go with --host or --from";
	else if (o->format && !o->from)
		why = "--format goes with --from";
	if (!why)
		return 0;
	fprintf(stderr, "cvpportd: %s\n", why);
	return o->check ? CVP_EXIT_UNKNOWN : 1;
}
