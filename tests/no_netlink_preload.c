/* LD_PRELOAD shim for tests: a host without sock_diag. socket(AF_NETLINK, ...) fails with
 * EPROTONOSUPPORT; every other socket is made as usual. */
#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>

int socket(int domain, int type, int protocol)
{
	static int (*real_socket)(int, int, int);
	if (domain == AF_NETLINK) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (!real_socket)
		*(void **)&real_socket = dlsym(RTLD_NEXT, "socket");
	return real_socket(domain, type, protocol);
}
