/* Another host's listeners from its standard MIBs, every generation of them: TCP-MIB's
 * tcpListenerTable and UDP-MIB's udpEndpointTable (RFC 4022, RFC 4113: what a Linux snmpd
 * serves), RFC 1213's tcpConnTable (rows in state listen) and udpTable (what Windows' SNMP
 * service serves), IPV6-TCP-MIB's ipv6TcpConnTable and IPV6-UDP-MIB's ipv6UdpTable (RFC 2452,
 * RFC 2454), turned into sockets for the same evaluation as this host's. No process data comes with
 * them: the sockets' holder is CVP_HOLDER_REMOTE, to which owner rules do not apply. */
#ifndef HOST_TABLES_H
#define HOST_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

enum host_table {
	HOST_TABLE_TCP_LISTENER, /* tcpListenerTable, column tcpListenerProcess */
	HOST_TABLE_UDP_ENDPOINT, /* udpEndpointTable, column udpEndpointProcess */
	HOST_TABLE_TCP_CONN,     /* tcpConnTable, column tcpConnState */
	HOST_TABLE_UDP,          /* udpTable, column udpLocalAddress */
	HOST_TABLE_IPV6_TCP,     /* ipv6TcpConnTable, column ipv6TcpConnState */
	HOST_TABLE_IPV6_UDP,     /* ipv6UdpTable, column ipv6UdpIfIndex */
	HOST_TABLES
};

/* The OID of the column a walk of table t reads (instances are that OID and an index). */
const uint32_t *host_tables_column(enum host_table t, size_t *len);
/* The table's name, as the MIB names it. */
const char *host_tables_name(enum host_table t);

/* Whether table t is one of TCP-MIB's or UDP-MIB's (the others are older). */
int host_tables_current(enum host_table t);
/* Whether table t lists TCP sockets. */
int host_tables_tcp(enum host_table t);

/* One row: the index that follows the column's OID, and the column's integer value (the
 * connection tables' state; the others' values are not needed). Appends the socket it describes to
 * out. Returns 1 when a socket was added, 0 for a row that is no listener (a connected UDP
 * endpoint, a connection not in state listen), -1 for an index that does not decode (the caller
 * counts it), -2 out of memory. */
int host_tables_row(enum host_table t, const uint32_t *index, size_t len, long value,
                    struct cvp_socket_list *out);

#endif
