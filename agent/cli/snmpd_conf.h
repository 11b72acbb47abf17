/* snmpd's configuration as `cvpportd --doctor` reads it: where does the master send
 * notifications? (trapsink, trap2sink, informsink, trapsess). Root's files, yet read with
 * bounds: an include loop, a FIFO or /dev/zero is refused, never followed forever. */
#ifndef SNMPD_CONF_H
#define SNMPD_CONF_H

#include <stddef.h>

struct snmpd_conf_sinks {
	unsigned count;  /* notification destinations found */
	char first[512]; /* "FILE:LINE directive" of the first one */
	unsigned files;  /* files read */
};

/* Reads snmpd.conf and snmpd.local.conf in each directory of confpath (':'-separated, as
 * SNMPCONFPATH), following includeFile, includeDir and includeSearch. Missing files are
 * skipped. Returns 0, or -1 with err naming the file that could not be read. */
int snmpd_conf_find_sinks(const char *confpath, struct snmpd_conf_sinks *out, char *err,
                          size_t errlen);

#endif
