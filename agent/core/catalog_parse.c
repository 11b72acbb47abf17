/* The catalogue directives' words: tokens, names, texts, enumerations, port sets. */
#include "catalog_parse.h"
#include "enums.h"
#include "text.h"

#include <string.h>

/* Splits args into whitespace-separated words; "..." quotes a word, with \" and \\ inside. */
int catalog_parse_tokens(const char *args, struct catalog_tokens *t, char *err, size_t errlen)
{
	const char *p = args;
	char *o = t->buf, *end = t->buf + sizeof(t->buf) - 1;

	t->n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			return 0;
		if (t->n == CATALOG_MAX_TOKENS)
			return text_fail(err, errlen, "too many words (at most %d)",
			                 CATALOG_MAX_TOKENS);
		t->v[t->n++] = o;
		if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (!*p)
					return text_fail(err, errlen, "unterminated quoted string");
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				if (o == end)
					return text_fail(err, errlen, "line too long");
				*o++ = *p;
			}
			p++;
			if (*p && *p != ' ' && *p != '\t')
				return text_fail(err, errlen, "text after closing quote");
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
				if (o == end)
					return text_fail(err, errlen, "line too long");
				*o++ = *p++;
			}
		}
		if (o == end)
			return text_fail(err, errlen, "line too long");
		*o++ = '\0';
	}
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

int catalog_parse_name_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= CVP_NAME_LEN)
		return 0;
	for (const char *c = name; *c; c++)
		if (!name_char(*c))
			return 0;
	return 1;
}

int catalog_parse_name(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);
	if (len == 0 || len >= CVP_NAME_LEN)
		return text_fail(err, errlen, "name '%s' must be 1 to %d characters", name,
		                 CVP_NAME_LEN - 1);
	if (!catalog_parse_name_valid(name))
		return text_fail(err, errlen,
		                 "name '%s' may hold only letters, digits, '-', '_', '.'", name);
	return 0;
}

int catalog_parse_text(const char *what, const char *s, char *err, size_t errlen)
{
	if (strlen(s) > CATALOG_MAX_TEXT)
		return text_fail(err, errlen, "%s is longer than %d characters", what,
		                 CATALOG_MAX_TEXT);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			return text_fail(err, errlen, "%s must be printable ASCII (DisplayString)",
			                 what);
	return 0;
}

int catalog_parse_enum(int (*parse)(const char *, uint8_t *), const char *what, const char *s,
                       const char *choices, uint8_t *out, char *err, size_t errlen)
{
	if (parse(s, out) < 0)
		return text_fail(err, errlen, "bad %s '%s' (expected %s)", what, s, choices);
	return 0;
}

int catalog_parse_ports(const char *s, struct cvp_port_set *ps, char *err, size_t errlen)
{
	if (portset_parse(s, ps) < 0)
		return text_fail(err, errlen,
		                 "bad port set '%s' (expected N, N-M or N-M/STRIDE, 1-65535)", s);
	if ((ps->high - ps->low) % ps->stride)
		return text_fail(err, errlen, "stride %u does not reach %u from %u", ps->stride,
		                 ps->high, ps->low);
	return 0;
}

int catalog_parse_roles(char *list, unsigned *roles, char *err, size_t errlen)
{
	for (char *save = NULL, *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		uint8_t role;
		if (catalog_parse_enum(
		        enum_role_parse, "role", w,
		        "callserver|vxml|reporting|oamp|media|common|snmp|mgmt|windows", &role, err,
		        errlen) < 0)
			return -1;
		*roles |= 1u << role;
	}
	return 0;
}
