/* Requests to other agents, as the snmp tools make them. */
#include "snmp_peer.h"

#include <fcntl.h>
#include <stdlib.h>
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

netsnmp_pdu *snmp_peer_send(void *sess, netsnmp_pdu *pdu, char *why, size_t whylen)
{
	netsnmp_pdu *resp = NULL;
	int status = snmp_sess_synch_response(sess, pdu, &resp);
	if (status == STAT_SUCCESS && resp && resp->errstat == SNMP_ERR_NOERROR)
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
