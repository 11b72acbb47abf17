/* The sock_diag netlink scanner (the default): the same sockets as scan_procfs. */
#ifndef SCAN_NETLINK_H
#define SCAN_NETLINK_H

#include "sock.h"

/* The sock_diag netlink scanner. One persistent NETLINK_SOCK_DIAG socket; per scan, dumps of
 * TCP with the LISTEN-only state mask (the kernel then visits listeners only, so the cost does
 * not grow with connections) and of UDP in state CLOSE (unconnected), for IPv4 and IPv6. */
struct cvp_netlink;

enum { CVP_NL_OK = 0, CVP_NL_TRANSIENT = -1, CVP_NL_PERMANENT = -2 };

/* Returns NULL with errno set when the socket cannot be made. */
struct cvp_netlink *scan_netlink_open(void) __attribute__((warn_unused_result));
void scan_netlink_close(struct cvp_netlink *nl);
/* Appends the host's listeners to out. Returns CVP_NL_OK, CVP_NL_TRANSIENT (timeout, an
 * interrupted dump retried too often) or CVP_NL_PERMANENT (sock_diag not available or not
 * permitted), with errno set. */
int scan_netlink(struct cvp_netlink *nl, struct cvp_socket_list *out, struct cvp_scan_stats *st);

/* Parses one received buffer of a dump with sequence number seq for protocol proto.
 * Returns 1 when NLMSG_DONE was seen, 0 when more is to come, -1 on NLMSG_ERROR (errno set
 * from it). A message flagged NLM_F_DUMP_INTR sets *interrupted (the flag is kept across the
 * buffers of one dump). Messages of other sequence numbers are ignored; short or malformed
 * messages are counted in st->malformed. */
int scan_netlink_parse_buffer(const void *buf, size_t len, uint32_t seq, int proto,
                              struct cvp_socket_list *out, struct cvp_scan_stats *st,
                              int *interrupted);

#endif
