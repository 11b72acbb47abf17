/* Records the raw answer of one sock_diag dump into a file, for the netlink scanner's
 * recorded-message fixtures:  netlink_record tcp|udp 4|6 SEQ OUTPUT */
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: netlink_record tcp|udp 4|6 SEQ OUTPUT\n");
		return 2;
	}
	int tcp = strcmp(argv[1], "tcp") == 0;
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = (unsigned)atoi(argv[3]);
	req.r.sdiag_family = argv[2][0] == '6' ? AF_INET6 : AF_INET;
	req.r.sdiag_protocol = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	req.r.idiag_states = tcp ? 1u << 10 : 1u << 7;
	int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
	struct sockaddr_nl k = {.nl_family = AF_NETLINK};
	if (fd < 0 || sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&k, sizeof(k)) < 0) {
		perror("sock_diag");
		return 1;
	}
	FILE *out = fopen(argv[4], "wb");
	if (!out)
		return 1;
	static char buf[65536];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return 1;
		fwrite(buf, 1, (size_t)n, out);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		size_t len = (size_t)n;
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				fclose(out);
				return 0;
			}
	}
}
