/* Catalogue text read by the strict reader: the embedded default, files, the tests' texts. */
#include "catalog_load.h"
#include "catalog.h"
#include "config_reader.h"

#include <stdio.h>
#include <string.h>

/* The first error of a read, in the caller's buffer. */
struct first_error {
	char *err;
	size_t errlen;
	unsigned seen;
};

static void keep_first(void *arg, const char *msg)
{
	struct first_error *f = arg;
	if (!f->seen++)
		snprintf(f->err, f->errlen, "%s", msg);
}

static int apply_directive(void *target, const char *origin, unsigned line, const char *token,
                           const char *args, char *err, size_t errlen)
{
	struct cvp_catalog *cat = target;
	catalog_set_origin(cat, origin, line);
	int rc = catalog_apply(cat, token, args, err, errlen);
	catalog_set_origin(cat, NULL, 0);
	return rc;
}

/* Reads TEXT named ORIGIN, or the file ORIGIN when text is NULL, into cat. */
static int load(struct cvp_catalog *cat, const char *text, const char *origin, char *err,
                size_t errlen)
{
	struct first_error f = {err, errlen, 0};
	const struct config_reader r = {
	    .apply = apply_directive, .target = cat, .error = keep_first, .arg = &f};
	unsigned errors = text ? config_reader_text(&r, text, strlen(text), origin)
	                       : config_reader_file(&r, origin);
	return errors ? -1 : 0;
}

int catalog_load_text(struct cvp_catalog *cat, const char *text, const char *origin, char *err,
                      size_t errlen)
{
	return load(cat, text, origin, err, errlen);
}

int catalog_load_file(struct cvp_catalog *cat, const char *path, char *err, size_t errlen)
{
	return load(cat, NULL, path, err, errlen);
}

int catalog_load_default(struct cvp_catalog *cat, char *err, size_t errlen)
{
	catalog_free(cat);
	catalog_init(cat);
	return catalog_load_text(cat, catalog_default_text, "default catalogue", err, errlen);
}
