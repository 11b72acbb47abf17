/* The catalogue's rows by port: the index that finds the row covering a listener. */
#include "cover.h"

#include <stdlib.h>

/* Whether row i covers (proto, port); the first applicable covering row wins, else the first
 * covering row (*any). Returns 1 when row i decides. */
static int cover_try(const struct cvp_catalog *cat, size_t i, uint8_t proto, uint16_t port,
                     uint32_t *any)
{
	const struct cvp_row *row = &cat->rows[i];
	if (row->removed || row->proto != proto || !portset_contains(&row->ports, port))
		return 0;
	if ((cat->roles & (1u << row->role)) && row->requirement != CVP_REQ_FORBIDDEN)
		return 1;
	if (!*any)
		*any = (uint32_t)(i + 1);
	return 0;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void cover_build(const struct cvp_catalog *cat, struct cover_index *ix)
{
	uint32_t b[2 * COVER_SEGS_MAX];
	ix->usable = 1;
	for (int p = 0; p < 2; p++) {
		uint8_t proto = p ? CVP_UDP : CVP_TCP;
		size_t nb = 0;
		b[nb++] = 0;
		for (size_t i = 0; i < cat->n; i++) {
			const struct cvp_row *row = &cat->rows[i];
			if (row->removed || row->proto != proto)
				continue;
			if (nb + 2 > 2 * COVER_SEGS_MAX) {
				ix->usable = 0;
				return;
			}
			b[nb++] = row->ports.low;
			b[nb++] = (uint32_t)row->ports.high + 1;
		}
		qsort(b, nb, sizeof(*b), u32_cmp);
		size_t ns = 0;
		for (size_t k = 0; k < nb; k++) {
			if ((ns && ix->seg[p][ns - 1].low == b[k]) || b[k] > 65535)
				continue;
			if (ns == COVER_SEGS_MAX) {
				ix->usable = 0;
				return;
			}
			ix->seg[p][ns].low = b[k];
			ix->seg[p][ns].n = 0;
			ns++;
		}
		ix->nseg[p] = ns;
		for (size_t k = 0; k < ns; k++) {
			struct cover_seg *sg = &ix->seg[p][k];
			uint32_t high = k + 1 < ns ? ix->seg[p][k + 1].low - 1 : 65535;
			for (size_t i = 0; i < cat->n && sg->n <= COVER_CAND_MAX; i++) {
				const struct cvp_row *row = &cat->rows[i];
				if (row->removed || row->proto != proto ||
				    row->ports.low > sg->low || row->ports.high < high)
					continue;
				if (sg->n < COVER_CAND_MAX)
					sg->rows[sg->n] = (uint16_t)i;
				sg->n++;
			}
		}
	}
}

uint32_t cover_row(const struct cvp_catalog *cat, const struct cover_index *ix, uint8_t proto,
                   uint16_t port, int *applicable)
{
	uint32_t any = 0;
	*applicable = 1;
	if (ix->usable) {
		int p = proto == CVP_UDP;
		size_t lo = 0, hi = ix->nseg[p];
		while (hi - lo > 1) { /* the last segment starting at or below port */
			size_t mid = lo + (hi - lo) / 2;
			if (ix->seg[p][mid].low <= port)
				lo = mid;
			else
				hi = mid;
		}
		const struct cover_seg *sg = &ix->seg[p][lo];
		if (sg->n <= COVER_CAND_MAX) {
			for (unsigned k = 0; k < sg->n; k++)
				if (cover_try(cat, sg->rows[k], proto, port, &any))
					return (uint32_t)sg->rows[k] + 1;
			*applicable = 0;
			return any;
		}
	}
	for (size_t i = 0; i < cat->n; i++)
		if (cover_try(cat, i, proto, port, &any))
			return (uint32_t)(i + 1);
	*applicable = 0;
	return any;
}
