/* Polling the cvpHost hosts on net-snmp's thread: one asynchronous session a host (in the
 * library's session list, so the agent's main loop reads the answers), a walk a request at a
 * time (host_walk.h), each host on its own cadence, timeout, deadline and row limit. An answer
 * is judged on the evaluation thread (host_eval.h) and taken back here (host_state_take); a
 * failure ends in host_state_failed (host_state.h). Notifications are sent through the agent.
 * No request to cvpportd waits for a poll or an evaluation. */
#ifndef HOST_POLLER_H
#define HOST_POLLER_H

#include "host_state.h"
#include "config_model.h"
#include "host_eval.h"
#include "traps.h"

struct host_poller {
	struct host_states hosts;      /* what the MIB reads */
	struct cvp_settings *settings; /* a reference: the catalogue the hosts are judged by */
	const struct traps *traps;     /* NULL: nothing is sent */
	unsigned tick;                 /* the alarm at the next poll due (0: none) */
	struct host_eval eval;         /* answers are judged there */
};

void host_poller_init(struct host_poller *p, const struct traps *traps);
/* Takes the hosts of s (and a reference to s) from now on; polls start from the main loop.
 * Returns 0, or -1 when out of memory (the hosts in force stay). */
int host_poller_configure(struct host_poller *p, struct cvp_settings *s)
    __attribute__((warn_unused_result));
void host_poller_free(struct host_poller *p);

#endif
