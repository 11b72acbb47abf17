/* Escaping of untrusted names: printable ASCII out, whatever bytes come in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "text.h"

static void expect(const char *in, size_t n, const char *want)
{
	char out[TEXT_ESCAPED_SIZE(16)];
	size_t len = text_escape(in, n, out, sizeof(out));
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
}

static void test_printable_names_are_unchanged(void **state)
{
	(void)state;
	expect("java", 4, "java");
	expect("a b~!\"'%n", 9, "a b~!\"'%n");
	expect("", 0, "");
}

static void test_control_and_high_bytes_are_escaped(void **state)
{
	(void)state;
	expect("caf\xc3\xa9\x1b[31mX", 11, "caf\\xc3\\xa9\\x1b[31mX");
	expect("a\nb\tc\x7f", 6, "a\\x0ab\\x09c\\x7f");
	expect("\xff", 1, "\\xff");
}

static void test_backslash_is_escaped_so_the_form_is_unambiguous(void **state)
{
	(void)state;
	expect("a\\x41", 5, "a\\x5cx41");
}

static void test_worst_case_fits_and_output_is_bounded(void **state)
{
	char in[15], out[TEXT_ESCAPED_SIZE(15)], small[10];
	(void)state;
	memset(in, 0x80, sizeof(in));
	assert_int_equal(text_escape(in, sizeof(in), out, sizeof(out)), 60);
	assert_int_equal(strlen(out), 60);
	/* A short buffer ends before an escape that would not fit, never inside one. */
	assert_int_equal(text_escape(in, sizeof(in), small, sizeof(small)), 8);
	assert_string_equal(small, "\\x80\\x80");
	assert_int_equal(text_escape("abc", 3, small, 1), 0);
	assert_string_equal(small, "");
}

static void test_every_byte_comes_out_printable(void **state)
{
	char in[1], out[8];
	(void)state;
	for (int b = 1; b < 256; b++) {
		in[0] = (char)b;
		text_escape(in, 1, out, sizeof(out));
		for (const char *c = out; *c; c++)
			assert_true(*c >= 0x20 && *c <= 0x7e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printable_names_are_unchanged),
	    cmocka_unit_test(test_control_and_high_bytes_are_escaped),
	    cmocka_unit_test(test_backslash_is_escaped_so_the_form_is_unambiguous),
	    cmocka_unit_test(test_worst_case_fits_and_output_is_bounded),
	    cmocka_unit_test(test_every_byte_comes_out_printable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
