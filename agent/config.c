/* The configuration directives. net-snmp calls a directive's parser with the token and the
 * line only, so the configuration a read fills is reached through `reading`, set when the
 * directives are registered. */
#include "config.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static struct config *reading;

void config_delete(struct cvp_settings *s)
{
	if (s) {
		settings_free(s);
		free(s);
	}
}

static struct cvp_settings *settings_new(void)
{
	char err[256];
	struct cvp_settings *s = malloc(sizeof(*s));
	if (!s)
		return NULL;
	if (settings_init(s, err, sizeof(err)) < 0) {
		snmp_log(LOG_ERR, "%s\n",
		         err); /* a build defect; the tests keep it from shipping */
		free(s);
		return NULL;
	}
	return s;
}

static void parse_directive(const char *token, char *line)
{
	char err[512];
	if (!reading->pending && !(reading->pending = settings_new())) {
		reading->errors++;
		config_perror("out of memory");
		return;
	}
	if (settings_apply(reading->pending, token, line, err, sizeof(err)) != 0) {
		reading->errors++;
		config_perror(err);
	}
}

/* Called before each (re)read of the configuration: start again from the defaults. The
 * settings are made when the first directive (or the commit) needs them. */
static void config_reset(void)
{
	config_delete(reading->pending);
	reading->pending = NULL;
	reading->errors = 0;
}

void config_register(struct config *c)
{
	const char *token, *usage;

	reading = c;
	config_reset();
	/* The first directive's releaser resets the configuration before a re-read. */
	for (size_t i = 0; (token = settings_directive(i, &usage)); i++)
		register_app_config_handler(token, parse_directive, i == 0 ? config_reset : NULL,
		                            usage);
}

void config_unregister(void)
{
	const char *token, *usage;
	for (size_t i = 0; (token = settings_directive(i, &usage)); i++)
		unregister_app_config_handler(token);
	reading = NULL;
}

struct cvp_settings *config_commit(struct config *c, int *applied)
{
	*applied = 0;
	if (c->errors) {
		/* All or nothing: what is in force stays. */
		config_delete(c->pending);
		c->pending = NULL;
		return NULL;
	}
	if (!c->pending && !(c->pending = settings_new()))
		return NULL;
	struct cvp_settings *next = c->pending;
	c->pending = NULL;
	*applied = 1;
	return next;
}

int config_use_defaults(struct config *c)
{
	return (c->active = settings_new()) ? 0 : -1;
}

void config_free(struct config *c)
{
	config_delete(c->active);
	config_delete(c->pending);
	memset(c, 0, sizeof(*c));
}

/* --- the check of cvpportd's own files ------------------------------------------------------ */

/* net-snmp's own directives for this application (agentXSocket, ...) are left to net-snmp,
 * which matches tokens without regard to case (its file inclusions are refused by the strict
 * reader). agentxPingInterval is registered only once the AgentX client starts, which --check
 * never does. */
static int netsnmp_token(void *arg, const char *token)
{
	(void)arg;
	if (settings_directive_known(token))
		return 0;
	if (strcasecmp(token, "agentxPingInterval") == 0)
		return 1;
	for (struct config_line *l = read_config_get_handlers(
	         netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE));
	     l; l = l->next)
		if (strcasecmp(l->config_token, token) == 0)
			return 1;
	return 0;
}

static void log_error(void *arg, const char *msg)
{
	(void)arg;
	snmp_log(LOG_ERR, "%s\n", msg);
}

static unsigned check_file(struct cvp_settings *into, const char *path, int must_exist)
{
	struct settings_reader r = {netsnmp_token, log_error, NULL};
	struct cvp_settings scratch;
	unsigned errors;

	if (!must_exist && access(path, F_OK) != 0)
		return 0;
	if (!into) {
		char err[256];
		if (settings_init(&scratch, err, sizeof(err)) < 0) {
			snmp_log(LOG_ERR, "%s\n", err);
			return 1;
		}
	}
	errors = settings_load_file(into ? into : &scratch, path, &r);
	if (!into)
		settings_free(&scratch);
	return errors;
}

unsigned config_check_files(struct cvp_settings *into)
{
	const char *app = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE);
	const char *optional =
	    netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	unsigned errors = 0;

	/* As read_configs() finds them: APP.conf and APP.local.conf in each directory of the
	 * configuration path, then the -c files. */
	if (!netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS)) {
		char path[4096];
		char *dirs = strdup(get_configuration_directory());
		for (char *save = NULL, *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d;
		     d = strtok_r(NULL, ":", &save)) {
			snprintf(path, sizeof(path), "%s/%s.conf", d, app);
			errors += check_file(into, path, 0);
			snprintf(path, sizeof(path), "%s/%s.local.conf", d, app);
			errors += check_file(into, path, 0);
		}
		free(dirs);
	}
	if (optional) {
		char *files = strdup(optional);
		for (char *save = NULL, *f = files ? strtok_r(files, ",", &save) : NULL; f;
		     f = strtok_r(NULL, ",", &save))
			errors += check_file(into, f, 1);
		free(files);
	}
	return errors;
}
