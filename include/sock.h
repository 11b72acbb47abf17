/* A listening socket as the scanners report it, and a growable list of them. */
#ifndef CVP_SOCKET_H
#define CVP_SOCKET_H

#include "enums.h"
#include "portset.h"

#define CVP_COMM_LEN 16 /* TASK_COMM_LEN: a process name's bytes, with the NUL */
/* A process name as cvpportd keeps it: escaped by text_escape, so printable ASCII. */
#define CVP_PNAME_LEN 64

/* Who holds a socket, as attribution concluded. */
enum cvp_holder {
	CVP_HOLDER_UNKNOWN = 0, /* not found (yet), or attribution cannot see */
	CVP_HOLDER_PROCESS = 1, /* pid, comm and the process's uids are known */
	CVP_HOLDER_NONE = 2,    /* no process holds it (kernel-owned, or passed and in flight) */
	CVP_HOLDER_REMOTE = 3,  /* another host's, from its MIBs: no process data, no owner rule */
};

/* A uid that is not known (the kernel's own "no uid"). */
#define CVP_UID_UNKNOWN UINT32_MAX

struct cvp_socket {
	uint64_t inode;
	uint32_t uid;       /* the socket's (its creator's effective uid) */
	uint32_t pid;       /* the holder when holder is CVP_HOLDER_PROCESS, else 0 */
	uint32_t proc_uid;  /* the holder's real uid, or CVP_UID_UNKNOWN */
	uint32_t proc_euid; /* the holder's effective uid, or CVP_UID_UNKNOWN */
	uint32_t ifindex; /* the interface a socket is bound to (netlink only; 0 = none/unknown) */
	uint16_t port;
	uint8_t proto;            /* enum cvp_proto */
	uint8_t family;           /* 4 or 6; IPv4-mapped IPv6 is reported as 4 */
	int8_t v6only;            /* IPv6 only: 1, 0, or -1 when the scanner cannot tell */
	uint8_t holder;           /* enum cvp_holder */
	uint8_t addr[16];         /* network byte order; IPv4 in the first 4 bytes */
	char comm[CVP_PNAME_LEN]; /* process name (escaped), "" when unknown */
};

struct cvp_socket_list {
	struct cvp_socket *v;
	size_t n, cap;
};

/* Appends a zeroed socket and returns it, or NULL when out of memory. */
struct cvp_socket *sock_list_add(struct cvp_socket_list *l);
void sock_list_clear(struct cvp_socket_list *l);
void sock_list_free(struct cvp_socket_list *l);
/* Sorts by protocol, port, then address: the order evaluation searches in. */
void sock_list_sort(struct cvp_socket_list *l);
/* Drops, from a sorted list, each socket the same as the one before it in every respect the sort
 * compares (another host's socket read from two tables of its agent is one socket). */
void sock_list_unique(struct cvp_socket_list *l);

/* The longest InetAddress: ipv6z, sixteen octets and a four-octet zone index. */
#define CVP_INET_ADDR_MAX 20

/* The InetAddressType/InetAddress the MIB reports for a socket's local address:
 * dual-stack "::" is unknown(0) with no octets; IPv4 has 4 octets, IPv6 16; an IPv6 link-local
 * address is ipv6z(4), the 16 octets and the zone (interface) index in network byte order, as
 * RFC 4001 and TCP-MIB have it, so listeners on two interfaces stay apart. Returns the
 * length. */
unsigned sock_inet_address(const struct cvp_socket *s, uint8_t *type,
                           uint8_t out[CVP_INET_ADDR_MAX]);
/* IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes IPv4, as TCP-MIB reports it. */
void sock_unmap_v4(struct cvp_socket *s);
/* Whether the socket is reachable from this host only (127.0.0.0/8 or ::1). */
int sock_is_loopback(const struct cvp_socket *s);
/* Formats the address as ss does: "0.0.0.0", "[::]", "*" for dual-stack, "[::1]", and
 * "[fe80::1%2]" (the zone index) for link-local. */
void sock_format_address(const struct cvp_socket *s, char *buf, size_t len);
/* The same from the MIB's form (sock_inet_address's type and octets). */
void sock_format_inet_address(uint8_t type, const uint8_t *addr, char *buf, size_t len);

/* What a scan saw besides the sockets. */
struct cvp_scan_stats {
	unsigned malformed;    /* lines or messages skipped as malformed */
	unsigned retries;      /* dumps restarted after NLM_F_DUMP_INTR */
	unsigned unattributed; /* listeners whose owning process is not known yet */
	unsigned helper_gone;  /* the attribution helper is gone for good (attribution.h) */
};

#endif
