/* The reload thread and its wake-up pipe (reloader.h). */
#include "reloader.h"
#include "config_netsnmp.h"
#include "thread.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void reloader_init(struct reloader *rl, void (*done)(void *, struct reload_result *),
                   const struct cvp_settings *(*active)(void *), void *arg, int save)
{
	memset(rl, 0, sizeof(*rl));
	rl->pipe[0] = rl->pipe[1] = -1;
	rl->done = done;
	rl->active = active;
	rl->arg = arg;
	rl->save = save;
}

static void *reload_thread(void *arg)
{
	struct reloader *rl = arg;
	reload_run(&rl->in, &rl->out);
	if (write(rl->pipe[1], "", 1) < 0) {
		/* the pipe is never full: one byte per reload */
	}
	return NULL;
}

/* The thread is done: the owner takes the result; a SIGHUP that came meanwhile reads again. */
static void reload_done(int fd, void *arg)
{
	struct reloader *rl = arg;
	char byte;
	while (read(fd, &byte, 1) > 0)
		;
	if (!rl->running)
		return;
	pthread_join(rl->thread, NULL);
	rl->running = 0;
	rl->done(rl->arg, &rl->out);
	reload_result_free(&rl->out);
	reload_input_free(&rl->in);
	if (rl->again) {
		rl->again = 0;
		reloader_start(rl);
	}
}

int reloader_start(struct reloader *rl)
{
	if (rl->running) {
		rl->again = 1; /* read again when this one is done: the file may have changed */
		return 0;
	}
	if (rl->pipe[0] < 0) {
		if (pipe2(rl->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
			snmp_log(LOG_ERR, "cvpportd: reload: %s\n", strerror(errno));
			rl->pipe[0] = rl->pipe[1] = -1;
			return -1;
		}
		register_readfd(rl->pipe[0], reload_done, rl);
	}
	if (config_netsnmp_reload_input(&rl->in, rl->active(rl->arg), rl->save) < 0) {
		snmp_log(LOG_ERR, "cvpportd: reload: out of memory\n");
		return -1;
	}
	int e = thread_start(&rl->thread, reload_thread, rl); /* (signals stay the main thread's) */
	if (e) {
		snmp_log(LOG_ERR, "cvpportd: reload: cannot start a thread: %s\n", strerror(e));
		reload_input_free(&rl->in);
		return -1;
	}
	rl->running = 1;
	return 0;
}

void reloader_free(struct reloader *rl)
{
	if (rl->running) {
		pthread_join(rl->thread, NULL);
		reload_result_free(&rl->out);
		reload_input_free(&rl->in);
		rl->running = 0;
	}
	if (rl->pipe[0] >= 0) {
		unregister_readfd(rl->pipe[0]);
		close(rl->pipe[0]);
		close(rl->pipe[1]);
		rl->pipe[0] = rl->pipe[1] = -1;
	}
}
