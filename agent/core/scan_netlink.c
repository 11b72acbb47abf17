/* The sock_diag scanner, the default. With the LISTEN-only state mask the kernel walks only
 * its listening hash, so a refresh costs the same with 0 or 100,000 connections, where
 * /proc/net/tcp (and `ss -l`'s LISTEN|CLOSE mask) visit every socket. */
#include "scan_netlink.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define TCP_LISTEN_STATE 10
#define TCP_CLOSE_STATE 7
#define RECV_BUFFER 32768
#define DUMP_RETRIES 3
#define RECV_TIMEOUT_SEC 2

struct cvp_netlink {
	int fd;
	uint32_t seq;
	unsigned char buf[RECV_BUFFER];
};

struct cvp_netlink *scan_netlink_open(void)
{
	struct timeval tv = {.tv_sec = RECV_TIMEOUT_SEC};
	struct cvp_netlink *nl = calloc(1, sizeof(*nl));
	if (!nl)
		return NULL;
	nl->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl->fd < 0) {
		int e = errno;
		free(nl);
		errno = e;
		return NULL;
	}
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return nl;
}

void scan_netlink_close(struct cvp_netlink *nl)
{
	if (nl) {
		close(nl->fd);
		free(nl);
	}
}

static int parse_diag_msg(const struct nlmsghdr *h, int proto, struct cvp_socket_list *out,
                          struct cvp_scan_stats *st)
{
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
	    (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)) {
		st->malformed++;
		return 0;
	}
	uint16_t sport = ntohs(m->id.idiag_sport);
	/* A connected UDP socket has a remote port; an unbound one has no local port. */
	if (sport == 0 || (proto == CVP_UDP && m->id.idiag_dport != 0))
		return 0;

	struct cvp_socket *s = sock_list_add(out);
	if (!s)
		return -1;
	s->proto = (uint8_t)proto;
	s->port = sport;
	s->uid = m->idiag_uid;
	s->inode = m->idiag_inode;
	s->v6only = -1;
	if (m->idiag_family == AF_INET) {
		s->family = 4;
		memcpy(s->addr, m->id.idiag_src, 4);
	} else {
		s->family = 6;
		memcpy(s->addr, m->id.idiag_src, 16);
		s->ifindex = m->id.idiag_if; /* the zone of a link-local address */
		/* INET_DIAG_SKV6ONLY: the flag /proc/net cannot show. */
		const unsigned char *p = (const unsigned char *)(m + 1);
		size_t rem = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
		size_t step;
		for (; rem >= sizeof(struct rtattr); p += step, rem -= step) {
			const struct rtattr *a = (const struct rtattr *)p;
			if (a->rta_len < sizeof(*a) || a->rta_len > rem)
				break;
			if (a->rta_type == INET_DIAG_SKV6ONLY && RTA_PAYLOAD(a) >= 1)
				s->v6only = *(const uint8_t *)RTA_DATA(a) ? 1 : 0;
			/* the last attribute's padding may be missing: never step past the end */
			step = RTA_ALIGN(a->rta_len) < rem ? RTA_ALIGN(a->rta_len) : rem;
		}
		sock_unmap_v4(s);
	}
	return 0;
}

int scan_netlink_parse_buffer(const void *buf, size_t len, uint32_t seq, int proto,
                              struct cvp_socket_list *out, struct cvp_scan_stats *st,
                              int *interrupted)
{
	const unsigned char *p = buf;
	size_t rem = len, step;

	/* As NLMSG_OK/NLMSG_NEXT, but a message whose aligned length passes the end of the buffer
	 * ends the walk instead of wrapping the remaining length around. */
	for (; rem >= sizeof(struct nlmsghdr); p += step, rem -= step) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > rem)
			break;
		step = NLMSG_ALIGN(h->nlmsg_len) < rem ? NLMSG_ALIGN(h->nlmsg_len) : rem;
		if (h->nlmsg_seq != seq)
			continue; /* a late answer to an earlier, timed-out dump */
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			*interrupted = 1;
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
				st->malformed++;
				errno = EPROTO;
			} else {
				errno = e->error ? -e->error : EPROTO;
			}
			return -1;
		}
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) {
			st->malformed++;
			continue;
		}
		if (parse_diag_msg(h, proto, out, st) < 0) {
			errno = ENOMEM;
			return -1;
		}
	}
	if (rem > 0)
		st->malformed++; /* a truncated message at the end of the buffer */
	return 0;
}

static int is_permanent(int err)
{
	return err == EPERM || err == EACCES || err == ENOENT || err == EOPNOTSUPP ||
	       err == EPROTONOSUPPORT || err == EAFNOSUPPORT || err == EINVAL;
}

/* One dump: returns CVP_NL_OK, CVP_NL_TRANSIENT, CVP_NL_PERMANENT, or 1 when interrupted. */
static int dump(struct cvp_netlink *nl, int family, int proto, struct cvp_socket_list *out,
                struct cvp_scan_stats *st)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int interrupted = 0;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = ++nl->seq;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = proto == CVP_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	req.r.idiag_states = proto == CVP_TCP ? 1u << TCP_LISTEN_STATE : 1u << TCP_CLOSE_STATE;

	if (sendto(nl->fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return is_permanent(errno) ? CVP_NL_PERMANENT : CVP_NL_TRANSIENT;
	for (;;) {
		ssize_t n = recv(nl->fd, nl->buf, sizeof(nl->buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return CVP_NL_TRANSIENT; /* EAGAIN: the receive timeout */
		}
		int r = scan_netlink_parse_buffer(nl->buf, (size_t)n, req.h.nlmsg_seq, proto, out,
		                                  st, &interrupted);
		/* An interrupted dump is read to its end before it is done again. */
		if (r == 1)
			return interrupted ? 1 : CVP_NL_OK;
		if (r == -1) {
			if (errno == ENOMEM)
				return CVP_NL_TRANSIENT;
			return is_permanent(errno) ? CVP_NL_PERMANENT : CVP_NL_TRANSIENT;
		}
	}
}

int scan_netlink(struct cvp_netlink *nl, struct cvp_socket_list *out, struct cvp_scan_stats *st)
{
	static const struct {
		int family, proto;
	} dumps[] = {
	    {AF_INET, CVP_TCP}, {AF_INET6, CVP_TCP}, {AF_INET, CVP_UDP}, {AF_INET6, CVP_UDP}};

	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		int r;
		for (int attempt = 0;; attempt++) {
			size_t mark = out->n;
			r = dump(nl, dumps[i].family, dumps[i].proto, out, st);
			if (r != 1)
				break;
			out->n = mark; /* interrupted: the dump may be inconsistent, do it again */
			st->retries++;
			if (attempt + 1 == DUMP_RETRIES) {
				errno = EAGAIN;
				return CVP_NL_TRANSIENT;
			}
		}
		if (r != CVP_NL_OK)
			return r;
	}
	return CVP_NL_OK;
}
