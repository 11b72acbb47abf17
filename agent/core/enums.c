/* Names and parsers of the core enumerations. */
#include "enums.h"

#include <string.h>

static const char *const proto_names[] = {NULL, "tcp", "udp"};
static const char *const match_names[] = {NULL, "all", "any", "none"};
static const char *const direction_names[] = {NULL,    "inbound",  "outbound",   "bidirectional",
                                              "local", "loopback", "unspecified"};
static const char *const requirement_names[] = {NULL, "required", "optional", "forbidden"};
static const char *const state_names[] = {NULL, "listening", "notListening", "partial"};
static const char *const compliance_names[] = {
    NULL, "compliant", "missing", "exposed", "forbidden", "notApplicable", "wrongOwner", "unknown"};
static const char *const overall_names[] = {NULL, "compliant", "nonCompliant", "unknown"};
static const char *const source_names[] = {NULL,       "netlink", "procfs",
                                            "tcpUdpMib", "rfc1213", "capture"};
static const char *const class_names[] = {NULL, "expected", "unexpected", "ignored"};
static const char *const finding_names[] = {NULL, "unexpected", "forbidden", "exposed",
                                            "wrongOwner"};
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
	const char *enum_##kind##_name(int v)                                                      \
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
NAMED_ENUM(finding, finding_names)
NAMED_ENUM(role, role_names)

#define PARSED_ENUM(kind, table)                                                                   \
	int enum_##kind##_parse(const char *s, uint8_t *out)                                       \
	{                                                                                          \
		return parse_name(table, COUNT(table), s, out);                                    \
	}
PARSED_ENUM(proto, proto_names)
PARSED_ENUM(match, match_names)
PARSED_ENUM(direction, direction_names)
PARSED_ENUM(requirement, requirement_names)
PARSED_ENUM(role, role_names)
