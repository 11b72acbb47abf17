/* cvpportd --check --from: another host's verdicts from a capture (check_from.h). */
#include "check_from.h"
#include "app.h"
#include "capture.h"
#include "check.h"
#include "check_other.h"
#include "report.h"
#include "text.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The capture judged with s. */
static int judge(const struct check_from_request *r, struct cvp_settings *s, char *err,
                 size_t errlen)
{
	int format = r->format ? capture_format_parse(r->format) : CAPTURE_AUTO;
	struct capture c = {0};
	uint16_t range[2];
	int code = CVP_EXIT_UNKNOWN;
	if (format < 0)
		text_fail(err, errlen, "--format takes auto, netstat, powershell or ss");
	else if ((!r->roles || config_model_apply(s, "cvpRoles", r->roles, err, errlen) == 0) &&
	         (!r->ephemeral ||
	          check_other_range(r->ephemeral, "--ephemeral", range, err, errlen) == 0) &&
	         capture_read_file(r->path, (enum capture_format)format, &c, NULL, err, errlen) ==
	             0) {
		if (!r->ephemeral)
			capture_ephemeral_range(&c, &range[0], &range[1]);
		char first[32] = "";
		if (c.first_skipped)
			snprintf(first, sizeof(first), "line %u", c.first_skipped);
		const struct host_answer a = {&c.socks,  CVP_SOURCE_CAPTURE,
		                              c.skipped, range[0],
		                              range[1],  capture_format_name(c.format),
		                              first};
		code = check_other_print(r->path, &s->cat, &a, r->json);
		*err = '\0';
	}
	capture_free(&c);
	return *err ? check_other_unknown(r->path, err) : code;
}

int check_from_command(const struct check_from_request *r)
{
	struct check_offline o;
	struct cvp_settings s;
	int code = CVP_EXIT_UNKNOWN;
	if (check_offline_start(&o) == 0) {
		char err[512] = "";
		if (check_other_settings(&s, err, sizeof(err)) < 0) {
			code = check_other_unknown(r->path, err);
		} else {
			code = judge(r, &s, err, sizeof(err));
			config_model_free(&s);
		}
		snmp_shutdown(CVP_APP_NAME);
	}
	check_offline_end(&o);
	return code;
}
