/* The one reader of configuration text, strict: a file is refused whole on its first problem of
 * form (not a regular file, too large, writable by others, binary), and each line's problem
 * (too long, not printable ASCII, an include, a row defined twice) is an error naming the file
 * and line, as is every error the directive's own parser reports. The embedded default
 * catalogue, configuration files and the tests' texts are all read by it. */
#ifndef CONFIG_READER_H
#define CONFIG_READER_H

#include "file_access.h"

#include <stddef.h>
#include <sys/stat.h>

#define CONF_FILE_MAX (1024 * 1024)
#define CONF_LINE_MAX 4096

struct config_reader {
	/* Applies one directive to target (origin and line say where it stands): 0, -1 with a
	 * message in err, or 1 when the token is not known. */
	int (*apply)(void *target, const char *origin, unsigned line, const char *token,
	             const char *args, char *err, size_t errlen);
	void *target;
	/* Whether a directive holds a secret (cvpHost's SNMP options): such a line is an error in
	 * a file others than root and cvpportd's group can read; may be NULL. */
	int (*secret)(const char *token, const char *args);
	/* Whether TOKEN is someone else's (net-snmp's) directive, to be left alone; may be NULL. */
	int (*foreign)(void *arg, const char *token);
	/* One error, already "FILE:LINE: message" or "FILE: message", printable ASCII. */
	void (*error)(void *arg, const char *msg);
	void *arg;
	const struct file_access *files; /* who opens the files; NULL: this process */
	int skip_missing;                /* a file that does not exist is no error */
};

/* Opens PATH for reading as the strict reader takes it: a symbolic link only when it and every
 * directory above it are root's; a regular file of at most CONF_FILE_MAX bytes that only root
 * and this process's user can change, in directories nobody else may write. Returns the
 * descriptor (st filled), or -1 with "PATH: reason" in err and *missing set when there is no
 * such file. */
int config_reader_open(const char *path, struct stat *st, int *missing, char *err, size_t errlen);

/* Reads PATH: a regular file of at most CONF_FILE_MAX bytes that only root and this process's
 * user can change (and, where it holds a secret, read), lines of at most CONF_LINE_MAX bytes,
 * printable ASCII outside comments.
 * Every error goes to r->error. Returns the number of errors (0: all applied). */
unsigned config_reader_file(const struct config_reader *r, const char *path);
/* The same for the LEN bytes of TEXT (NUL-terminated), named ORIGIN in messages. */
unsigned config_reader_text(const struct config_reader *r, const char *text, size_t len,
                            const char *origin);

#endif
