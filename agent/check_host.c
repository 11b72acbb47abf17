/* cvpportd --check --host: another host's listeners, this host's verdicts. */
#include "check_host.h"
#include "cvpPortMIB.h"
#include "hosts.h"
#include "remote_walk.h"
#include "report.h"
#include "settings.h"

#include <stdlib.h>
#include <string.h>

#define CHECK_HOST_MAX_ARGS 62

/* Splits words on blanks into argv[1..] (argv[0]: the program); returns argc, or -1 when there
 * are too many. words is modified. */
static int split_words(char *words, char **argv)
{
	int n = 1;
	argv[0] = CVP_APP_NAME;
	for (char *save = NULL, *w = strtok_r(words, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (n == CHECK_HOST_MAX_ARGS)
			return -1;
		argv[n++] = w;
	}
	return n;
}

static int unknown(const char *host, const char *why)
{
	printf("CVP-PORT UNKNOWN - %s: %s\n", host, why);
	return CVP_EXIT_UNKNOWN;
}

/* The host's listeners into scan, or -1 with why. */
static int scan_host(const char *host, const char *snmp, struct remote_scan *scan, char *why,
                     size_t whylen)
{
	char *argv[CHECK_HOST_MAX_ARGS + 1], *words = strdup(snmp ? snmp : "");
	char *agent = strdup(host);
	netsnmp_session in;
	int rc = -1;

	if (!words || !agent) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	int argc = split_words(words, argv);
	if (argc < 0 || snmp_peer_parse_args(&in, argc, argv, agent) < 0) {
		snprintf(
		    why, whylen,
		    "the SNMP options (--snmp, or cvpHost's) were not understood (give them as "
		    "snmpget takes them: "
		    "\"-v2c -c COMMUNITY\" or \"-v3 -u USER -l authPriv -a SHA -A ... -x AES "
		    "-X ...\")");
		goto out;
	}
	void *sess = snmp_sess_open(&in);
	if (!sess) {
		snprintf(why, whylen, "cannot open a session (check the address)");
	} else {
		rc = remote_walk(sess, in.version, scan, why, whylen);
		snmp_sess_close(sess);
	}
	snmp_peer_free_args(&in);
out:
	free(words);
	free(agent);
	return rc;
}

int check_host_run(const char *host, const char *snmp, const char *roles, int json)
{
	struct cvp_settings s;
	struct remote_scan scan = {0};
	char err[512];
	int code;

	if (settings_init(&s, err, sizeof(err)) < 0)
		return unknown(host, err);
	unsigned errors = cvpPortMIB_check_files(&s);
	/* (the configuration's callbacks would scan this host when net-snmp reads it) */
	deinit_cvpPortMIB();
	if (errors) {
		snprintf(err, sizeof(err), "%u configuration error(s), nothing checked", errors);
		code = unknown(host, err);
		goto out;
	}
	/* a host of the configuration (cvpHost): its address, options and roles, unless given */
	const struct cvp_remote_host *known = remote_hosts_find(&s.hosts, host);
	const char *address = known ? known->address : host;
	if (known) {
		snmp = snmp ? snmp : known->options;
		if (!roles)
			s.cat.roles = known->roles;
	}
	if (roles && settings_apply(&s, "cvpRoles", roles, err, sizeof(err)) != 0) {
		code = unknown(host, err);
	} else if (scan_host(address, snmp, &scan, err, sizeof(err)) < 0) {
		code = unknown(host, err);
	} else {
		int source = remote_scan_source(&scan);
		uint16_t low, high;
		hosts_ephemeral_range(source, &low, &high);
		struct cvp_snapshot *snap =
		    snapshot_of_sockets(&s.cat, NULL, &scan.socks, low, high, source);
		if (!snap) {
			code = unknown(host, "out of memory");
		} else {
			snap->host = host;
			snap->stats.malformed = scan.malformed;
			code = json ? report_print_json(stdout, snap) : report_print(stdout, snap);
			snapshot_free(snap);
		}
	}
out:
	remote_scan_free(&scan);
	settings_free(&s);
	return code;
}
