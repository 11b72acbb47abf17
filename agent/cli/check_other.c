/* What the checks of another host share (check_other.h). */
#include "check_other.h"
#include "app.h"
#include "portset.h"
#include "report.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

int check_other_unknown(const char *what, const char *why)
{
	printf("CVP-PORT UNKNOWN - %s: %s\n", what, why);
	return CVP_EXIT_UNKNOWN;
}

int check_other_settings(struct cvp_settings *s, char *why, size_t whylen)
{
	if (config_model_init(s, why, whylen) < 0)
		return -1;
	unsigned errors = app_check_files(s);
	/* (the configuration's callbacks would scan this host when net-snmp reads it) */
	app_free();
	if (!errors)
		return 0;
	config_model_free(s);
	return text_fail(why, whylen, "%u configuration error(s), nothing checked", errors);
}

int check_other_range(const char *text, const char *option, uint16_t range[2], char *why,
                      size_t whylen)
{
	int used;
	if (!portset_parse_range(text, &range[0], &range[1], &used) || text[used])
		return text_fail(why, whylen, "%s takes LOW-HIGH (1 to 65535)", option);
	return 0;
}

int check_other_print(const char *name, const struct cvp_catalog *cat, const struct host_answer *a,
                      int json)
{
	struct cvp_snapshot *snap = host_state_evaluate(cat, NULL, a);
	if (!snap)
		return check_other_unknown(name, "out of memory");
	snap->host = name;
	int code = json ? report_print_json(stdout, snap) : report_print(stdout, snap);
	snapshot_free(snap);
	return code;
}
