/* Requests to other agents, as the snmp tools make them. */
#include "snmp_peer.h"
#include "snmp_options.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int snmp_peer_stderr_quiet(void)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	else if (saved >= 0) {
		close(saved);
		saved = -1;
	}
	if (null >= 0)
		close(null);
	return saved;
}

void snmp_peer_stderr_restore(int saved)
{
	if (saved < 0)
		return;
	dup2(saved, STDERR_FILENO);
	close(saved);
}

int snmp_peer_parse_args(netsnmp_session *in, int argc, char **argv, char *agent)
{
	/* fresh copies of the defaults each time: snmp_parse_args blanks what it reads */
	char version[] = "-v2c", copt[] = "-c", community[] = "public";
	char *args[64];
	int n = 0;
	args[n++] = argv[0];
	args[n++] = version;
	args[n++] = copt;
	args[n++] = community;
	for (int i = 1; i < argc && n < 62; i++)
		args[n++] = argv[i];
	if (agent)
		args[n++] = agent;
	int saved = snmp_peer_stderr_quiet();
	int rc = snmp_parse_args(n, args, in, "", NULL);
	snmp_peer_stderr_restore(saved);
	return rc;
}

void snmp_peer_free_args(netsnmp_session *in)
{
	/* net-snmp 5.9: the community of a v1/v2c session is a copy of -c */
	if (in->version == SNMP_VERSION_1 || in->version == SNMP_VERSION_2c) {
		free(in->community);
		in->community = NULL;
	}
}

netsnmp_pdu *snmp_peer_send(void *sess, netsnmp_pdu *pdu, int keep_errors, char *why, size_t whylen)
{
	netsnmp_pdu *resp = NULL;
	int status = snmp_sess_synch_response(sess, pdu, &resp);
	if (status == STAT_SUCCESS && resp && (keep_errors || resp->errstat == SNMP_ERR_NOERROR))
		return resp;
	int liberr = 0, syserr = 0;
	char *msg = NULL;
	snmp_sess_error(sess, &syserr, &liberr, &msg);
	snprintf(why, whylen, "%s",
	         status == STAT_TIMEOUT ? "no answer (timeout)"
	         : resp                 ? snmp_errstring(resp->errstat)
	         : msg                  ? msg
	                                : "error");
	free(msg);
	if (resp)
		snmp_free_pdu(resp);
	return NULL;
}

/* Whether two socket addresses are the same address and port. */
static int same_endpoint(const netsnmp_sockaddr_storage *a, const netsnmp_sockaddr_storage *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return 0;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_port == b->sin.sin_port &&
		       a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
	if (a->sa.sa_family == AF_INET6)
		return a->sin6.sin6_port == b->sin6.sin6_port &&
		       memcmp(&a->sin6.sin6_addr, &b->sin6.sin6_addr, sizeof(a->sin6.sin6_addr)) ==
		           0;
	return 0;
}

/* net-snmp's pre-parse hook: a datagram is read only when it came from the address and port
 * the session asks (anyone on the path can send one from elsewhere with a guessed request id);
 * a stream is connected, so it is the agent's. Returns 0 to drop the packet. */
static int from_target(netsnmp_session *sess, netsnmp_transport *t, void *data, int len)
{
	int type = 0;
	socklen_t tl = sizeof(type);
	(void)sess;
	if (getsockopt(t->sock, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 || type != SOCK_DGRAM)
		return 1;
	const netsnmp_indexed_addr_pair *want = t->data, *got = data;
	if (!want || t->data_length < (int)sizeof(*want) || !got || len < (int)sizeof(*got))
		return 0;
	return same_endpoint(&got->remote_addr, &want->remote_addr);
}

/* A session of in (single-session handle, or with in->callback one in the library's list), its
 * answers taken only from the agent asked. */
static void *open_checked(netsnmp_session *in)
{
	if (in->callback)
		return snmp_open_ex(in, from_target, NULL, NULL, NULL, NULL, NULL);
	netsnmp_transport *t = netsnmp_transport_open_client("snmp", in->peername);
	if (!t)
		return NULL;
	return snmp_sess_add(in, t, from_target, NULL); /* (frees t on failure) */
}

/* argv[1..] for options: the words snmp_options_read finds (the reader every option string
 * went through when it was configured), cut in words (a copy of options); argv[0] the
 * program. Returns argc, or -1 when options are not what net-snmp reads as a session's. */
static int split_words(char *words, char **argv)
{
	struct snmp_options_word w[SNMP_OPTIONS_MAX_WORDS];
	size_t nread;
	char err[128];
	int n = snmp_options_read(words, w, &nread, err, sizeof(err));
	argv[0] = "cvpportd";
	for (int i = 0; i < n; i++) {
		argv[i + 1] = words + w[i].start;
		words[w[i].start + w[i].len] = '\0';
	}
	return n < 0 ? -1 : n + 1;
}

void *snmp_peer_open(const char *agent, const char *options, netsnmp_callback cb, void *magic,
                     long *version, char *why, size_t whylen)
{
	char *argv[SNMP_OPTIONS_MAX_WORDS + 2], *words = strdup(options ? options : "");
	char *peer = strdup(agent);
	netsnmp_session in;
	void *sess = NULL;

	if (!words || !peer) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	int argc = split_words(words, argv);
	if (argc < 0 || snmp_peer_parse_args(&in, argc, argv, peer) < 0) {
		snprintf(
		    why, whylen,
		    "the SNMP options (--snmp, or cvpHost's) were not understood (give them as "
		    "snmpget takes them: \"-v2c -c COMMUNITY\" or \"-v3 -u USER -l authPriv -a "
		    "SHA -A ... -x AES -X ...\")");
		goto out;
	}
	*version = in.version;
	if (cb) { /* else a single session, for snmp_peer_send */
		in.callback = cb;
		in.callback_magic = magic;
	}
	sess = open_checked(&in); /* copies what it keeps of in */
	if (!sess)
		snprintf(why, whylen, "cannot open a session (check the address)");
	snmp_peer_free_args(&in);
out:
	free(words);
	free(peer);
	return sess;
}
