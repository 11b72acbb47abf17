/* Row identity: cvpPortIndex by name across reloads and restarts, and the strict reading of the
 * saved map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog_index.h"
#include "catalog_load.h"

/* A catalogue of the given directives over an empty one (no embedded rows: short indexes). */
static void load(struct cvp_catalog *cat, const char *text)
{
	char err[256];
	catalog_init(cat);
	if (catalog_load_text(cat, text, "test", err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

#define ROW(name) "cvpPort " name " tcp 1000 all optional inbound mgmt \"" name "\"\n"

/* What the index of NAME is (0: none, or removed). */
static size_t index_of(const struct cvp_catalog *cat, const char *name)
{
	const struct cvp_row *r = catalog_find(cat, name);
	return r ? (size_t)(r - cat->rows) + 1 : 0;
}

/* old -> new configuration, as a reload does it; LATER (or NULL) is a second file's text. */
static void reload_files(struct cvp_catalog *old, struct cvp_catalog *next, const char *text,
                         const char *later)
{
	struct catalog_index m = {0};
	char err[256];
	load(next, text);
	if (later && catalog_load_text(next, later, "later", err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(catalog_index_from(&m, old), 0);
	assert_int_equal(catalog_index_apply(next, &m, old, err, sizeof(err)), 0);
	catalog_index_free(&m);
}

static void reload(struct cvp_catalog *old, struct cvp_catalog *next, const char *text)
{
	reload_files(old, next, text, NULL);
}

static void test_deleting_a_row_moves_no_other(void **state)
{
	struct cvp_catalog a, b, c, d;
	(void)state;
	load(&a, ROW("one") ROW("two") ROW("three"));
	reload(&a, &b, ROW("two") ROW("three"));
	assert_int_equal(index_of(&b, "two"), 2);
	assert_int_equal(index_of(&b, "three"), 3);
	assert_int_equal(b.n, 3);
	assert_true(b.rows[0].removed); /* index 1 stays one's, empty */
	assert_string_equal(b.rows[0].name, "one");
	assert_string_equal(b.rows[0].listener, "one"); /* its last values, for a closing word */
	/* a new name takes a new index, never a gone one's */
	reload(&b, &c, ROW("three") ROW("four"));
	assert_int_equal(index_of(&c, "three"), 3);
	assert_int_equal(index_of(&c, "four"), 4);
	/* the gone name comes back: its own index again */
	reload(&c, &d, ROW("one") ROW("four") ROW("three"));
	assert_int_equal(index_of(&d, "one"), 1);
	assert_int_equal(index_of(&d, "three"), 3);
	assert_int_equal(index_of(&d, "four"), 4);
	assert_int_equal(catalog_active_count(&d), 3);
	catalog_free(&a);
	catalog_free(&b);
	catalog_free(&c);
	catalog_free(&d);
}

/* cvpPortRemove keeps the slot; a cvpPort of the same name later (in a later file: one file
 * may not define a row twice) is the same row again. */
static void test_removed_then_added_again_keeps_its_index(void **state)
{
	struct cvp_catalog a, b;
	(void)state;
	load(&a, ROW("one") ROW("two") "cvpPortRemove one\n");
	assert_int_equal(index_of(&a, "two"), 2);
	reload_files(&a, &b, ROW("one") ROW("two") "cvpPortRemove one\n", ROW("one"));
	assert_int_equal(index_of(&b, "one"), 1);
	assert_int_equal(index_of(&b, "two"), 2);
	assert_int_equal(b.n, 2);
	catalog_free(&a);
	catalog_free(&b);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Across a restart: saved, read back, the same indexes. */
static void test_saved_map_survives_a_restart(void **state)
{
	char dir[] = "/tmp/cvp-index-XXXXXX", path[256], err[512];
	struct cvp_catalog a, b;
	struct catalog_index m = {0}, back = {0};
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cvpportd-index", dir);
	assert_int_equal(catalog_index_load(&m, path, NULL, err, sizeof(err)), 0); /* none yet: empty */
	assert_int_equal(m.n, 0);
	load(&a, ROW("one") ROW("two") ROW("three"));
	assert_int_equal(catalog_index_from(&m, &a), 0);
	assert_int_equal(catalog_index_save(&m, path, NULL, err, sizeof(err)), 0);
	assert_int_equal(catalog_index_load(&back, path, NULL, err, sizeof(err)), 0);
	load(&b, ROW("three") ROW("two"));
	assert_int_equal(catalog_index_apply(&b, &back, NULL, err, sizeof(err)), 0);
	assert_int_equal(index_of(&b, "two"), 2);
	assert_int_equal(index_of(&b, "three"), 3);
	assert_string_equal(b.rows[0].name, "one");
	assert_true(b.rows[0].removed);
	catalog_index_free(&m);
	catalog_index_free(&back);
	catalog_free(&a);
	catalog_free(&b);
	unlink(path);
	rmdir(dir);
}

/* What others may plant in the state directory is never opened nor followed: a FIFO where a
 * temporary file used to be named does not hang the save, a FIFO or a link at the map's name
 * is refused (the load does not block) or replaced, not written through. */
static void test_planted_state_files_are_refused(void **state)
{
	char dir[] = "/tmp/cvp-index-XXXXXX", path[256], other[300], err[512];
	struct cvp_catalog a;
	struct catalog_index m = {0}, back = {0};
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cvpportd-index", dir);
	load(&a, ROW("one"));
	assert_int_equal(catalog_index_from(&m, &a), 0);

	snprintf(other, sizeof(other), "%s.new", path);
	assert_int_equal(mkfifo(other, 0600), 0); /* the old temporary name */
	assert_int_equal(catalog_index_save(&m, path, NULL, err, sizeof(err)), 0);
	unlink(other);

	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(catalog_index_load(&back, path, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	unlink(path);

	snprintf(other, sizeof(other), "%s/target", dir);
	write_file(other, "untouched\n");
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(catalog_index_load(&back, path, NULL, err, sizeof(err)), -1);
	assert_int_equal(catalog_index_save(&m, path, NULL, err, sizeof(err)), 0);
	FILE *f = fopen(other, "r");
	char line[64] = "";
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_string_equal(line,
	                    "untouched\n"); /* the link was replaced, its target not written */
	catalog_index_free(&m);
	catalog_free(&a);
	unlink(path);
	unlink(other);
	rmdir(dir);
}

/* A state directory others can write is refused with a clear error, and nothing is written. */
static void test_state_directory_others_can_write_is_refused(void **state)
{
	char dir[] = "/tmp/cvp-index-XXXXXX", path[256], err[512];
	struct cvp_catalog a;
	struct catalog_index m = {0};
	struct stat st;
	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 01777), 0);
	snprintf(path, sizeof(path), "%s/cvpportd-index", dir);
	load(&a, ROW("one"));
	assert_int_equal(catalog_index_from(&m, &a), 0);
	assert_int_equal(catalog_index_save(&m, path, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "can be written by others"));
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(catalog_index_save(&m, path, NULL, err, sizeof(err)), 0);
	catalog_index_free(&m);
	catalog_free(&a);
	unlink(path);
	rmdir(dir);
}

/* A map that is not exactly what cvpportd writes is refused whole, with file and line. */
static void test_bad_map_is_refused_whole(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"1 one\n2 two", ":2: no end of line"},
	    {"1 one\n1 two\n", ":2: index 1 given twice"},
	    {"1 one\n2 one\n", ": name 'one' given to indexes 1 and 2"},
	    {"0 zero\n", ":1: not 'INDEX NAME'"},
	    {"65536 big\n", ":1: not 'INDEX NAME'"},
	    {"-1 neg\n", ":1: not 'INDEX NAME'"},
	    {" 1 lead\n", ":1: not 'INDEX NAME'"},
	    {"1 two words\n", ":1: not 'INDEX NAME'"},
	    {"1 bad/name\n", ":1: not 'INDEX NAME'"},
	    {"1 \x1b[31m\n", ":1: not 'INDEX NAME'"},
	    {"1 a-name-that-is-far-too-long-for-a-row\n", ":1: not 'INDEX NAME'"},
	};
	char dir[] = "/tmp/cvp-index-XXXXXX", path[256], err[512];
	struct catalog_index m = {0};
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/map", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(path, bad[i].text);
		assert_int_equal(catalog_index_load(&m, path, NULL, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].want) || strncmp(err, path, strlen(path)) != 0)
			fail_msg("case %zu: '%s'", i, err);
		assert_int_equal(m.n, 0);
	}
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0); /* never blocks */
	assert_int_equal(catalog_index_load(&m, path, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	unlink(path);
	assert_int_equal(symlink("/etc/passwd", path), 0); /* not followed */
	assert_int_equal(catalog_index_load(&m, path, NULL, err, sizeof(err)), -1);
	unlink(path);
	FILE *f = fopen(path, "w"); /* too large */
	assert_non_null(f);
	for (int i = 0; i < CATALOG_INDEX_FILE_MAX / 8 + 1; i++)
		fputs("1234567\n", f);
	fclose(f);
	assert_int_equal(catalog_index_load(&m, path, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than"));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deleting_a_row_moves_no_other),
	    cmocka_unit_test(test_removed_then_added_again_keeps_its_index),
	    cmocka_unit_test(test_saved_map_survives_a_restart),
	    cmocka_unit_test(test_planted_state_files_are_refused),
	    cmocka_unit_test(test_state_directory_others_can_write_is_refused),
	    cmocka_unit_test(test_bad_map_is_refused_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
