/* `cvpportd --check --from FILE [--format auto|netstat|ss] [--roles R,...] [--ephemeral L-H]`: a
 * monitoring plugin for a host cvpportd cannot run on or poll (a Windows CVP server without its
 * SNMP service), from a capture an engineer already has (capture.h), judged by this host's
 * catalogue and configuration with the capture's process names for owner rules. */
#ifndef CHECK_FROM_H
#define CHECK_FROM_H

/* path: the capture; format: its format's name (NULL: auto); roles: cvpRoles for that host
 * (default: the configuration's); ephemeral: LOW-HIGH (default: netsh's range in the file, else
 * the capture's system's: Windows' 49152-65535, Linux's 32768-60999 for ss). */
struct check_from_request {
	const char *path, *format, *roles, *ephemeral;
	int json;
};

/* Prints as --check and returns its exit code: 3 (UNKNOWN, with why) when the file cannot be
 * read, holds no row of a capture, or an option is wrong. */
int check_from_command(const struct check_from_request *r);

#endif
