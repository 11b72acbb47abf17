/* The configuration directives. net-snmp calls a directive's parser with the token and the
 * line only, so the configuration a read fills is reached through `reading`, set when the
 * directives are registered. */
#include "config.h"
#include "collector.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdlib.h>
#include <string.h>

static struct config *reading;

struct cvp_catalog *config_default_catalog(void)
{
	char err[256];
	struct cvp_catalog *cat = malloc(sizeof(*cat));
	if (!cat)
		return NULL;
	catalog_init(cat);
	if (catalog_load_default(cat, err, sizeof(err)) < 0) {
		snmp_log(LOG_ERR, "%s\n",
		         err); /* a build defect; the tests keep it from shipping */
		config_delete_catalog(cat);
		return NULL;
	}
	return cat;
}

void config_delete_catalog(struct cvp_catalog *cat)
{
	if (cat) {
		catalog_free(cat);
		free(cat);
	}
}

static void report_error(const char *msg)
{
	reading->errors++;
	config_perror(msg);
}

static void parse_catalog_directive(const char *token, char *line)
{
	char err[512];
	if (!reading->pending && !(reading->pending = config_default_catalog())) {
		report_error("out of memory");
		return;
	}
	if (catalog_apply(reading->pending, token, line, err, sizeof(err)) < 0)
		report_error(err);
}

static void parse_scan_source(const char *token, char *line)
{
	static const char *const modes[] = {
	    [CVP_SCAN_AUTO] = "auto", [CVP_SCAN_NETLINK] = "netlink", [CVP_SCAN_PROCFS] = "procfs"};
	char word[16] = "";
	(void)token;
	if (sscanf(line, "%15s", word) == 1)
		for (int m = 0; m < (int)(sizeof(modes) / sizeof(modes[0])); m++)
			if (strcmp(word, modes[m]) == 0) {
				reading->pending_scan_mode = m;
				return;
			}
	report_error("cvpScanSource takes auto, netlink or procfs");
}

/* A whole number from min to max, alone on the line (after the token). */
static int parse_number(const char *line, long min, long max, long *out, char **rest)
{
	char *end;
	long v = strtol(line, &end, 10);
	if (end == line || v < min || v > max)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (rest)
		*rest = end;
	else if (*end)
		return -1;
	*out = v;
	return 0;
}

static void parse_refresh(const char *token, char *line)
{
	long v;
	(void)token;
	if (parse_number(line, 1, 3600, &v, NULL) < 0)
		report_error("cvpRefresh takes a number of seconds from 1 to 3600");
	else
		reading->pending_refresh = (unsigned)v;
}

static void parse_trap_holddown(const char *token, char *line)
{
	long v;
	(void)token;
	if (parse_number(line, 1, NOTIFY_HOLDDOWN_MAX, &v, NULL) < 0)
		report_error("cvpTrapHoldDown takes a number of scans from 1 to 100");
	else
		reading->pending_notify.holddown = (unsigned)v;
}

static void parse_trap_rate_limit(const char *token, char *line)
{
	long count, seconds;
	char *rest;
	(void)token;
	if (parse_number(line, 1, NOTIFY_RATE_COUNT_MAX, &count, &rest) < 0 ||
	    parse_number(rest, 1, NOTIFY_RATE_SECONDS_MAX, &seconds, NULL) < 0) {
		report_error("cvpTrapRateLimit takes COUNT (1 to 10000) and SECONDS (1 to 86400)");
		return;
	}
	reading->pending_notify.rate_count = (unsigned)count;
	reading->pending_notify.rate_seconds = (unsigned)seconds;
}

static void parse_trap_on_start(const char *token, char *line)
{
	char word[8] = "", extra[2] = "";
	(void)token;
	int n = sscanf(line, "%7s %1s", word, extra);
	if (n == 1 && strcmp(word, "yes") == 0)
		reading->pending_notify.on_start = 1;
	else if (n == 1 && strcmp(word, "no") == 0)
		reading->pending_notify.on_start = 0;
	else
		report_error("cvpTrapOnStart takes yes or no");
}

/* Called before each (re)read of the configuration: start again from the defaults. The
 * catalogue is made when the first directive (or the commit) needs it. */
static void config_reset(void)
{
	config_delete_catalog(reading->pending);
	reading->pending = NULL;
	reading->pending_refresh = CONFIG_REFRESH_DEFAULT;
	reading->pending_scan_mode = CVP_SCAN_AUTO;
	notify_config_default(&reading->pending_notify);
	reading->errors = 0;
}

void config_register(struct config *c)
{
	const char *token, *usage;

	reading = c;
	config_reset();
	/* The first catalogue directive's releaser resets the configuration before a re-read. */
	for (size_t i = 0; (token = catalog_directive(i, &usage)); i++)
		register_app_config_handler(token, parse_catalog_directive,
		                            i == 0 ? config_reset : NULL, usage);
	register_app_config_handler("cvpRefresh", parse_refresh, NULL, "SECONDS");
	register_app_config_handler("cvpScanSource", parse_scan_source, NULL,
	                            "auto|netlink|procfs");
	register_app_config_handler("cvpTrapHoldDown", parse_trap_holddown, NULL, "SCANS");
	register_app_config_handler("cvpTrapRateLimit", parse_trap_rate_limit, NULL,
	                            "COUNT SECONDS");
	register_app_config_handler("cvpTrapOnStart", parse_trap_on_start, NULL, "yes|no");
}

void config_unregister(void)
{
	const char *token, *usage;
	for (size_t i = 0; (token = catalog_directive(i, &usage)); i++)
		unregister_app_config_handler(token);
	unregister_app_config_handler("cvpRefresh");
	unregister_app_config_handler("cvpScanSource");
	unregister_app_config_handler("cvpTrapHoldDown");
	unregister_app_config_handler("cvpTrapRateLimit");
	unregister_app_config_handler("cvpTrapOnStart");
	reading = NULL;
}

struct cvp_catalog *config_commit(struct config *c, int *ok)
{
	*ok = 1;
	if (!c->pending && !(c->pending = config_default_catalog())) {
		*ok = 0;
		return NULL;
	}
	struct cvp_catalog *old = c->active;
	c->active = c->pending;
	c->pending = NULL;
	c->refresh_seconds = c->pending_refresh;
	c->scan_mode = c->pending_scan_mode;
	c->notify = c->pending_notify;
	return old;
}

void config_free(struct config *c)
{
	config_delete_catalog(c->active);
	config_delete_catalog(c->pending);
	memset(c, 0, sizeof(*c));
}
