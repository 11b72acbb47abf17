/* The identity of each cvpPortIndex: which row name it belongs to. A configured row keeps its
 * index for as long as its name exists, across reloads and restarts (the map is kept in the
 * state directory), and an index whose name went away is never given to another row. */
#ifndef CATALOG_INDEX_H
#define CATALOG_INDEX_H

#include "catalog.h"

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
 * large, a bad line, an index twice) is refused whole: -1 with "PATH:LINE: message". */
int catalog_index_load(struct catalog_index *m, const char *path, char *err, size_t errlen);
/* Writes the map to PATH atomically (a temporary file renamed over it). Returns 0, or -1 with a
 * message. */
int catalog_index_save(const struct catalog_index *m, const char *path, char *err, size_t errlen);

#endif
