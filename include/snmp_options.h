/* SNMP options as snmpget takes them (cvpHost's, --snmp), read the way net-snmp's own parser
 * reads them: snmp_parse_args is getopt over one option string, so flags cluster (-dc), a value
 * is attached (-cpublic) or the next word, and -3 takes a suboption with its value (-3m KEY,
 * -3m=KEY, -3mKEY). A word is a secret by what the parser does with it (the value of -c, -A, -X,
 * -3m, -3M, -3k, -3K), never by how it is spelled. Only options that set up the session are
 * accepted: the others change the whole process (logging, debugging, MIB loading, net-snmp's
 * defaults for every session) or print and stop, and a word that is no option would be taken
 * for the agent's address. No net-snmp here: tests/test_snmp_options.c holds it to the real
 * parser. */
#ifndef SNMP_OPTIONS_H
#define SNMP_OPTIONS_H

#include <stddef.h>

#define SNMP_OPTIONS_MAX_WORDS 62

struct snmp_options_word {
	size_t start, len; /* where in the options string */
	char option;       /* the option whose value this word holds or starts; 0: none */
	char sub;          /* -3's suboption letter, when option is '3' */
	size_t value_at;   /* where in the word that value starts */
	int secret;        /* the value is a secret */
};

/* Reads options into words (every word, as far as it can read). Returns the number of words, or
 * -1 with the reason in err (never quoting a word): more than SNMP_OPTIONS_MAX_WORDS words, an
 * option net-snmp does not know, one without its value, one that changes the whole process, a
 * word that is no option. *nread: the words classified before the error (what masking uses). */
int snmp_options_read(const char *options, struct snmp_options_word *w, size_t *nread, char *err,
                      size_t errlen);
/* Whether net-snmp reads options as they are meant: 0, or -1 with "the SNMP options: why" in err.
 */
int snmp_options_check(const char *options, char *err, size_t errlen);
/* Whether options hold a secret; 1 too when they cannot be read (no telling what they hold). */
int snmp_options_secret(const char *options);
/* The options with each secret value replaced by "****" (its option kept: -c****), and every word
 * past what could be read replaced whole; for --check-config and every message. */
void snmp_options_masked(const char *options, char *buf, size_t len);

#endif
