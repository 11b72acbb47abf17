/* Port sets as the catalogue writes them: N, N-M or N-M/STRIDE. */
#ifndef PORTSET_H
#define PORTSET_H

#include <stddef.h>
#include <stdint.h>

/* A set of ports: low..high stepping by stride (stride 1 for a plain range). */
struct cvp_port_set {
	uint16_t low, high, stride;
};

/* Number of ports in the set. */
unsigned portset_size(const struct cvp_port_set *ps);
/* Whether port belongs to the set. */
int portset_contains(const struct cvp_port_set *ps, unsigned port);
/* Whether the two sets share at least one port. */
int portset_overlaps_range(const struct cvp_port_set *ps, unsigned low, unsigned high);
/* "N", "N-M" or "N-M/STRIDE"; ports 1..65535, low <= high, stride >= 1. */
int portset_parse(const char *s, struct cvp_port_set *out);
/* "LOW-HIGH" (1 to 65535, low <= high) at the start of s (blanks before it skipped), ended by the
 * end of s or a blank: 1 with the range and *used (the characters read), else 0. */
int portset_parse_range(const char *s, uint16_t *low, uint16_t *high, int *used);
/* Formats a port set as the parser reads it. */
void portset_format(const struct cvp_port_set *ps, char *buf, size_t len);

#endif
