/* The words of a catalogue directive, each checked with a message that says what is wrong:
 * the line split into tokens ("..." quotes one), a row name, a DisplayString text, an
 * enumeration's label, a port set. Every function returns 0, or -1 with the message in err. */
#ifndef CATALOG_PARSE_H
#define CATALOG_PARSE_H

#include "portset.h"

#include <stddef.h>
#include <stdint.h>

#define CVP_NAME_LEN 32 /* a row name, with its NUL */

#define CATALOG_MAX_TOKENS 12
#define CATALOG_MAX_TEXT 255 /* DisplayString */

struct catalog_tokens {
	char *v[CATALOG_MAX_TOKENS];
	int n;
	char buf[1024];
};

/* Splits args into whitespace-separated words; "..." quotes a word, with \" and \\ inside. */
int catalog_parse_tokens(const char *args, struct catalog_tokens *t, char *err, size_t errlen);
/* Whether name is a row name: 1 to CVP_NAME_LEN - 1 letters, digits, '-', '_', '.'. */
int catalog_parse_name_valid(const char *name);
int catalog_parse_name(const char *name, char *err, size_t errlen);
/* what (the field's name, for the message) must be printable ASCII of at most
 * CATALOG_MAX_TEXT characters. */
int catalog_parse_text(const char *what, const char *s, char *err, size_t errlen);
/* s parsed by parse (an enum_*_parse) into *out; choices lists the labels for the message. */
int catalog_parse_enum(int (*parse)(const char *, uint8_t *), const char *what, const char *s,
                       const char *choices, uint8_t *out, char *err, size_t errlen);
int catalog_parse_ports(const char *s, struct cvp_port_set *ps, char *err, size_t errlen);
/* A comma-separated list of roles (callserver, vxml, ...) into a bit set (1 << enum cvp_role),
 * added to *roles. list is modified. */
int catalog_parse_roles(char *list, unsigned *roles, char *err, size_t errlen);

#endif
