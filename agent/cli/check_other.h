/* What the checks of another host share (`--check --host`, `--check --from`): the configuration
 * read as --check reads it, an ephemeral range given as LOW-HIGH, the verdict printed. */
#ifndef CHECK_OTHER_H
#define CHECK_OTHER_H

#include <stdint.h>

#include "config_model.h"
#include "host_state.h"

/* Prints "CVP-PORT UNKNOWN - what: why" and returns the plugin's UNKNOWN exit code. */
int check_other_unknown(const char *what, const char *why);
/* The configuration into s (as the daemon would read it; its callbacks do not run). Returns 0,
 * or -1 with why (s is then freed). */
int check_other_settings(struct cvp_settings *s, char *why, size_t whylen);
/* "LOW-HIGH" (1 to 65535, low <= high) into range. Returns 0, or -1 with why. */
int check_other_range(const char *text, const char *option, uint16_t range[2], char *why,
                      size_t whylen);
/* a judged with cat and printed as --check prints (JSON with json), the host named name.
 * Returns the plugin's exit code. */
int check_other_print(const char *name, const struct cvp_catalog *cat, const struct host_answer *a,
                      int json);

#endif
