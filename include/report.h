/* The human-readable report of `cvpportd --check`, and its monitoring-plugin exit code. */
#ifndef CVP_REPORT_H
#define CVP_REPORT_H

#include <stdio.h>

#include "snapshot.h"

enum { CVP_EXIT_OK = 0, CVP_EXIT_WARNING = 1, CVP_EXIT_CRITICAL = 2, CVP_EXIT_UNKNOWN = 3 };

/* Prints the catalogue rows, unexpected listeners and a summary line. Returns the exit code:
 * 0 compliant, 1 compliant but with unexpected listeners, 2 any row missing, exposed or
 * forbidden, 3 the scan failed. Ephemeral-range overlaps are printed as a warning only: they are
 * a property of the host's configuration, not of what listens. */
/* The meaning and usual remedy of a finding ("missing", "exposed", "forbidden", "wrongOwner",
 * "unexpected"), or NULL. */
const char *report_remedy(const char *verdict);
int report_print(FILE *out, const struct cvp_snapshot *s);

/* The same as one JSON object (status, summary, "ports" and "listeners" arrays), for tools.
 * Returns the same exit code. */
int report_print_json(FILE *out, const struct cvp_snapshot *s);

/* The exit code alone. */
int report_exit_code(const struct cvp_snapshot *s);

#endif
