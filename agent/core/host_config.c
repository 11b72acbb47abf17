/* cvpHost: a remote host to evaluate, with its SNMP options kept out of sight. */
#include "host_config.h"
#include "array.h"
#include "catalog.h"
#include "catalog_parse.h"
#include "snmp_options.h"
#include "text.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* An agent address: printable, no blank, of at most HOST_CONFIG_ADDRESS_LEN - 1 bytes. */
static int address_valid(const char *s, size_t n)
{
	if (!n || n >= HOST_CONFIG_ADDRESS_LEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

int host_config_parse(const char *args, struct cvp_remote_host *h, char *err, size_t errlen)
{
	const char *p = args + strspn(args, " \t");
	const char *word[3];
	size_t len[3];

	memset(h, 0, sizeof(*h)); /* whole: hosts are compared with memcmp (config_model_diff) */
	for (int i = 0; i < 3; i++) {
		word[i] = p;
		len[i] = strcspn(p, " \t");
		if (!len[i])
			return text_fail(err, errlen,
			                 "cvpHost takes NAME ADDRESS[:PORT] ROLE[,ROLE...] [SNMP "
			                 "OPTIONS]");
		p += len[i];
		p += strspn(p, " \t");
	}
	if (len[0] >= sizeof(h->name))
		return text_fail(err, errlen, "cvpHost: the name is longer than %d characters",
		                 CVP_NAME_LEN - 1);
	memcpy(h->name, word[0], len[0]);
	if (!catalog_parse_name_valid(h->name))
		return text_fail(err, errlen,
		                 "cvpHost: a name is letters, digits, '-', '_' and '.'");
	if (!address_valid(word[1], len[1]))
		return text_fail(err, errlen, "cvpHost %s: the address is not HOST[:PORT]",
		                 h->name);
	memcpy(h->address, word[1], len[1]);
	char roles[256];
	if (len[2] >= sizeof(roles))
		return text_fail(err, errlen, "cvpHost %s: too many roles", h->name);
	memcpy(roles, word[2], len[2]);
	roles[len[2]] = '\0';
	char why[256];
	if (catalog_parse_roles(roles, &h->roles, why, sizeof(why)) < 0)
		return text_fail(err, errlen, "cvpHost %s: %s", h->name, why);
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n >= sizeof(h->options))
		return text_fail(err, errlen,
		                 "cvpHost %s: the SNMP options are longer than %d bytes", h->name,
		                 HOST_CONFIG_OPTIONS_LEN - 1);
	memcpy(h->options, p, n);
	if (host_config_is_file(h)) { /* a capture: a file's absolute path, nothing to ask */
		if (h->address[5] != '/' || n)
			return text_fail(err, errlen,
			                 "cvpHost %s: file: takes an absolute path and no SNMP "
			                 "options",
			                 h->name);
		return 0;
	}
	struct snmp_options_word w[SNMP_OPTIONS_MAX_WORDS];
	size_t nread;
	if (snmp_options_read(h->options, w, &nread, why, sizeof(why)) < 0)
		return text_fail(err, errlen, "cvpHost %s: its SNMP options: %s", h->name, why);
	return 0;
}

/* The SNMP options of cvpHost's arguments: past its three words. */
static const char *options_of(const char *args)
{
	const char *p = args;
	for (int i = 0; i < 3; i++) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t");
	}
	return p;
}

int host_config_is_file(const struct cvp_remote_host *h)
{
	return strncmp(h->address, "file:", 5) == 0;
}

int host_config_line_secret(const char *args)
{
	return snmp_options_secret(options_of(args));
}

int host_config_add(struct host_config *l, const char *args, char *err, size_t errlen)
{
	struct cvp_remote_host h;
	if (host_config_parse(args, &h, err, errlen) < 0)
		return -1;
	if (host_config_find(l, h.name))
		return text_fail(err, errlen, "cvpHost %s is already defined", h.name);
	if (l->n == HOST_CONFIG_MAX)
		return text_fail(err, errlen, "cvpHost: more than %d hosts", HOST_CONFIG_MAX);
	if (array_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return text_fail(err, errlen, "out of memory");
	l->v[l->n++] = h;
	return 0;
}

int host_config_add_ignore(struct host_config *l, const char *args, char *err, size_t errlen)
{
	struct host_config_ignore ri = {0};
	char why[200];
	const char *p = args + strspn(args, " \t");
	size_t n = strcspn(p, " \t");
	if (!n || n >= sizeof(ri.host))
		return text_fail(err, errlen, "cvpHostIgnore takes NAME PROTO PORTS [ADDRESS]");
	memcpy(ri.host, p, n);
	if (!host_config_find(l, ri.host))
		return text_fail(err, errlen, "cvpHostIgnore: no cvpHost %s above this line",
		                 ri.host);
	if (catalog_parse_ignore(p + n, &ri.ig, why, sizeof(why)) < 0)
		return text_fail(err, errlen, "cvpHostIgnore %s: %s", ri.host, why);
	if (array_reserve((void **)&l->ignores, &l->capignores, l->nignores + 1,
	                  sizeof(*l->ignores)) < 0)
		return text_fail(err, errlen, "out of memory");
	l->ignores[l->nignores++] = ri;
	return 0;
}

void host_config_free(struct host_config *l)
{
	free(l->v);
	free(l->ignores);
	memset(l, 0, sizeof(*l));
}

const struct cvp_remote_host *host_config_find(const struct host_config *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

unsigned host_config_interval(const struct host_config *l, const struct cvp_remote_host *h)
{
	return h->interval ? h->interval : l->interval ? l->interval : HOST_CONFIG_INTERVAL_DEFAULT;
}

int host_config_ephemeral(const struct host_config *l, const struct cvp_remote_host *h,
                          uint16_t *low, uint16_t *high)
{
	if (h->eph_high) {
		*low = h->eph_low;
		*high = h->eph_high;
	} else if (l->eph_high) {
		*low = l->eph_low;
		*high = l->eph_high;
	}
	return h->eph_high || l->eph_high;
}

unsigned host_config_row_limit(const struct host_config *l, const struct cvp_remote_host *h)
{
	return h->row_limit ? h->row_limit : l->row_limit ? l->row_limit : HOST_CONFIG_ROWS_DEFAULT;
}

void host_config_print(FILE *out, const struct host_config *l)
{
	if (l->n)
		fprintf(out, "hostpoll %u\nhostrowlimit %u\n",
		        host_config_interval(l, &(struct cvp_remote_host){0}),
		        host_config_row_limit(l, &(struct cvp_remote_host){0}));
	for (size_t i = 0; i < l->n; i++) {
		char roles[128], options[HOST_CONFIG_OPTIONS_LEN + 64];
		catalog_format_roles(l->v[i].roles, roles, sizeof(roles));
		snmp_options_masked(l->v[i].options, options, sizeof(options));
		uint16_t low, high;
		char eph[32] = "";
		if (host_config_ephemeral(l, &l->v[i], &low, &high))
			snprintf(eph, sizeof(eph), ", ephemeral %u-%u", low, high);
		fprintf(out, "host %s %s %s every %us, at most %u rows%s%s%s\n", l->v[i].name,
		        l->v[i].address, roles, host_config_interval(l, &l->v[i]),
		        host_config_row_limit(l, &l->v[i]), eph, *options ? " " : "", options);
		for (size_t k = 0; k < l->nignores; k++) {
			const struct cvp_ignore *ig = &l->ignores[k].ig;
			char ports[64], addr[64] = "";
			if (strcmp(l->ignores[k].host, l->v[i].name) != 0)
				continue;
			portset_format(&ig->ports, ports, sizeof(ports));
			if (ig->family)
				inet_ntop(ig->family == 4 ? AF_INET : AF_INET6, ig->addr, addr,
				          sizeof(addr));
			fprintf(out, "host %s ignores %s %s%s%s\n", l->v[i].name,
			        ig->proto == CVP_TCP ? "tcp" : "udp", ports, *addr ? " " : "",
			        addr);
		}
	}
}
