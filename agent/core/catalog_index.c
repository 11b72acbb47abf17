/* cvpPortIndex by row name, kept across reloads and restarts. */
#include "catalog_index.h"
#include "array.h"
#include "fileread.h"
#include "owndir.h"
#include "catalog_parse.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INDEX_MAX 65535

void catalog_index_free(struct catalog_index *m)
{
	free(m->name);
	m->name = NULL;
	m->n = 0;
}

/* Room for indexes 1..n (new ones empty). */
static int grow(struct catalog_index *m, size_t n)
{
	if (n <= m->n)
		return 0;
	char(*v)[CVP_NAME_LEN] = realloc(m->name, n * sizeof(*v));
	if (!v)
		return -1;
	memset(v + m->n, 0, (n - m->n) * sizeof(*v));
	m->name = v;
	m->n = n;
	return 0;
}

int catalog_index_from(struct catalog_index *m, const struct cvp_catalog *cat)
{
	catalog_index_free(m);
	if (grow(m, cat->n) < 0)
		return -1;
	for (size_t i = 0; i < cat->n; i++)
		memcpy(m->name[i], cat->rows[i].name, CVP_NAME_LEN);
	return 0;
}

/* A name and where it stands, sorted by name: lookups in O(log n) for large catalogues. */
struct named {
	const char *name;
	size_t pos;
};

static int named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static size_t lookup(const struct named *v, size_t n, const char *name)
{
	struct named key = {.name = name};
	const struct named *hit = n ? bsearch(&key, v, n, sizeof(*v), named_cmp) : NULL;
	return hit ? hit->pos : SIZE_MAX;
}

/* A removed row standing for an index whose name is gone: prev's row of that name, else the
 * name alone. */
static int placeholder(struct cvp_row *r, const char *name, const struct cvp_catalog *prev,
                       size_t pos)
{
	memset(r, 0, sizeof(*r));
	if (prev && pos < prev->n && strcmp(prev->rows[pos].name, name) == 0) {
		*r = prev->rows[pos];
	} else {
		memcpy(r->name, name, CVP_NAME_LEN);
		r->proto = CVP_TCP;
	}
	r->removed = 1;
	return catalog_row_own_text(r);
}

/* Where a row goes when it goes nowhere: a removed row whose name is in use again. */
#define AT_DROPPED (SIZE_MAX - 1)

/* Where each of cat's rows goes (into *at, cat->n entries): its name's index in m, else the next
 * one after m's (*n counts them all). Returns 0, or -1 when out of memory. */
static int place_rows(const struct cvp_catalog *cat, const struct catalog_index *m, size_t **at,
                      size_t *n)
{
	size_t nmap = 0, nact = 0;
	struct named *map = NULL, *act = NULL;
	int rc = -1;

	/* m's names and cat's active names, sorted. */
	if ((m->n && !(map = malloc(m->n * sizeof(*map)))) ||
	    (cat->n && !(act = malloc(cat->n * sizeof(*act)))) ||
	    (cat->n && !(*at = malloc(cat->n * sizeof(**at)))))
		goto out;
	for (size_t k = 0; k < m->n; k++)
		if (m->name[k][0])
			map[nmap++] = (struct named){m->name[k], k};
	for (size_t i = 0; i < cat->n; i++)
		if (!cat->rows[i].removed)
			act[nact++] = (struct named){cat->rows[i].name, i};
	if (nmap > 1)
		qsort(map, nmap, sizeof(*map), named_cmp);
	if (nact > 1)
		qsort(act, nact, sizeof(*act), named_cmp);
	/* A removed row whose name is in use again (cvpPortRemove, then cvpPort of that name)
	 * gives way to it. */
	*n = m->n;
	for (size_t i = 0; i < cat->n; i++) {
		const struct cvp_row *r = &cat->rows[i];
		(*at)[i] = lookup(map, nmap, r->name);
		if (r->removed && lookup(act, nact, r->name) != SIZE_MAX)
			(*at)[i] = AT_DROPPED;
		else if ((*at)[i] == SIZE_MAX)
			(*at)[i] = (*n)++;
	}
	rc = 0;
out:
	free(map);
	free(act);
	return rc;
}

/* The n rows in their places: cat's, and placeholders for the indexes no row takes. Returns
 * them, or NULL when out of memory. */
static struct cvp_row *placed_rows(const struct cvp_catalog *cat, const struct catalog_index *m,
                                   const struct cvp_catalog *prev, const size_t *at, size_t n)
{
	struct cvp_row *v = calloc(n ? n : 1, sizeof(*v));
	uint8_t *used = calloc(n ? n : 1, 1);
	if (!v || !used)
		goto nomem;
	for (size_t i = 0; i < cat->n; i++) {
		if (at[i] == AT_DROPPED)
			continue;
		v[at[i]] = cat->rows[i];
		used[at[i]] = 1;
	}
	for (size_t k = 0; k < n; k++)
		if (!used[k] && placeholder(&v[k], m->name[k], prev, k) < 0) {
			for (size_t j = 0; j <= k; j++)
				if (!used[j])
					catalog_row_free_text(&v[j]);
			goto nomem;
		}
	free(used);
	return v;
nomem:
	free(v);
	free(used);
	return NULL;
}

int catalog_index_apply(struct cvp_catalog *cat, const struct catalog_index *m,
                        const struct cvp_catalog *prev, char *err, size_t errlen)
{
	size_t n = 0, *at = NULL;
	struct cvp_row *v = NULL;

	if (place_rows(cat, m, &at, &n) < 0) {
		free(at);
		return text_fail(err, errlen, "out of memory");
	}
	if (n > INDEX_MAX) {
		free(at);
		return text_fail(err, errlen, "more than %d catalogue indexes", INDEX_MAX);
	}
	if (n && !(v = placed_rows(cat, m, prev, at, n))) {
		free(at);
		return text_fail(err, errlen, "out of memory");
	}
	/* The rows moved into v; what was dropped is freed with the old array. */
	for (size_t i = 0; i < cat->n; i++)
		if (at[i] == AT_DROPPED)
			catalog_row_free_text(&cat->rows[i]);
	free(cat->rows);
	cat->rows = v;
	cat->n = cat->cap = n;
	free(at);
	return 0;
}

/* A name given to two indexes (sorted, so that a large map costs n log n). */
static int duplicate_name(const struct catalog_index *m, const char *path, char *err, size_t errlen)
{
	struct named *v = m->n ? malloc(m->n * sizeof(*v)) : NULL;
	size_t k = 0;
	if (m->n && !v)
		return text_fail(err, errlen, "%s: out of memory", path);
	for (size_t i = 0; i < m->n; i++)
		if (m->name[i][0])
			v[k++] = (struct named){m->name[i], i};
	if (k > 1)
		qsort(v, k, sizeof(*v), named_cmp);
	for (size_t i = 1; i < k; i++)
		if (strcmp(v[i - 1].name, v[i].name) == 0) {
			text_fail(err, errlen, "%s: name '%s' given to indexes %zu and %zu", path,
			          v[i].name, v[i - 1].pos + 1, v[i].pos + 1);
			free(v);
			return -1;
		}
	free(v);
	return 0;
}

/* The file at fd, whole, as a string (bounded, a regular file). NULL with err set. */
static char *read_index_file(int fd, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = fileread_all(fd, CATALOG_INDEX_FILE_MAX, &len);
	if (!text && errno == EINVAL)
		text_fail(err, errlen, "%s: not a regular file", path);
	else if (!text && errno == EFBIG)
		text_fail(err, errlen, "%s: larger than %d bytes", path, CATALOG_INDEX_FILE_MAX);
	else if (!text)
		text_fail(err, errlen, "%s: %s", path, strerror(errno));
	return text;
}

/* Each "INDEX NAME" line of text into m. Returns 0, or -1 with err set. */
static int parse_index_lines(struct catalog_index *m, char *text, const char *path, char *err,
                             size_t errlen)
{
	unsigned lineno = 0;
	for (char *p = text, *nl; *p; p = nl + 1) {
		unsigned long idx;
		char name[CVP_NAME_LEN + 1], extra;
		lineno++;
		if (!(nl = strchr(p, '\n')))
			return text_fail(err, errlen, "%s:%u: no end of line", path, lineno);
		*nl = '\0';
		if (sscanf(p, "%lu %32s %c", &idx, name, &extra) != 2 || idx < 1 ||
		    idx > INDEX_MAX || strspn(p, "0123456789") == 0 ||
		    !catalog_parse_name_valid(name))
			return text_fail(err, errlen, "%s:%u: not 'INDEX NAME'", path, lineno);
		if (grow(m, idx) < 0)
			return text_fail(err, errlen, "%s: out of memory", path);
		if (m->name[idx - 1][0])
			return text_fail(err, errlen, "%s:%u: index %lu given twice", path, lineno,
			                 idx);
		memcpy(m->name[idx - 1], name, strlen(name) + 1);
	}
	return duplicate_name(m, path, err, errlen);
}

int catalog_index_open(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -2
		                       : text_fail(err, errlen, "%s: %s", path, strerror(errno));
	return fd;
}

int catalog_index_load(struct catalog_index *m, const char *path, const struct file_access *fa,
                       char *err, size_t errlen)
{
	catalog_index_free(m);
	int fd =
	    fa ? fa->open_state(fa->ctx, path, err, errlen) : catalog_index_open(path, err, errlen);
	if (fd < 0)
		return fd == -2 ? 0 : -1;
	char *text = read_index_file(fd, path, err, errlen);
	int rc = text ? parse_index_lines(m, text, path, err, errlen) : -1;
	if (rc < 0)
		catalog_index_free(m);
	free(text);
	close(fd);
	return rc;
}

/* The state directory of path (made on first use, 0700): refused when others could plant what
 * cvpportd reads back or replaces there. */
static int state_dir_ok(const char *path, char *err, size_t errlen)
{
	char dir[4096];
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return text_fail(err, errlen, "%s: path too long", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return text_fail(err, errlen, "%s: not an absolute path", path);
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return owndir_check(dir, 0700, "state directory", err, errlen);
}

int catalog_index_write(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	char tmp[4096];
	if (len > CATALOG_INDEX_FILE_MAX)
		return text_fail(err, errlen, "%s: larger than %d bytes", path,
		                 CATALOG_INDEX_FILE_MAX);
	if (state_dir_ok(path, err, errlen) < 0)
		return -1;
	/* A temporary file of its own, created exclusively: whatever stands at any other name
	 * (a FIFO, a link) is neither opened nor followed. */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return text_fail(err, errlen, "%s: path too long", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return text_fail(err, errlen, "%s: %s", tmp, strerror(errno));
	int bad = 0;
	for (size_t done = 0; done < len && !bad;) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		bad = n <= 0;
		done += n > 0 ? (size_t)n : 0;
	}
	bad = bad || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return text_fail(err, errlen, "%s: %s", path, strerror(e));
	}
	return 0;
}

/* The map as the file holds it: "INDEX NAME" lines, NUL-terminated. NULL when out of memory. */
static char *index_text(const struct catalog_index *m, size_t *len)
{
	size_t cap = 0;
	char *out = NULL;
	*len = 0;
	if (array_reserve((void **)&out, &cap, 1, 1) < 0)
		return NULL;
	for (size_t i = 0; i < m->n; i++) {
		if (!m->name[i][0])
			continue;
		if (array_reserve((void **)&out, &cap, *len + 32 + CVP_NAME_LEN, 1) < 0) {
			free(out);
			return NULL;
		}
		*len += (size_t)snprintf(out + *len, cap - *len, "%zu %s\n", i + 1, m->name[i]);
	}
	out[*len] = '\0';
	return out;
}

int catalog_index_save(const struct catalog_index *m, const char *path,
                       const struct file_access *fa, char *err, size_t errlen)
{
	size_t len;
	char *text = index_text(m, &len);
	if (!text)
		return text_fail(err, errlen, "%s: out of memory", path);
	int rc = fa ? fa->write_state(fa->ctx, path, text, len, err, errlen)
	            : catalog_index_write(path, text, len, err, errlen);
	free(text);
	return rc;
}
