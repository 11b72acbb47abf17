/* The agent's side of the monitor's file service (monitor.h): a file_access whose files the
 * monitor opens and writes. Safe from any thread (one request at a time). */
#ifndef MONITOR_WRAP_H
#define MONITOR_WRAP_H

#include "file_access.h"

#include <pthread.h>

struct monitor_wrap {
	int fd; /* the agent's end of the socket pair */
	pthread_mutex_t lock;
	struct file_access access; /* what the core is given */
};

/* Wraps fd (taken over). */
void monitor_wrap_init(struct monitor_wrap *w, int fd);
void monitor_wrap_free(struct monitor_wrap *w);

#endif
