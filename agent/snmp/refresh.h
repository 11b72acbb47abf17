/* The refresh in net-snmp: the pure core (refresh_core.h) wired to net-snmp's main loop. The
 * builder thread is started from an alarm (after snmpd, which may load this module, has
 * forked) and retried when it cannot start; its descriptor is watched with register_readfd;
 * the core's lines go to snmp_log; snapshots are published to the MIB handlers' context and
 * notifications sent through the agent. Requests never wait for a scan. */
#ifndef REFRESH_H
#define REFRESH_H

#include "mib_table.h"
#include "refresh_core.h"
#include "traps.h"

struct refresh {
	struct refresh_core core;  /* core.builder is NULL until the first configuration */
	struct mib_context *ctx;   /* where the handlers read the snapshot */
	const struct traps *traps; /* the way to the master; NULL for --check: nothing is sent */
	unsigned start_alarm;      /* starts the builder thread from the main loop */
	int agent, fd_registered;
	const struct cvp_attributor *helper; /* attribution in a helper process, or NULL */
	/* Called once, on net-snmp's thread, after the first snapshot that says the helper is gone
	 * has been published (its rows unknown). */
	void (*helper_gone)(void *arg);
	void *helper_gone_arg;
	int helper_gone_told;
};

/* traps: where notifications go (NULL: none are decided or sent). */
void refresh_init(struct refresh *r, struct mib_context *ctx, const struct traps *traps);
/* Takes the settings s from now on (refresh_core_configure). The first time, and always
 * without agent (--check), a snapshot is built at once on this thread; with agent the builder
 * thread starts from the main loop and builds every s->refresh_seconds. Returns 0, or -1 when
 * out of memory. */
int refresh_configure(struct refresh *r, struct cvp_settings *s, int agent)
    __attribute__((warn_unused_result));
/* A new AgentX session: refresh at once, so that what was held while the master was away is
 * sent now and TimeStamps follow its clock. (A traps on_session_up callback.) */
void refresh_session_up(void *r);
void refresh_free(struct refresh *r);

#endif
