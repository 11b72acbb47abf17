/* libFuzzer target: a configuration file's text through the strict reader and every directive
 * parser, on top of the embedded catalogue. */
#include <stdlib.h>
#include <string.h>

#include "config_model.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void ignore(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const struct config_reader r = {.error = ignore};
	struct cvp_settings s;
	char err[256];
	char *text;

	if (size > CONF_FILE_MAX || !(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (config_model_init(&s, err, sizeof(err)) == 0) {
		config_model_load_text(&s, text, size, "fuzz", &r);
		config_model_free(&s);
	}
	free(text);
	return 0;
}
