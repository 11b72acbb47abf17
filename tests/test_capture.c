/* Captures (capture.h) against fixtures as the tools write them: Windows' netstat -ano in
 * English (CRLF), netstat -abno in German saved by PowerShell (UTF-16LE with a BOM, a state word
 * outside ASCII, -b's process and "no owner" lines), Linux's ss -tulpn; rows by their shape, a
 * row that does not parse skipped and counted, a file with no row refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static unsigned char *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/capture/%s", FIXTURES, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *buf = malloc(65536);
	assert_non_null(buf);
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

static const struct cvp_socket *find(const struct capture *c, int proto, int family, uint16_t port)
{
	for (size_t i = 0; i < c->socks.n; i++)
		if (c->socks.v[i].proto == proto && c->socks.v[i].family == family &&
		    c->socks.v[i].port == port)
			return &c->socks.v[i];
	return NULL;
}

static void read_fixture(const char *name, enum capture_format f, struct capture *c)
{
	size_t len;
	char err[256];
	unsigned char *d = slurp(name, &len);
	memset(c, 0, sizeof(*c));
	assert_int_equal(capture_read(d, len, f, c, err, sizeof(err)), 0);
	free(d);
}

static void test_netstat_ano(void **state)
{
	struct capture c;
	(void)state;
	read_fixture("netstat-ano-en.txt", CAPTURE_AUTO, &c);
	assert_int_equal(c.format, CAPTURE_NETSTAT);
	/* 6 TCP listeners (the established row left), 3 UDP endpoints; 999.0.0.1 skipped */
	assert_int_equal(c.rows, 9);
	assert_int_equal(c.skipped, 1);
	assert_int_equal(c.named, 0);
	const struct cvp_socket *s = find(&c, CVP_TCP, 4, 135);
	assert_non_null(s);
	assert_int_equal(s->pid, 1036);
	assert_int_equal(s->holder, CVP_HOLDER_UNKNOWN); /* -o gives a pid, not a name */
	assert_non_null(find(&c, CVP_TCP, 4, 8005));
	s = find(&c, CVP_TCP, 6, 135);
	assert_int_equal(s->v6only, 1); /* Windows' [::] is IPv6's alone */
	s = find(&c, CVP_TCP, 6, 49664);
	assert_int_equal(s->ifindex, 5);
	assert_int_equal(s->addr[0], 0xfe);
	assert_non_null(find(&c, CVP_UDP, 4, 61001));
	assert_non_null(find(&c, CVP_UDP, 6, 123));
	capture_free(&c);
}

static void test_netstat_abno_utf16_german(void **state)
{
	struct capture c;
	(void)state;
	read_fixture("netstat-abno-de.utf16.txt", CAPTURE_AUTO, &c);
	assert_int_equal(c.format, CAPTURE_NETSTAT);
	assert_int_equal(c.rows, 4); /* 135, 8000, 445 listening; 5060 */
	assert_int_equal(c.named, 3);
	assert_string_equal(find(&c, CVP_TCP, 4, 135)->comm, "svchost.exe");
	const struct cvp_socket *s = find(&c, CVP_TCP, 4, 8000);
	assert_string_equal(s->comm, "Java.exe"); /* as written: not the connection's line */
	assert_int_equal(s->holder, CVP_HOLDER_PROCESS);
	assert_int_equal(s->pid, 2412);
	assert_int_equal(find(&c, CVP_TCP, 4, 445)->holder, CVP_HOLDER_UNKNOWN); /* no owner */
	assert_string_equal(find(&c, CVP_UDP, 4, 5060)->comm, "Java.exe");
	capture_free(&c);
}

/* French, UTF-8 with a BOM: a state word of two words with non-ASCII letters, the localized "no
 * owner" line, IPv6 rows. */
static void test_netstat_abno_utf8_french(void **state)
{
	struct capture c;
	(void)state;
	read_fixture("netstat-abno-fr.utf8bom.txt", CAPTURE_AUTO, &c);
	assert_int_equal(c.format, CAPTURE_NETSTAT);
	assert_int_equal(c.rows, 5);
	assert_int_equal(c.skipped, 0);
	assert_string_equal(find(&c, CVP_TCP, 4, 23)->comm, "tlntsvr.exe");
	assert_int_equal(find(&c, CVP_TCP, 4, 23)->pid, 1500);
	assert_int_equal(find(&c, CVP_TCP, 4, 8005)->holder, CVP_HOLDER_UNKNOWN);
	assert_string_equal(find(&c, CVP_TCP, 6, 7000)->comm, "java.exe");
	assert_int_equal(find(&c, CVP_UDP, 6, 5060)->pid, 2412);
	capture_free(&c);
}

static void test_ss_tulpn(void **state)
{
	struct capture c;
	(void)state;
	read_fixture("ss-tulpn.txt", CAPTURE_AUTO, &c);
	assert_int_equal(c.format, CAPTURE_SS);
	assert_int_equal(c.rows, 5); /* the established one left */
	const struct cvp_socket *s = find(&c, CVP_UDP, 4, 53);
	assert_string_equal(s->comm, "systemd-resolve");
	assert_int_equal(s->pid, 512);
	assert_int_equal(s->addr[0], 127);
	s = find(&c, CVP_TCP, 6, 7000); /* * : both families */
	assert_int_equal(s->v6only, 0);
	assert_string_equal(s->comm, "java");
	s = find(&c, CVP_TCP, 6, 22);
	assert_int_equal(s->v6only, 1);
	assert_int_equal(s->pid, 700);
	capture_free(&c);
	/* ss -H: no header, the same rows */
	size_t len;
	char err[256];
	unsigned char *d = slurp("ss-tulpn.txt", &len);
	const unsigned char *body = (const unsigned char *)strchr((char *)d, '\n') + 1;
	memset(&c, 0, sizeof(c));
	assert_int_equal(
	    capture_read(body, len - (size_t)(body - d), CAPTURE_AUTO, &c, err, sizeof(err)), 0);
	assert_int_equal(c.format, CAPTURE_SS);
	assert_int_equal(c.rows, 5);
	free(d);
	capture_free(&c);
}

/* PowerShell's objects as ConvertTo-Csv writes them (UTF-16LE: PowerShell's >), with the
 * README's one line: listeners and UDP endpoints with their process names, then netsh's dynamic
 * port range (UDP's kept). */
static void test_powershell_csv_and_netsh(void **state)
{
	struct capture c;
	(void)state;
	read_fixture("powershell.utf16.csv", CAPTURE_AUTO, &c);
	assert_int_equal(c.format, CAPTURE_POWERSHELL);
	assert_int_equal(c.rows, 7); /* the established connection left */
	assert_int_equal(c.named, 7);
	const struct cvp_socket *s = find(&c, CVP_TCP, 4, 8000);
	assert_string_equal(s->comm, "java.exe");
	assert_int_equal(s->pid, 2412);
	assert_int_equal(find(&c, CVP_TCP, 6, 135)->v6only, 1);
	assert_int_equal(find(&c, CVP_UDP, 6, 546)->ifindex, 5);
	assert_non_null(find(&c, CVP_UDP, 4, 5060));
	assert_int_equal(c.eph_low, 10000);
	assert_int_equal(c.eph_high, 10999);
	capture_free(&c);
}

/* PowerShell's objects as ConvertTo-Json writes them (Windows PowerShell 5.1's indentation,
 * UTF-16LE; State a number: 2 is Listen), escapes in a name; a truncated array: what was read,
 * the rest counted. */
static void test_powershell_json(void **state)
{
	struct capture c;
	size_t len;
	char err[256];
	(void)state;
	read_fixture("powershell.utf16.json", CAPTURE_AUTO, &c);
	assert_int_equal(c.format, CAPTURE_POWERSHELL);
	assert_int_equal(c.rows, 4); /* the established connection left */
	assert_string_equal(find(&c, CVP_TCP, 4, 8000)->comm, "java.exe");
	assert_int_equal(find(&c, CVP_TCP, 6, 135)->pid, 1036);
	assert_string_equal(find(&c, CVP_UDP, 4, 5060)->comm, "J?va \"x\".exe");
	capture_free(&c);
	unsigned char *d = slurp("powershell.utf16.json", &len);
	memset(&c, 0, sizeof(c));
	assert_int_equal(capture_read(d, len / 2, CAPTURE_AUTO, &c, err, sizeof(err)), 0);
	assert_true(c.rows >= 1 && c.rows < 4);
	free(d);
	capture_free(&c);
}

/* Nothing shaped as a row (empty, foreign, binary): refused, never "no listener"; hostile rows
 * (ports out of range, over-long fields, garbage addresses) skipped and counted. */
static void test_refused_and_hostile(void **state)
{
	struct capture c = {0};
	char err[256];
	(void)state;
	static const unsigned char empty[] = "", foreign[] = "hello\nworld\n",
	                           binary[] = {0xff, 0xfe, 0, 0xd8, 0x00, 0xdc, 0x41};
	assert_int_equal(capture_read(empty, 0, CAPTURE_AUTO, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no listener row"));
	assert_int_equal(
	    capture_read(foreign, sizeof(foreign) - 1, CAPTURE_AUTO, &c, err, sizeof(err)), -1);
	assert_int_equal(capture_read(binary, sizeof(binary), CAPTURE_AUTO, &c, err, sizeof(err)),
	                 -1);
	static const char hostile[] =
	    "  TCP    0.0.0.0:70000  0.0.0.0:0  LISTENING  1\r\n"
	    "  TCP    0.0.0.0:  0.0.0.0:0  LISTENING  1\r\n"
	    "  TCP    [::1:80  [::]:0  LISTENING  1\r\n"
	    "  UDP    0.0.0.0:99999999999999999999  *:*  1\r\n"
	    "  TCP    0.0.0.0:80  0.0.0.0:0  LISTENING  99999999999999999999\r\n";
	memset(&c, 0, sizeof(c));
	assert_int_equal(capture_read((const unsigned char *)hostile, sizeof(hostile) - 1,
	                              CAPTURE_NETSTAT, &c, err, sizeof(err)),
	                 0);
	assert_int_equal(c.rows, 1);
	assert_int_equal(c.skipped, 4);
	assert_int_equal(c.socks.v[0].pid, 0); /* a pid that is no number is none */
	capture_free(&c);
	/* a line of 1 MiB among rows: read past, the rows around it taken */
	size_t big = 1024 * 1024 + 200;
	char *huge = malloc(big);
	assert_non_null(huge);
	strcpy(huge, "  TCP    0.0.0.0:135  0.0.0.0:0  LISTENING  4\r\n  TCP    0.0.0.0:");
	size_t at = strlen(huge);
	memset(huge + at, '9', 1024 * 1024);
	at += 1024 * 1024;
	strcpy(huge + at, "  0.0.0.0:0  LISTENING  4\r\n  UDP    0.0.0.0:137  *:*  4\r\n");
	memset(&c, 0, sizeof(c));
	assert_int_equal(capture_read((const unsigned char *)huge, strlen(huge), CAPTURE_AUTO, &c,
	                              err, sizeof(err)),
	                 0);
	assert_int_equal(c.rows, 2);
	assert_int_equal(c.skipped, 1);
	assert_int_equal(c.first_skipped, 2);
	capture_free(&c);
	free(huge);
	assert_int_equal(capture_format_parse("ss"), CAPTURE_SS);
	assert_int_equal(capture_format_parse("powershell"), CAPTURE_POWERSHELL);
	assert_int_equal(capture_format_parse("json"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_netstat_ano),
	    cmocka_unit_test(test_netstat_abno_utf16_german),
	    cmocka_unit_test(test_netstat_abno_utf8_french),
	    cmocka_unit_test(test_ss_tulpn),
	    cmocka_unit_test(test_powershell_csv_and_netsh),
	    cmocka_unit_test(test_powershell_json),
	    cmocka_unit_test(test_refused_and_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
