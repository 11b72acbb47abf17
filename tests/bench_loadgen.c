/* Benchmark load: holds established loopback TCP connections or idle listeners until killed.
 *   bench_loadgen conns N SOURCE_ADDRESS SERVER_PORT   N connections from SOURCE_ADDRESS to
 *                                                       a listener of its own on 127.0.0.1,
 *                                                       closed once they are established
 *   bench_loadgen listeners COUNT BASE_PORT [ADDRESS]   COUNT listeners on ADDRESS (default
 *                                                       127.0.0.1)
 *   bench_loadgen udp COUNT [ADDRESS]                   COUNT UDP sockets bound to ADDRESS
 *                                                       (default 127.0.0.1)
 *                                                       (ports chosen by the kernel), as RTP
 *                                                       on a media host
 * Prints "ready" once everything is open. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static int listener_on(const char *address, unsigned port, int backlog)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	if (inet_pton(AF_INET, address, &a.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", address);
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, backlog) < 0) {
		fprintf(stderr, "listen %u: %s\n", port, strerror(errno));
		exit(1);
	}
	return fd;
}

static int listener(unsigned port, int backlog)
{
	return listener_on("127.0.0.1", port, backlog);
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		/* As root the hard limit can go up too (to fs.nr_open); else the soft one to it. */
		struct rlimit want = {.rlim_cur = 200000, .rlim_max = 200000};
		if (rl.rlim_max >= want.rlim_max || setrlimit(RLIMIT_NOFILE, &want) < 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "listeners") == 0) {
		int count = atoi(argv[2]);
		for (int i = 0; i < count; i++)
			listener_on(argc == 5 ? argv[4] : "127.0.0.1",
			            (unsigned)(atoi(argv[3]) + i), 16);
	} else if ((argc == 3 || argc == 4) && strcmp(argv[1], "udp") == 0) {
		int count = atoi(argv[2]);
		for (int i = 0; i < count; i++) {
			struct sockaddr_in a = {.sin_family = AF_INET};
			int fd = socket(AF_INET, SOCK_DGRAM, 0);
			if (inet_pton(AF_INET, argc == 4 ? argv[3] : "127.0.0.1", &a.sin_addr) != 1)
				return 2;
			if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
				fprintf(stderr, "udp socket %d: %s\n", i, strerror(errno));
				return 1;
			}
		}
	} else if (argc == 5 && strcmp(argv[1], "conns") == 0) {
		long n = atol(argv[2]);
		int srv = listener((unsigned)atoi(argv[4]), 1024);
		struct sockaddr_in dst = {.sin_family = AF_INET,
		                          .sin_port = htons((uint16_t)atoi(argv[4]))};
		struct sockaddr_in src = {.sin_family = AF_INET};
		dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (inet_pton(AF_INET, argv[3], &src.sin_addr) != 1)
			return 2;
		for (long i = 0; i < n; i++) {
			int one = 1, c = socket(AF_INET, SOCK_STREAM, 0);
			if (c < 0) {
				fprintf(stderr, "socket after %ld: %s\n", i, strerror(errno));
				return 1;
			}
			/* RST on exit rather than TIME_WAIT, so one run leaves nothing for the next
			 */
			struct linger lg = {.l_onoff = 1, .l_linger = 0};
			setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			setsockopt(c, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
			if (bind(c, (struct sockaddr *)&src, sizeof(src)) < 0 ||
			    connect(c, (struct sockaddr *)&dst, sizeof(dst)) < 0 ||
			    accept(srv, NULL, NULL) < 0) {
				fprintf(stderr, "connection %ld: %s\n", i, strerror(errno));
				return 1;
			}
		}
		/* The connections outlive their listener: only the 60 idle listeners stay
		 * listening, so every N is measured with the same listener count. */
		close(srv);
	} else {
		fprintf(stderr, "usage: bench_loadgen conns N SOURCE PORT | listeners COUNT "
		                "BASE_PORT [ADDRESS] | "
		                "udp COUNT [ADDRESS]\n");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
