/* A SIGHUP's reading of the configuration, on a thread of its own: a large file must not hold
 * up requests. When it is done, net-snmp's thread is woken through a pipe and hands the result
 * to the owner's callback, which applies it or keeps what runs. */
#ifndef RELOADER_H
#define RELOADER_H

#include "reload.h"

#include <pthread.h>

struct reloader {
	pthread_t thread;
	int running, again; /* again: a SIGHUP came while it ran */
	int pipe[2];        /* -1 until the first reload */
	struct reload_input in;
	struct reload_result out;
	/* Called on net-snmp's thread with what the read found; it may take over out->next. */
	void (*done)(void *arg, struct reload_result *out);
	void *arg;
	/* What the read starts from: the configuration in force, and whether indexes are saved. */
	const struct cvp_settings *(*active)(void *arg);
	int save;
};

void reloader_init(struct reloader *rl, void (*done)(void *, struct reload_result *),
                   const struct cvp_settings *(*active)(void *), void *arg, int save);
/* Starts a read (or, while one runs, asks for another after it). Returns 0, or -1 (logged). */
int reloader_start(struct reloader *rl);
/* Waits for a read in progress and releases everything. */
void reloader_free(struct reloader *rl);

#endif
