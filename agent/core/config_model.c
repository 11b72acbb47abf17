/* The configuration's directives and the strict reading of its files. */
#include "config_model.h"
#include "row_fields.h"
#include "catalog_load.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int config_model_init(struct cvp_settings *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	catalog_init(&s->cat);
	s->refresh_seconds = SETTINGS_REFRESH_DEFAULT;
	s->scan_mode = CVP_SCAN_AUTO;
	notify_config_default(&s->notify);
	if (catalog_load_default(&s->cat, err, errlen) < 0) {
		catalog_free(&s->cat);
		return -1;
	}
	return 0;
}

void config_model_free(struct cvp_settings *s)
{
	catalog_free(&s->cat);
	host_config_free(&s->hosts);
	memset(s, 0, sizeof(*s));
}

static void config_model_release(struct refcount *r)
{
	struct cvp_settings *s =
	    (struct cvp_settings *)((char *)r - offsetof(struct cvp_settings, ref));
	config_model_free(s);
	free(s);
}

struct cvp_settings *config_model_new(char *err, size_t errlen)
{
	struct cvp_settings *s = malloc(sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (config_model_init(s, err, errlen) < 0) {
		free(s);
		return NULL;
	}
	refcount_init(&s->ref, config_model_release);
	return s;
}

struct cvp_settings *config_model_get(struct cvp_settings *s)
{
	refcount_get(&s->ref);
	return s;
}

void config_model_put(struct cvp_settings *s)
{
	if (s)
		refcount_put(&s->ref);
}

/* A whole number from min to max; with rest, what follows it, else nothing may. */
static int parse_number(const char *line, long min, long max, long *out, const char **rest)
{
	char *end;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line < '0' || *line > '9')
		return -1;
	errno = 0;
	long v = strtol(line, &end, 10);
	if (errno || v < min || v > max)
		return -1;
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (rest)
		*rest = end;
	else if (*end)
		return -1;
	*out = v;
	return 0;
}

/* One word from a fixed set, alone on the line; returns its position or -1. */
static int parse_word(const char *line, const char *const *words, int n)
{
	char word[16], extra[2];
	if (sscanf(line, "%15s %1s", word, extra) != 1)
		return -1;
	for (int i = 0; i < n; i++)
		if (words[i] && strcmp(word, words[i]) == 0)
			return i;
	return -1;
}

static int cmd_refresh(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	long v;
	if (parse_number(args, 1, 3600, &v, NULL) < 0)
		return text_fail(err, errlen,
		                 "cvpRefresh takes a number of seconds from 1 to 3600");
	s->refresh_seconds = (unsigned)v;
	return 0;
}

static int cmd_scan_source(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	static const char *const modes[] = {
	    [CVP_SCAN_AUTO] = "auto", [CVP_SCAN_NETLINK] = "netlink", [CVP_SCAN_PROCFS] = "procfs"};
	int m = parse_word(args, modes, 3);
	if (m < 0)
		return text_fail(err, errlen, "cvpScanSource takes auto, netlink or procfs");
	s->scan_mode = m;
	return 0;
}

static int cmd_trap_holddown(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	long v;
	if (parse_number(args, 1, NOTIFY_HOLDDOWN_MAX, &v, NULL) < 0)
		return text_fail(err, errlen,
		                 "cvpTrapHoldDown takes a number of scans from 1 to %d",
		                 NOTIFY_HOLDDOWN_MAX);
	s->notify.holddown = (unsigned)v;
	return 0;
}

static int cmd_trap_rate_limit(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	long count, seconds;
	const char *rest;
	if (parse_number(args, 1, NOTIFY_RATE_COUNT_MAX, &count, &rest) < 0 ||
	    parse_number(rest, 1, NOTIFY_RATE_SECONDS_MAX, &seconds, NULL) < 0)
		return text_fail(err, errlen,
		                 "cvpTrapRateLimit takes COUNT (1 to %d) and SECONDS (1 to %d)",
		                 NOTIFY_RATE_COUNT_MAX, NOTIFY_RATE_SECONDS_MAX);
	s->notify.rate_count = (unsigned)count;
	s->notify.rate_seconds = (unsigned)seconds;
	return 0;
}

static int cmd_trap_on_start(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	static const char *const words[] = {"no", "yes"};
	int v = parse_word(args, words, 2);
	if (v < 0)
		return text_fail(err, errlen, "cvpTrapOnStart takes yes or no");
	s->notify.on_start = v;
	return 0;
}

static int cmd_host(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	return host_config_add(&s->hosts, args, err, errlen);
}

/* NUMBER [NAME] (cvpHostPoll, cvpHostRowLimit): the number into v, and into h the host NAME
 * names (a cvpHost above), NULL for every host. Returns 0, or -1 with the message in err. */
struct host_number {
	const char *token, *what;
	long min, max;
};

static int host_number(struct cvp_settings *s, const char *args, const struct host_number *d,
                       unsigned *v, struct cvp_remote_host **h, char *err, size_t errlen)
{
	long n;
	const char *rest;
	char name[CVP_NAME_LEN + 1], extra[2];
	if (parse_number(args, d->min, d->max, &n, &rest) < 0)
		return text_fail(err, errlen, "%s takes %s (%ld to %ld) and a cvpHost name",
		                 d->token, d->what, d->min, d->max);
	*v = (unsigned)n;
	*h = NULL;
	int words = sscanf(rest, "%32s %1s", name, extra);
	if (words <= 0)
		return 0;
	*h = (struct cvp_remote_host *)host_config_find(&s->hosts, name);
	if (words != 1 || !*h)
		return text_fail(err, errlen, "%s: no cvpHost %.32s above this line", d->token,
		                 name);
	return 0;
}

/* cvpHostPoll SECONDS [NAME]: every host's interval, or NAME's. */
static int cmd_host_poll(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	static const struct host_number d = {"cvpHostPoll", "SECONDS", HOST_CONFIG_INTERVAL_MIN,
	                                     HOST_CONFIG_INTERVAL_MAX};
	struct cvp_remote_host *h;
	unsigned v;
	if (host_number(s, args, &d, &v, &h, err, errlen) < 0)
		return -1;
	*(h ? &h->interval : &s->hosts.interval) = v;
	return 0;
}

/* cvpHostRowLimit ROWS [NAME]: the rows a poll of every host, or of NAME, may read. */
static int cmd_host_row_limit(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	static const struct host_number d = {"cvpHostRowLimit", "ROWS", HOST_CONFIG_ROWS_MIN,
	                                     HOST_CONFIG_ROWS_MAX};
	struct cvp_remote_host *h;
	unsigned v;
	if (host_number(s, args, &d, &v, &h, err, errlen) < 0)
		return -1;
	*(h ? &h->row_limit : &s->hosts.row_limit) = v;
	return 0;
}

/* cvpHostEphemeral LOW-HIGH [NAME], or NAME LOW-HIGH: every host's ephemeral range, or NAME's
 * (else its sysDescr tells). */
static int cmd_host_ephemeral(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	uint16_t low, high;
	int used = 0, words;
	char name[CVP_NAME_LEN + 1], extra[2];
	if (portset_parse_range(args, &low, &high, &used)) {
		words = sscanf(args + used, "%32s %1s", name, extra);
	} else { /* NAME LOW-HIGH */
		int n = 0;
		words = sscanf(args, " %32s%n", name, &n) == 1 &&
		                portset_parse_range(args + n, &low, &high, &used) &&
		                sscanf(args + n + used, "%1s", extra) <= 0
		            ? 1
		            : -2;
	}
	if (words == -2)
		return text_fail(err, errlen,
		                 "cvpHostEphemeral takes LOW-HIGH (1 to 65535) and a cvpHost name");
	struct cvp_remote_host *h =
	    words > 0 ? (struct cvp_remote_host *)host_config_find(&s->hosts, name) : NULL;
	if (words > 0 && (words != 1 || !h))
		return text_fail(err, errlen, "cvpHostEphemeral: no cvpHost %.32s above this line",
		                 name);
	*(h ? &h->eph_low : &s->hosts.eph_low) = low;
	*(h ? &h->eph_high : &s->hosts.eph_high) = high;
	return 0;
}

static int cmd_host_ignore(struct cvp_settings *s, const char *args, char *err, size_t errlen)
{
	return host_config_add_ignore(&s->hosts, args, err, errlen);
}

static const struct {
	const char *token, *usage;
	int (*fn)(struct cvp_settings *, const char *, char *, size_t);
} directives[] = {
    {"cvpRefresh", "SECONDS", cmd_refresh},
    {"cvpScanSource", "auto|netlink|procfs", cmd_scan_source},
    {"cvpTrapHoldDown", "SCANS", cmd_trap_holddown},
    {"cvpTrapRateLimit", "COUNT SECONDS", cmd_trap_rate_limit},
    {"cvpTrapOnStart", "yes|no", cmd_trap_on_start},
    {"cvpHost", "NAME ADDRESS[:PORT] ROLE[,ROLE...] [SNMP OPTIONS]", cmd_host},
    {"cvpHostPoll", "SECONDS [NAME]", cmd_host_poll},
    {"cvpHostRowLimit", "ROWS [NAME]", cmd_host_row_limit},
    {"cvpHostEphemeral", "LOW-HIGH [NAME]", cmd_host_ephemeral},
    {"cvpHostIgnore", "NAME PROTO PORTS [ADDRESS]", cmd_host_ignore},
};
#define NDIRECTIVES (sizeof(directives) / sizeof(directives[0]))

const char *config_model_directive(size_t i, const char **usage)
{
	if (i < NDIRECTIVES) {
		*usage = directives[i].usage;
		return directives[i].token;
	}
	return catalog_directive(i - NDIRECTIVES, usage);
}

int config_model_directive_known(const char *token)
{
	const char *usage, *t;
	for (size_t i = 0; (t = config_model_directive(i, &usage)); i++)
		if (strcmp(t, token) == 0)
			return 1;
	return 0;
}

int config_model_apply(struct cvp_settings *s, const char *token, const char *args, char *err,
                       size_t errlen)
{
	const char *usage;
	for (size_t i = 0; i < NDIRECTIVES; i++)
		if (strcmp(token, directives[i].token) == 0)
			return directives[i].fn(s, args ? args : "", err, errlen);
	for (size_t i = 0; catalog_directive(i, &usage); i++)
		if (strcmp(token, catalog_directive(i, &usage)) == 0)
			return catalog_apply(&s->cat, token, args, err, errlen);
	return 1;
}

static int rows_differ(const struct cvp_row *x, const struct cvp_row *y)
{
	return x->proto != y->proto || memcmp(&x->ports, &y->ports, sizeof(x->ports)) != 0 ||
	       x->match != y->match || x->direction != y->direction ||
	       x->requirement != y->requirement || x->role != y->role ||
	       strcmp(x->listener, y->listener) != 0 || strcmp(x->remote, y->remote) != 0 ||
	       strcmp(x->note, y->note) != 0 || strcmp(x->rationale, y->rationale) != 0 ||
	       strcmp(x->owner.text, y->owner.text) != 0;
}

void config_model_diff(const struct cvp_settings *a, const struct cvp_settings *b, unsigned *added,
                       unsigned *removed, unsigned *changed)
{
	size_t n = a->cat.n > b->cat.n ? a->cat.n : b->cat.n;
	*added = *removed = *changed = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cvp_row *x =
		    i < a->cat.n && !a->cat.rows[i].removed ? &a->cat.rows[i] : NULL;
		const struct cvp_row *y =
		    i < b->cat.n && !b->cat.rows[i].removed ? &b->cat.rows[i] : NULL;
		if (x && y && strcmp(x->name, y->name) == 0) {
			*changed += (unsigned)rows_differ(x, y);
			continue;
		}
		*removed += x != NULL;
		*added += y != NULL;
	}
}

/* Appends "; TEXT" to buf (len bytes), keeping it NUL-terminated. */
static void append(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 2 >= len)
		return;
	snprintf(buf + used, len - used, "; ");
	used += 2;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

void config_model_describe_changes(const struct cvp_settings *a, const struct cvp_settings *b,
                                   char *buf, size_t len)
{
	static const char *const modes[] = {"auto", "netlink", "procfs"};
	if (len)
		buf[0] = '\0';
	if (a->cat.roles != b->cat.roles) {
		char roles[128];
		catalog_format_roles(b->cat.roles, roles, sizeof(roles));
		append(buf, len, "roles now %s", roles);
	}
	if (a->refresh_seconds != b->refresh_seconds)
		append(buf, len, "cvpRefresh %u -> %u", a->refresh_seconds, b->refresh_seconds);
	if (a->scan_mode != b->scan_mode)
		append(buf, len, "cvpScanSource %s -> %s", modes[a->scan_mode % 3],
		       modes[b->scan_mode % 3]);
	if (a->notify.holddown != b->notify.holddown)
		append(buf, len, "cvpTrapHoldDown %u -> %u", a->notify.holddown,
		       b->notify.holddown);
	if (a->notify.rate_count != b->notify.rate_count ||
	    a->notify.rate_seconds != b->notify.rate_seconds)
		append(buf, len, "cvpTrapRateLimit %u %u -> %u %u", a->notify.rate_count,
		       a->notify.rate_seconds, b->notify.rate_count, b->notify.rate_seconds);
	if (!a->notify.on_start != !b->notify.on_start)
		append(buf, len, "cvpTrapOnStart %s", b->notify.on_start ? "yes" : "no");
	if (a->cat.nignores != b->cat.nignores ||
	    (a->cat.nignores &&
	     memcmp(a->cat.ignores, b->cat.ignores, a->cat.nignores * sizeof(*a->cat.ignores))) ||
	    a->cat.nignore_procs != b->cat.nignore_procs ||
	    memcmp(a->cat.ignore_procs, b->cat.ignore_procs, sizeof(a->cat.ignore_procs)))
		append(buf, len, "cvpIgnore rules: %zu -> %zu, cvpIgnoreProcess: %zu -> %zu",
		       a->cat.nignores, b->cat.nignores, a->cat.nignore_procs,
		       b->cat.nignore_procs);
	if (a->hosts.n != b->hosts.n || a->hosts.interval != b->hosts.interval ||
	    a->hosts.nignores != b->hosts.nignores ||
	    (a->hosts.nignores && memcmp(a->hosts.ignores, b->hosts.ignores,
	                                 a->hosts.nignores * sizeof(*a->hosts.ignores))) ||
	    (a->hosts.n && memcmp(a->hosts.v, b->hosts.v, a->hosts.n * sizeof(*a->hosts.v))))
		append(buf, len, "cvpHost: %zu -> %zu host(s)", a->hosts.n, b->hosts.n);
}

void config_model_print(FILE *out, const struct cvp_settings *s)
{
	static const char *const modes[] = {"auto", "netlink", "procfs"};
	char roles[128], ports[32];
	const struct cvp_catalog *cat = &s->cat;
	/* The row's fields as --check and the MIB render them (row_fields.h). */
	static const uint8_t shown[] = {ROW_NAME,        ROW_PROTOCOL,  ROW_PORTS, ROW_MATCH,
	                                ROW_REQUIREMENT, ROW_DIRECTION, ROW_ROLE};

	catalog_format_roles(cat->roles, roles, sizeof(roles));
	fprintf(out, "%5s  %-18s %-5s %-12s %-5s %-9s %-13s %-10s %-16s %s\n", "INDEX", "NAME",
	        "PROTO", "PORTS", "MATCH", "REQUIRE", "DIRECTION", "ROLE", "OWNER", "FROM");
	for (size_t i = 0; i < cat->n; i++) {
		const struct cvp_row *r = &cat->rows[i];
		const struct row_view v = {i, r, NULL, 0};
		struct row_value f[sizeof(shown)];
		if (r->removed) {
			fprintf(out, "%5zu  %-18s (removed)%*s%s\n", i + 1, r->name, 53, "",
			        r->origin);
			continue;
		}
		for (size_t k = 0; k < sizeof(shown); k++)
			if (row_fields_get(&v, shown[k], &f[k]) < 0)
				f[k].text = "?";
		fprintf(out, "%5zu  %-18s %-5s %-12s %-5s %-9s %-13s %-10s %-16s %s\n", i + 1,
		        f[0].text, f[1].text, f[2].text, f[3].text, f[4].text, f[5].text, f[6].text,
		        r->owner.n ? r->owner.text : "-", r->origin);
	}
	for (size_t i = 0; i < cat->nignore_procs; i++)
		fprintf(out, "ignore process %s\n", cat->ignore_procs[i]);
	for (size_t i = 0; i < cat->nignores; i++) {
		portset_format(&cat->ignores[i].ports, ports, sizeof(ports));
		fprintf(out, "ignore %s %s%s\n", enum_proto_name(cat->ignores[i].proto), ports,
		        cat->ignores[i].family ? " (one address)" : "");
	}
	fprintf(out,
	        "roles %s; %zu rows; refresh %u s; scan source %s; traps: hold-down %u scans, at "
	        "most %u per %u s, on start %s\n",
	        roles, catalog_active_count(cat), s->refresh_seconds, modes[s->scan_mode],
	        s->notify.holddown, s->notify.rate_count, s->notify.rate_seconds,
	        s->notify.on_start ? "yes" : "no");
	host_config_print(out, &s->hosts);
}

static int apply_directive(void *target, const char *origin, unsigned line, const char *token,
                           const char *args, char *err, size_t errlen)
{
	struct cvp_settings *s = target;
	catalog_set_origin(&s->cat, origin, line);
	int rc = config_model_apply(s, token, args, err, errlen);
	catalog_set_origin(&s->cat, NULL, 0);
	return rc;
}

/* r with s as what its directives apply to. */
/* A line that must not stand in a file others can read (config_reader.h). */
static int line_secret(const char *token, const char *args)
{
	return strcmp(token, "cvpHost") == 0 && host_config_line_secret(args);
}

static struct config_reader for_settings(struct cvp_settings *s, const struct config_reader *r)
{
	struct config_reader c = *r;
	c.apply = apply_directive;
	c.secret = line_secret;
	c.target = s;
	return c;
}

unsigned config_model_load_text(struct cvp_settings *s, const char *text, size_t len,
                                const char *origin, const struct config_reader *r)
{
	const struct config_reader c = for_settings(s, r);
	return config_reader_text(&c, text, len, origin);
}

unsigned config_model_load_file(struct cvp_settings *s, const char *path,
                                const struct config_reader *r)
{
	const struct config_reader c = for_settings(s, r);
	return config_reader_file(&c, path);
}
