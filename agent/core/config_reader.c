/* The strict reading of configuration text and files. */
#include "config_reader.h"
#include "array.h"
#include "fileread.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((format(printf, 2, 3))) static void report(const struct config_reader *r,
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

/* Whether a directory above path (absolute; cut in place) may be written by others, or cannot be
 * looked at: 1 with path cut to that directory, else 0. */
static int open_dir_above(char *path)
{
	struct stat ds;
	for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
		if (slash == path)
			slash[1] = '\0'; /* the root directory itself */
		else
			*slash = '\0';
		if (stat(path, &ds) < 0 || writable_by_others(&ds, 1))
			return 1;
		if (slash == path)
			break;
	}
	return 0;
}

/* StrictModes, as sshd has it: the file and every directory above it (the real path). */
static int check_owner_and_mode(const char *path, const char *shown, const struct stat *st,
                                char *err, size_t errlen)
{
	char real[PATH_MAX];
	if (writable_by_others(st, 0))
		return text_fail(
		    err, errlen,
		    "%s: owned by uid %u with mode %04o: writable by others than root and "
		    "the user cvpportd runs as, so refused (chown root, chmod go-w)",
		    shown, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
	if (!realpath(path, real))
		return text_fail(err, errlen, "%s: %s", shown, strerror(errno));
	if (open_dir_above(real)) {
		char dshown[TEXT_ESCAPED_SIZE(200)];
		text_escape(real, strlen(real), dshown, sizeof(dshown));
		return text_fail(err, errlen,
		                 "%s: directory %s is writable by others than root and the user "
		                 "cvpportd runs as, so the file is refused (chmod go-w)",
		                 shown, dshown);
	}
	return 0;
}

/* A path that is a symbolic link is read only when the link is root's (or this user's) and no
 * directory above the link may be written by others: else anyone who can write there (a sticky
 * /tmp, say) could point cvpportd at a file of root's and have its lines judged, and logged. */
static int check_link(const char *path, const char *shown, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	struct stat ls;
	if (lstat(path, &ls) < 0 || !S_ISLNK(ls.st_mode))
		return 0; /* not a link (open reports what else is wrong) */
	if (ls.st_uid != 0 && ls.st_uid != geteuid())
		return text_fail(
		    err, errlen,
		    "%s: a symbolic link owned by uid %u: refused (only root's links are followed)",
		    shown, (unsigned)ls.st_uid);
	if (path[0] == '/')
		snprintf(dir, sizeof(dir), "%s", path);
	else if (!getcwd(dir, sizeof(dir)) || strlen(dir) + strlen(path) + 2 > sizeof(dir))
		return text_fail(err, errlen, "%s: cannot resolve its directory", shown);
	else
		strcat(strcat(dir, "/"), path);
	if (open_dir_above(dir)) {
		char dshown[TEXT_ESCAPED_SIZE(200)];
		text_escape(dir, strlen(dir), dshown, sizeof(dshown));
		return text_fail(err, errlen,
		                 "%s: a symbolic link in directory %s, which others than root may "
		                 "write: refused",
		                 shown, dshown);
	}
	return 0;
}

int config_reader_open(const char *path, struct stat *st, int *missing, char *err, size_t errlen)
{
	char shown[TEXT_ESCAPED_SIZE(200)];
	text_escape(path, strlen(path), shown, sizeof(shown)); /* a path is any bytes too */
	*missing = 0;
	if (check_link(path, shown, err, errlen) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		*missing = errno == ENOENT;
		return text_fail(err, errlen, "%s: cannot open: %s", shown, strerror(errno));
	}
	if (fstat(fd, st) < 0) {
		text_fail(err, errlen, "%s: %s", shown, strerror(errno));
	} else if (!S_ISREG(st->st_mode)) {
		text_fail(err, errlen,
		          "%s: not a regular file (a directory, FIFO, device or socket)", shown);
	} else if (check_owner_and_mode(path, shown, st, err, errlen) == 0) {
		if (st->st_size <= CONF_FILE_MAX)
			return fd;
		text_fail(err, errlen, "%s: larger than %d bytes", shown, CONF_FILE_MAX);
	}
	close(fd);
	return -1;
}

/* The file's bytes, NUL-terminated, or NULL after reporting why not (*missing: it does not
 * exist). Never blocks on a FIFO or a device: only a regular file is read, and no more than
 * CONF_FILE_MAX bytes (a file that grows while it is read is refused). */
static char *read_bounded(const char *path, const char *shown, const struct config_reader *r,
                          size_t *len, struct stat *st, int *missing)
{
	char err[1024];
	const struct file_access *fa = r->files;
	int fd = fa ? fa->open_config(fa->ctx, path, st, missing, err, sizeof(err))
	            : config_reader_open(path, st, missing, err, sizeof(err));
	if (fd < 0) {
		if (!*missing || !r->skip_missing)
			report(r, "%s", err);
		return NULL;
	}
	char *text = fileread_all(fd, CONF_FILE_MAX, len);
	int e = errno;
	close(fd);
	if (!text && e == ESTALE)
		report(r, "%s: changed while it was read", shown);
	else if (!text)
		report(r, "%s: cannot read: %s", shown, strerror(e));
	return text;
}

static long bad_byte(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t' && !(c == '\r' && i + 1 == len)) || c > 0x7e)
			return (long)i;
	}
	return -1;
}

/* A row name as the duplicate check compares it (a catalogue name is shorter). */
#define NAME_MAX_ 32

struct names {
	char (*v)[NAME_MAX_];
	size_t n, cap;
};

/* Whether NAME was defined by a cvpPort line earlier in the same file; records it. */
static int defined_twice(struct names *seen, const char *args)
{
	char name[NAME_MAX_] = "";
	if (sscanf(args, "%31s", name) != 1)
		return 0;
	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], name) == 0)
			return 1;
	if (array_reserve((void **)&seen->v, &seen->cap, seen->n + 1, sizeof(*seen->v)) < 0)
		return 0;
	memcpy(seen->v[seen->n++], name, NAME_MAX_);
	return 0;
}

/* Whether others than root and this process's user and group can read a file. */
static int readable_by_others(const struct stat *st)
{
	return (st->st_mode & S_IROTH) ||
	       ((st->st_mode & S_IRGRP) && st->st_gid != 0 && st->st_gid != getegid());
}

/* Whether a raw line (n bytes at p) is refused before it is read: too long, or a byte that may
 * not stand in a directive. Reports why. */
static int line_refused(const struct config_reader *r, const char *p, size_t n, const char *shown,
                        unsigned lineno)
{
	if (n > CONF_LINE_MAX) {
		report(r, "%s:%u: line longer than %d bytes", shown, lineno, CONF_LINE_MAX);
		return 1;
	}
	long bad = bad_byte(p, n);
	if (bad >= 0) {
		report(r,
		       "%s:%u: byte 0x%02x at column %ld: only printable ASCII may stand in a "
		       "directive",
		       shown, lineno, (unsigned char)p[bad], bad + 1);
		return 1;
	}
	return 0;
}

/* Whether a word could be a directive's name: a message may quote it. */
static int directive_name(const char *tok)
{
	size_t n = strlen(tok);
	if (!n || n > 40 || !((*tok >= 'A' && *tok <= 'Z') || (*tok >= 'a' && *tok <= 'z')))
		return 0;
	return strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* One directive (line, modifiable) checked and applied: 1 when it is an error (reported). */
static unsigned read_directive(const struct config_reader *r, char *line, const char *shown,
                               unsigned lineno, struct names *seen, const struct stat *st)
{
	char err[512];
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
		return 1;
	}
	if (r->foreign && r->foreign(r->arg, tok))
		return 0;
	if (strcmp(tok, "cvpPort") == 0 && defined_twice(seen, args)) {
		report(r, "%s:%u: a row of this name is already defined in this file", shown,
		       lineno);
		return 1;
	}
	if (st && r->secret && readable_by_others(st) && r->secret(tok, args)) {
		/* as sshd's StrictModes for a private key */
		report(r,
		       "%s:%u: %s holds an SNMP secret, and the file can be read by others "
		       "(mode %04o, group %u): chmod o-r,g-r, or give it root's group",
		       shown, lineno, tok, (unsigned)(st->st_mode & 07777), (unsigned)st->st_gid);
		return 1;
	}
	int rc = r->apply(r->target, shown, lineno, tok, args, err, sizeof(err));
	if (rc == 1 && directive_name(tok))
		report(r, "%s:%u: unknown directive '%s'", shown, lineno, tok);
	else if (rc == 1) /* the line is no directive: its words are not repeated (a secret?) */
		report(r, "%s:%u: not a directive", shown, lineno);
	else if (rc < 0)
		report(r, "%s:%u: %s", shown, lineno, err);
	return rc != 0;
}

/* The lines of text; st: the file's (NULL for a text of no file: nobody else reads it). */
static unsigned read_lines(const struct config_reader *r, const char *text, size_t len,
                           const char *shown, const struct stat *st)
{
	char line[CONF_LINE_MAX + 1];
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
		int skip = start >= p + n || *start == '#'; /* blank, comment */
		if (!skip && *start == '[') {
			/* net-snmp would apply "[app] directive" to that application, unchecked */
			report(
			    r,
			    "%s:%u: a [section] prefix: cvpportd's files hold its own directives "
			    "only, without one",
			    shown, lineno);
			errors++;
			skip = 1;
		}
		if (!skip && line_refused(r, p, n, shown, lineno)) {
			errors++;
			skip = 1;
		}
		if (!skip) {
			memcpy(line, p, n);
			line[n] = '\0';
			if (n && line[n - 1] == '\r')
				line[n - 1] = '\0';
			errors += read_directive(r, line, shown, lineno, &seen, st);
		}
		p = next;
	}
	free(seen.v);
	return errors;
}

unsigned config_reader_text(const struct config_reader *r, const char *text, size_t len,
                            const char *shown)
{
	return read_lines(r, text, len, shown, NULL);
}

unsigned config_reader_file(const struct config_reader *r, const char *path)
{
	char shown[TEXT_ESCAPED_SIZE(200)];
	size_t len;
	struct stat st;

	int missing = 0;
	text_escape(path, strlen(path), shown, sizeof(shown)); /* a path is any bytes too */
	char *text = read_bounded(path, shown, r, &len, &st, &missing);
	if (!text)
		return missing && r->skip_missing ? 0 : 1;
	unsigned errors = read_lines(r, text, len, shown, &st);
	free(text);
	return errors;
}
