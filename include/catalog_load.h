/* Loading a catalogue from text: the embedded default, a file, a test's text. */
#ifndef CATALOG_LOAD_H
#define CATALOG_LOAD_H

#include <stddef.h>

struct cvp_catalog;

/* Reads a whole text of catalogue directives with the strict reader (config_reader.h). On error
 * returns -1 with the first "ORIGIN:LINE: message" in err. */
int catalog_load_text(struct cvp_catalog *cat, const char *text, const char *origin, char *err,
                      size_t errlen);
/* The same for a file (the strict reader's checks of a file included). */
int catalog_load_file(struct cvp_catalog *cat, const char *path, char *err, size_t errlen);
/* Resets cat to the embedded default with the default roles. */
int catalog_load_default(struct cvp_catalog *cat, char *err, size_t errlen)
    __attribute__((warn_unused_result));

#endif
