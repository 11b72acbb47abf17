/* A catalogue row and its verdict, field by field, rendered from one table: the MIB handler, the
 * notifications' varbinds, `--check`, `--check --json` and `--check-config` all read a row's
 * fields through row_fields_get, so the SNMP value, the varbind, the JSON and the text of a
 * field agree by construction. Each output maps a field's kind to its own form (an ASN type, a
 * JSON value, a column of text). */
#ifndef ROW_FIELDS_H
#define ROW_FIELDS_H

#include "catalog.h"
#include "evaluate.h"

/* A field that is a cvpPortEntry column has its column number as value (the MIB's contract:
 * never renumbered); the others (100 and up) are renderings for people. */
enum row_field {
	ROW_NAME = 2,
	ROW_LISTENER,
	ROW_PROTOCOL,
	ROW_LOW,
	ROW_HIGH,
	ROW_STRIDE,
	ROW_MATCH,
	ROW_DIRECTION,
	ROW_REMOTE,
	ROW_ROLE,
	ROW_REQUIREMENT,
	ROW_STATE,
	ROW_LISTEN_COUNT,
	ROW_ADDRESS_TYPE,
	ROW_ADDRESS,
	ROW_PROCESS_ID,
	ROW_PROCESS_NAME,
	ROW_COMPLIANCE,
	ROW_LAST_CHANGE,
	ROW_EPHEMERAL_OVERLAP,
	ROW_NOTE,
	ROW_EXPECTED_OWNER,
	ROW_RATIONALE,
	ROW_SOCKET_COUNT,
	ROW_MIB_LAST = ROW_SOCKET_COUNT,
	ROW_INDEX = 100,  /* the row's index (cvpPortIndex, not-accessible) */
	ROW_PORTS,        /* the port set as the configuration writes it: "5060", "8000-8009/2" */
	ROW_ADDRESS_TEXT, /* the reported socket's address, printable ("" when none) */
	ROW_ORIGIN,       /* FILE:LINE of the directive that last changed the row */
};

/* How a field's value is typed: each output has one form per kind. */
enum row_kind {
	ROW_KIND_TEXT,      /* DisplayString; a JSON string */
	ROW_KIND_ENUM,      /* INTEGER enumeration; its label in text and JSON */
	ROW_KIND_UNSIGNED,  /* Unsigned32; a number */
	ROW_KIND_GAUGE,     /* Gauge32; a number */
	ROW_KIND_OCTETS,    /* OCTET STRING (an InetAddress); not rendered for people */
	ROW_KIND_TIMETICKS, /* TimeStamp; a number */
	ROW_KIND_TRUTH,     /* TruthValue; true or false */
};

/* A row, its verdict (NULL when there is none: --check-config) and what the notifier says of
 * it. */
struct row_view {
	size_t pos; /* catalogue position: index = pos + 1 */
	const struct cvp_row *row;
	const struct cvp_row_result *result;
	uint32_t last_change;
};

struct row_value {
	uint8_t kind;          /* enum row_kind */
	unsigned long num;     /* ENUM, UNSIGNED, GAUGE, TIMETICKS, TRUTH (1 true, 0 false) */
	const char *text;      /* TEXT; ENUM's label; every kind's text form */
	const uint8_t *octets; /* OCTETS */
	size_t len;
	char buf[32]; /* room for a formatted text form */
};

struct row_field_desc {
	uint8_t field;    /* enum row_field */
	uint8_t kind;     /* enum row_kind */
	const char *json; /* the key in --check --json, or NULL when not there */
};

/* The fields --check --json prints, in order, and their count. */
extern const struct row_field_desc row_fields_json[];
extern const size_t row_fields_json_count;

/* The value of field f of v. Returns 0, or -1 when the row has no such field (not a field, or
 * a verdict's field and v has no verdict). */
int row_fields_get(const struct row_view *v, unsigned f, struct row_value *out);

#endif
