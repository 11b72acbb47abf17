/* Everything a cvpportd configuration defines (the catalogue, the refresh, the scanner, the
 * notifications) and one parser for every directive; files are read by the strict reader
 * (config_reader.h). */
#ifndef CONFIG_MODEL_H
#define CONFIG_MODEL_H

#include <stdio.h>

#include "catalog.h"
#include "config_reader.h"
#include "notify.h"
#include "refcount.h"
#include "host_config.h"

#define SETTINGS_REFRESH_DEFAULT 5

/* Once in force, a settings object is immutable and shared: the configuration, the build in
 * progress and every snapshot built of it hold a reference (ref), and the last to let go frees
 * it. A reload makes a new one; replacing the configuration is one swap. */
struct cvp_settings {
	struct refcount ref; /* config_model_new's; unused by config_model_init's */
	struct cvp_catalog cat;
	unsigned refresh_seconds;
	int scan_mode; /* enum cvp_scan_mode */
	struct notify_config notify;
	struct host_config hosts; /* cvpHost */
};

/* The defaults: the embedded catalogue and every default value. Returns 0, or -1. */
int config_model_init(struct cvp_settings *s, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void config_model_free(struct cvp_settings *s);
/* The defaults in a reference-counted object (one reference, the caller's), or NULL with the
 * reason in err. */
struct cvp_settings *config_model_new(char *err, size_t errlen) __attribute__((warn_unused_result));
/* Another reference to s. */
struct cvp_settings *config_model_get(struct cvp_settings *s);
/* Drops a reference to a config_model_new object (NULL: nothing); the last frees it. */
void config_model_put(struct cvp_settings *s);

/* Applies one directive. Returns 0, -1 with a message in err, or 1 when the token is not one
 * of cvpportd's. */
int config_model_apply(struct cvp_settings *s, const char *token, const char *args, char *err,
                       size_t errlen);
/* Whether TOKEN is one of cvpportd's directives. */
int config_model_directive_known(const char *token);
/* The i-th directive config_model_apply understands and its usage, or NULL past the last. */
const char *config_model_directive(size_t i, const char **usage);

/* What a reload changes: rows only in b, only in a, in both but different. A row is the same
 * row when it has the same name at the same index (catalog_index keeps them so). */
void config_model_diff(const struct cvp_settings *a, const struct cvp_settings *b, unsigned *added,
                       unsigned *removed, unsigned *changed);
/* What else a reload changes, for the log: "; roles now ...; cvpRefresh 5 -> 2; ..." (empty
 * when nothing but rows changed). */
void config_model_describe_changes(const struct cvp_settings *a, const struct cvp_settings *b,
                                   char *buf, size_t len);

/* The effective configuration, for --check-config: every row with its index, ports, match,
 * requirement, direction, role and where it was last changed, then the other settings. */
void config_model_print(FILE *out, const struct cvp_settings *s);

/* Reads PATH into s with the strict reader (config_reader.h); its apply and target are s's.
 * Unknown directives are errors. Returns the number of errors (0: all applied). */
unsigned config_model_load_file(struct cvp_settings *s, const char *path,
                                const struct config_reader *r);
/* The same for the LEN bytes of TEXT (NUL-terminated), named ORIGIN in messages. */
unsigned config_model_load_text(struct cvp_settings *s, const char *text, size_t len,
                                const char *origin, const struct config_reader *r);

#endif
