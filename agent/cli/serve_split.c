/* The daemon's privilege split (serve_split.h). */
#include "serve_split.h"
#include "app.h"
#include "monitor.h"
#include "options.h"
#include "relay.h"
#include "reload.h"
#include "sandbox.h"
#include "sandbox_agent.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void monitor_log(int priority, const char *msg)
{
	snmp_log(priority, "%s\n", msg);
}

/* The attribution helper, started while this process may still give it its capabilities. */
static int start_helper(struct serve_split *s)
{
	s->helper = privsep_start("/proc");
	if (!s->helper) {
		snmp_log(LOG_ERR, "cvpportd: cannot start the attribution helper: %s\n",
		         strerror(errno));
		return -1;
	}
	s->attr = privsep_attributor(s->helper);
	app_use_attributor(&s->attr);
	app_on_helper_gone(s->helper_gone, NULL);
	return 0;
}

/* The monitor's side of the fork: never returns. */
__attribute__((noreturn)) static void be_monitor(struct serve_split *s, pid_t agent, int files,
                                                 int relay, const char *relay_path,
                                                 struct reload_input *in)
{
	close(s->close_fds[0]);
	close(s->close_fds[1]);
	/* root's uid stays (the master's socket and the configuration are root's); of the
	 * capabilities, only CAP_KILL: to pass signals on to the agent, another user's process */
	if (sandbox_keep_caps(1ull << CAP_KILL) < 0)
		snmp_log(LOG_ERR, "cvpportd: monitor: cannot drop capabilities: %s\n",
		         strerror(errno));
	struct monitor_config c = {.agent = agent,
	                           .files = files,
	                           .config = in->files,
	                           .nconfig = in->nfiles,
	                           .state = in->index_path,
	                           .relay = relay,
	                           .master = options_agentx_unix_path(s->master),
	                           .log = monitor_log};
	int status = monitor_run(&c);
	if (relay >= 0)
		unlink(relay_path);
	if (s->pidfile)
		unlink(s->pidfile);
	snmp_log(LOG_INFO, "cvpportd: monitor: the agent ended; exiting (status %d)\n", status);
	exit(status);
}

/* The agent's side of the fork: the helper, the user, the filter. 0, or -1 (logged). */
static int be_agent(struct serve_split *s, pid_t monitor, int files)
{
	if (start_helper(s) < 0)
		return -1;
	if (sandbox_agent_become(s->uid, s->gid, monitor) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot become user %s: %s\n", s->user,
		         strerror(errno));
		return -1;
	}
	monitor_wrap_init(&s->wrap, files);
	s->wrapped = 1;
	app_use_files(&s->wrap.access);
	if (sandbox_agent_filter() < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot install the seccomp filter: %s\n",
		         strerror(errno));
		return -1;
	}
	return 0;
}

/* The relay's socket when the master's is a unix one: the agent connects to it instead. */
static int open_relay(struct serve_split *s, char *path, size_t len)
{
	char err[512];
	if (!options_agentx_unix_path(s->master))
		return -1;
	snprintf(path, len, "%s/agentx.%d", CVP_RUN_DIR, (int)getpid());
	int fd = relay_listen(path, s->gid, err, sizeof(err));
	if (fd < 0) {
		snmp_log(LOG_ERR, "cvpportd: AgentX relay: %s\n", err);
		return -2;
	}
	char addr[300];
	snprintf(addr, sizeof(addr), "unix:%s", path);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, addr);
	return fd;
}

/* Root: the fork. Returns in the agent only (0), or -1 (logged) before any fork. */
static int split(struct serve_split *s)
{
	struct reload_input in;
	char relay_path[108];
	int sv[2];
	if (app_files(&in) < 0) {
		snmp_log(LOG_ERR, "cvpportd: out of memory\n");
		return -1;
	}
	int relay = open_relay(s, relay_path, sizeof(relay_path));
	if (relay == -2) {
		reload_input_free(&in);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snmp_log(LOG_ERR, "cvpportd: socketpair: %s\n", strerror(errno));
		reload_input_free(&in);
		return -1;
	}
	pid_t monitor = getpid(), agent = fork();
	if (agent < 0) {
		snmp_log(LOG_ERR, "cvpportd: fork: %s\n", strerror(errno));
		return -1;
	}
	if (agent > 0) {
		close(sv[1]);
		be_monitor(s, agent, sv[0], relay, relay_path, &in);
	}
	close(sv[0]);
	if (relay >= 0)
		close(relay);
	reload_input_free(&in);
	return be_agent(s, monitor, sv[1]);
}

/* After net-snmp read the configuration, before the AgentX session opens and any thread. */
static int on_config_read(int major, int minor, void *server, void *client)
{
	struct serve_split *s = client;
	(void)major;
	(void)minor;
	(void)server;
	if (s->helper || s->wrapped)
		return SNMP_ERR_NOERROR; /* once */
	const char *x = netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET);
	snprintf(s->master, sizeof(s->master), "%s", x ? x : "");
	int rc;
	if (s->root) {
		rc = split(s);
	} else if ((rc = start_helper(s)) == 0 && (rc = sandbox_drop_all()) < 0) {
		snmp_log(LOG_ERR, "cvpportd: cannot drop capabilities: %s\n", strerror(errno));
	}
	if (rc < 0)
		exit(1); /* nothing is connected yet: the service manager says why from the log */
	return SNMP_ERR_NOERROR;
}

int serve_split_prepare(struct serve_split *s)
{
	s->root = geteuid() == 0;
	if (s->root) {
		const struct passwd *pw = getpwnam(s->user);
		if (!pw || pw->pw_uid == 0) {
			snmp_log(
			    LOG_ERR,
			    "cvpportd: user %s %s: the agent process runs as a user that owns "
			    "nothing (create it: adduser --system --group --no-create-home %s, "
			    "or name another with --user)\n",
			    s->user, pw ? "is root" : "does not exist", s->user);
			return -1;
		}
		s->uid = pw->pw_uid;
		s->gid = pw->pw_gid;
		/* until the split: the helper's two, the switch of user, the relay's group, the
		 * monitor's signals, and emptying the agent's bounding set */
		uint64_t keep = (1ull << CAP_DAC_READ_SEARCH) | (1ull << CAP_SYS_PTRACE) |
		                (1ull << CAP_SETUID) | (1ull << CAP_SETGID) | (1ull << CAP_CHOWN) |
		                (1ull << CAP_KILL) | (1ull << CAP_SETPCAP);
		if (sandbox_keep_caps(keep) < 0) {
			snmp_log(LOG_ERR, "cvpportd: cannot limit capabilities: %s\n",
			         strerror(errno));
			return -1;
		}
	}
	netsnmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
	                          on_config_read, s, NETSNMP_CALLBACK_HIGHEST_PRIORITY);
	return 0;
}

void serve_split_started(struct serve_split *s)
{
	/* (net-snmp frees the argument of a callback still registered at its shutdown) */
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
	                         on_config_read, s, 1);
}

void serve_split_end(struct serve_split *s)
{
	if (s->helper)
		privsep_stop(s->helper);
	s->helper = NULL;
	if (s->wrapped)
		monitor_wrap_free(&s->wrap);
	s->wrapped = 0;
}
