/* Where the core's files are opened: here (NULL everywhere a `const struct file_access *` is
 * taken), or by the daemon's privileged monitor on behalf of its unprivileged agent, which can
 * neither read root's configuration files nor write the state directory itself. */
#ifndef FILE_ACCESS_H
#define FILE_ACCESS_H

#include <stddef.h>
#include <sys/stat.h>

struct file_access {
	/* A configuration file, opened and checked as config_reader_open does it: a descriptor
	 * (st filled), or -1 with the reason in err and *missing set when it does not exist. */
	int (*open_config)(void *ctx, const char *path, struct stat *st, int *missing, char *err,
	                   size_t errlen);
	/* The state file PATH for reading, as catalog_index_open does it: a descriptor, -1 with
	 * err, or -2 when there is none. */
	int (*open_state)(void *ctx, const char *path, char *err, size_t errlen);
	/* Replaces the state file PATH with the LEN bytes of TEXT, as catalog_index_write does it:
	 * 0, or -1 with err. */
	int (*write_state)(void *ctx, const char *path, const char *text, size_t len, char *err,
	                   size_t errlen);
	void *ctx;
};

#endif
