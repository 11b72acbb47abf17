/* The identity of each cvpPortIndex: which row name it belongs to. A configured row keeps its
 * index for as long as its name exists, across reloads and restarts (the map is kept in the
 * state directory), and an index whose name went away is never given to another row. */
#ifndef CATALOG_INDEX_H
#define CATALOG_INDEX_H

#include "catalog.h"
#include "file_access.h"

struct catalog_index {
	char (*name)[CVP_NAME_LEN]; /* name[i]: the row of cvpPortIndex i + 1 ("" none) */
	size_t n;
};

/* At most this many bytes in a saved map (65535 lines of an index and a name). */
#define CATALOG_INDEX_FILE_MAX (65535 * (6 + CVP_NAME_LEN))

void catalog_index_free(struct catalog_index *m);
/* The names by position of cat (removed rows included: their indexes stay reserved). Returns 0,
 * or -1 when out of memory. */
int catalog_index_from(struct catalog_index *m, const struct cvp_catalog *cat);

/* Moves every row of cat to the index its name has in m; a name m does not know takes the next
 * index after all of m's; an index of m whose name cat no longer has becomes a removed row
 * (with prev's row of that name, when prev is given, so that its last values can still be
 * told). prev may be NULL. Returns 0, or -1 with a message (out of memory, or past 65535). */
int catalog_index_apply(struct cvp_catalog *cat, const struct catalog_index *m,
                        const struct cvp_catalog *prev, char *err, size_t errlen);

/* Reads a map saved by catalog_index_save: lines "INDEX NAME". A file that does not exist is an
 * empty map (returns 0). Anything else that is not exactly that (not a regular file, too
 * large, a bad line, an index twice) is refused whole: -1 with "PATH:LINE: message". The file
 * is opened through fa (NULL: here). */
int catalog_index_load(struct catalog_index *m, const char *path, const struct file_access *fa,
                       char *err, size_t errlen);
/* Writes the map to PATH atomically (through fa; NULL: catalog_index_write here). Returns 0, or
 * -1 with a message. */
int catalog_index_save(const struct catalog_index *m, const char *path,
                       const struct file_access *fa, char *err, size_t errlen);
/* Opens the saved map for reading: never through a link, never blocking on a FIFO. Returns the
 * descriptor, -2 when there is none, or -1 with a message. */
int catalog_index_open(const char *path, char *err, size_t errlen);
/* Replaces PATH with the LEN bytes of TEXT (at most CATALOG_INDEX_FILE_MAX): a temporary file
 * created exclusively beside it, synced and renamed over it, in a state directory (made 0700
 * when missing) that nobody but root or this user owns or may write. 0, or -1 with a message. */
int catalog_index_write(const char *path, const char *text, size_t len, char *err, size_t errlen);

#endif
