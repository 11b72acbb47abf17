/* cvpportd --doctor (doctor.h). Each check prints its own line; one that fails says what to do
 * next, naming the file or the command. */
#include "doctor.h"
#include "options.h"
#include "app.h"
#include "check.h"
#include "cvp_oid.h"
#include "report.h"
#include "snmp_peer.h"
#include "snmpd_conf.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DROPIN "/etc/snmp/snmpd.conf.d/cvpportd.conf"

enum verdict { OK, WARN, FAIL };

struct doctor {
	FILE *out;
	int worst; /* exit code so far */
};

static void say(struct doctor *d, enum verdict v, const char *what, const char *fix, ...)
    __attribute__((format(printf, 3, 5)));

/* "OK   what" / "FAIL what" + "     fix: ...". what may hold a printf format whose arguments
 * follow fix. */
static void say(struct doctor *d, enum verdict v, const char *what, const char *fix, ...)
{
	static const char *const tag[] = {"OK  ", "WARN", "FAIL"};
	va_list ap;
	va_start(ap, fix);
	fprintf(d->out, "%s ", tag[v]);
	vfprintf(d->out, what, ap);
	va_end(ap);
	fputc('\n', d->out);
	if (v != OK && fix)
		fprintf(d->out, "     fix: %s\n", fix);
	int code = v == FAIL ? CVP_EXIT_CRITICAL : v == WARN ? CVP_EXIT_WARNING : CVP_EXIT_OK;
	if (code > d->worst)
		d->worst = code;
}

static void check_config(struct doctor *d, unsigned errors)
{
	if (errors)
		say(d, FAIL, "configuration: %u error(s), printed above",
		    "correct the file and line each error names; `cvpportd --check-config` "
		    "checks again",
		    errors);
	else
		say(d, OK, "configuration: valid", NULL);
}

static void check_attribution(struct doctor *d, const struct cvp_snapshot *s)
{
	if (!s) {
		say(d, FAIL, "scan: no socket table could be read",
		    "see the messages above (netlink sock_diag and /proc/net both failed)");
		return;
	}
	if (s->stats.unattributed)
		say(d, WARN,
		    "process attribution: %u of %zu listener(s) without their process (run as "
		    "uid %u)",
		    geteuid() ? "run --doctor as root, as the service runs (root's uid with "
		                "CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE); a /proc mounted with "
		                "hidepid hides other users' processes"
		              : "a socket in flight between processes, or /proc mounted with "
		                "hidepid: see the daemon's log",
		    s->stats.unattributed, s->nlisteners, (unsigned)geteuid());
	else
		say(d, OK, "process attribution: all %zu listener(s) attributed", NULL,
		    s->nlisteners);
}

static void check_agentx(struct doctor *d)
{
	const char *addr =
	    netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET);
	if (!addr)
		addr = "unix:" NETSNMP_AGENTX_SOCKET;
	netsnmp_transport *t = netsnmp_transport_open_client("agentx", addr);
	if (t) {
		netsnmp_transport_free(t);
		if (options_agentx_unix_path(addr))
			say(d, OK, "AgentX: the master's socket %s accepts a connection", NULL,
			    addr);
		else
			say(d, WARN,
			    "AgentX: %s accepts a connection, over the network: any local process "
			    "can "
			    "connect there too, register objects under CVP-PORT-MIB or send "
			    "notifications through the master, and so forge verdicts",
			    "use the master's unix socket, which admits root only: `agentXSocket "
			    "unix:" NETSNMP_AGENTX_SOCKET
			    "` in snmpd.conf (Debian's default) and no "
			    "-x or agentXSocket for cvpportd",
			    addr);
		return;
	}
	say(d, FAIL, "AgentX: nothing accepts connections at %s",
	    "start snmpd with `master agentx` (Debian's snmpd.conf has it); a master on another "
	    "address: `agentXSocket` in cvpportd.conf, or -x",
	    addr);
}

/* What went wrong with a request, for the check's line. */
struct why {
	char text[256];
};

/* One GET or GETNEXT of oid; returns the response (the caller frees it) or NULL, with the
 * session's error in why. */
static netsnmp_pdu *request(void *sess, int type, const oid *name, size_t len, struct why *why)
{
	netsnmp_pdu *pdu = snmp_pdu_create(type);
	if (!pdu) {
		snprintf(why->text, sizeof(why->text), "out of memory");
		return NULL;
	}
	snmp_add_null_var(pdu, name, len);
	return snmp_peer_send(sess, pdu, 0, why->text, sizeof(why->text));
}

/* sysORTable (SNMPv2-MIB's system group, in the stock view): is CVP-PORT-MIB registered? */
static int find_sysor(void *sess, struct why *why)
{
	static const oid sysor_id[] = {1, 3, 6, 1, 2, 1, 1, 9, 1, 2};
	static const oid mib[] = {CVP_PORT_MIB_OID};
	oid cur[MAX_OID_LEN];
	size_t len = OID_LENGTH(sysor_id);
	memcpy(cur, sysor_id, sizeof(sysor_id));
	for (int i = 0; i < 1000; i++) {
		netsnmp_pdu *r = request(sess, SNMP_MSG_GETNEXT, cur, len, why);
		if (!r)
			return -1;
		netsnmp_variable_list *v = r->variables;
		int in = v && v->name_length > OID_LENGTH(sysor_id) &&
		         snmp_oid_ncompare(v->name, v->name_length, sysor_id, OID_LENGTH(sysor_id),
		                           OID_LENGTH(sysor_id)) == 0;
		int found = in && v->type == ASN_OBJECT_ID &&
		            snmp_oid_compare(v->val.objid, v->val_len / sizeof(oid), mib,
		                             OID_LENGTH(mib)) == 0;
		if (in) {
			len = v->name_length < MAX_OID_LEN ? v->name_length : MAX_OID_LEN;
			memcpy(cur, v->name, len * sizeof(oid));
		}
		snmp_free_pdu(r);
		if (found || !in)
			return found;
	}
	return 0;
}

/* Registration: whether the agent lists CVP-PORT-MIB in sysORTable. Returns 1, 0, or -1 when
 * the agent did not answer (each said). */
static int check_registration(struct doctor *d, void *sess, const char *peer)
{
	struct why why = {""};
	int registered = find_sysor(sess, &why);
	if (registered < 0)
		say(d, FAIL, "agent %s: %s",
		    "is snmpd running and listening there (`agentaddress`)? is the community (-c) "
		    "or SNMPv3 user (-u, -l, -a/-A, -x/-X) one snmpd knows?",
		    peer, why.text);
	else if (!registered)
		say(d, FAIL, "registration: CVP-PORT-MIB is not in %s's sysORTable",
		    "start cvpportd (`systemctl enable --now cvpportd`, or `cvpportd`) and read "
		    "its log (`journalctl -u cvpportd`, or syslog)",
		    peer);
	else
		say(d, OK, "registration: %s serves CVP-PORT-MIB (sysORTable)", NULL, peer);
	return registered;
}

/* Whether the MIB can be read through the agent with these credentials. */
static void check_readable(struct doctor *d, void *sess, const char *peer, int registered)
{
	static const oid size[] = {CVP_PORT_MIB_OID, 1, 1, 1, 0};
	struct why why = {""};
	netsnmp_pdu *r = request(sess, SNMP_MSG_GET, size, OID_LENGTH(size), &why);
	netsnmp_variable_list *v = r ? r->variables : NULL;
	if (v && v->type == ASN_GAUGE)
		say(d, OK, "MIB readable: cvpPortCatalogSize.0 = %lu through %s", NULL,
		    (unsigned long)*v->val.integer, peer);
	else if (registered)
		say(d, FAIL,
		    "MIB readable: CVP-PORT-MIB is registered but %s answers %s to these "
		    "credentials",
		    "the community's view leaves it out (Debian's `public` sees only "
		    "`systemonly`): uncomment the view line in " DROPIN
		    " and restart snmpd; or give an SNMPv3 user whose view holds "
		    ".1.3.6.1.4.1.8072.9999.9999.7161",
		    peer, v ? "noSuchObject" : why.text);
	else
		say(d, FAIL, "MIB readable: %s answers nothing under CVP-PORT-MIB",
		    "register it first (above)", peer);
	if (r)
		snmp_free_pdu(r);
}

static void check_agent(struct doctor *d, int argc, char **argv)
{
	netsnmp_session in;
	/* the session keeps pointing at the agent named, so it lives as long as the session */
	// cppcheck-suppress variableScope
	char local[] = "127.0.0.1";
	/* No agent named: the local one. */
	int first = snmp_peer_parse_args(&in, argc, argv, NULL);
	if (first == NETSNMP_PARSE_ARGS_ERROR_USAGE)
		first = snmp_peer_parse_args(&in, argc, argv, local);
	if (first < 0) {
		say(d, FAIL, "agent: the SNMP options after --doctor were not understood",
		    "give them as snmpget takes them: --doctor [-v2c -c COMMUNITY | -v3 -u USER "
		    "-l authPriv -a SHA -A ... -x AES -X ...] [AGENT]");
		d->worst = CVP_EXIT_UNKNOWN;
		return;
	}
	void *sess = snmp_sess_open(&in);
	if (!sess) {
		say(d, FAIL, "agent: cannot open a session to %s", "check the agent address",
		    in.peername);
		snmp_peer_free_args(&in);
		return;
	}
	int registered = check_registration(d, sess, in.peername);
	if (registered >= 0)
		check_readable(d, sess, in.peername, registered);
	snmp_sess_close(sess);
	snmp_peer_free_args(&in);
}

static void check_traps(struct doctor *d)
{
	const char *path = getenv("SNMPCONFPATH");
	struct snmpd_conf_sinks sinks = {0};
	char err[512];
	if (!path || !*path)
		path = get_configuration_directory();
	if (snmpd_conf_find_sinks(path, &sinks, err, sizeof(err)) < 0) {
		say(d, WARN, "notifications: %s", "run --doctor as root: snmpd.conf is root's",
		    err);
		return;
	}
	if (sinks.count)
		say(d, OK, "notifications: snmpd sends them (%s)", NULL, sinks.first);
	else
		say(d, WARN,
		    "notifications: no trap2sink, informsink or trapsess in snmpd's "
		    "configuration (%u file(s) read under %s)",
		    "uncomment the trap2sink line in " DROPIN
		    " (or add your NMS's) and restart snmpd",
		    sinks.files, path);
}

/* The tools (snmpwalk, snmptrapd) find CVP-PORT-MIB and SNMPv2-MIB by name. */
static void check_mib_files(struct doctor *d)
{
	static const char *const names[] = {"CVP-PORT-MIB::cvpPortOverallStatus.0",
	                                    "SNMPv2-MIB::snmpTrapOID.0"};
	oid o[MAX_OID_LEN];
	int missing = 0;
	int saved = snmp_peer_stderr_quiet(), found[2];
	netsnmp_read_module("CVP-PORT-MIB");
	netsnmp_read_module("SNMPv2-MIB");
	for (size_t i = 0; i < 2; i++) {
		size_t len = MAX_OID_LEN;
		found[i] = snmp_parse_oid(names[i], o, &len) != NULL;
	}
	snmp_peer_stderr_restore(saved);
	for (size_t i = 0; i < 2; i++) {
		if (!found[i]) {
			say(d, FAIL, "MIB files: %s is not found by name",
			    "install the package (it puts the modules in /usr/share/snmp/mibs), or "
			    "set MIBDIRS to the directories that hold them",
			    names[i]);
			missing = 1;
		}
	}
	if (!missing)
		say(d, OK, "MIB files: CVP-PORT-MIB and SNMPv2-MIB resolve by name", NULL);
}

int doctor_run(FILE *out, unsigned config_errors, const struct cvp_snapshot *snap, int argc,
               char **argv)
{
	struct doctor d = {out, CVP_EXIT_OK};
	check_config(&d, config_errors);
	check_attribution(&d, snap);
	check_agentx(&d);
	check_agent(&d, argc, argv);
	check_traps(&d);
	check_mib_files(&d);
	return d.worst;
}

int doctor_command(int argc, char **argv)
{
	struct check_offline o;
	if (check_offline_start(&o) < 0) {
		check_offline_end(&o);
		return CVP_EXIT_UNKNOWN;
	}
	unsigned errors = app_check_files(NULL);
	init_snmp(CVP_APP_NAME);
	int code = doctor_run(stdout, errors, app_snapshot(), argc, argv);
	app_free();
	snmp_shutdown(CVP_APP_NAME);
	check_offline_end(&o);
	return code;
}
