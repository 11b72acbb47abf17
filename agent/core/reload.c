/* A whole configuration read and compared, off net-snmp's thread. */
#include "reload.h"
#include "catalog_index.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void reload_input_free(struct reload_input *in)
{
	for (size_t i = 0; i < in->nfiles; i++)
		free(in->files[i]);
	for (size_t i = 0; i < in->nforeign; i++)
		free(in->foreign[i]);
	free(in->files);
	free(in->must_exist);
	free(in->foreign);
	free(in->index_path);
	memset(in, 0, sizeof(*in));
}

void reload_result_free(struct reload_result *r)
{
	config_model_put(r->next);
	free(r->log);
	memset(r, 0, sizeof(*r));
}

__attribute__((format(printf, 2, 3))) static void say(struct reload_result *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = strlen(line);
	if (r->loglen + len + 2 > r->logcap) {
		size_t cap = r->logcap ? r->logcap * 2 : 1024;
		while (cap < r->loglen + len + 2)
			cap *= 2;
		char *v = realloc(r->log, cap);
		if (!v)
			return; /* the message is lost, not the reload */
		r->log = v;
		r->logcap = cap;
	}
	memcpy(r->log + r->loglen, line, len);
	r->loglen += len;
	r->log[r->loglen++] = '\n';
	r->log[r->loglen] = '\0';
}

static int foreign(void *arg, const char *token)
{
	const struct reload_input *in = arg;
	for (size_t i = 0; i < in->nforeign; i++)
		if (strcasecmp(in->foreign[i], token) == 0)
			return 1;
	return 0;
}

struct sink {
	const struct reload_input *in;
	struct reload_result *out;
};

static int sink_foreign(void *arg, const char *token)
{
	return foreign((void *)((struct sink *)arg)->in, token);
}

static void sink_error(void *arg, const char *msg)
{
	say(((struct sink *)arg)->out, "%s", msg);
}

void reload_keep_indexes(struct cvp_settings *next, const struct reload_input *in,
                         struct reload_result *out)
{
	const struct cvp_settings *old = in->old;
	const char *index_path = in->index_path;
	struct catalog_index map = {0};
	char err[4200] = "out of memory";
	int loaded = old ? catalog_index_from(&map, &old->cat)
	             : index_path
	                 ? catalog_index_load(&map, index_path, in->access, err, sizeof(err))
	                 : 0;
	if (loaded < 0)
		say(out, "cvpportd: %s; row indexes start afresh", err);
	if (catalog_index_apply(&next->cat, &map, old ? &old->cat : NULL, err, sizeof(err)) < 0)
		say(out, "cvpportd: %s: row indexes follow the configuration's order", err);
	if (in->save_index && index_path &&
	    (catalog_index_from(&map, &next->cat) < 0 ||
	     catalog_index_save(&map, index_path, in->access, err, sizeof(err)) < 0))
		say(out,
		    "cvpportd: cannot keep the row indexes (%s): a restart may renumber rows added "
		    "by configuration",
		    err);
	catalog_index_free(&map);
}

void reload_run(const struct reload_input *in, struct reload_result *out)
{
	struct sink sink = {in, out};
	struct config_reader r = {
	    .foreign = sink_foreign, .error = sink_error, .arg = &sink, .files = in->access};
	char err[256];

	memset(out, 0, sizeof(*out));
	out->log_err = 1;
	if (!(out->next = config_model_new(err, sizeof(err)))) {
		say(out, "cvpportd: %s", err);
		out->errors = 1;
		return;
	}
	for (size_t i = 0; i < in->nfiles; i++) {
		r.skip_missing = !in->must_exist[i]; /* one on the search path may not exist */
		out->errors += config_model_load_file(out->next, in->files[i], &r);
	}
	if (out->errors) {
		config_model_put(out->next);
		out->next = NULL;
		return;
	}
	out->log_err = 0;
	reload_keep_indexes(out->next, in, out);
}
