/* `cvpportd --check`: the same verdict as the MIB, as a table for a person at a terminal. */
#include "report.h"
#include "row_fields.h"

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
    {"unknown", "the row has an owner rule and cvpportd cannot see who holds its socket (the "
                "attribution helper is down, /proc hides processes from cvpportd, or the socket "
                "is in flight between processes). Run cvpportd --doctor; the verdict returns by "
                "itself once the holder is seen."},
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
	for (int c = CVP_MISSING; c <= CVP_UNKNOWN; c++)
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
	if (s->sum.unknown)
		return CVP_EXIT_UNKNOWN;
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
	else if (s->sum.unknown)
		fprintf(out,
		        "%u row(s) unknown: who holds a socket that an owner rule checks is not "
		        "known; ",
		        s->sum.unknown);
	fprintf(
	    out,
	    "%u violation(s), %u compliant, %u unexpected listener(s); roles %s; source %s%s%s | "
	    "compliant=%u;;;0;%zu violations=%u;;0;0;%zu unexpected=%u;0;;0; scan_us=%u;;;0;",
	    s->sum.violations, s->sum.compliant, s->sum.unexpected, roles,
	    enum_source_name(s->source), s->host ? " of " : "", s->host ? s->host : "",
	    s->sum.compliant, rows, s->sum.violations, rows, s->sum.unexpected, s->scan_us);
	if (s->sum.unknown)
		fprintf(out, " unknown=%u;;0;0;%zu", s->sum.unknown, rows);
	fputc('\n', out);
}

/* The text of field f of v (in val). */
static const char *field_text(const struct row_view *v, unsigned f, struct row_value *val)
{
	return row_fields_get(v, f, val) == 0 ? val->text : "";
}

/* The catalogue's rows, one line each; returns how many overlap the ephemeral range. */
static unsigned print_rows(FILE *out, const struct cvp_snapshot *s)
{
	const struct cvp_catalog *cat = s->cat;
	char proc[CVP_PNAME_LEN + 16];
	unsigned overlaps = 0;
	fprintf(out, "%5s  %-18s %-5s %-12s %-13s %-14s %-24s %s\n", "INDEX", "NAME", "PROTO",
	        "PORTS", "STATE", "COMPLIANCE", "ADDRESS", "PROCESS");
	for (size_t i = 0; i < s->nrows; i++) {
		const struct row_view v = {i, &cat->rows[i], &s->rows[i], 0};
		struct row_value name, proto, ports, state, compliance, address;
		if (v.row->removed)
			continue;
		print_process(proc, sizeof(proc), v.result->pid, v.result->pname);
		const char *addr = field_text(&v, ROW_ADDRESS_TEXT, &address);
		fprintf(out, "%5zu  %-18s %-5s %-12s %-13s %-14s %-24s %s%s\n", i + 1,
		        field_text(&v, ROW_NAME, &name), field_text(&v, ROW_PROTOCOL, &proto),
		        field_text(&v, ROW_PORTS, &ports), field_text(&v, ROW_STATE, &state),
		        field_text(&v, ROW_COMPLIANCE, &compliance), addr[0] ? addr : "-", proc,
		        row_warns(s, i) ? "  (overlaps ephemeral range)" : "");
		overlaps += (unsigned)row_warns(s, i);
	}
	return overlaps;
}

static void print_unexpected(FILE *out, const struct cvp_snapshot *s)
{
	char proc[CVP_PNAME_LEN + 16], addr[64];
	fprintf(out, "\nUnexpected listeners (not in the catalogue):\n");
	fprintf(out, "  %-5s %-40s %-6s %s\n", "PROTO", "ADDRESS", "PORT", "PROCESS");
	for (size_t i = 0; i < s->nlisteners; i++) {
		const struct cvp_listener *l = &s->listeners[i];
		if (l->class != CVP_CLASS_UNEXPECTED)
			continue;
		print_process(proc, sizeof(proc), l->pid, l->pname);
		sock_format_inet_address(l->addr_type, l->addr, addr, sizeof(addr));
		fprintf(out, "  %-5s %-40s %-6u %s\n", enum_proto_name(l->proto), addr, l->port,
		        proc);
	}
}

static void print_findings(FILE *out, const struct cvp_snapshot *s)
{
	const struct cvp_catalog *cat = s->cat;
	char proc[CVP_PNAME_LEN + 16], addr[64];
	fprintf(out, "\nFindings (cvpFindingTable):\n");
	fprintf(out, "  %-11s %-5s %-40s %-6s %-18s %-24s %s\n", "KIND", "PROTO", "ADDRESS", "PORT",
	        "ROW", "PROCESS", "UID");
	for (size_t i = 0; i < s->nfindings; i++) {
		const struct cvp_listener *l = &s->listeners[s->findings[i]];
		print_process(proc, sizeof(proc), l->pid, l->pname);
		sock_format_inet_address(l->addr_type, l->addr, addr, sizeof(addr));
		char uid[16] = "-"; /* another host's socket: not known */
		if (l->uid != CVP_UID_UNKNOWN)
			snprintf(uid, sizeof(uid), "%u", l->uid);
		fprintf(out, "  %-11s %-5s %-40s %-6u %-18s %-24s %s\n",
		        enum_finding_name(l->finding), enum_proto_name(l->proto), addr, l->port,
		        l->port_index ? cat->rows[l->port_index - 1].name : "-", proc, uid);
	}
}

/* Another host's: which of its agent's tables answered, and the rows that did not decode. */
static void print_remote_tables(FILE *out, const struct cvp_snapshot *s)
{
	int capture = s->source == CVP_SOURCE_CAPTURE;
	fprintf(out, "%s: %s", capture ? "Capture read" : "Tables read",
	        *s->remote_tables ? s->remote_tables : "none");
	if (s->stats.malformed)
		fprintf(out, "; %u row(s) %s skipped", s->stats.malformed,
		        capture ? "that do not parse" : "whose index does not decode");
	if (s->stats.malformed && *s->first_malformed)
		fprintf(out, " (the first: %s)", s->first_malformed);
	fputc('\n', out);
}

int report_print(FILE *out, const struct cvp_snapshot *s)
{
	int code = report_exit_code(s);

	print_status_line(out, s, code);
	if (s->host)
		print_remote_tables(out, s);
	unsigned overlaps = print_rows(out, s);
	if (s->sum.unexpected)
		print_unexpected(out, s);
	if (s->nfindings)
		print_findings(out, s);
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

/* A uid, or null where it is not known (another host's socket, a holder not found). */
static void json_uid(FILE *out, const char *key, uint32_t uid, int comma)
{
	fprintf(out, "\"%s\": ", key);
	if (uid == CVP_UID_UNKNOWN)
		fputs("null", out);
	else
		fprintf(out, "%u", uid);
	if (comma)
		fputs(", ", out);
}

static void json_rows(FILE *out, const struct cvp_snapshot *s)
{
	const struct cvp_catalog *cat = s->cat;
	const char *sep = "";
	for (size_t i = 0; i < s->nrows; i++) {
		const struct row_view v = {i, &cat->rows[i], &s->rows[i], 0};
		if (v.row->removed)
			continue;
		fprintf(out, "%s\n  {", sep);
		for (size_t k = 0; k < row_fields_json_count; k++) {
			struct row_value val;
			if (row_fields_get(&v, row_fields_json[k].field, &val) < 0)
				continue;
			fprintf(out, "%s\"%s\": ", k ? ", " : "", row_fields_json[k].json);
			if (val.kind == ROW_KIND_TEXT || val.kind == ROW_KIND_ENUM)
				json_string(out, val.text);
			else
				fputs(val.text, out); /* a number, true or false */
		}
		fputc('}', out);
		sep = ",";
	}
}

static void json_listeners(FILE *out, const struct cvp_snapshot *s)
{
	char addr[64];
	for (size_t i = 0; i < s->nlisteners; i++) {
		const struct cvp_listener *l = &s->listeners[i];
		fprintf(out, "%s\n  {", i ? "," : "");
		json_field(out, "protocol", enum_proto_name(l->proto), 1);
		sock_format_inet_address(l->addr_type, l->addr, addr, sizeof(addr));
		json_field(out, "address", addr, 1);
		fprintf(out, "\"port\": %u, \"pid\": %u, ", l->port, l->pid);
		json_field(out, "process", l->pname, 1);
		json_uid(out, "uid", l->uid, 1);
		json_uid(out, "process_uid", l->proc_uid, 1);
		fprintf(out, "\"port_index\": %u, ", l->port_index);
		json_field(out, "class", enum_class_name(l->class), 1);
		fprintf(out, "\"sockets\": %u}", l->sockets);
	}
}

static void json_findings(FILE *out, const struct cvp_snapshot *s)
{
	const struct cvp_catalog *cat = s->cat;
	char addr[64];
	for (size_t i = 0; i < s->nfindings; i++) {
		const struct cvp_listener *l = &s->listeners[s->findings[i]];
		fprintf(out, "%s\n  {", i ? "," : "");
		json_field(out, "kind", enum_finding_name(l->finding), 1);
		json_field(out, "protocol", enum_proto_name(l->proto), 1);
		sock_format_inet_address(l->addr_type, l->addr, addr, sizeof(addr));
		json_field(out, "address", addr, 1);
		fprintf(out, "\"port\": %u, \"port_index\": %u, ", l->port, l->port_index);
		json_field(out, "row", l->port_index ? cat->rows[l->port_index - 1].name : "", 1);
		fprintf(out, "\"pid\": %u, ", l->pid);
		json_field(out, "process", l->pname, 1);
		json_uid(out, "uid", l->uid, 0);
		fputc('}', out);
	}
}

int report_print_json(FILE *out, const struct cvp_snapshot *s)
{
	const struct cvp_catalog *cat = s->cat;
	char roles[128];
	int code = report_exit_code(s);

	catalog_format_roles(cat->roles, roles, sizeof(roles));
	fprintf(out, "{");
	json_field(out, "status", status_words[code], 1);
	fprintf(out, "\"exit\": %d, ", code);
	json_field(out, "overall", s->scan_ok ? enum_overall_name(s->sum.overall) : "unknown", 1);
	json_field(out, "source", enum_source_name(s->source), 1);
	if (s->host) {
		json_field(out, "host", s->host, 1);
		json_field(out, "tables", s->remote_tables, 1);
		fprintf(out, "\"malformed_rows\": %u, ", s->stats.malformed);
		json_field(out, "first_malformed", s->first_malformed, 1);
	}
	json_field(out, "roles", roles, 1);
	fprintf(out,
	        "\"scan_us\": %u, \"ephemeral_low\": %u, \"ephemeral_high\": %u, \"catalog_size\": "
	        "%zu, "
	        "\"compliant\": %u, \"violations\": %u, \"unknown\": %u, \"unexpected\": %u, "
	        "\"unattributed\": %u,\n \"ports\": [",
	        s->scan_us, s->eph_low, s->eph_high, catalog_active_count(cat), s->sum.compliant,
	        s->sum.violations, s->sum.unknown, s->sum.unexpected, s->stats.unattributed);
	json_rows(out, s);
	fprintf(out, "],\n \"listeners\": [");
	json_listeners(out, s);
	fprintf(out, "],\n \"findings\": [");
	json_findings(out, s);
	fprintf(out, "]}\n");
	return code;
}
