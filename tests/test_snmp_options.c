/* SNMP options read as net-snmp reads them (snmp_options.h), held to net-snmp's own parser:
 * for every line of a corpus (separate and attached values, clusters, -3 suboptions, long
 * options, -Y, words that are no option) the words snmp_parse_args blanks (the values of -c,
 * -A and -X: net-snmp zeroes them in argv) are the words snmp_options_read marks as those
 * options' values, at the same offset, and a -3 key the reader marks as a secret is a key the
 * session holds; what the reader accepts, net-snmp accepts. Then what is refused and why, and
 * the masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snmp_options.h"

static const char *const corpus[] = {
    "-v2c -c secret",
    "-v2c -csecret",
    "-v 2c -c secret -t 2 -r 1",
    "-v1 -c s3 -t2 -r0",
    "-v3 -u mon -l authPriv -a SHA -A authpass -x AES -X privpass",
    "-v3 -umon -lauthPriv -aSHA -Aauthpass -xAES -Xprivpass",
    "-v3 -u mon -l authNoPriv -a SHA -A -c",
    "-v3 -u -c -l noAuthNoPriv",
    "-v3 -u mon -l authNoPriv -a SHA -3m 0x0102030405060708090a0b0c0d0e0f10",
    "-v3 -u mon -l authNoPriv -a SHA -3m=0x0102030405060708090a0b0c0d0e0f10",
    "-v3 -u mon -l authNoPriv -a SHA -3m0x0102030405060708090a0b0c0d0e0f10",
    "-v3 -u mon -l authNoPriv -a SHA -3 m 0x0102030405060708090a0b0c0d0e0f10",
    "-v3 -u mon -l authNoPriv -a SHA -3 m0x0102030405060708090a0b0c0d0e0f10",
    ("-v3 -u mon -l authPriv -a SHA -x AES -3k 0x0102030405060708090a0b0c0d0e0f1011121314 -3K "
     "0x0102030405060708090a0b0c0d0e0f10"), /* (one line, in two) */
    "-v3 -e 0x80001f8880c0ffee0000000001 -u mon -l authNoPriv -a SHA -A authpass",
    "-v3 -E 0x80001f8880c0ffee0000000001 -n ctx -u mon -l noAuthNoPriv",
    "-v3 -Z 1,2 -u mon -l noAuthNoPriv",
    "-c -v2c",
    "-t 1 -c -A",
    "-v2c -c a -c b",
};

/* What net-snmp's parser does with "PROG OPTIONS 127.0.0.1": its result, and for each word of
 * the options the offset of the first byte it blanked (the word's length: none). */
static int real_parse(const char *options, size_t *blanked, size_t nwords, netsnmp_session *s)
{
	char *copy = strdup(options), *argv[SNMP_OPTIONS_MAX_WORDS + 3],
	     *words[SNMP_OPTIONS_MAX_WORDS];
	char prog[] = "test", agent[] = "127.0.0.1";
	size_t len[SNMP_OPTIONS_MAX_WORDS], n = 0;
	argv[0] = prog;
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		words[n] = w;
		len[n] = strlen(w);
		argv[++n] = w;
	}
	assert_int_equal(n, nwords);
	argv[n + 1] = agent;
	argv[n + 2] = NULL;
	fflush(stderr);
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	int rc = snmp_parse_args((int)n + 2, argv, s, "", NULL);
	dup2(saved, 2);
	close(saved);
	close(null);
	for (size_t i = 0; i < n; i++) {
		blanked[i] = len[i];
		for (size_t k = 0; k < len[i]; k++)
			if (words[i][k] == '\0') {
				blanked[i] = k;
				break;
			}
	}
	free(copy);
	return rc;
}

/* What snmp_parse_args allocated for s (valgrind runs this test). */
static void session_free(netsnmp_session *s)
{
	if (s->version == SNMP_VERSION_1 || s->version == SNMP_VERSION_2c)
		free(s->community);
	free(s->securityEngineID);
	free(s->contextEngineID);
	free(s->securityAuthLocalKey);
	free(s->securityPrivLocalKey);
}

/* Every corpus line: the reader's values of -c, -A, -X are what net-snmp blanks, its -3
 * keys are keys the session holds, and it accepts only what net-snmp accepts. */
static void test_same_as_net_snmp(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(corpus) / sizeof(*corpus); c++) {
		struct snmp_options_word w[SNMP_OPTIONS_MAX_WORDS];
		size_t nread, blanked[SNMP_OPTIONS_MAX_WORDS];
		char err[256];
		netsnmp_session s;
		int n = snmp_options_read(corpus[c], w, &nread, err, sizeof(err));
		print_message("%s: %s\n", corpus[c], n < 0 ? err : "accepted");
		int rc = real_parse(corpus[c], blanked, n < 0 ? nread : (size_t)n, &s);
		if (n < 0) {
			session_free(&s);
			continue; /* (nread words only: the reader stopped) */
		}
		int keys = 0;
		for (int i = 0; i < n; i++) {
			int zeroed = w[i].option && strchr("cAX", w[i].option);
			assert_int_equal(blanked[i], zeroed ? w[i].value_at : w[i].len);
			keys += w[i].option == '3' && w[i].secret;
		}
		if (rc >= 0 && keys)
			assert_true(s.securityAuthKeyLen > 0 || s.securityPrivKeyLen > 0 ||
			            s.securityAuthLocalKeyLen > 0 || s.securityPrivLocalKeyLen > 0);
		session_free(&s);
		if (s.version != SNMP_VERSION_3 && !strstr(corpus[c], "-c"))
			continue; /* (v1/v2c without a community: net-snmp refuses, rightly) */
		if (strstr(corpus[c], "-c -v2c") || strstr(corpus[c], "-u -c") ||
		    strstr(corpus[c], "-A -c") || strstr(corpus[c], "-c -A"))
			continue; /* (a value that looks like an option: both read it as the value)
			           */
		assert_true(rc >= 0);
	}
}

static void refused(const char *options, const char *why)
{
	struct snmp_options_word w[SNMP_OPTIONS_MAX_WORDS];
	size_t nread;
	char err[256];
	assert_int_equal(snmp_options_read(options, w, &nread, err, sizeof(err)), -1);
	assert_string_equal(err, why);
	assert_true(snmp_options_secret(options)); /* cannot tell: held for one */
}

/* Options that change the whole process, print and stop, or are not options, are refused with
 * why, never quoting a word. */
static void test_refused(void **state)
{
	const char *whole = "an option that changes the whole process (logging, debugging, MIBs, "
	                    "net-snmp's defaults), not the session";
	char msg[256];
	(void)state;
	snprintf(msg, sizeof(msg), "-L: %s", whole);
	refused("-v2c -c x -Lf /etc/shadow", msg);
	snprintf(msg, sizeof(msg), "-d: %s", whole);
	refused("-dc secret", msg);
	snprintf(msg, sizeof(msg), "-Y: %s", whole);
	refused("-Y defAuthPassphrase=secret", msg);
	snprintf(msg, sizeof(msg), "-m: %s", whole);
	refused("-m ALL", msg);
	refused("--defCommunity=secret",
	        "--: --NAME options set net-snmp's defaults for every session");
	refused("-h", "-h: an option that prints and stops");
	refused("-v2c -c x secret", "a word that is no option (net-snmp would take it for the "
	                            "agent's address)");
	refused("-v2c -- -c x", "a word that is no option (net-snmp would take it for the agent's "
	                        "address)");
	refused("-v2c -Q", "an option net-snmp does not know");
	refused("-v3 -u x -3q 12", "-3 takes Z, m, M, k or K");
	refused("-v3 -u x -3m", "-3m without its value");
	refused("-v2c -c", "-c without its value");
}

static void masked(const char *options, const char *want)
{
	char buf[512];
	snmp_options_masked(options, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* A secret is masked where the parser takes it, attached or not, its option kept; what cannot be
 * read is masked whole. */
static void test_masked(void **state)
{
	(void)state;
	assert_false(snmp_options_secret("-v3 -u mon -l noAuthNoPriv -t 2 -r 1"));
	assert_false(snmp_options_secret(""));
	assert_true(snmp_options_secret("-v2c -c public"));
	masked("-v3 -u mon -A pass -Xpriv -3k 0x12 -3M=0x34 -t 2",
	       "-v3 -u mon -A **** -X**** -3k **** -3M=**** -t 2");
	masked("-v3 -u -c -A -c", "-v3 -u -c -A ****"); /* -c as -u's and -A's values */
	masked("-v3 -u mon -3 m0x12 -3 k 0x34", "-v3 -u mon -3 m**** -3 k ****");
	masked("-v2c -c sec -dc sec2 -t 1", "-v2c -c **** ****"); /* refused from -d on */
	masked("-c", "****");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_as_net_snmp),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_masked),
	};
	setenv("MIBS", "", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
