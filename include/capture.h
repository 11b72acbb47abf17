/* Another host's listeners from a capture an engineer already has: Windows' `netstat -ano` or
 * `netstat -abno`, or PowerShell's Get-NetTCPConnection / Get-NetUDPEndpoint objects exported
 * with ConvertTo-Csv or ConvertTo-Json (fields by their names: LocalAddress, LocalPort,
 * OwningProcess, and ProcessName, Protocol and State where present), in any display language (rows
 * are read by their shape, not their words: a TCP row whose foreign address is 0.0.0.0:0 or [::]:0
 * is a listener, every UDP row an endpoint; -b's [name.exe] line names the process of the row above
 * it), or Linux's `ss -tulpn` (with or without -H; process names from users:(("name",pid=N,...))).
 * `netsh int ipv4 show dynamicport tcp|udp` output anywhere in the file (localized labels: two
 * "label : number" lines, start and count) gives the host's ephemeral range (UDP's where both are).
 * The file as it was written: UTF-16LE with a BOM (PowerShell's `>`), UTF-8 with or without a BOM,
 * or a console code page (bytes outside ASCII read as '?': no word that matters has them).
 * Everything in a capture is hostile input: a line that looks like a row and does not parse is
 * skipped and counted, never a listener. */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

enum capture_format { CAPTURE_AUTO, CAPTURE_NETSTAT, CAPTURE_SS, CAPTURE_POWERSHELL };

#define CAPTURE_FILE_MAX (16u * 1024 * 1024)

struct capture {
	struct cvp_socket_list socks;
	enum capture_format format; /* the one read (auto: the one found) */
	unsigned rows;              /* rows taken: listeners and UDP endpoints */
	unsigned skipped;           /* lines shaped as rows that did not parse */
	unsigned named;             /* sockets whose process is named */
	unsigned first_skipped;     /* the line of the first row skipped (1-based; 0: none) */
	uint16_t eph_low, eph_high; /* netsh's dynamic port range; 0-0: none in the file */
};

/* The format by its name ("auto", "netstat", "ss", "powershell"), or -1; and its name. */
int capture_format_parse(const char *name);
const char *capture_format_name(enum capture_format f);
/* The range of c's host: netsh's in the file, else its system's default (Linux's for ss,
 * Windows' for the others). */
void capture_ephemeral_range(const struct capture *c, uint16_t *low, uint16_t *high);
/* Reads the len bytes of data (a capture) into c (zeroed by the caller; capture_free frees it).
 * Returns 0, or -1 with why in err: no row of the format in it (an empty or foreign file is
 * never "no listener"), or out of memory. */
int capture_read(const unsigned char *data, size_t len, enum capture_format f, struct capture *c,
                 char *err, size_t errlen);
/* capture_read of the file at path: a regular file (a FIFO or a device would block or never
 * end; the last component is not followed when it is a link) of at most CAPTURE_FILE_MAX bytes,
 * which no local user could have planted (neither it nor a directory above it writable by every
 * user; a share's group may write).
 * *mtime (may be NULL): its modification time. Returns 0, or -1 with why in err. */
int capture_read_file(const char *path, enum capture_format f, struct capture *c, long long *mtime,
                      char *err, size_t errlen);
void capture_free(struct capture *c);

#endif
