/* Reading a configuration whole, as a reload does it, on any thread: cvpportd's files through
 * the strict reader, the row indexes kept from the running configuration (or the map saved in
 * the state directory). Pure: what it needs of net-snmp (the files, the
 * tokens that are net-snmp's, where the index map lives) is given to it, and what it would log
 * is collected for the caller to log. */
#ifndef RELOAD_H
#define RELOAD_H

#include "config_model.h"

struct reload_input {
	char **files;        /* in the order net-snmp reads them */
	uint8_t *must_exist; /* per file: an -c file must exist, one on the search path need not */
	size_t nfiles;
	char **foreign; /* net-snmp's own tokens, left alone (compared without regard to case) */
	size_t nforeign;
	const struct cvp_settings *old;   /* in force (read only while a reload runs), or NULL */
	char *index_path;                 /* the saved index map, or NULL */
	int save_index;                   /* write the new map there */
	const struct file_access *access; /* who opens the files and writes the map; NULL: here */
};

struct reload_result {
	struct cvp_settings *next; /* the new configuration, or NULL when refused */
	unsigned errors;           /* configuration errors (each in log) */
	char *log;                 /* lines to log, each ending in '\n'; may be NULL */
	size_t loglen, logcap;
	int log_err; /* whether log holds errors (else notices) */
};

/* Frees what reload_input holds (its strings and arrays; not old). */
void reload_input_free(struct reload_input *in);
/* Reads every file into a new configuration (the embedded defaults first); with no error, gives
 * its rows their kept indexes. */
void reload_run(const struct reload_input *in, struct reload_result *out);
/* Gives next's rows the indexes their names had (in in->old, else in the map saved at
 * in->index_path) and, with in->save_index, saves the new map; notices go to out's log. */
void reload_keep_indexes(struct cvp_settings *next, const struct reload_input *in,
                         struct reload_result *out);
void reload_result_free(struct reload_result *r);

#endif
