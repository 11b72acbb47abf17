/* snmpd's configuration, read only for its notification destinations (snmpd_conf.h). */
#include "snmpd_conf.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 8               /* nested includes */
#define MAX_FILE_BYTES (4u << 20) /* a configuration file larger than this is refused */
#define MAX_DIR_ENTRIES 1024

struct reader {
	const char *confpath;
	struct snmpd_conf_sinks *out;
	char *err;
	size_t errlen;
};

static int read_file(struct reader *r, const char *path, int depth, int must_exist);

/* includeFile resolves a relative name against the including file's directory. */
static void resolve(char *dst, size_t n, const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	if (name[0] == '/' || !slash)
		snprintf(dst, n, "%s", name);
	else
		snprintf(dst, n, "%.*s/%s", (int)(slash - from), from, name);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* includeDir: every *.conf in the directory, in name order. */
static int read_dir(struct reader *r, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0
		                       : text_fail(r->err, r->errlen, "cannot read %s: %s", dir,
		                                   strerror(errno));
	char *names[MAX_DIR_ENTRIES] = {NULL};
	size_t n = 0;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) && n < MAX_DIR_ENTRIES) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".conf") == 0 && e->d_name[0] != '.')
			if (!(names[n++] = strdup(e->d_name))) {
				n--;
				rc = text_fail(r->err, r->errlen, "%s: out of memory", dir);
				break;
			}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		if (rc == 0 &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path))
			rc = text_fail(r->err, r->errlen, "%s: a name too long", dir);
		if (rc == 0)
			rc = read_file(r, path, depth + 1, 0);
		free(names[i]);
	}
	return rc;
}

/* includeSearch: the first directory of the path that has the file. */
static int read_search(struct reader *r, const char *name, int depth)
{
	const char *p = r->confpath;
	while (*p) {
		size_t len = strcspn(p, ":");
		char path[4096];
		snprintf(path, sizeof(path), "%.*s/%s", (int)len, p, name);
		if (access(path, F_OK) == 0)
			return read_file(r, path, depth + 1, 1);
		p += len + (p[len] == ':');
	}
	return 0;
}

static int read_line(struct reader *r, const char *path, unsigned lineno, char *line, int depth)
{
	char *save, *tok = strtok_r(line, " \t\r\n", &save);
	if (!tok || tok[0] == '#')
		return 0;
	if (tok[0] == '[') { /* "[snmpd] token ...": a line for another application is not ours */
		if (strcasecmp(tok, "[snmpd]") != 0 || !(tok = strtok_r(NULL, " \t\r\n", &save)))
			return 0;
	}
	char *arg = strtok_r(NULL, " \t\r\n", &save);
	static const char *const sinks[] = {"trapsink", "trap2sink", "informsink", "trapsess"};
	for (size_t i = 0; i < sizeof(sinks) / sizeof(*sinks); i++)
		if (strcasecmp(tok, sinks[i]) == 0 && arg) {
			if (r->out->count++ == 0)
				snprintf(r->out->first, sizeof(r->out->first), "%s:%u %s", path,
				         lineno, sinks[i]);
			return 0;
		}
	if (!arg)
		return 0;
	if (depth >= MAX_DEPTH)
		return text_fail(r->err, r->errlen, "%s:%u: includes nested deeper than %d", path,
		                 lineno, MAX_DEPTH);
	char target[4096];
	if (strcasecmp(tok, "includeFile") == 0) {
		resolve(target, sizeof(target), path, arg);
		return read_file(r, target, depth + 1, 1);
	}
	if (strcasecmp(tok, "includeDir") == 0) {
		resolve(target, sizeof(target), path, arg);
		return read_dir(r, target, depth);
	}
	if (strcasecmp(tok, "includeSearch") == 0)
		return read_search(r, arg, depth);
	return 0;
}

static int read_file(struct reader *r, const char *path, int depth, int must_exist)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return text_fail(r->err, r->errlen, "cannot read %s: %s", path, strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_FILE_BYTES) {
		close(fd);
		return text_fail(r->err, r->errlen, "%s: not a regular file of at most %u bytes",
		                 path, MAX_FILE_BYTES);
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return text_fail(r->err, r->errlen, "%s: %s", path, strerror(errno));
	}
	r->out->files++;
	char line[4096];
	unsigned lineno = 0;
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		int whole = strchr(line, '\n') != NULL;
		rc = read_line(r, path, lineno, line, depth);
		/* the rest of an over-long line is not a line of its own */
		while (!whole && fgets(line, sizeof(line), f))
			whole = strchr(line, '\n') != NULL;
	}
	fclose(f);
	return rc;
}

int snmpd_conf_find_sinks(const char *confpath, struct snmpd_conf_sinks *out, char *err,
                          size_t errlen)
{
	struct reader r = {confpath, out, err, errlen};
	memset(out, 0, sizeof(*out));
	const char *p = confpath;
	while (*p) {
		size_t len = strcspn(p, ":");
		static const char *const names[] = {"snmpd.conf", "snmpd.local.conf"};
		for (size_t i = 0; len && i < 2; i++) {
			char path[4096];
			snprintf(path, sizeof(path), "%.*s/%s", (int)len, p, names[i]);
			if (read_file(&r, path, 0, 0) < 0)
				return -1;
		}
		p += len + (p[len] == ':');
	}
	return 0;
}
