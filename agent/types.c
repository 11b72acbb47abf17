/* Names and parsers of the core enumerations, and port-set arithmetic. */
#include "cvp_types.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const proto_names[] = {NULL, "tcp", "udp"};
static const char *const match_names[] = {NULL, "all", "any", "none"};
static const char *const direction_names[] = {NULL, "inbound", "outbound", "bidirectional",
                                              "local"};
static const char *const requirement_names[] = {NULL, "required", "optional", "forbidden"};
static const char *const state_names[] = {NULL, "listening", "notListening", "partial"};
static const char *const compliance_names[] = {NULL,      "compliant", "missing",
                                               "exposed", "forbidden", "notApplicable"};
static const char *const overall_names[] = {NULL, "compliant", "nonCompliant", "unknown"};
static const char *const source_names[] = {NULL, "netlink", "procfs"};
static const char *const class_names[] = {NULL, "expected", "unexpected", "ignored"};
static const char *const role_names[] = {"callserver", "vxml", "reporting", "oamp",   "media",
                                         "common",     "snmp", "mgmt",      "windows"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, int v)
{
	return (v >= 0 && (size_t)v < n && names[v]) ? names[v] : "?";
}

static int parse_name(const char *const *names, size_t n, const char *s, uint8_t *out)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0) {
			*out = (uint8_t)i;
			return 0;
		}
	return -1;
}

#define NAMED_ENUM(kind, table)                                                                    \
	const char *cvp_##kind##_name(int v)                                                       \
	{                                                                                          \
		return name_of(table, COUNT(table), v);                                            \
	}
NAMED_ENUM(proto, proto_names)
NAMED_ENUM(match, match_names)
NAMED_ENUM(direction, direction_names)
NAMED_ENUM(requirement, requirement_names)
NAMED_ENUM(state, state_names)
NAMED_ENUM(compliance, compliance_names)
NAMED_ENUM(overall, overall_names)
NAMED_ENUM(source, source_names)
NAMED_ENUM(class, class_names)
NAMED_ENUM(role, role_names)

#define PARSED_ENUM(kind, table)                                                                   \
	int cvp_##kind##_parse(const char *s, uint8_t *out)                                        \
	{                                                                                          \
		return parse_name(table, COUNT(table), s, out);                                    \
	}
PARSED_ENUM(proto, proto_names)
PARSED_ENUM(match, match_names)
PARSED_ENUM(direction, direction_names)
PARSED_ENUM(requirement, requirement_names)
PARSED_ENUM(role, role_names)

unsigned cvp_port_set_size(const struct cvp_port_set *ps)
{
	return (unsigned)(ps->high - ps->low) / ps->stride + 1;
}

int cvp_port_set_contains(const struct cvp_port_set *ps, unsigned port)
{
	return port >= ps->low && port <= ps->high && (port - ps->low) % ps->stride == 0;
}

int cvp_port_set_overlaps_range(const struct cvp_port_set *ps, unsigned low, unsigned high)
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

int cvp_port_set_parse(const char *s, struct cvp_port_set *out)
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

void cvp_port_set_format(const struct cvp_port_set *ps, char *buf, size_t len)
{
	if (ps->low == ps->high)
		snprintf(buf, len, "%u", ps->low);
	else if (ps->stride == 1)
		snprintf(buf, len, "%u-%u", ps->low, ps->high);
	else
		snprintf(buf, len, "%u-%u/%u", ps->low, ps->high, ps->stride);
}
