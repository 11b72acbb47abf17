/* Which catalogue row covers a listener's protocol and port, found without scanning the
 * catalogue for each of a host's thousands of sockets. */
#ifndef COVER_H
#define COVER_H

#include "catalog.h"

/* The catalogue's rows by port, so that finding the row covering a listener does not scan
 * the catalogue: per protocol, the port line cut at every row's bounds into segments, each
 * with the rows covering it whole, in catalogue order. */
#define COVER_SEGS_MAX 256
#define COVER_CAND_MAX 6

struct cover_seg {
	uint32_t low;                  /* first port of the segment */
	uint8_t n;                     /* candidates; more than COVER_CAND_MAX: scan every row */
	uint16_t rows[COVER_CAND_MAX]; /* catalogue positions */
};

struct cover_index {
	struct cover_seg seg[2][COVER_SEGS_MAX]; /* [0] TCP, [1] UDP */
	size_t nseg[2];
	int usable; /* 0: too many bounds; every lookup scans the catalogue */
};

/* Builds the index of cat (to be rebuilt when cat changes). */
void cover_build(const struct cvp_catalog *cat, struct cover_index *ix);
/* The catalogue row (its position + 1) that covers (proto, port): the first applicable one, and
 * then *applicable is 1; else the first covering row, or 0 for none. */
uint32_t cover_row(const struct cvp_catalog *cat, const struct cover_index *ix, uint8_t proto,
                   uint16_t port, int *applicable);

#endif
