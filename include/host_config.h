/* A remote host to evaluate (cvpHost NAME ADDRESS[:PORT] ROLE[,ROLE...] [SNMP OPTIONS], or
 * cvpHost NAME file:PATH ROLE[,ROLE...] for one known from the captures dropped at PATH): its
 * name, the agent address as net-snmp takes one, its roles and the session's options as snmpget
 * takes them. The options may hold secrets (a community, passphrases, keys; snmp_options.h): they
 * are only ever shown masked, and a file that holds them must not be readable by others
 * (config_reader.h). */
#ifndef HOST_CONFIG_H
#define HOST_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "catalog.h"

#define HOST_CONFIG_MAX 1000
#define HOST_CONFIG_ADDRESS_LEN 256
#define HOST_CONFIG_OPTIONS_LEN 1024

struct cvp_remote_host {
	char name[CVP_NAME_LEN];               /* as a row name (catalog_parse.h) */
	char address[HOST_CONFIG_ADDRESS_LEN]; /* [udp:|udp6:|tcp:]HOST[:PORT], or file:PATH */
	unsigned roles;                        /* 1 << enum cvp_role */
	char options[HOST_CONFIG_OPTIONS_LEN]; /* "" for net-snmp's defaults (-v2c -c public) */
	unsigned interval;                     /* seconds between polls; 0: the hosts' default */
	unsigned row_limit;                    /* rows a poll may read; 0: the hosts' default */
	uint16_t eph_low, eph_high;            /* its ephemeral range; 0-0: the hosts' default */
};

#define HOST_CONFIG_INTERVAL_DEFAULT 60
#define HOST_CONFIG_INTERVAL_MIN 1
#define HOST_CONFIG_INTERVAL_MAX 86400
/* cvpHostRowLimit: the rows of the listener tables one poll may read (memory and time per host
 * are bounded by it); an agent with more is an error of its own. */
#define HOST_CONFIG_ROWS_DEFAULT 100000
#define HOST_CONFIG_ROWS_MIN 10
#define HOST_CONFIG_ROWS_MAX 1000000

/* The hosts of a configuration, in the order given. */
/* cvpHostIgnore NAME PROTO PORTS [ADDRESS]: an ignore for that host alone. */
struct host_config_ignore {
	char host[CVP_NAME_LEN];
	struct cvp_ignore ig;
};

struct host_config {
	struct cvp_remote_host *v;
	size_t n, cap;
	struct host_config_ignore *ignores;
	size_t nignores, capignores;
	unsigned
	    interval; /* cvpHostPoll SECONDS: the default; 0 for HOST_CONFIG_INTERVAL_DEFAULT */
	unsigned row_limit; /* cvpHostRowLimit ROWS: the default; 0 for HOST_CONFIG_ROWS_DEFAULT */
	uint16_t eph_low, eph_high; /* cvpHostEphemeral LOW-HIGH: the default; 0-0: by sysDescr */
};

/* Seconds between two polls of h, one of l. */
unsigned host_config_interval(const struct host_config *l, const struct cvp_remote_host *h);
/* The ephemeral range configured for h, one of l (its own, else the hosts'): 1, or 0 when none
 * is (the host's sysDescr tells, host_state_ephemeral_range). */
int host_config_ephemeral(const struct host_config *l, const struct cvp_remote_host *h,
                          uint16_t *low, uint16_t *high);
/* The rows one poll of h, one of l, may read. */
unsigned host_config_row_limit(const struct host_config *l, const struct cvp_remote_host *h);

/* cvpHost's arguments: parsed and appended (a name given twice, or more than HOST_CONFIG_MAX
 * hosts, is an error). Returns 0, or -1 with the message in err. */
int host_config_add(struct host_config *l, const char *args, char *err, size_t errlen);
void host_config_free(struct host_config *l);
/* cvpHostIgnore's arguments (NAME PROTO PORTS [ADDRESS], NAME a host added before): appended.
 * Returns 0, or -1 with the message in err. */
int host_config_add_ignore(struct host_config *l, const char *args, char *err, size_t errlen);
/* The host named name, or NULL. */
const struct cvp_remote_host *host_config_find(const struct host_config *l, const char *name);
/* One line a host ("host NAME ADDRESS ROLES OPTIONS"), its secrets masked. */
void host_config_print(FILE *out, const struct host_config *l);
/* Whether h is read from captures (file:PATH, capture.h) rather than polled over SNMP. */
int host_config_is_file(const struct cvp_remote_host *h);
/* Whether cvpHost's arguments hold a secret in their SNMP options. */
int host_config_line_secret(const char *args);

/* Parses cvpHost's arguments into h, its SNMP options read as net-snmp reads them
 * (snmp_options.h). Returns 0, or -1 with the message in err (which never quotes the options). */
int host_config_parse(const char *args, struct cvp_remote_host *h, char *err, size_t errlen);
#endif
