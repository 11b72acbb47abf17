/* The monitor's file service, between the agent (monitor_wrap.c) and the monitor (monitor.c):
 * over a SOCK_SEQPACKET socket pair, one request and one answer at a time, each one datagram.
 * A request names an operation and a path (which the monitor compares with the few it serves);
 * a state file's new text travels as a memfd. An answer carries the result, the reason when it
 * failed and, for an open, the descriptor. */
#ifndef MONITOR_PROTO_H
#define MONITOR_PROTO_H

#include <stdint.h>

#define MONITOR_MAGIC 0x4d505643u /* "CVPM" */
#define MONITOR_PATH_MAX 4096

enum monitor_op {
	MONITOR_OPEN_CONFIG = 1, /* a configuration file: config_reader_open */
	MONITOR_OPEN_STATE = 2,  /* the state file for reading: catalog_index_open */
	MONITOR_WRITE_STATE = 3, /* the state file's new text (a memfd): catalog_index_write */
};

struct monitor_request {
	uint32_t magic, op, pathlen, reserved;
	char path[MONITOR_PATH_MAX]; /* pathlen bytes, no NUL */
};

struct monitor_answer {
	int32_t rc;       /* 0 (a descriptor comes with an open), -1 failed, -2 no such file */
	uint32_t missing; /* an open config: it does not exist */
	char err[1024];   /* NUL-terminated when rc < 0 */
};

#endif
