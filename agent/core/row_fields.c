/* Every field of a catalogue row and its verdict, read in one place. */
#include "row_fields.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

const struct row_field_desc row_fields_json[] = {
    {ROW_INDEX, ROW_KIND_UNSIGNED, "index"},
    {ROW_NAME, ROW_KIND_TEXT, "name"},
    {ROW_PROTOCOL, ROW_KIND_ENUM, "protocol"},
    {ROW_PORTS, ROW_KIND_TEXT, "ports"},
    {ROW_MATCH, ROW_KIND_ENUM, "match"},
    {ROW_REQUIREMENT, ROW_KIND_ENUM, "requirement"},
    {ROW_DIRECTION, ROW_KIND_ENUM, "direction"},
    {ROW_ROLE, ROW_KIND_TEXT, "role"},
    {ROW_LISTENER, ROW_KIND_TEXT, "listener"},
    {ROW_REMOTE, ROW_KIND_TEXT, "remote"},
    {ROW_NOTE, ROW_KIND_TEXT, "note"},
    {ROW_RATIONALE, ROW_KIND_TEXT, "rationale"},
    {ROW_EXPECTED_OWNER, ROW_KIND_TEXT, "expected_owner"},
    {ROW_STATE, ROW_KIND_ENUM, "state"},
    {ROW_LISTEN_COUNT, ROW_KIND_GAUGE, "listen_count"},
    {ROW_COMPLIANCE, ROW_KIND_ENUM, "compliance"},
    {ROW_ADDRESS_TEXT, ROW_KIND_TEXT, "address"},
    {ROW_PROCESS_ID, ROW_KIND_UNSIGNED, "pid"},
    {ROW_PROCESS_NAME, ROW_KIND_TEXT, "process"},
    {ROW_EPHEMERAL_OVERLAP, ROW_KIND_TRUTH, "ephemeral_overlap"},
    {ROW_SOCKET_COUNT, ROW_KIND_GAUGE, "socket_count"},
};
const size_t row_fields_json_count = sizeof(row_fields_json) / sizeof(row_fields_json[0]);

static void text(struct row_value *out, const char *s)
{
	out->kind = ROW_KIND_TEXT;
	out->text = s;
}

static void number(struct row_value *out, uint8_t kind, unsigned long n)
{
	out->kind = kind;
	out->num = n;
	snprintf(out->buf, sizeof(out->buf), "%lu", n);
	out->text = out->buf;
}

static void label(struct row_value *out, int n, const char *name)
{
	out->kind = ROW_KIND_ENUM;
	out->num = (unsigned long)n;
	out->text = name;
}

/* The fields of the catalogue row itself. */
static int row_field(const struct row_view *v, unsigned f, struct row_value *out)
{
	const struct cvp_row *row = v->row;
	switch (f) {
	case ROW_INDEX: number(out, ROW_KIND_UNSIGNED, v->pos + 1); break;
	case ROW_NAME: text(out, row->name); break;
	case ROW_LISTENER: text(out, row->listener); break;
	case ROW_PROTOCOL: label(out, row->proto, enum_proto_name(row->proto)); break;
	case ROW_LOW: number(out, ROW_KIND_UNSIGNED, row->ports.low); break;
	case ROW_HIGH: number(out, ROW_KIND_UNSIGNED, row->ports.high); break;
	case ROW_STRIDE: number(out, ROW_KIND_UNSIGNED, row->ports.stride); break;
	case ROW_PORTS:
		portset_format(&row->ports, out->buf, sizeof(out->buf));
		text(out, out->buf);
		break;
	case ROW_MATCH: label(out, row->match, enum_match_name(row->match)); break;
	case ROW_DIRECTION: label(out, row->direction, enum_direction_name(row->direction)); break;
	case ROW_REMOTE: text(out, row->remote); break;
	case ROW_ROLE: text(out, enum_role_name(row->role)); break;
	case ROW_REQUIREMENT:
		label(out, row->requirement, enum_requirement_name(row->requirement));
		break;
	case ROW_NOTE: text(out, row->note); break;
	case ROW_EXPECTED_OWNER: text(out, row->owner.text); break;
	case ROW_RATIONALE: text(out, row->rationale); break;
	case ROW_ORIGIN: text(out, row->origin); break;
	default: return -1;
	}
	return 0;
}

/* The fields of its verdict. */
static int result_field(const struct row_view *v, unsigned f, struct row_value *out)
{
	const struct cvp_row_result *r = v->result;
	switch (f) {
	case ROW_STATE: label(out, r->state, enum_state_name(r->state)); break;
	case ROW_LISTEN_COUNT: number(out, ROW_KIND_GAUGE, r->listen_count); break;
	case ROW_SOCKET_COUNT: number(out, ROW_KIND_GAUGE, r->socket_count); break;
	case ROW_ADDRESS_TYPE:
		out->kind = ROW_KIND_ENUM;
		out->num = r->addr_type;
		out->text = "";
		break;
	case ROW_ADDRESS:
		out->kind = ROW_KIND_OCTETS;
		out->octets = r->addr;
		out->len = r->addr_len;
		out->text = r->address;
		break;
	case ROW_ADDRESS_TEXT: text(out, r->address); break;
	case ROW_PROCESS_ID: number(out, ROW_KIND_UNSIGNED, r->pid); break;
	case ROW_PROCESS_NAME: text(out, r->pname); break;
	case ROW_COMPLIANCE: label(out, r->compliance, enum_compliance_name(r->compliance)); break;
	case ROW_LAST_CHANGE: number(out, ROW_KIND_TIMETICKS, v->last_change); break;
	case ROW_EPHEMERAL_OVERLAP:
		out->kind = ROW_KIND_TRUTH;
		out->num = r->ephemeral_overlap != 0;
		out->text = out->num ? "true" : "false";
		break;
	default: return -1;
	}
	return 0;
}

int row_fields_get(const struct row_view *v, unsigned f, struct row_value *out)
{
	memset(out, 0, offsetof(struct row_value, buf));
	out->buf[0] = '\0';
	if (row_field(v, f, out) == 0)
		return 0;
	return v->result ? result_field(v, f, out) : -1;
}
