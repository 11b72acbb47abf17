/* The floor under any AgentX subagent's cost per request: two processes pass a 100-byte message
 * back and forth over a unix stream socket, each waiting in select() between messages as a
 * net-snmp main loop does, and doing nothing else. Prints the CPU (user + system) each side
 * spends per round trip, in microseconds:
 *   bench_roundtrip [COUNT]      (default 100000)
 * Through AgentX a master asks its subagent once per value of a walk, so no subagent on this
 * machine can spend less per value than this. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static double cpu_seconds(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
	       (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

/* Answers count messages (the first side sends the first one); returns µs of CPU per round. */
static double ping_pong(int fd, long count, int first)
{
	char msg[100];
	memset(msg, 1, sizeof(msg));
	double c0 = cpu_seconds();
	if (first && send(fd, msg, sizeof(msg), 0) < 0)
		return -1;
	for (long i = 0; i < count; i++) {
		fd_set in;
		FD_ZERO(&in);
		FD_SET(fd, &in);
		if (select(fd + 1, &in, NULL, NULL, NULL) < 0 ||
		    recv(fd, msg, sizeof(msg), 0) <= 0 || send(fd, msg, sizeof(msg), 0) < 0)
			return -1;
	}
	return (cpu_seconds() - c0) * 1e6 / (double)count;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 100000;
	int sv[2], pipefd[2];
	if (count < 1 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(pipefd) < 0) {
		fprintf(stderr, "usage: bench_roundtrip [COUNT]\n");
		return 2;
	}
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		double us = ping_pong(sv[1], count, 0);
		if (write(pipefd[1], &us, sizeof(us)) != (ssize_t)sizeof(us))
			_exit(1);
		_exit(us < 0);
	}
	double mine = ping_pong(sv[0], count, 1), theirs = -1;
	close(sv[0]); /* the other side's last recv ends */
	if (read(pipefd[0], &theirs, sizeof(theirs)) != (ssize_t)sizeof(theirs))
		theirs = -1;
	int status;
	waitpid(child, &status, 0);
	if (mine < 0 || theirs < 0) {
		fprintf(stderr, "bench_roundtrip: the exchange failed\n");
		return 1;
	}
	printf("%.1f %.1f\n", mine, theirs);
	return 0;
}
