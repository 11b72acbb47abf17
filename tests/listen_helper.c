/* Test helper: opens the listeners named on the command line, prints "ready" and holds them
 * until SIGTERM/SIGINT.
 *   listen_helper [-n NAME] SPEC...    SPEC = PROTO/ADDRESS/PORT[,v6only][,reuseport][,dual]
 *   PROTO tcp|udp; ADDRESS 0.0.0.0, 127.0.0.1, ::, ::1, fe80::1%IFNAME ...; ",dual" clears
 *   IPV6_V6ONLY. -n sets the process name (prctl PR_SET_NAME), any bytes. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int open_one(const char *spec)
{
	char buf[256], *proto, *addr, *port, *opts;
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd;

	snprintf(buf, sizeof(buf), "%s", spec);
	proto = buf;
	addr = strchr(proto, '/');
	port = addr ? strchr(addr + 1, '/') : NULL;
	if (!addr || !port) {
		fprintf(stderr, "bad spec %s\n", spec);
		return -1;
	}
	*addr++ = '\0';
	*port++ = '\0';
	opts = strchr(port, ',');
	if (opts)
		*opts++ = '\0';
	memset(&ss, 0, sizeof(ss));
	int family;
	char *zone = strchr(addr, '%');
	if (zone)
		*zone++ = '\0';
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		family = sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)atoi(port));
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		family = sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)atoi(port));
		if (zone && !(sin6->sin6_scope_id = if_nametoindex(zone))) {
			fprintf(stderr, "no interface %s\n", zone);
			return -1;
		}
		len = sizeof(*sin6);
	} else {
		fprintf(stderr, "bad address %s\n", addr);
		return -1;
	}
	int udp = strcmp(proto, "udp") == 0;
	fd = socket(family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (opts && strstr(opts, "reuseport"))
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (family == AF_INET6 && opts && (strstr(opts, "v6only") || strstr(opts, "dual"))) {
		int v = strstr(opts, "v6only") != NULL;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || (!udp && listen(fd, 16) < 0)) {
		fprintf(stderr, "%s: %s\n", spec, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	int first = 1;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		prctl(PR_SET_NAME, argv[2], 0, 0, 0);
		first = 3;
	}
	for (int i = first; i < argc; i++)
		if (open_one(argv[i]) < 0)
			return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
