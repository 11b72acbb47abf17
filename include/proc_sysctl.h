/* Small numeric files under /proc (or a fixture tree): sysctls the scanners and the snapshot
 * need. */
#ifndef CVP_SYSCTL_H
#define CVP_SYSCTL_H

#include <stdint.h>

/* Reads one number (b NULL) or two from PROC_ROOT/REL. Returns 0, or -1 when the file is absent
 * or does not hold them. */
int proc_sysctl_read_longs(const char *proc_root, const char *rel, long *a, long *b);

/* Reads PROC_ROOT/sys/net/ipv4/ip_local_port_range. Returns 0, or -1. */
int proc_sysctl_ephemeral_range(const char *proc_root, uint16_t *low, uint16_t *high);

#endif
