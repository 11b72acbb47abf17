/* The catalogue and its directives. The embedded default and an operator's configuration go
 * through catalog_apply alike, so both obey one grammar. */
#include "catalog.h"
#include "catalog_parse.h"
#include "array.h"
#include "text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_text(const char *s)
{
	return strdup(s ? s : "");
}

void catalog_row_free_text(struct cvp_row *r)
{
	free(r->listener);
	free(r->remote);
	free(r->note);
	free(r->rationale);
	r->listener = r->remote = r->note = r->rationale = NULL;
}

int catalog_row_own_text(struct cvp_row *r)
{
	r->listener = dup_text(r->listener);
	r->remote = dup_text(r->remote);
	r->note = dup_text(r->note);
	r->rationale = dup_text(r->rationale);
	if (r->listener && r->remote && r->note && r->rationale)
		return 0;
	catalog_row_free_text(r);
	return -1;
}

void catalog_set_origin(struct cvp_catalog *cat, const char *file, unsigned line)
{
	snprintf(cat->origin_file, sizeof(cat->origin_file), "%s", file ? file : "");
	cat->origin_line = line;
}

static void stamp(const struct cvp_catalog *cat, struct cvp_row *r)
{
	if (cat->origin_file[0])
		snprintf(r->origin, sizeof(r->origin), "%s:%u", cat->origin_file, cat->origin_line);
}

static int cmd_port(struct cvp_catalog *cat, struct catalog_tokens *t, char *err, size_t errlen)
{
	struct cvp_row r = {0};

	if (catalog_parse_name(t->v[0], err, errlen) < 0 ||
	    catalog_parse_enum(enum_proto_parse, "protocol", t->v[1], "tcp|udp", &r.proto, err,
	                       errlen) < 0 ||
	    catalog_parse_ports(t->v[2], &r.ports, err, errlen) < 0 ||
	    catalog_parse_enum(enum_match_parse, "match", t->v[3], "all|any|none", &r.match, err,
	                       errlen) < 0 ||
	    catalog_parse_enum(enum_requirement_parse, "requirement", t->v[4],
	                       "required|optional|forbidden", &r.requirement, err, errlen) < 0 ||
	    catalog_parse_enum(enum_direction_parse, "direction", t->v[5],
	                       "inbound|outbound|bidirectional|local|loopback|unspecified",
	                       &r.direction, err, errlen) < 0 ||
	    catalog_parse_enum(enum_role_parse, "role", t->v[6],
	                       "callserver|vxml|reporting|oamp|media|common|snmp|mgmt|windows",
	                       &r.role, err, errlen) < 0 ||
	    catalog_parse_text("listener", t->v[7], err, errlen) < 0 ||
	    (t->n > 8 && catalog_parse_text("remote", t->v[8], err, errlen) < 0) ||
	    (t->n > 9 && catalog_parse_text("note", t->v[9], err, errlen) < 0) ||
	    (t->n > 10 && catalog_parse_text("rationale", t->v[10], err, errlen) < 0))
		return -1;
	snprintf(r.name, sizeof(r.name), "%s", t->v[0]);
	r.listener = dup_text(t->v[7]);
	r.remote = dup_text(t->n > 8 ? t->v[8] : NULL);
	r.note = dup_text(t->n > 9 ? t->v[9] : NULL);
	r.rationale = dup_text(t->n > 10 ? t->v[10] : NULL);
	if (!r.listener || !r.remote || !r.note || !r.rationale)
		goto nomem;

	stamp(cat, &r);
	struct cvp_row *old = catalog_find(cat, r.name);
	if (old) { /* replace in place: the index stays */
		catalog_row_free_text(old);
		*old = r;
		return 0;
	}
	if (cat->n == 65535) {
		catalog_row_free_text(&r);
		return text_fail(err, errlen, "catalogue is full (65535 rows)");
	}
	if (array_reserve((void **)&cat->rows, &cat->cap, cat->n + 1, sizeof(*cat->rows)) < 0)
		goto nomem;
	cat->rows[cat->n++] = r;
	return 0;
nomem:
	catalog_row_free_text(&r);
	return text_fail(err, errlen, "out of memory");
}

static struct cvp_row *find_or_fail(struct cvp_catalog *cat, const char *name, char *err,
                                    size_t errlen)
{
	struct cvp_row *r = catalog_find(cat, name);
	if (!r)
		text_fail(err, errlen, "no catalogue row named '%s'", name);
	return r;
}

static int cmd_move(struct cvp_catalog *cat, struct catalog_tokens *t, char *err, size_t errlen)
{
	struct cvp_port_set ps;
	struct cvp_row *r = find_or_fail(cat, t->v[0], err, errlen);
	if (!r || catalog_parse_ports(t->v[1], &ps, err, errlen) < 0)
		return -1;
	r->ports = ps;
	stamp(cat, r);
	return 0;
}

static int cmd_require(struct cvp_catalog *cat, struct catalog_tokens *t, char *err, size_t errlen)
{
	uint8_t req;
	struct cvp_row *r = find_or_fail(cat, t->v[0], err, errlen);
	if (!r || catalog_parse_enum(enum_requirement_parse, "requirement", t->v[1],
	                             "required|optional|forbidden", &req, err, errlen) < 0)
		return -1;
	r->requirement = req;
	stamp(cat, r);
	return 0;
}

static int cmd_remove(struct cvp_catalog *cat, struct catalog_tokens *t, char *err, size_t errlen)
{
	struct cvp_row *r = find_or_fail(cat, t->v[0], err, errlen);
	if (!r)
		return -1;
	catalog_row_free_text(r);
	r->removed = 1;
	stamp(cat, r);
	return 0;
}

/* PROTO PORTS [ADDRESS] (address NULL: any). */
static int parse_ignore(const char *proto, const char *ports, const char *address,
                        struct cvp_ignore *ig, char *err, size_t errlen)
{
	memset(ig, 0, sizeof(*ig));
	if (catalog_parse_enum(enum_proto_parse, "protocol", proto, "tcp|udp", &ig->proto, err,
	                       errlen) < 0 ||
	    catalog_parse_ports(ports, &ig->ports, err, errlen) < 0)
		return -1;
	if (address) {
		if (inet_pton(AF_INET, address, ig->addr) == 1)
			ig->family = 4;
		else if (inet_pton(AF_INET6, address, ig->addr) == 1)
			ig->family = 6;
		else
			return text_fail(err, errlen, "bad address '%s'", address);
	}
	return 0;
}

int catalog_parse_ignore(const char *args, struct cvp_ignore *ig, char *err, size_t errlen)
{
	char w[3][128], extra[2];
	int n = sscanf(args, "%127s %127s %127s %1s", w[0], w[1], w[2], extra);
	if (n < 2 || n > 3)
		return text_fail(err, errlen, "takes PROTO PORTS [ADDRESS]");
	return parse_ignore(w[0], w[1], n == 3 ? w[2] : NULL, ig, err, errlen);
}

static int cmd_ignore(struct cvp_catalog *cat, struct catalog_tokens *t, char *err, size_t errlen)
{
	struct cvp_ignore ig;
	if (parse_ignore(t->v[0], t->v[1], t->n == 3 ? t->v[2] : NULL, &ig, err, errlen) < 0)
		return -1;
	if (array_reserve((void **)&cat->ignores, &cat->capignores, cat->nignores + 1,
	                  sizeof(*cat->ignores)) < 0)
		return text_fail(err, errlen, "out of memory");
	cat->ignores[cat->nignores++] = ig;
	return 0;
}

int catalog_pattern_match(const char *pattern, const char *comm)
{
	size_t n = strlen(pattern), c = strlen(comm);
	/* a Windows program (NAME.exe, from a capture): Windows compares names without case */
	int nocase = c > 4 && strcasecmp(comm + c - 4, ".exe") == 0;
	if (n && pattern[n - 1] == '*')
		return (nocase ? strncasecmp(pattern, comm, n - 1)
		               : strncmp(pattern, comm, n - 1)) == 0;
	return (nocase ? strcasecmp(pattern, comm) : strcmp(pattern, comm)) == 0;
}

/* COMM[,COMM...]: each a process name as cvpportd shows it (printable, escaped), at most one
 * '*' and only at the end. */
static int parse_patterns(char *list, char (*out)[CVP_PATTERN_LEN], size_t max, size_t *n,
                          char *err, size_t errlen)
{
	*n = 0;
	for (char *save = NULL, *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(w);
		char *star = strchr(w, '*');
		if (*n == max)
			return text_fail(err, errlen, "at most %zu process names", max);
		if (len >= CVP_PATTERN_LEN || (star && star != w + len - 1) || (star && len == 1))
			return text_fail(
			    err, errlen,
			    "bad process name pattern '%s' (a name, or a prefix ending in one "
			    "'*', at most %d characters)",
			    w, CVP_PATTERN_LEN - 1);
		memcpy(out[(*n)++], w, len + 1);
	}
	if (!*n)
		return text_fail(err, errlen, "no process name");
	return 0;
}

static int cmd_owner(struct cvp_catalog *cat, struct catalog_tokens *t, char *err, size_t errlen)
{
	struct cvp_owner_rule rule = {0};
	size_t n;
	struct cvp_row *r = find_or_fail(cat, t->v[0], err, errlen);
	if (!r)
		return -1;
	snprintf(rule.text, sizeof(rule.text), "%s%s%s", t->v[1], t->n > 2 ? " " : "",
	         t->n > 2 ? t->v[2] : "");
	if (parse_patterns(t->v[1], rule.comm, CVP_OWNER_MAX, &n, err, errlen) < 0)
		return -1;
	rule.n = (uint8_t)n;
	rule.uid = -1;
	if (t->n > 2) {
		char *end;
		struct passwd *pw = getpwnam(t->v[2]);
		unsigned long uid = strtoul(t->v[2], &end, 10);
		if (pw)
			rule.uid = pw->pw_uid;
		else if (t->v[2][0] >= '0' && t->v[2][0] <= '9' && !*end && uid <= UINT32_MAX)
			rule.uid = (int64_t)uid;
		else
			return text_fail(err, errlen, "no user '%s'", t->v[2]);
	}
	r->owner = rule;
	stamp(cat, r);
	return 0;
}

static int cmd_ignore_process(struct cvp_catalog *cat, struct catalog_tokens *t, char *err,
                              size_t errlen)
{
	char list[CVP_IGNORE_PROCS_MAX][CVP_PATTERN_LEN];
	size_t n;
	if (parse_patterns(t->v[0], list, CVP_IGNORE_PROCS_MAX - cat->nignore_procs, &n, err,
	                   errlen) < 0)
		return -1;
	memcpy(cat->ignore_procs[cat->nignore_procs], list, n * sizeof(list[0]));
	cat->nignore_procs += n;
	return 0;
}

static int cmd_roles(struct cvp_catalog *cat, struct catalog_tokens *t, char *err, size_t errlen)
{
	unsigned roles = 0;
	for (int i = 0; i < t->n; i++)
		if (catalog_parse_roles(t->v[i], &roles, err, errlen) < 0)
			return -1;
	cat->roles = roles;
	return 0;
}

/* The directives, with the number of words each takes and its usage. */
static const struct {
	const char *token;
	int min, max;
	const char *usage;
	int (*fn)(struct cvp_catalog *, struct catalog_tokens *, char *, size_t);
} directives[] = {
    {"cvpPort", 8, 11,
     "NAME PROTO PORTS MATCH REQUIREMENT DIRECTION ROLE \"LISTENER\" [\"REMOTE\" [\"NOTE\" "
     "[\"RATIONALE\"]]]",
     cmd_port},
    {"cvpPortMove", 2, 2, "NAME PORTS", cmd_move},
    {"cvpPortRequire", 2, 2, "NAME required|optional|forbidden", cmd_require},
    {"cvpPortRemove", 1, 1, "NAME", cmd_remove},
    {"cvpIgnore", 2, 3, "PROTO PORTS [ADDRESS]", cmd_ignore},
    {"cvpPortOwner", 2, 3, "NAME COMM[,COMM...] [USER]", cmd_owner},
    {"cvpIgnoreProcess", 1, 1, "COMM[,COMM...]", cmd_ignore_process},
    {"cvpRoles", 1, CATALOG_MAX_TOKENS, "ROLE[,ROLE...]", cmd_roles},
};

const char *catalog_directive(size_t i, const char **usage)
{
	if (i >= sizeof(directives) / sizeof(directives[0]))
		return NULL;
	*usage = directives[i].usage;
	return directives[i].token;
}

int catalog_apply(struct cvp_catalog *cat, const char *token, const char *args, char *err,
                  size_t errlen)
{
	struct catalog_tokens t;
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (strcmp(directives[i].token, token) == 0) {
			if (catalog_parse_tokens(args ? args : "", &t, err, errlen) < 0)
				return -1;
			if (t.n < directives[i].min || t.n > directives[i].max)
				return text_fail(err, errlen, "usage: %s %s", token,
				                 directives[i].usage);
			return directives[i].fn(cat, &t, err, errlen);
		}
	return text_fail(err, errlen, "unknown directive '%s'", token);
}

void catalog_init(struct cvp_catalog *cat)
{
	memset(cat, 0, sizeof(*cat));
	cat->roles = CVP_DEFAULT_ROLES;
}

void catalog_free(struct cvp_catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++)
		catalog_row_free_text(&cat->rows[i]);
	free(cat->rows);
	free(cat->ignores);
	memset(cat, 0, sizeof(*cat));
}

struct cvp_row *catalog_find(const struct cvp_catalog *cat, const char *name)
{
	for (size_t i = 0; i < cat->n; i++)
		if (!cat->rows[i].removed && strcmp(cat->rows[i].name, name) == 0)
			return &cat->rows[i];
	return NULL;
}

size_t catalog_active_count(const struct cvp_catalog *cat)
{
	size_t n = 0;
	for (size_t i = 0; i < cat->n; i++)
		n += !cat->rows[i].removed;
	return n;
}

void catalog_format_roles(unsigned roles, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < CVP_ROLE_COUNT; i++)
		if (roles & (1u << i)) {
			int w = snprintf(buf + used, len - used, "%s%s", used ? "," : "",
			                 enum_role_name(i));
			if (w < 0 || (size_t)w >= len - used)
				break;
			used += (size_t)w;
		}
}
