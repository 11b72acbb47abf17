/* SNMP options read as net-snmp's snmp_parse_args reads them (snmp_options.h). */
#include "snmp_options.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

/* snmp_parse_args's getopt string (net-snmp 5.9): a letter before ':' takes a value. */
static const char known[] = "Y:VhHm:M:O:I:P:D:dv:r:t:c:Z:e:E:n:u:l:x:X:a:A:p:T:-:3:L:s:S:";
/* The options that set up the session alone, each with a value. */
static const char session[] = "vrtcZeEnulxXaA3";
/* Their values that are secrets, and -3's suboptions (those of keys are secrets). */
static const char secret[] = "cAX";
static const char v3_subs[] = "ZmMkK", v3_keys[] = "mMkK";

/* The words of options, split on blanks as cvpportd hands them to net-snmp. Returns their
 * number, or -1 when there are more than SNMP_OPTIONS_MAX_WORDS. */
static int split(const char *options, struct snmp_options_word *w)
{
	size_t n = 0;
	for (const char *p = options + strspn(options, " \t"); *p; p += strspn(p, " \t")) {
		if (n == SNMP_OPTIONS_MAX_WORDS)
			return -1;
		w[n] = (struct snmp_options_word){.start = (size_t)(p - options),
		                                  .len = strcspn(p, " \t")};
		p += w[n++].len;
	}
	return (int)n;
}

/* Why option c is not taken here (c is one net-snmp knows). */
static const char *refused(char c)
{
	if (c == '-')
		return "--NAME options set net-snmp's defaults for every session";
	if (strchr("VhH", c))
		return "an option that prints and stops";
	if (strchr("pT", c))
		return "an option net-snmp no longer takes (give TRANSPORT:HOST:PORT)";
	return "an option that changes the whole process (logging, debugging, MIBs, net-snmp's "
	       "defaults), not the session";
}

/* -3's suboption and its value, from word k at offset at: marks the word that holds the key.
 * Returns 0, or -1 with why. */
static int v3_option(const char *o, struct snmp_options_word *w, size_t n, size_t *k, size_t at,
                     char *err, size_t errlen)
{
	char sub = o[w[*k].start + at];
	if (!strchr(v3_subs, sub))
		return text_fail(err, errlen, "-3 takes Z, m, M, k or K");
	size_t v = at + 1;
	if (v < w[*k].len && o[w[*k].start + v] == '=')
		v++;
	if (v == w[*k].len) { /* the value is the next word */
		if (++*k == n)
			return text_fail(err, errlen, "-3%c without its value", sub);
		v = 0;
	}
	w[*k].option = '3';
	w[*k].sub = sub;
	w[*k].value_at = v;
	w[*k].secret = strchr(v3_keys, sub) != NULL;
	return 0;
}

/* Option c of word *i, its value at offset at of that word or the next: marked. */
static int take_value(const char *o, struct snmp_options_word *w, size_t n, size_t *i, size_t at,
                      char c, char *err, size_t errlen)
{
	size_t k = *i;
	if (at == w[k].len) {
		if (++k == n)
			return text_fail(err, errlen, "-%c without its value", c);
		at = 0;
	}
	*i = k;
	if (c == '3')
		return v3_option(o, w, n, i, at, err, errlen);
	w[k].option = c;
	w[k].value_at = at;
	w[k].secret = strchr(secret, c) != NULL;
	return 0;
}

/* Word *i, an option or a cluster of them (getopt's reading), and the value its last one takes;
 * *i moves past the words it used. */
static int read_word(const char *o, struct snmp_options_word *w, size_t n, size_t *i, char *err,
                     size_t errlen)
{
	const char *word = o + w[*i].start;
	size_t len = w[*i].len;
	if (len < 2 || word[0] != '-' || (len == 2 && word[1] == '-'))
		return text_fail(err, errlen,
		                 "a word that is no option (net-snmp would take it for the agent's "
		                 "address)");
	for (size_t j = 1; j < len; j++) {
		char c = word[j];
		const char *spec = c != ':' ? strchr(known, c) : NULL;
		if (!spec)
			return text_fail(err, errlen, "an option net-snmp does not know");
		if (!strchr(session, c))
			return text_fail(err, errlen, "-%c: %s", c, refused(c));
		if (spec[1] == ':')
			return take_value(o, w, n, i, j + 1, c, err, errlen);
	}
	return 0;
}

int snmp_options_read(const char *options, struct snmp_options_word *w, size_t *nread, char *err,
                      size_t errlen)
{
	int n = split(options, w);
	*nread = 0;
	if (n < 0)
		return text_fail(err, errlen, "more than %d words", SNMP_OPTIONS_MAX_WORDS);
	for (size_t i = 0; i < (size_t)n; i++) {
		if (read_word(options, w, (size_t)n, &i, err, errlen) < 0)
			return -1;
		*nread = i + 1;
	}
	return n;
}

int snmp_options_check(const char *options, char *err, size_t errlen)
{
	struct snmp_options_word w[SNMP_OPTIONS_MAX_WORDS];
	size_t nread;
	char why[200];
	if (snmp_options_read(options, w, &nread, why, sizeof(why)) < 0)
		return text_fail(err, errlen, "the SNMP options: %s", why);
	return 0;
}

int snmp_options_secret(const char *options)
{
	struct snmp_options_word w[SNMP_OPTIONS_MAX_WORDS];
	size_t nread;
	char err[128];
	int n = snmp_options_read(options, w, &nread, err, sizeof(err));
	for (int i = 0; i < n; i++)
		if (w[i].secret)
			return 1;
	return n < 0;
}

void snmp_options_masked(const char *options, char *buf, size_t len)
{
	struct snmp_options_word w[SNMP_OPTIONS_MAX_WORDS];
	size_t nread, used = 0;
	char err[128];
	if (!len)
		return;
	buf[0] = '\0';
	int n = snmp_options_read(options, w, &nread, err, sizeof(err));
	if (n < 0) /* every word read; the rest, and what did not split, masked whole */
		n = (int)nread + 1;
	for (size_t i = 0; i < (size_t)n && used + 1 < len; i++) {
		int known_word = i < nread;
		size_t keep = !known_word ? 0 : w[i].secret ? w[i].value_at : w[i].len;
		int masked = !known_word || w[i].secret;
		int wrote = snprintf(buf + used, len - used, "%s%.*s%s", used ? " " : "", (int)keep,
		                     options + (known_word ? w[i].start : 0), masked ? "****" : "");
		if (wrote > 0)
			used += (size_t)wrote < len - used ? (size_t)wrote : len - used - 1;
	}
}
