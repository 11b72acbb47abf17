/* The collector: picks the scanner (netlink by default, procfs as fallback), runs it, and
 * attributes sockets to processes. Holds the state that lives across refreshes. */
#include "collector.h"
#include "monotonic.h"
#include "attribution.h"
#include "scan_netlink.h"
#include "scan_procfs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int collector_init(struct cvp_collector *c, const char *proc_root, int mode)
{
	memset(c, 0, sizeof(*c));
	c->proc_root = proc_root;
	c->mode = mode;
	c->source = mode == CVP_SCAN_PROCFS ? CVP_SOURCE_PROCFS : CVP_SOURCE_NETLINK;
	c->now_us = monotonic_us;
	c->owners = attribution_new(proc_root);
	return c->owners ? 0 : -1;
}

void collector_free(struct cvp_collector *c)
{
	scan_netlink_close(c->nl);
	attribution_free(c->owners);
	sock_list_free(&c->socks);
	memset(c, 0, sizeof(*c));
}

__attribute__((format(printf, 3, 4))) static void notice(struct cvp_collector *c, int err,
                                                         const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	if (!c->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->log(c->log_arg, err, msg);
}

static int transient_errno(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

/* Logged once per shortage; said again when it is over. */
static void fd_short(struct cvp_collector *c, int err)
{
	if (!c->fd_short_logged) {
		c->fd_short_logged = 1;
		notice(c, 1,
		       "short of file descriptors or memory (%s): scans and attribution are "
		       "incomplete until it is over; serving the last good results",
		       strerror(err));
	}
}

/* netlink when it works; in auto mode a permanent failure switches to procfs for good
 * (logged once), a transient one falls back for this scan only. */
static int scan(struct cvp_collector *c, struct cvp_scan_stats *st)
{
	if (c->mode != CVP_SCAN_PROCFS && !c->netlink_failed) {
		if (!c->nl && !(c->nl = scan_netlink_open())) {
			if (transient_errno(errno)) {
				/* Short of descriptors or memory: try netlink again next time. */
				fd_short(c, errno);
			} else {
				c->netlink_failed = 1;
				notice(c, 1, "sock_diag netlink unavailable (%s): using /proc/net",
				       strerror(errno));
			}
		} else {
			int r = scan_netlink(c->nl, &c->socks, st);
			if (r == CVP_NL_OK) {
				c->source = CVP_SOURCE_NETLINK;
				return 0;
			}
			sock_list_clear(&c->socks);
			if (r == CVP_NL_PERMANENT) {
				c->netlink_failed = 1;
				notice(c, 1, "sock_diag netlink refused (%s): using /proc/net",
				       strerror(errno));
			}
		}
		if (c->mode == CVP_SCAN_NETLINK)
			return -1;
	}
	c->source = CVP_SOURCE_PROCFS;
	return scan_procfs(c->proc_root, &c->socks, st);
}

/* Attribution through the helper; what it answered logged once per change. */
static void attribute_by_helper(struct cvp_collector *c, struct cvp_attribution_stats *ast,
                                struct cvp_scan_stats *st)
{
	int rc = c->helper->run(c->helper->arg, &c->socks, c->now_us(), ast);
	if (rc == CVP_ATTRIBUTOR_GONE) {
		if (!c->helper_gone)
			notice(
			    c, 1,
			    "the attribution helper is gone: listeners are unattributed, and rows "
			    "with an owner rule unknown");
		c->helper_gone = 1;
		st->helper_gone = 1;
	} else if (rc < 0) {
		if (!c->helper_logged)
			notice(c, 1,
			       "the attribution helper did not answer: listeners are unattributed "
			       "until a new one does");
		c->helper_logged = 1;
	} else if (c->helper_logged) {
		c->helper_logged = 0;
		notice(c, 0, "the attribution helper answers again");
	}
}

/* What attribution met that a person should know, once each. */
static void attribution_notices(struct cvp_collector *c, const struct cvp_attribution_stats *ast)
{
	if (ast->fd_short)
		fd_short(c, EMFILE);
	else if (c->fd_short_logged && c->nl) {
		c->fd_short_logged = 0;
		notice(c, 0, "file descriptors available again: netlink and attribution recovered");
	}
	if (ast->denied && !c->denied_logged) {
		c->denied_logged = 1;
		notice(c, 1,
		       "%s: some /proc/PID/fd are not readable; their sockets show no process "
		       "(run as root, or with CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE)",
		       c->proc_root);
	}
	if (ast->blind && !c->blind_logged) {
		c->blind_logged = 1;
		notice(c, 1,
		       "%s hides other users' processes (hidepid): their listeners are counted "
		       "unattributed and owner rules see only the sockets' uids (run as root, with "
		       "CAP_SYS_PTRACE, or in the group of /proc's gid= option)",
		       c->proc_root);
	}
	if (ast->orphaned && !c->orphaned_logged)
		notice(c, 1,
		       "%u listener(s) held by no process are not root's (a socket passed away and "
		       "in flight): counted unattributed, and wrongOwner under an owner rule",
		       ast->orphaned);
	c->orphaned_logged = ast->orphaned > 0;
}

int collector_scan(struct cvp_collector *c, struct cvp_scan_stats *st)
{
	struct cvp_attribution_stats ast;

	memset(st, 0, sizeof(*st));
	sock_list_clear(&c->socks);
	if (scan(c, st) < 0)
		return -1;
	if (c->helper) {
		attribute_by_helper(c, &ast, st);
	} else if (attribution_run(c->owners, &c->socks, c->now_us(), &ast) < 0) {
		/* The sockets are known; who holds them is not, this time: as when the helper
		 * does not answer. */
		memset(&ast, 0, sizeof(ast));
		ast.unattributed = (unsigned)c->socks.n;
		notice(c, 1, "out of memory attributing %zu listener(s): unattributed this refresh",
		       c->socks.n);
	}
	st->unattributed = ast.unattributed;
	attribution_notices(c, &ast);
	sock_list_sort(&c->socks);
	return 0;
}
