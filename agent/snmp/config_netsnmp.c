/* The configuration directives. net-snmp calls a directive's parser with the token and the
 * line only, so the configuration a read fills is reached through `reading`, set when the
 * directives are registered. */
#include "config_netsnmp.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static struct config_netsnmp *reading;

static struct cvp_settings *new_settings(void)
{
	char err[256];
	struct cvp_settings *s = config_model_new(err, sizeof(err));
	if (!s)
		snmp_log(LOG_ERR, "cvpportd: %s\n", err); /* out of memory, or a build defect */
	return s;
}

static void parse_directive(const char *token, char *line)
{
	char err[512];
	if (!reading->pending && !(reading->pending = new_settings())) {
		reading->errors++;
		config_perror("out of memory");
		return;
	}
	if (config_model_apply(reading->pending, token, line, err, sizeof(err)) != 0) {
		reading->errors++;
		config_perror(err);
	}
}

/* Called before each (re)read of the configuration: start again from the defaults. The
 * settings are made when the first directive (or the commit) needs them. */
static void config_netsnmp_reset(void)
{
	config_model_put(reading->pending);
	reading->pending = NULL;
	reading->errors = 0;
}

void config_netsnmp_register(struct config_netsnmp *c)
{
	const char *token, *usage;

	reading = c;
	config_netsnmp_reset();
	/* The first directive's releaser resets the configuration before a re-read. */
	for (size_t i = 0; (token = config_model_directive(i, &usage)); i++)
		register_app_config_handler(token, parse_directive,
		                            i == 0 ? config_netsnmp_reset : NULL, usage);
}

void config_netsnmp_unregister(void)
{
	const char *token, *usage;
	for (size_t i = 0; (token = config_model_directive(i, &usage)); i++)
		unregister_app_config_handler(token);
	reading = NULL;
}

struct cvp_settings *config_netsnmp_commit(struct config_netsnmp *c, int *applied)
{
	*applied = 0;
	if (c->errors) {
		/* All or nothing: what is in force stays. */
		config_model_put(c->pending);
		c->pending = NULL;
		return NULL;
	}
	if (!c->pending && !(c->pending = new_settings()))
		return NULL;
	struct cvp_settings *next = c->pending;
	c->pending = NULL;
	*applied = 1;
	return next;
}

int config_netsnmp_use_defaults(struct config_netsnmp *c)
{
	return (c->active = new_settings()) ? 0 : -1;
}

void config_netsnmp_free(struct config_netsnmp *c)
{
	config_model_put(c->active);
	config_model_put(c->pending);
	memset(c, 0, sizeof(*c));
}

/* --- the check of cvpportd's own files ------------------------------------------------------ */

/* The files net-snmp reads for cvpportd, as read_configs() finds them: APP.conf and
 * APP.local.conf in each directory of the configuration path (unless -C), then the -c files. */
static int add_file(struct reload_input *in, const char *path, int must_exist)
{
	char **f = realloc(in->files, (in->nfiles + 1) * sizeof(*f));
	if (f)
		in->files = f;
	uint8_t *m = realloc(in->must_exist, in->nfiles + 1);
	if (m)
		in->must_exist = m;
	if (!f || !m || !(in->files[in->nfiles] = strdup(path)))
		return -1;
	in->must_exist[in->nfiles++] = (uint8_t)must_exist;
	return 0;
}

static int add_foreign(struct reload_input *in, const char *token)
{
	char **v = realloc(in->foreign, (in->nforeign + 1) * sizeof(*v));
	if (!v)
		return -1;
	in->foreign = v;
	if (!(in->foreign[in->nforeign] = strdup(token)))
		return -1;
	in->nforeign++;
	return 0;
}

void config_netsnmp_index_path(char *buf, size_t len)
{
	const char *dir =
	    reading && reading->state_dir ? reading->state_dir : get_persistent_directory();
	snprintf(buf, len, "%s/cvpportd-index", dir);
}

void config_netsnmp_log_reloaded(const struct cvp_settings *old, const struct cvp_settings *next)
{
	unsigned added, removed, changed;
	char more[512];
	config_model_diff(old, next, &added, &removed, &changed);
	config_model_describe_changes(old, next, more, sizeof(more));
	snmp_log(LOG_INFO,
	         "cvpportd: configuration reloaded: %u row(s) added, %u removed, %u changed%s\n",
	         added, removed, changed, more);
}

int config_netsnmp_reload_input(struct reload_input *in, const struct cvp_settings *old, int save)
{
	const char *app = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE);
	const char *optional =
	    netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	char path[4096];
	int rc = 0;

	memset(in, 0, sizeof(*in));
	in->old = old;
	in->save_index = save;
	in->access = reading ? reading->files : NULL;
	config_netsnmp_index_path(path, sizeof(path));
	rc |= !(in->index_path = strdup(path));
	if (!netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS)) {
		char *dirs = strdup(get_configuration_directory());
		rc |= !dirs;
		for (char *save_ = NULL, *d = dirs ? strtok_r(dirs, ":", &save_) : NULL; d;
		     d = strtok_r(NULL, ":", &save_)) {
			snprintf(path, sizeof(path), "%s/%s.conf", d, app);
			rc |= add_file(in, path, 0);
			snprintf(path, sizeof(path), "%s/%s.local.conf", d, app);
			rc |= add_file(in, path, 0);
		}
		free(dirs);
	}
	if (optional) {
		char *files = strdup(optional);
		rc |= !files;
		for (char *save_ = NULL, *f = files ? strtok_r(files, ",", &save_) : NULL; f;
		     f = strtok_r(NULL, ",", &save_))
			rc |= add_file(in, f, 1);
		free(files);
	}
	/* net-snmp's own directives for this application are left to net-snmp (it matches them
	 * without regard to case). agentxPingInterval is registered only once the AgentX client
	 * starts, which --check never does. */
	rc |= add_foreign(in, "agentxPingInterval");
	for (struct config_line *l = read_config_get_handlers(app); l; l = l->next)
		if (!config_model_directive_known(l->config_token))
			rc |= add_foreign(in, l->config_token);
	if (rc) {
		reload_input_free(in);
		return -1;
	}
	return 0;
}

/* Logs what a reload collected, one line at a time. */
void config_netsnmp_log(const struct reload_result *r)
{
	for (const char *p = r->log; p && *p;) {
		const char *nl = strchr(p, '\n');
		int len = (int)(nl ? nl - p : (long)strlen(p));
		snmp_log(r->log_err ? LOG_ERR : LOG_WARNING, "%.*s\n", len, p);
		p += len + (nl != NULL);
	}
}

unsigned config_netsnmp_check_files(struct cvp_settings *into)
{
	struct reload_input in;
	struct reload_result out = {0};
	if (config_netsnmp_reload_input(&in, NULL, 0) < 0) {
		snmp_log(LOG_ERR, "cvpportd: out of memory\n");
		return 1;
	}
	reload_run(&in, &out);
	config_netsnmp_log(&out);
	unsigned errors = out.errors;
	if (into && out.next) {
		config_model_free(into);
		*into = *out.next; /* taken over */
		free(out.next);
		out.next = NULL;
	}
	reload_result_free(&out);
	reload_input_free(&in);
	return errors;
}
