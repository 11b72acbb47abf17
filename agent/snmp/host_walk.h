/* A remote host's listeners, read over SNMP from its standard MIBs (host_tables.h): every
 * generation's table is walked (an agent may keep some listeners in the older ones only: IPv4 in
 * RFC 1213's, IPv6 in IPV6-TCP-MIB's), one column each, and the sockets joined (the same socket
 * in two tables is one). A walk a request at a time, synchronous (host_walk, on a session of
 * snmp_sess_open, snmp_peer.h) or asynchronous. */
#ifndef HOST_WALK_H
#define HOST_WALK_H

#include "host_config.h"
#include "host_tables.h"
#include "snmp_peer.h"

/* A whole poll's deadline: the poll interval, and never more than this (seconds). */
#define HOST_WALK_DEADLINE_MAX 60

/* The reason a poll that ran past its deadline gives. */
void host_walk_deadline_why(unsigned seconds, char *why, size_t whylen);

struct host_scan {
	struct cvp_socket_list socks; /* in the agent's order: sorted and joined when evaluated */
	unsigned tables;              /* 1 << enum host_table for each table that had a row */
	unsigned malformed;           /* rows whose index did not decode: skipped */
	char first_malformed[128];    /* the first of them: its OID, "" when none */
	char descr[256];              /* sysDescr.0, printable ASCII ("" when none) */
};

/* sysDescr.0 (which tells the host's ephemeral range), then one walk of the tables, a request
 * at a time, for a synchronous session (host_walk) or
 * an asynchronous one (each answer to host_walk_take, then the next request). */
struct host_walker {
	struct host_scan *out;
	int bulk;      /* GETBULK (v2c, v3), else GETNEXT (v1) */
	unsigned step; /* the table being walked (an order of the four) */
	long rows;     /* rows of that table so far */
	long seen;     /* rows of every table so far, listeners or not */
	long limit;    /* the most rows a walk may read (cvpHostRowLimit) */
	int descr;     /* sysDescr.0 asked for and not answered yet (the first request) */
	oid last[MAX_OID_LEN];
	size_t lastlen;
};

/* Starts a walk into out (zeroed by the caller); version: the session's; limit: the rows it
 * may read in all (more is an error of its own, so that memory and time per host are bounded). */
void host_walk_start(struct host_walker *w, long version, unsigned limit, struct host_scan *out);
/* The next request to send, or NULL when out of memory. */
netsnmp_pdu *host_walk_request(const struct host_walker *w);
/* Takes an answer (with its error status): 1 when there is more to ask, 0 when the walk is over,
 * -1 with the reason in why (an error status, an agent whose answers do not advance, more rows
 * than the limit, an agent whose view shows no row of any of the tables: every agent has a UDP
 * socket of its own, so that is a view that hides them, never a host without listeners). */
int host_walk_take(struct host_walker *w, const netsnmp_pdu *resp, char *why, size_t whylen)
    __attribute__((warn_unused_result));

/* Reads the listeners of the agent behind sess into out (zeroed by the caller; free it with
 * host_walk_scan_free), within deadline_s seconds and limit rows in all. Returns 0, or
 * -1 with the reason in why (no answer, an error status, answers that do not advance, the row
 * limit, the deadline). */
int host_walk(void *sess, long version, unsigned deadline_s, unsigned limit, struct host_scan *out,
              char *why, size_t whylen) __attribute__((warn_unused_result));
void host_walk_scan_free(struct host_scan *s);
/* enum cvp_source of a scan: CVP_SOURCE_TCP_UDP_MIB when TCP-MIB's and UDP-MIB's tables both had
 * rows, else CVP_SOURCE_RFC1213 (older tables for at least one protocol). */
int host_walk_scan_source(const struct host_scan *s);
/* The host's ephemeral range: its cvpHost's (h one of l; h NULL: none), else what its sysDescr
 * in s tells (host_state_ephemeral_range). */
void host_walk_scan_ephemeral(const struct host_scan *s, const struct host_config *l,
                              const struct cvp_remote_host *h, uint16_t *low, uint16_t *high);
/* The names of the tables that had rows, blank-separated, into buf. */
void host_walk_scan_tables(const struct host_scan *s, char *buf, size_t len);

#endif
