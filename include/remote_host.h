/* A remote host to evaluate (cvpHost NAME ADDRESS[:PORT] ROLE[,ROLE...] [SNMP OPTIONS]): its
 * name, the agent address as net-snmp takes one, its roles and the session's options as snmpget
 * takes them. The options may hold secrets (a community, passphrases, keys): they are only ever
 * shown masked, and a file that holds them must not be readable by others (conf_reader.h). */
#ifndef REMOTE_HOST_H
#define REMOTE_HOST_H

#include <stddef.h>
#include <stdio.h>

#include "catalog.h"

#define REMOTE_HOST_MAX 1000
#define REMOTE_HOST_ADDRESS_LEN 256
#define REMOTE_HOST_OPTIONS_LEN 1024

struct cvp_remote_host {
	char name[CVP_NAME_LEN];               /* as a row name (catalog_parse.h) */
	char address[REMOTE_HOST_ADDRESS_LEN]; /* [udp:|udp6:|tcp:]HOST[:PORT] */
	unsigned roles;                        /* 1 << enum cvp_role */
	char options[REMOTE_HOST_OPTIONS_LEN]; /* "" for net-snmp's defaults (-v2c -c public) */
	unsigned interval;                     /* seconds between polls; 0: the hosts' default */
};

#define REMOTE_HOST_INTERVAL_DEFAULT 60
#define REMOTE_HOST_INTERVAL_MIN 1
#define REMOTE_HOST_INTERVAL_MAX 86400

/* The hosts of a configuration, in the order given. */
/* cvpHostIgnore NAME PROTO PORTS [ADDRESS]: an ignore for that host alone. */
struct remote_ignore {
	char host[CVP_NAME_LEN];
	struct cvp_ignore ig;
};

struct remote_hosts {
	struct cvp_remote_host *v;
	size_t n, cap;
	struct remote_ignore *ignores;
	size_t nignores, capignores;
	unsigned
	    interval; /* cvpHostPoll SECONDS: the default; 0 for REMOTE_HOST_INTERVAL_DEFAULT */
};

/* Seconds between two polls of h, one of l. */
unsigned remote_hosts_interval(const struct remote_hosts *l, const struct cvp_remote_host *h);

/* cvpHost's arguments: parsed and appended (a name given twice, or more than REMOTE_HOST_MAX
 * hosts, is an error). Returns 0, or -1 with the message in err. */
int remote_hosts_add(struct remote_hosts *l, const char *args, char *err, size_t errlen);
void remote_hosts_free(struct remote_hosts *l);
/* cvpHostIgnore's arguments (NAME PROTO PORTS [ADDRESS], NAME a host added before): appended.
 * Returns 0, or -1 with the message in err. */
int remote_hosts_add_ignore(struct remote_hosts *l, const char *args, char *err, size_t errlen);
/* The host named name, or NULL. */
const struct cvp_remote_host *remote_hosts_find(const struct remote_hosts *l, const char *name);
/* One line a host ("host NAME ADDRESS ROLES OPTIONS"), its secrets masked. */
void remote_hosts_print(FILE *out, const struct remote_hosts *l);
/* Whether cvpHost's arguments hold a secret in their SNMP options. */
int remote_host_line_secret(const char *args);

/* Parses cvpHost's arguments into h. Returns 0, or -1 with the message in err (which never
 * quotes the options). */
int remote_host_parse(const char *args, struct cvp_remote_host *h, char *err, size_t errlen);
/* Whether snmp options hold a secret: -c, -A, -X, -3m/-3M/-3k/-3K, or a -Y line. */
int remote_host_options_secret(const char *options);
/* The options with each secret's value replaced by "****", for logs and --check-config. */
void remote_host_options_masked(const char *options, char *buf, size_t len);

#endif
