/* `cvpportd --check`: the same verdict as the MIB, as a table for a person at a terminal. */
#include "report.h"

#include <string.h>

/* Monitoring-plugin words, by exit code. */
static const char *const status_words[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

static int row_warns(const struct cvp_snapshot *s, size_t i)
{
	return s->rows[i].ephemeral_overlap && s->rows[i].compliance != CVP_NOT_APPLICABLE;
}

/* What each finding means and the usual remedy, as README's "Verdicts and what to do" says. */
static const char *const remedies[][2] = {
    {"missing", "a required row does not listen. Start its service; if this host does not run "
                "that component, take its role out of cvpRoles, or make the row optional "
                "(cvpPortRequire NAME optional) or remove it (cvpPortRemove NAME); a port moved "
                "by configuration: cvpPortMove NAME PORTS."},
    {"exposed", "a port the document restricts to local access listens on a non-loopback "
                "address. Bind it to 127.0.0.1 (Tomcat's shutdown port: the address attribute "
                "of the Server element in server.xml) and restart the service."},
    {"forbidden", "a port the site forbids (cvpPortRequire NAME forbidden) listens. Stop and "
                  "disable the service that holds it (PROCESS), or lift the rule."},
    {"wrongOwner", "another program or user than the owner rule (cvpPortOwner) names holds the "
                   "port. Stop that process (PROCESS) and start the right service; if the "
                   "rule is out of date, correct cvpPortOwner."},
    {"unexpected", "a listener no catalogue row covers. Stop it if it has no business on a "
                   "CVP host; if it belongs, class it ignored (cvpIgnore PROTO PORTS [ADDRESS], "
                   "cvpIgnoreProcess COMM) or add a row (cvpPort)."},
};

const char *report_remedy(const char *verdict)
{
	for (size_t i = 0; i < sizeof(remedies) / sizeof(remedies[0]); i++)
		if (strcmp(remedies[i][0], verdict) == 0)
			return remedies[i][1];
	return NULL;
}

/* "What to do", for the findings present: each kind once. */
static void print_remedies(FILE *out, const struct cvp_snapshot *s)
{
	unsigned seen = 0; /* bit per compliance value; bit 0: unexpected listeners */
	for (size_t i = 0; i < s->nrows; i++)
		if (!s->cat->rows[i].removed &&
		    report_remedy(enum_compliance_name(s->rows[i].compliance)))
			seen |= 1u << s->rows[i].compliance;
	if (s->sum.unexpected)
		seen |= 1u;
	if (!seen)
		return;
	fprintf(out, "\nWhat to do:\n");
	for (int c = CVP_MISSING; c <= CVP_WRONG_OWNER; c++)
		if (seen & (1u << c))
			fprintf(out, "  %s: %s\n", enum_compliance_name(c),
			        report_remedy(enum_compliance_name(c)));
	if (seen & 1u)
		fprintf(out, "  unexpected: %s\n", report_remedy("unexpected"));
}

int report_exit_code(const struct cvp_snapshot *s)
{
	if (!s->scan_ok)
		return CVP_EXIT_UNKNOWN;
	if (s->sum.violations)
		return CVP_EXIT_CRITICAL;
	return s->sum.unexpected ? CVP_EXIT_WARNING : CVP_EXIT_OK;
}

static void print_process(char *buf, size_t len, uint32_t pid, const char *name)
{
	if (pid)
		snprintf(buf, len, "%s/%u", name[0] ? name : "?", pid);
	else
		snprintf(buf, len, "-");
}

/* The monitoring-plugin status line: "CVP-PORT STATUS - summary | perfdata", perfdata in the
 * label=value;warn;crit;min;max form (violations are critical above 0, unexpected listeners a
 * warning above 0). */
static void print_status_line(FILE *out, const struct cvp_snapshot *s, int code)
{
	char roles[128];
	size_t rows = catalog_active_count(s->cat);

	catalog_format_roles(s->cat->roles, roles, sizeof(roles));
	fprintf(out, "CVP-PORT %s - ", status_words[code]);
	if (!s->scan_ok)
		fprintf(out, "socket scan failed; ");
	fprintf(out,
	        "%u violation(s), %u compliant, %u unexpected listener(s); roles %s; source %s | "
	        "compliant=%u;;;0;%zu violations=%u;;0;0;%zu unexpected=%u;0;;0; scan_us=%u;;;0;\n",
	        s->sum.violations, s->sum.compliant, s->sum.unexpected, roles,
	        enum_source_name(s->source), s->sum.compliant, rows, s->sum.violations, rows,
	        s->sum.unexpected, s->scan_us);
}

int report_print(FILE *out, const struct cvp_snapshot *s)
{
	const struct cvp_catalog *cat = s->cat;
	char ports[32], proc[CVP_PNAME_LEN + 16];
	unsigned overlaps = 0;
	int code = report_exit_code(s);

	print_status_line(out, s, code);
	fprintf(out, "%5s  %-18s %-5s %-12s %-13s %-14s %-24s %s\n", "INDEX", "NAME", "PROTO",
	        "PORTS", "STATE", "COMPLIANCE", "ADDRESS", "PROCESS");
	for (size_t i = 0; i < s->nrows; i++) {
		const struct cvp_row *row = &cat->rows[i];
		const struct cvp_row_result *r = &s->rows[i];
		if (row->removed)
			continue;
		portset_format(&row->ports, ports, sizeof(ports));
		print_process(proc, sizeof(proc), r->pid, r->pname);
		fprintf(out, "%5zu  %-18s %-5s %-12s %-13s %-14s %-24s %s%s\n", i + 1, row->name,
		        enum_proto_name(row->proto), ports, enum_state_name(r->state),
		        enum_compliance_name(r->compliance), r->address[0] ? r->address : "-", proc,
		        row_warns(s, i) ? "  (overlaps ephemeral range)" : "");
		overlaps += (unsigned)row_warns(s, i);
	}

	if (s->sum.unexpected) {
		fprintf(out, "\nUnexpected listeners (not in the catalogue):\n");
		fprintf(out, "  %-5s %-40s %-6s %s\n", "PROTO", "ADDRESS", "PORT", "PROCESS");
		for (size_t i = 0; i < s->nlisteners; i++) {
			const struct cvp_listener *l = &s->listeners[i];
			if (l->class != CVP_CLASS_UNEXPECTED)
				continue;
			char addr[64];
			print_process(proc, sizeof(proc), l->pid, l->pname);
			sock_format_inet_address(l->addr_type, l->addr, addr, sizeof(addr));
			fprintf(out, "  %-5s %-40s %-6u %s\n", enum_proto_name(l->proto), addr,
			        l->port, proc);
		}
	}
	if (overlaps)
		fprintf(out,
		        "\nWarning: %u applicable row(s) overlap the ephemeral port range %u-%u: "
		        "an outgoing\n"
		        "connection can take such a port before the service binds it.\n",
		        overlaps, s->eph_low, s->eph_high);
	print_remedies(out, s);
	return code;
}

/* JSON strings: the catalogue's text is printable ASCII, process names may be anything. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20 || *c > 0x7e)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

static void json_field(FILE *out, const char *key, const char *value, int comma)
{
	fprintf(out, "\"%s\": ", key);
	json_string(out, value);
	if (comma)
		fputs(", ", out);
}

int report_print_json(FILE *out, const struct cvp_snapshot *s)
{
	const struct cvp_catalog *cat = s->cat;
	char roles[128], ports[32], addr[64];
	int code = report_exit_code(s);
	const char *sep = "";

	catalog_format_roles(cat->roles, roles, sizeof(roles));
	fprintf(out, "{");
	json_field(out, "status", status_words[code], 1);
	fprintf(out, "\"exit\": %d, ", code);
	json_field(out, "overall", s->scan_ok ? enum_overall_name(s->sum.overall) : "unknown", 1);
	json_field(out, "source", enum_source_name(s->source), 1);
	json_field(out, "roles", roles, 1);
	fprintf(out,
	        "\"scan_us\": %u, \"ephemeral_low\": %u, \"ephemeral_high\": %u, \"catalog_size\": "
	        "%zu, "
	        "\"compliant\": %u, \"violations\": %u, \"unexpected\": %u, \"unattributed\": "
	        "%u,\n \"ports\": [",
	        s->scan_us, s->eph_low, s->eph_high, catalog_active_count(cat), s->sum.compliant,
	        s->sum.violations, s->sum.unexpected, s->stats.unattributed);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct cvp_row *row = &cat->rows[i];
		const struct cvp_row_result *r = &s->rows[i];
		if (row->removed)
			continue;
		portset_format(&row->ports, ports, sizeof(ports));
		fprintf(out, "%s\n  {\"index\": %zu, ", sep, i + 1);
		json_field(out, "name", row->name, 1);
		json_field(out, "protocol", enum_proto_name(row->proto), 1);
		json_field(out, "ports", ports, 1);
		json_field(out, "match", enum_match_name(row->match), 1);
		json_field(out, "requirement", enum_requirement_name(row->requirement), 1);
		json_field(out, "direction", enum_direction_name(row->direction), 1);
		json_field(out, "role", enum_role_name(row->role), 1);
		json_field(out, "listener", row->listener, 1);
		json_field(out, "remote", row->remote, 1);
		json_field(out, "note", row->note, 1);
		json_field(out, "rationale", row->rationale, 1);
		json_field(out, "expected_owner", row->owner.text, 1);
		json_field(out, "state", enum_state_name(r->state), 1);
		fprintf(out, "\"listen_count\": %u, ", r->listen_count);
		json_field(out, "compliance", enum_compliance_name(r->compliance), 1);
		json_field(out, "address", r->address, 1);
		fprintf(out, "\"pid\": %u, ", r->pid);
		json_field(out, "process", r->pname, 1);
		fprintf(out, "\"ephemeral_overlap\": %s}", r->ephemeral_overlap ? "true" : "false");
		sep = ",";
	}
	fprintf(out, "],\n \"listeners\": [");
	sep = "";
	for (size_t i = 0; i < s->nlisteners; i++) {
		const struct cvp_listener *l = &s->listeners[i];
		fprintf(out, "%s\n  {", sep);
		json_field(out, "protocol", enum_proto_name(l->proto), 1);
		sock_format_inet_address(l->addr_type, l->addr, addr, sizeof(addr));
		json_field(out, "address", addr, 1);
		fprintf(out, "\"port\": %u, \"pid\": %u, ", l->port, l->pid);
		json_field(out, "process", l->pname, 1);
		fprintf(out, "\"uid\": %u, \"process_uid\": ", l->uid);
		if (l->proc_uid == CVP_UID_UNKNOWN)
			fprintf(out, "null, ");
		else
			fprintf(out, "%u, ", l->proc_uid);
		fprintf(out, "\"port_index\": %u, ", l->port_index);
		json_field(out, "class", enum_class_name(l->class), 1);
		fprintf(out, "\"sockets\": %u}", l->sockets);
		sep = ",";
	}
	fprintf(out, "]}\n");
	return code;
}
