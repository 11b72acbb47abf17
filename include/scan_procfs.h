/* The /proc/net scanner: listening TCP sockets and unconnected bound UDP sockets, IPv4 and
 * IPv6, from the text tables every Linux has. */
#ifndef SCAN_PROCFS_H
#define SCAN_PROCFS_H

#include "sock.h"

/* Reads PROC_ROOT/net/{tcp,tcp6,udp,udp6} ("/proc" in production, a fixture tree in tests).
 * Malformed lines are skipped and counted in st->malformed. A missing tcp6/udp6 (IPv6 off) is
 * not an error. Returns 0, or -1 with errno set when net/tcp or net/udp cannot be read. */
int scan_procfs(const char *proc_root, struct cvp_socket_list *out, struct cvp_scan_stats *st);

/* Parses one line of a /proc/net table into s. Returns 1 when the line is a listener of
 * protocol proto, 0 when it is a socket to leave out (connected, other state), -1 when it
 * is malformed. */
int scan_procfs_parse_line(const char *line, int proto, struct cvp_socket *s);

#endif
