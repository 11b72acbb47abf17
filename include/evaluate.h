/* Evaluation: catalogue x live sockets -> per-row state and verdict, the listener table and the
 * summary. Pure: no I/O, no clock. */
#ifndef CVP_EVAL_H
#define CVP_EVAL_H

#include "catalog.h"
#include "sock.h"

struct cvp_row_result {
	uint32_t listen_count; /* distinct listening ports of the set */
	uint32_t socket_count; /* sockets on those ports (every address, SO_REUSEPORT each) */
	uint32_t pid;          /* owner of the reported socket, 0 = unknown */
	uint8_t state;         /* enum cvp_state */
	uint8_t compliance;    /* enum cvp_compliance */
	uint8_t ephemeral_overlap;
	uint8_t addr_type, addr_len, addr[CVP_INET_ADDR_MAX];
	char address[64]; /* printable form of the reported socket's address, "" if none */
	char pname[CVP_PNAME_LEN];
};

struct cvp_listener {
	uint32_t pid, uid, sockets, port_index; /* port_index 0: not in the catalogue */
	uint32_t proc_uid;                      /* the holder's real uid, or CVP_UID_UNKNOWN */
	uint16_t port;
	uint8_t proto, addr_type, addr_len, addr[CVP_INET_ADDR_MAX];
	uint8_t class;             /* enum cvp_class */
	uint8_t finding;           /* enum cvp_finding: what it asks of an operator */
	char pname[CVP_PNAME_LEN]; /* (the printable address: sock_format_inet_address) */
};

struct cvp_summary {
	uint32_t compliant, violations, unexpected;
	uint32_t unknown; /* rows whose verdict needs evidence cvpportd does not have */
	uint8_t overall;  /* enum cvp_overall */
};

/* Evaluates every catalogue row (rows[] parallels cat->rows; removed rows are left zeroed) and
 * builds the listener table (*listeners, malloc'd, sorted by the MIB index). socks must be
 * sorted with sock_list_sort. Returns 0, or -1 when out of memory. */
int evaluate(const struct cvp_catalog *cat, const struct cvp_socket_list *socks, uint16_t eph_low,
             uint16_t eph_high, struct cvp_row_result *rows, struct cvp_listener **listeners,
             size_t *nlisteners, struct cvp_summary *sum);

/* Orders listeners as cvpListenerTable's index does (qsort/bsearch comparator). */
int evaluate_listener_cmp(const void *a, const void *b);

/* The verdict of one row, given its state facts. First match wins: notApplicable (role not
 * enabled), forbidden (listening), wrongOwner (a socket the owner rule does not allow: its
 * holder's name or uids, the socket's uid when the holder is not known, a user's socket that no
 * process holds), exposed (loopback row bound elsewhere), missing (required and
 * the match rule unmet), unknown (a socket whose holder the owner rule needs is not known),
 * compliant. */
int evaluate_verdict(const struct cvp_row *row, unsigned roles, uint32_t listen_count, int exposed,
                     int wrong_owner, int owner_unseen);

#endif
