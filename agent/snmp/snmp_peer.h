/* What cvpportd asks of other agents, as the snmp tools ask: the session from snmpget's options,
 * and one request answered or failed with a reason a person can act on. For --doctor (the local
 * agent) and for remote hosts (host_walk.h). */
#ifndef SNMP_PEER_H
#define SNMP_PEER_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* snmp_parse_args over the defaults (-v2c -c public), the caller's options (argv[1..argc-1], as
 * snmpget takes them; argv[0] the program's name) and agent when not NULL (the session keeps a
 * pointer to it). net-snmp's own complaints on stderr are silenced: the caller says what was
 * wrong. Secrets are blanked in argv, as the tools do. Returns snmp_parse_args's result. */
int snmp_peer_parse_args(netsnmp_session *in, int argc, char **argv, char *agent);
/* Frees what snmp_peer_parse_args allocated for the session (snmp_sess_open makes copies). */
void snmp_peer_free_args(netsnmp_session *in);

/* A session to agent (an address as snmpget takes one) with options (snmpget's, as one string;
 * NULL or "" for -v2c -c public). With cb: one of snmp_open's, in the library's session list,
 * whose answers the main loop hands to cb with magic; without: one of snmp_sess_open's, for
 * snmp_peer_send. Sets *version to the session's SNMP version. Returns the session
 * (netsnmp_session * with cb; the single-session handle without), or NULL with why. */
void *snmp_peer_open(const char *agent, const char *options, netsnmp_callback cb, void *magic,
                     long *version, char *why, size_t whylen);

/* Sends pdu (taken over) on a session of snmp_sess_open and waits for the answer. Returns the
 * response (the caller frees it), or NULL with the reason in why: no answer, the library's
 * error, or (unless keep_errors: the response then carries it) the agent's error status. */
netsnmp_pdu *snmp_peer_send(void *sess, netsnmp_pdu *pdu, int keep_errors, char *why,
                            size_t whylen);

/* net-snmp's own notes on stderr, which the caller's message says better: silenced from quiet
 * (which returns what restore takes) to restore. */
int snmp_peer_stderr_quiet(void);
void snmp_peer_stderr_restore(int saved);

#endif
