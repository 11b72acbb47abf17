/* The enumerations of the core, with the integer values of CVP-PORT-MIB, and their names. */
#ifndef ENUMS_H
#define ENUMS_H

#include <stdint.h>

enum cvp_proto { CVP_TCP = 1, CVP_UDP = 2 };
enum cvp_match { CVP_MATCH_ALL = 1, CVP_MATCH_ANY = 2, CVP_MATCH_NONE = 3 };
enum cvp_direction {
	CVP_DIR_INBOUND = 1,
	CVP_DIR_OUTBOUND = 2,
	CVP_DIR_BIDIRECTIONAL = 3,
	CVP_DIR_LOCAL = 4,       /* traffic within the host: no binding rule */
	CVP_DIR_LOOPBACK = 5,    /* restricted to local access: must be bound to loopback */
	CVP_DIR_UNSPECIFIED = 6, /* the document gives no direction */
};
enum cvp_requirement { CVP_REQ_REQUIRED = 1, CVP_REQ_OPTIONAL = 2, CVP_REQ_FORBIDDEN = 3 };
enum cvp_state { CVP_STATE_LISTENING = 1, CVP_STATE_NOT_LISTENING = 2, CVP_STATE_PARTIAL = 3 };
enum cvp_compliance {
	CVP_COMPLIANT = 1,
	CVP_MISSING = 2,
	CVP_EXPOSED = 3,
	CVP_FORBIDDEN = 4,
	CVP_NOT_APPLICABLE = 5,
	CVP_WRONG_OWNER = 6,
	/* The verdict needs evidence cvpportd does not have (an owner rule, the holder not known):
	 * never compliant. */
	CVP_UNKNOWN = 7
};
enum cvp_overall {
	CVP_OVERALL_COMPLIANT = 1,
	CVP_OVERALL_NONCOMPLIANT = 2,
	CVP_OVERALL_UNKNOWN = 3
};
/* Where a scan's sockets came from: this host's kernel, or another host's MIBs (host_walk.h):
 * TCP-MIB and UDP-MIB, or RFC 1213's tables for either protocol. */
enum cvp_source {
	CVP_SOURCE_NETLINK = 1,
	CVP_SOURCE_PROCFS = 2,
	CVP_SOURCE_TCP_UDP_MIB = 3,
	CVP_SOURCE_RFC1213 = 4,
	CVP_SOURCE_CAPTURE = 5 /* a capture of netstat, PowerShell or ss (capture.h) */
};
/* Which scanner to use (cvpScanSource): netlink with procfs as fallback, or one of them. */
enum cvp_scan_mode { CVP_SCAN_AUTO = 0, CVP_SCAN_NETLINK = 1, CVP_SCAN_PROCFS = 2 };
enum cvp_class { CVP_CLASS_EXPECTED = 1, CVP_CLASS_UNEXPECTED = 2, CVP_CLASS_IGNORED = 3 };
/* What a listener asks of an operator (cvpFindingKind); 0: nothing. */
enum cvp_finding {
	CVP_FINDING_NONE = 0,
	CVP_FINDING_UNEXPECTED = 1,
	CVP_FINDING_FORBIDDEN = 2,
	CVP_FINDING_EXPOSED = 3,
	CVP_FINDING_WRONG_OWNER = 4
};
/* InetAddressType values used here. */
enum cvp_addr_type {
	CVP_ADDR_UNKNOWN = 0,
	CVP_ADDR_IPV4 = 1,
	CVP_ADDR_IPV6 = 2,
	CVP_ADDR_IPV4Z = 3,
	CVP_ADDR_IPV6Z = 4
};

/* Roles: which kind of CVP host a catalogue row applies to (bit positions). */
enum cvp_role {
	CVP_ROLE_CALLSERVER,
	CVP_ROLE_VXML,
	CVP_ROLE_REPORTING,
	CVP_ROLE_OAMP,
	CVP_ROLE_MEDIA,
	CVP_ROLE_COMMON,
	CVP_ROLE_SNMP,
	CVP_ROLE_MGMT,
	CVP_ROLE_WINDOWS,
	CVP_ROLE_COUNT
};

/* Text names of the enumerations (as in the MIB), and their parsers (0 on success). */
const char *enum_proto_name(int v);
const char *enum_match_name(int v);
const char *enum_direction_name(int v);
const char *enum_requirement_name(int v);
const char *enum_state_name(int v);
const char *enum_compliance_name(int v);
const char *enum_overall_name(int v);
const char *enum_source_name(int v);
const char *enum_class_name(int v);
const char *enum_finding_name(int v);
const char *enum_role_name(int v);
int enum_proto_parse(const char *s, uint8_t *out);
int enum_match_parse(const char *s, uint8_t *out);
int enum_direction_parse(const char *s, uint8_t *out);
int enum_requirement_parse(const char *s, uint8_t *out);
int enum_role_parse(const char *s, uint8_t *out);

#endif
