/* Everything a cvpportd configuration defines (the catalogue, the refresh, the scanner, the
 * notifications) and one parser for every directive; files are read by the strict reader
 * (conf_reader.h). */
#ifndef SETTINGS_H
#define SETTINGS_H

#include <stdio.h>

#include "catalog.h"
#include "conf_reader.h"
#include "notify.h"
#include "refcount.h"
#include "remote_host.h"

#define SETTINGS_REFRESH_DEFAULT 5

/* Once in force, a settings object is immutable and shared: the configuration, the build in
 * progress and every snapshot built of it hold a reference (ref), and the last to let go frees
 * it. A reload makes a new one; replacing the configuration is one swap. */
struct cvp_settings {
	struct refcount ref; /* settings_new's; unused by settings_init's */
	struct cvp_catalog cat;
	unsigned refresh_seconds;
	int scan_mode; /* enum cvp_scan_mode */
	struct notify_config notify;
	struct remote_hosts hosts; /* cvpHost */
};

/* The defaults: the embedded catalogue and every default value. Returns 0, or -1. */
int settings_init(struct cvp_settings *s, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void settings_free(struct cvp_settings *s);
/* The defaults in a reference-counted object (one reference, the caller's), or NULL with the
 * reason in err. */
struct cvp_settings *settings_new(char *err, size_t errlen) __attribute__((warn_unused_result));
/* Another reference to s. */
struct cvp_settings *settings_get(struct cvp_settings *s);
/* Drops a reference to a settings_new object (NULL: nothing); the last frees it. */
void settings_put(struct cvp_settings *s);

/* Applies one directive. Returns 0, -1 with a message in err, or 1 when the token is not one
 * of cvpportd's. */
int settings_apply(struct cvp_settings *s, const char *token, const char *args, char *err,
                   size_t errlen);
/* Whether TOKEN is one of cvpportd's directives. */
int settings_directive_known(const char *token);
/* The i-th directive settings_apply understands and its usage, or NULL past the last. */
const char *settings_directive(size_t i, const char **usage);

/* What a reload changes: rows only in b, only in a, in both but different. A row is the same
 * row when it has the same name at the same index (catalog_index keeps them so). */
void settings_diff(const struct cvp_settings *a, const struct cvp_settings *b, unsigned *added,
                   unsigned *removed, unsigned *changed);
/* What else a reload changes, for the log: "; roles now ...; cvpRefresh 5 -> 2; ..." (empty
 * when nothing but rows changed). */
void settings_describe_changes(const struct cvp_settings *a, const struct cvp_settings *b,
                               char *buf, size_t len);

/* The effective configuration, for --check-config: every row with its index, ports, match,
 * requirement, direction, role and where it was last changed, then the other settings. */
void settings_print(FILE *out, const struct cvp_settings *s);

/* Reads PATH into s with the strict reader (conf_reader.h); its apply and target are s's.
 * Unknown directives are errors. Returns the number of errors (0: all applied). */
unsigned settings_load_file(struct cvp_settings *s, const char *path, const struct conf_reader *r);
/* The same for the LEN bytes of TEXT (NUL-terminated), named ORIGIN in messages. */
unsigned settings_load_text(struct cvp_settings *s, const char *text, size_t len,
                            const char *origin, const struct conf_reader *r);

#endif
