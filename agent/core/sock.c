/* The socket list and the address conventions of TCP-MIB/UDP-MIB that CVP-PORT-MIB follows. */
#include "sock.h"

#include <arpa/inet.h>
#include "array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cvp_socket *sock_list_add(struct cvp_socket_list *l)
{
	if (array_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return NULL;
	struct cvp_socket *s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

void sock_list_clear(struct cvp_socket_list *l)
{
	l->n = 0;
}

void sock_list_free(struct cvp_socket_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int is_v6_any(const struct cvp_socket *s);
static int is_v6_link_local(const struct cvp_socket *s);

/* What, besides family and address, sets a socket's MIB index (sock_inet_address): "::" is
 * dual-stack unless v6only; a link-local address carries its interface when it has one.
 * Nothing else does. */
static int index_dual(const struct cvp_socket *s)
{
	return is_v6_any(s) && s->v6only != 1;
}

static uint32_t index_zone(const struct cvp_socket *s)
{
	return is_v6_link_local(s) ? s->ifindex : 0;
}

/* Sockets with the same MIB index must be adjacent (evaluation merges neighbours into one
 * row): the index's parts come first, the rest (bound device, v6only, inode) only breaks
 * ties. */
static int socket_cmp(const void *pa, const void *pb)
{
	const struct cvp_socket *a = pa, *b = pb;
	if (a->proto != b->proto)
		return a->proto - b->proto;
	if (a->port != b->port)
		return a->port - b->port;
	if (a->family != b->family)
		return a->family - b->family;
	int c = memcmp(a->addr, b->addr, sizeof(a->addr));
	if (c)
		return c;
	if (index_dual(a) != index_dual(b))
		return index_dual(a) - index_dual(b);
	if (index_zone(a) != index_zone(b))
		return index_zone(a) < index_zone(b) ? -1 : 1;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if (a->v6only != b->v6only)
		return a->v6only - b->v6only;
	return a->inode < b->inode ? -1 : a->inode > b->inode;
}

void sock_list_sort(struct cvp_socket_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), socket_cmp);
}

void sock_list_unique(struct cvp_socket_list *l)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!kept || socket_cmp(&l->v[kept - 1], &l->v[i]) != 0)
			l->v[kept++] = l->v[i];
	l->n = kept;
}

static int is_v6_any(const struct cvp_socket *s)
{
	static const uint8_t zero[16];
	return s->family == 6 && memcmp(s->addr, zero, 16) == 0;
}

static int is_v6_link_local(const struct cvp_socket *s)
{
	return s->family == 6 && s->addr[0] == 0xfe && (s->addr[1] & 0xc0) == 0x80;
}

unsigned sock_inet_address(const struct cvp_socket *s, uint8_t *type,
                           uint8_t out[CVP_INET_ADDR_MAX])
{
	if (s->family == 4) {
		*type = CVP_ADDR_IPV4;
		memcpy(out, s->addr, 4);
		return 4;
	}
	if (is_v6_any(s) && s->v6only != 1) {
		*type = CVP_ADDR_UNKNOWN;
		return 0;
	}
	memcpy(out, s->addr, 16);
	if (is_v6_link_local(s) && s->ifindex) { /* (one with no zone known stays ipv6) */
		*type = CVP_ADDR_IPV6Z;
		out[16] = (uint8_t)(s->ifindex >> 24);
		out[17] = (uint8_t)(s->ifindex >> 16);
		out[18] = (uint8_t)(s->ifindex >> 8);
		out[19] = (uint8_t)s->ifindex;
		return 20;
	}
	*type = CVP_ADDR_IPV6;
	return 16;
}

int sock_is_loopback(const struct cvp_socket *s)
{
	static const uint8_t v6_loopback[16] = {[15] = 1};
	if (s->family == 4)
		return s->addr[0] == 127;
	return memcmp(s->addr, v6_loopback, 16) == 0;
}

void sock_format_inet_address(uint8_t type, const uint8_t *addr, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	switch (type) {
	case CVP_ADDR_IPV4:
		inet_ntop(AF_INET, addr, a, sizeof(a));
		snprintf(buf, len, "%s", a);
		break;
	case CVP_ADDR_IPV6:
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		snprintf(buf, len, "[%s]", a);
		break;
	case CVP_ADDR_IPV6Z:
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		snprintf(buf, len, "[%s%%%u]", a,
		         (unsigned)addr[16] << 24 | (unsigned)addr[17] << 16 |
		             (unsigned)addr[18] << 8 | addr[19]);
		break;
	default: snprintf(buf, len, "*"); /* dual-stack: every IPv4 and IPv6 address */
	}
}

void sock_format_address(const struct cvp_socket *s, char *buf, size_t len)
{
	uint8_t type, addr[CVP_INET_ADDR_MAX];
	sock_inet_address(s, &type, addr);
	sock_format_inet_address(type, addr, buf, len);
}

void sock_unmap_v4(struct cvp_socket *s)
{
	static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (s->family == 6 && memcmp(s->addr, prefix, 12) == 0) {
		memmove(s->addr, s->addr + 12, 4);
		memset(s->addr + 4, 0, 12);
		s->family = 4;
	}
}
