/* Another host's listeners from the rows of its standard MIBs. */
#include "host_tables.h"

#include <string.h>

static const uint32_t tcp_listener_process[] = {1, 3, 6, 1, 2, 1, 6, 20, 1, 4};
static const uint32_t udp_endpoint_process[] = {1, 3, 6, 1, 2, 1, 7, 7, 1, 8};
static const uint32_t tcp_conn_state[] = {1, 3, 6, 1, 2, 1, 6, 13, 1, 1};
static const uint32_t udp_local_address[] = {1, 3, 6, 1, 2, 1, 7, 5, 1, 1};
static const uint32_t ipv6_tcp_conn_state[] = {1, 3, 6, 1, 2, 1, 6, 16, 1, 6};
static const uint32_t ipv6_udp_if_index[] = {1, 3, 6, 1, 2, 1, 7, 6, 1, 3};

#define TCP_CONN_LISTEN 2 /* tcpConnState and ipv6TcpConnState listen(2) */

static const struct {
	const uint32_t *oid;
	size_t len;
	const char *name;
} tables[HOST_TABLES] = {
    [HOST_TABLE_TCP_LISTENER] = {tcp_listener_process, 10, "tcpListenerTable"},
    [HOST_TABLE_UDP_ENDPOINT] = {udp_endpoint_process, 10, "udpEndpointTable"},
    [HOST_TABLE_TCP_CONN] = {tcp_conn_state, 10, "tcpConnTable"},
    [HOST_TABLE_UDP] = {udp_local_address, 10, "udpTable"},
    [HOST_TABLE_IPV6_TCP] = {ipv6_tcp_conn_state, 10, "ipv6TcpConnTable"},
    [HOST_TABLE_IPV6_UDP] = {ipv6_udp_if_index, 10, "ipv6UdpTable"},
};

int host_tables_current(enum host_table t)
{
	return t == HOST_TABLE_TCP_LISTENER || t == HOST_TABLE_UDP_ENDPOINT;
}

int host_tables_tcp(enum host_table t)
{
	return t == HOST_TABLE_TCP_LISTENER || t == HOST_TABLE_TCP_CONN || t == HOST_TABLE_IPV6_TCP;
}

const uint32_t *host_tables_column(enum host_table t, size_t *len)
{
	*len = tables[t].len;
	return tables[t].oid;
}

const char *host_tables_name(enum host_table t)
{
	return tables[t].name;
}

/* An index being read: where it is, and whether it ran short or out of range. */
struct cursor {
	const uint32_t *v;
	size_t n, at;
	int bad;
};

static uint32_t take(struct cursor *c, uint32_t max)
{
	if (c->at >= c->n || c->v[c->at] > max) {
		c->bad = 1;
		return 0;
	}
	return c->v[c->at++];
}

/* A zone index: four octets, network order. */
static uint32_t zone_of(const uint8_t *o)
{
	return (uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 | (uint32_t)o[2] << 8 | o[3];
}

/* An InetAddressType and an InetAddress (its length first, as an index that is not IMPLIED
 * has it) into s's family and address. */
static void take_inet(struct cursor *c, struct cvp_socket *s)
{
	uint32_t type = take(c, CVP_ADDR_IPV6Z), len = take(c, CVP_INET_ADDR_MAX);
	uint8_t octets[CVP_INET_ADDR_MAX] = {0};
	for (uint32_t i = 0; i < len && !c->bad; i++)
		octets[i] = (uint8_t)take(c, 255);
	if (c->bad)
		return;
	switch (type) {
	case CVP_ADDR_UNKNOWN: /* an empty address: any, IPv4 and IPv6 alike */
		c->bad = len != 0;
		s->family = 6;
		s->v6only = 0;
		break;
	case CVP_ADDR_IPV4:
	case CVP_ADDR_IPV4Z: /* the zone after the address (RFC 4001) */
		c->bad = len != (type == CVP_ADDR_IPV4 ? 4u : 8u);
		s->family = 4;
		memcpy(s->addr, octets, 4);
		s->ifindex = type == CVP_ADDR_IPV4Z ? zone_of(octets + 4) : 0;
		break;
	case CVP_ADDR_IPV6:
	case CVP_ADDR_IPV6Z:
		c->bad = len != (type == CVP_ADDR_IPV6 ? 16u : 20u);
		s->family = 6;
		/* RFC 4022/4113: a listener of both families is unknown(0) and empty; "::" of type
		 * ipv6 is IPv6's alone */
		s->v6only = 1;
		memcpy(s->addr, octets, 16);
		s->ifindex = type == CVP_ADDR_IPV6Z ? zone_of(octets + 16) : 0;
		sock_unmap_v4(s);
		break;
	default: c->bad = 1;
	}
}

/* IPV6-MIB's Ipv6Address in an index: sixteen sub-identifiers (a fixed size: no length), IPv6's
 * alone; the interface index that ends the row's index is its zone when link-local. */
static void take_ipv6(struct cursor *c, struct cvp_socket *s)
{
	s->family = 6;
	s->v6only = 1;
	for (int i = 0; i < 16; i++)
		s->addr[i] = (uint8_t)take(c, 255);
}

static void zone_from_if_index(struct cursor *c, struct cvp_socket *s)
{
	uint32_t ifindex = take(c, 2147483647);
	s->ifindex = s->addr[0] == 0xfe && (s->addr[1] & 0xc0) == 0x80 ? ifindex : 0;
	sock_unmap_v4(s);
}

/* RFC 1213's IpAddress: four sub-identifiers. */
static void take_ipv4(struct cursor *c, struct cvp_socket *s)
{
	s->family = 4;
	for (int i = 0; i < 4; i++)
		s->addr[i] = (uint8_t)take(c, 255);
}

/* Table t's index into s: returns whether the row is a listener (a connected endpoint, a
 * connection not in state listen are not); c->bad when the index does not decode. */
static int take_row(enum host_table t, struct cursor *c, struct cvp_socket *s, long value)
{
	struct cvp_socket remote = {0};
	static const uint8_t zero[16];
	switch (t) {
	case HOST_TABLE_TCP_LISTENER:
		take_inet(c, s);
		s->port = (uint16_t)take(c, 65535);
		return 1;
	case HOST_TABLE_UDP_ENDPOINT: {
		take_inet(c, s);
		s->port = (uint16_t)take(c, 65535);
		/* the remote end: an unconnected socket has none (an empty or all-zero address and
		 * port 0) */
		take_inet(c, &remote);
		uint32_t rport = take(c, 65535);
		take(c, UINT32_MAX); /* udpEndpointInstance */
		return rport == 0 && memcmp(remote.addr, zero, sizeof(zero)) == 0;
	}
	case HOST_TABLE_TCP_CONN:
		take_ipv4(c, s);
		s->port = (uint16_t)take(c, 65535);
		for (int i = 0; i < 5; i++) /* the remote address and port */
			take(c, i < 4 ? 255 : 65535);
		return value == TCP_CONN_LISTEN;
	case HOST_TABLE_UDP:
		take_ipv4(c, s);
		s->port = (uint16_t)take(c, 65535);
		return 1;
	case HOST_TABLE_IPV6_TCP:
		take_ipv6(c, s);
		s->port = (uint16_t)take(c, 65535);
		take_ipv6(c, &remote);
		take(c, 65535);
		zone_from_if_index(c, s);
		return value == TCP_CONN_LISTEN;
	case HOST_TABLE_IPV6_UDP:
		take_ipv6(c, s);
		s->port = (uint16_t)take(c, 65535);
		zone_from_if_index(c, s);
		return 1;
	default: c->bad = 1; return 0;
	}
}

int host_tables_row(enum host_table t, const uint32_t *index, size_t len, long value,
                    struct cvp_socket_list *out)
{
	struct cursor c = {index, len, 0, 0};
	struct cvp_socket s = {.uid = CVP_UID_UNKNOWN,
	                       .proc_uid = CVP_UID_UNKNOWN,
	                       .proc_euid = CVP_UID_UNKNOWN,
	                       .holder = CVP_HOLDER_REMOTE,
	                       .proto = host_tables_tcp(t) ? CVP_TCP : CVP_UDP};
	int listener = take_row(t, &c, &s, value);
	if (c.bad || c.at != c.n)
		return -1;
	if (!listener)
		return 0;
	struct cvp_socket *slot = sock_list_add(out);
	if (!slot)
		return -2;
	*slot = s;
	return 1;
}
