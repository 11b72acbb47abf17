/* The subagent's life (serve.h): start, the main loop, shutdown. */
#include "serve.h"
#include "app.h"
#include "options.h"
#include "serve_split.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AGENTX_PING_INTERVAL 15 /* seconds: notice a restarted master and re-register */

/* A signal handler has no context pointer: what it sets, and the pipe that wakes select(). */
static volatile sig_atomic_t stop_requested, reload_requested;
static int exit_status; /* what the main loop ends with (set on net-snmp's thread) */
static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int saved = errno;
	if (sig == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = 1;
	/* Wake select() in agent_check_and_process at once. */
	if (signal_pipe[1] >= 0 && write(signal_pipe[1], "", 1) < 0) {
		/* pipe full: a wake-up is already pending */
	}
	errno = saved;
}

static void drain_signal_pipe(int fd, void *arg)
{
	char buf[64];
	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int install_signals(void)
{
	struct sigaction sa;

	if (pipe(signal_pipe) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(signal_pipe[i], F_SETFL, fcntl(signal_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A reply written after the master dropped the session must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Before net-snmp reads any configuration (inside init_snmp, before its pre-MIB pass, which
 * would already follow inclusions, and before the AgentX session is opened): an invalid
 * configuration stops cvpportd before it opens or connects anything. */
static int check_before_start(int major, int minor, void *server, void *client)
{
	const char *pidfile = client;
	(void)major;
	(void)minor;
	(void)server;
	unsigned errors = app_check_files(NULL);
	if (errors) {
		snmp_log(LOG_ERR, "cvpportd: %u configuration error(s); not starting\n", errors);
		if (pidfile)
			unlink(pidfile);
		exit(1);
	}
	return SNMP_ERR_NOERROR;
}

/* The pid file: never written through a link, never anything but a regular file (a FIFO or a
 * device planted there is refused, not opened for writing and blocked on). */
static int write_pidfile(const char *path)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot write %s: %s\n", path,
		         errno == ELOOP   ? "it is a symbolic link"
		         : errno == ENXIO ? "not a regular file" /* a FIFO nobody reads */
		                          : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || ftruncate(fd, 0) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot write %s: not a regular file\n", path);
		close(fd);
		return -1;
	}
	if (dprintf(fd, "%d\n", (int)getpid()) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot write %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return close(fd);
}

/* The attribution helper's supervisor died: this process holds no capability and cannot start
 * another, so it ends with an error and the service manager starts cvpportd again (the unit's
 * Restart=on-failure); meanwhile the rows that need attribution read unknown. */
static void on_helper_gone(void *arg)
{
	(void)arg;
	snmp_log(LOG_ERR, "cvpportd: the attribution helper is gone; exiting (status 1) so that "
	                  "the service manager starts cvpportd again with a new one\n");
	exit_status = 1;
	stop_requested = 1;
}

/* net-snmp as a subagent, the application in it, the configuration read and checked. */
static void start_agent(const struct options *o, struct serve_split *split)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	if (!netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET))
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
		                      AGENTX_DEFAULT);
	init_agent(CVP_APP_NAME);
	/* init_agent() resets the ping interval; the configuration may still override it. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
	                   AGENTX_PING_INTERVAL);
	init_cvpPortMIB();
	if (serve_split_prepare(split) < 0)
		exit(1);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_PRE_PREMIB_READ_CONFIG,
	                       check_before_start, (void *)o->pidfile);
	init_snmp(CVP_APP_NAME);
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_PRE_PREMIB_READ_CONFIG,
	                         check_before_start, (void *)o->pidfile, 1);
	serve_split_started(split);
	register_readfd(signal_pipe[0], drain_signal_pipe, NULL);
	const char *master = split->master;
	snmp_log(LOG_INFO, "cvpportd %s started, AgentX master %s%s, agent process %d as uid %d\n",
	         CVPPORTD_VERSION, master,
	         split->root && options_agentx_unix_path(master) ? " (relayed)" : "", (int)getpid(),
	         (int)getuid());
	if (!options_agentx_unix_path(master))
		snmp_log(LOG_WARNING,
		         "cvpportd: AgentX over the network (%s) has no authentication: any local "
		         "process can register objects or send notifications through the master; "
		         "the master's unix socket (" NETSNMP_AGENTX_SOCKET ") admits root only\n",
		         master);
}

int serve_run(const struct options *o)
{
	if (!o->foreground && netsnmp_daemonize(1, !o->logging_set) != 0)
		return 1;
	if (o->pidfile && write_pidfile(o->pidfile) < 0)
		return 1;
	if (install_signals() < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot create the signal pipe: %s\n", strerror(errno));
		return 1;
	}
	struct serve_split split = {.user = o->user ? o->user : CVP_AGENT_USER,
	                            .pidfile = o->pidfile,
	                            .close_fds = {signal_pipe[0], signal_pipe[1]},
	                            .helper_gone = on_helper_gone};
	start_agent(o, &split);
	while (!stop_requested) {
		if (reload_requested) {
			reload_requested = 0;
			app_reload(); /* all or nothing; logs what changed or why it was refused */
		}
		agent_check_and_process(1);
	}
	snmp_log(LOG_INFO, "cvpportd: shutting down\n");
	unregister_readfd(signal_pipe[0]);
	deinit_cvpPortMIB();
	snmp_shutdown(CVP_APP_NAME);
	serve_split_end(&split);
	close(signal_pipe[0]);
	close(signal_pipe[1]);
	if (o->pidfile && !split.root) /* (else the monitor's, which ends after this process) */
		unlink(o->pidfile);
	return exit_status;
}
