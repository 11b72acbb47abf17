/* The /proc/net scanner: the fallback when sock_diag is not available. It reads every socket
 * of the host (connections included), so it costs O(connections); see scan_netlink.c. */
#include "scan_procfs.h"
#include "proc_sysctl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TCP_LISTEN 0x0A
#define TCP_CLOSE 0x07 /* an unconnected UDP socket */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parses exactly n hex digits at p into *out. */
static int hex_n(const char *p, int n, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++) {
		int d = hexval(p[i]);
		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* "AAAAAAAA:PPPP" (IPv4) or 32 hex digits ":PPPP" (IPv6). The kernel prints each 32-bit word of
 * the address as the host-order value of its network-order bytes, so storing the parsed word
 * back in host order restores the network bytes on any host. */
static int parse_endpoint(const char *p, size_t len, uint8_t addr[16], int *family, uint16_t *port)
{
	int words;
	uint32_t w;

	if (len == 8 + 1 + 4)
		words = 1;
	else if (len == 32 + 1 + 4)
		words = 4;
	else
		return -1;
	for (int i = 0; i < words; i++) {
		if (hex_n(p + 8 * i, 8, &w) < 0)
			return -1;
		memcpy(addr + 4 * i, &w, 4);
	}
	if (p[8 * words] != ':' || hex_n(p + 8 * words + 1, 4, &w) < 0)
		return -1;
	*port = (uint16_t)w;
	*family = words == 1 ? 4 : 6;
	return 0;
}

int scan_procfs_parse_line(const char *line, int proto, struct cvp_socket *s)
{
	/* sl local rem st tx:rx tr:tm retrnsmt uid timeout inode ... */
	const char *f[10];
	size_t flen[10];
	int n = 0;
	const char *p = line;

	while (n < 10) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		f[n] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		flen[n] = (size_t)(p - f[n]);
		n++;
	}
	if (n < 10 || flen[0] < 2 || f[0][flen[0] - 1] != ':' || flen[3] != 2)
		return -1;

	uint32_t st;
	if (hex_n(f[3], 2, &st) < 0)
		return -1;
	if (proto == CVP_TCP ? st != TCP_LISTEN : st != TCP_CLOSE)
		return 0;

	uint8_t raddr[16];
	int lfam, rfam;
	uint16_t rport;
	memset(s, 0, sizeof(*s));
	if (parse_endpoint(f[1], flen[1], s->addr, &lfam, &s->port) < 0 ||
	    parse_endpoint(f[2], flen[2], raddr, &rfam, &rport) < 0 || lfam != rfam)
		return -1;
	if (proto == CVP_UDP && rport != 0)
		return 0; /* connected UDP: a client, not a listener */
	if (s->port == 0)
		return 0; /* not bound to a port */

	char *end;
	errno = 0;
	unsigned long uid = strtoul(f[7], &end, 10);
	if (errno || end != f[7] + flen[7] || uid > UINT32_MAX)
		return -1;
	unsigned long long inode = strtoull(f[9], &end, 10);
	if (errno || end != f[9] + flen[9])
		return -1;

	s->proto = (uint8_t)proto;
	s->family = (uint8_t)lfam;
	s->uid = (uint32_t)uid;
	s->inode = inode;
	s->v6only = -1;
	sock_unmap_v4(s);
	return 1;
}

static int scan_file(const char *proc_root, const char *name, int proto, int v6only_default,
                     int optional, struct cvp_socket_list *out, struct cvp_scan_stats *st)
{
	char path[PATH_MAX], line[512];
	struct cvp_socket s;

	snprintf(path, sizeof(path), "%s/net/%s", proc_root, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return (optional && errno == ENOENT) ? 0 : -1;
	if (!fgets(line, sizeof(line), f)) { /* header */
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strchr(line, '\n') && !feof(f)) {
			/* over-long line: count it and skip its tail */
			st->malformed++;
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		int r = scan_procfs_parse_line(line, proto, &s);
		if (r < 0) {
			st->malformed++;
			continue;
		}
		if (r == 0)
			continue;
		if (s.family == 6)
			s.v6only = (int8_t)v6only_default;
		struct cvp_socket *d = sock_list_add(out);
		if (!d) {
			fclose(f);
			errno = ENOMEM;
			return -1;
		}
		*d = s;
	}
	fclose(f);
	return 0;
}

int scan_procfs(const char *proc_root, struct cvp_socket_list *out, struct cvp_scan_stats *st)
{
	/* procfs cannot see IPV6_V6ONLY; a "::" socket is taken to follow the host default. */
	long bindv6only = 0;
	int v6only_default = -1;
	if (proc_sysctl_read_longs(proc_root, "sys/net/ipv6/bindv6only", &bindv6only, NULL) == 0 &&
	    bindv6only)
		v6only_default = 1;

	if (scan_file(proc_root, "tcp", CVP_TCP, v6only_default, 0, out, st) < 0 ||
	    scan_file(proc_root, "tcp6", CVP_TCP, v6only_default, 1, out, st) < 0 ||
	    scan_file(proc_root, "udp", CVP_UDP, v6only_default, 0, out, st) < 0 ||
	    scan_file(proc_root, "udp6", CVP_UDP, v6only_default, 1, out, st) < 0)
		return -1;
	return 0;
}
