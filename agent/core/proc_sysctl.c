/* Numeric sysctl files under /proc. */
#include "proc_sysctl.h"

#include <limits.h>
#include <stdio.h>

int proc_sysctl_read_longs(const char *proc_root, const char *rel, long *a, long *b)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", proc_root, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int n = b ? fscanf(f, "%ld %ld", a, b) : fscanf(f, "%ld", a);
	fclose(f);
	return n == (b ? 2 : 1) ? 0 : -1;
}

int proc_sysctl_ephemeral_range(const char *proc_root, uint16_t *low, uint16_t *high)
{
	long a, b;
	if (proc_sysctl_read_longs(proc_root, "sys/net/ipv4/ip_local_port_range", &a, &b) < 0 ||
	    a < 1 || b > 65535 || a > b)
		return -1;
	*low = (uint16_t)a;
	*high = (uint16_t)b;
	return 0;
}
