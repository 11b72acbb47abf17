/* The configuration's directives and the strict reading of its files. */
#include "settings.h"
#include "collector.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int settings_init(struct cvp_settings *s, char *err, size_t errlen)
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

void settings_free(struct cvp_settings *s)
{
	catalog_free(&s->cat);
	memset(s, 0, sizeof(*s));
}

static void settings_release(struct refcount *r)
{
	struct cvp_settings *s =
	    (struct cvp_settings *)((char *)r - offsetof(struct cvp_settings, ref));
	settings_free(s);
	free(s);
}

struct cvp_settings *settings_new(char *err, size_t errlen)
{
	struct cvp_settings *s = malloc(sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (settings_init(s, err, errlen) < 0) {
		free(s);
		return NULL;
	}
	refcount_init(&s->ref, settings_release);
	return s;
}

struct cvp_settings *settings_get(struct cvp_settings *s)
{
	refcount_get(&s->ref);
	return s;
}

void settings_put(struct cvp_settings *s)
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

static const struct {
	const char *token, *usage;
	int (*fn)(struct cvp_settings *, const char *, char *, size_t);
} directives[] = {
    {"cvpRefresh", "SECONDS", cmd_refresh},
    {"cvpScanSource", "auto|netlink|procfs", cmd_scan_source},
    {"cvpTrapHoldDown", "SCANS", cmd_trap_holddown},
    {"cvpTrapRateLimit", "COUNT SECONDS", cmd_trap_rate_limit},
    {"cvpTrapOnStart", "yes|no", cmd_trap_on_start},
};
#define NDIRECTIVES (sizeof(directives) / sizeof(directives[0]))

const char *settings_directive(size_t i, const char **usage)
{
	if (i < NDIRECTIVES) {
		*usage = directives[i].usage;
		return directives[i].token;
	}
	return catalog_directive(i - NDIRECTIVES, usage);
}

int settings_directive_known(const char *token)
{
	const char *usage, *t;
	for (size_t i = 0; (t = settings_directive(i, &usage)); i++)
		if (strcmp(t, token) == 0)
			return 1;
	return 0;
}

int settings_apply(struct cvp_settings *s, const char *token, const char *args, char *err,
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

void settings_diff(const struct cvp_settings *a, const struct cvp_settings *b, unsigned *added,
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

void settings_describe_changes(const struct cvp_settings *a, const struct cvp_settings *b,
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
}

void settings_print(FILE *out, const struct cvp_settings *s)
{
	static const char *const modes[] = {"auto", "netlink", "procfs"};
	char roles[128], ports[32];
	const struct cvp_catalog *cat = &s->cat;

	catalog_format_roles(cat->roles, roles, sizeof(roles));
	fprintf(out, "%5s  %-18s %-5s %-12s %-5s %-9s %-13s %-10s %-16s %s\n", "INDEX", "NAME",
	        "PROTO", "PORTS", "MATCH", "REQUIRE", "DIRECTION", "ROLE", "OWNER", "FROM");
	for (size_t i = 0; i < cat->n; i++) {
		const struct cvp_row *r = &cat->rows[i];
		if (r->removed) {
			fprintf(out, "%5zu  %-18s (removed)%*s%s\n", i + 1, r->name, 53, "",
			        r->origin);
			continue;
		}
		portset_format(&r->ports, ports, sizeof(ports));
		fprintf(out, "%5zu  %-18s %-5s %-12s %-5s %-9s %-13s %-10s %-16s %s\n", i + 1,
		        r->name, enum_proto_name(r->proto), ports, enum_match_name(r->match),
		        enum_requirement_name(r->requirement), enum_direction_name(r->direction),
		        enum_role_name(r->role), r->owner.n ? r->owner.text : "-", r->origin);
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
}

/* --- files --------------------------------------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static void report(const struct settings_reader *r,
                                                         const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->error(r->arg, msg);
}

/* Whether another user could change what a file (or a directory above it) says: owned by
 * someone but root and this process's user, or writable by group or others. A directory that
 * others may write to is safe only when it is root's and sticky (/tmp): nobody else can then
 * replace what lies in it. */
static int writable_by_others(const struct stat *st, int dir)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return 1;
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	return !(dir && (st->st_mode & S_ISVTX) && st->st_uid == 0);
}

/* StrictModes, as sshd has it: the file and every directory above it (the real path). */
static int check_owner_and_mode(const char *path, const char *shown, const struct stat *st,
                                const struct settings_reader *r)
{
	char real[PATH_MAX], dshown[TEXT_ESCAPED_SIZE(200)];
	struct stat ds;
	if (writable_by_others(st, 0)) {
		report(r,
		       "%s: owned by uid %u with mode %04o: writable by others than root and the "
		       "user cvpportd runs as, so refused (chown root, chmod go-w)",
		       shown, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
		return -1;
	}
	if (!realpath(path, real)) {
		report(r, "%s: %s", shown, strerror(errno));
		return -1;
	}
	for (char *slash = strrchr(real, '/'); slash; slash = strrchr(real, '/')) {
		if (slash == real)
			slash[1] = '\0'; /* the root directory itself */
		else
			*slash = '\0';
		if (stat(real, &ds) < 0 || writable_by_others(&ds, 1)) {
			text_escape(real, strlen(real), dshown, sizeof(dshown));
			report(r,
			       "%s: directory %s is writable by others than root and the user "
			       "cvpportd runs as, so the file is refused (chmod go-w)",
			       shown, dshown);
			return -1;
		}
		if (slash == real)
			break;
	}
	return 0;
}

/* The file's bytes, NUL-terminated, or NULL after reporting why not. Never blocks on a FIFO or
 * a device: only a regular file is read, and no more than SETTINGS_FILE_MAX bytes. */
static char *read_bounded(const char *path, const char *shown, const struct settings_reader *r,
                          size_t *len)
{
	struct stat st;
	char *text = NULL;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		report(r, "%s: cannot open: %s", shown, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		report(r, "%s: %s", shown, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		report(r, "%s: not a regular file (a directory, FIFO, device or socket)", shown);
		goto out;
	}
	if (check_owner_and_mode(path, shown, &st, r) < 0)
		goto out;
	if (st.st_size > SETTINGS_FILE_MAX) {
		report(r, "%s: larger than %d bytes", shown, SETTINGS_FILE_MAX);
		goto out;
	}
	text = malloc((size_t)st.st_size + 2);
	if (!text) {
		report(r, "%s: out of memory", shown);
		goto out;
	}
	/* Read one byte more than stat said: a file that grows meanwhile is still bounded. */
	size_t got = 0, want = (size_t)st.st_size + 1;
	while (got < want) {
		ssize_t n = read(fd, text + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			report(r, "%s: read error: %s", shown, strerror(errno));
			free(text);
			text = NULL;
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > (size_t)st.st_size) {
		report(r, "%s: changed while it was read", shown);
		free(text);
		text = NULL;
		goto out;
	}
	text[got] = '\0';
	*len = got;
out:
	close(fd);
	return text;
}

/* The first byte of a directive line that is not printable ASCII (tab and a final CR
 * allowed), or -1. */
static long bad_byte(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t' && !(c == '\r' && i + 1 == len)) || c > 0x7e)
			return (long)i;
	}
	return -1;
}

struct names {
	char (*v)[CVP_NAME_LEN];
	size_t n, cap;
};

/* Whether NAME was defined by a cvpPort line earlier in the same file; records it. */
static int defined_twice(struct names *seen, const char *args)
{
	char name[CVP_NAME_LEN] = "";
	if (sscanf(args, "%31s", name) != 1)
		return 0;
	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], name) == 0)
			return 1;
	if (seen->n == seen->cap) {
		size_t cap = seen->cap ? seen->cap * 2 : 64;
		char(*v)[CVP_NAME_LEN] = realloc(seen->v, cap * sizeof(*v));
		if (!v)
			return 0;
		seen->v = v;
		seen->cap = cap;
	}
	memcpy(seen->v[seen->n++], name, CVP_NAME_LEN);
	return 0;
}

unsigned settings_load_text(struct cvp_settings *s, const char *text, size_t len, const char *shown,
                            const struct settings_reader *r)
{
	char err[512], line[SETTINGS_LINE_MAX + 1];
	struct names seen = {0};
	unsigned errors = 0, lineno = 0;

	if (memchr(text, '\0', len)) {
		report(r, "%s: binary data (a NUL byte), not a configuration file", shown);
		return 1;
	}
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *next = p + n + (nl ? 1 : 0);
		lineno++;
		const char *start = p + strspn(p, " \t");
		if (start >= p + n || *start == '#' ||
		    *start == '[') { /* blank, comment, [section] */
			p = next;
			continue;
		}
		if (n > SETTINGS_LINE_MAX) {
			report(r, "%s:%u: line longer than %d bytes", shown, lineno,
			       SETTINGS_LINE_MAX);
			errors++;
			p = next;
			continue;
		}
		long bad = bad_byte(p, n);
		if (bad >= 0) {
			report(
			    r,
			    "%s:%u: byte 0x%02x at column %ld: only printable ASCII may stand in a "
			    "directive",
			    shown, lineno, (unsigned char)p[bad], bad + 1);
			errors++;
			p = next;
			continue;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p = next;
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';

		char *tok = line + strspn(line, " \t");
		char *args = tok + strcspn(tok, " \t");
		if (*args)
			*args++ = '\0';
		if (strncasecmp(tok, "include", 7) == 0) {
			/* net-snmp's inclusions would read files this reader never checked */
			report(r,
			       "%s:%u: %s: cvpportd's configuration files may not include others "
			       "(put the directives here, or name the file with -c)",
			       shown, lineno, tok);
			errors++;
			continue;
		}
		if (r->foreign && r->foreign(r->arg, tok))
			continue;
		if (strcmp(tok, "cvpPort") == 0 && defined_twice(&seen, args)) {
			report(r, "%s:%u: a row of this name is already defined in this file",
			       shown, lineno);
			errors++;
			continue;
		}
		catalog_set_origin(&s->cat, shown, lineno);
		int rc = settings_apply(s, tok, args, err, sizeof(err));
		if (rc == 1)
			report(r, "%s:%u: unknown directive '%s'", shown, lineno, tok);
		else if (rc < 0)
			report(r, "%s:%u: %s", shown, lineno, err);
		errors += rc != 0;
	}
	catalog_set_origin(&s->cat, NULL, 0);
	free(seen.v);
	return errors;
}

unsigned settings_load_file(struct cvp_settings *s, const char *path,
                            const struct settings_reader *r)
{
	char shown[TEXT_ESCAPED_SIZE(200)];
	size_t len;

	text_escape(path, strlen(path), shown, sizeof(shown)); /* a path is any bytes too */
	char *text = read_bounded(path, shown, r, &len);
	if (!text)
		return 1;
	unsigned errors = settings_load_text(s, text, len, shown, r);
	free(text);
	return errors;
}
