/* Port-set arithmetic and syntax. */
#include "portset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

unsigned portset_size(const struct cvp_port_set *ps)
{
	return (unsigned)(ps->high - ps->low) / ps->stride + 1;
}

int portset_contains(const struct cvp_port_set *ps, unsigned port)
{
	return port >= ps->low && port <= ps->high && (port - ps->low) % ps->stride == 0;
}

int portset_overlaps_range(const struct cvp_port_set *ps, unsigned low, unsigned high)
{
	if (high < ps->low || low > ps->high)
		return 0;
	/* First member of the set at or above low. */
	unsigned first = ps->low;
	if (low > first)
		first += (low - first + ps->stride - 1) / ps->stride * ps->stride;
	return first <= ps->high && first <= high;
}

static int parse_port(const char *s, char **end, unsigned long *out, unsigned long min)
{
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, end, 10);
	return (errno || *out < min || *out > 65535) ? -1 : 0;
}

int portset_parse(const char *s, struct cvp_port_set *out)
{
	unsigned long low, high, stride = 1;
	char *end;

	if (parse_port(s, &end, &low, 1) < 0)
		return -1;
	high = low;
	if (*end == '-' && parse_port(end + 1, &end, &high, 1) < 0)
		return -1;
	if (*end == '/' && parse_port(end + 1, &end, &stride, 1) < 0)
		return -1;
	if (*end != '\0' || high < low)
		return -1;
	out->low = (uint16_t)low;
	out->high = (uint16_t)high;
	out->stride = (uint16_t)stride;
	return 0;
}

void portset_format(const struct cvp_port_set *ps, char *buf, size_t len)
{
	if (ps->low == ps->high)
		snprintf(buf, len, "%u", ps->low);
	else if (ps->stride == 1)
		snprintf(buf, len, "%u-%u", ps->low, ps->high);
	else
		snprintf(buf, len, "%u-%u/%u", ps->low, ps->high, ps->stride);
}

int portset_parse_range(const char *s, uint16_t *low, uint16_t *high, int *used)
{
	unsigned l, h;
	*used = 0;
	if (sscanf(s, " %5u-%5u%n", &l, &h, used) != 2 ||
	    (s[*used] != '\0' && s[*used] != ' ' && s[*used] != '\t') || !l || l > h || h > 65535)
		return 0;
	*low = (uint16_t)l;
	*high = (uint16_t)h;
	return 1;
}
