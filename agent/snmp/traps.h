/* Sending CVP-PORT-MIB's notifications through the agent (to the AgentX master, or to
 * snmpd's sinks when loaded with dlmod), and knowing whether they can reach it now. */
#ifndef TRAPS_H
#define TRAPS_H

#include "host_state.h"
#include "notify.h"

struct traps {
	int session_up;                /* notifications reach the master now */
	int callbacks;                 /* the session callbacks are registered */
	void (*on_session_up)(void *); /* called when a (new) AgentX session is up */
	void *arg;
};

/* Follows the AgentX session (a subagent), or takes it as always up (inside snmpd). */
void traps_init(struct traps *t, void (*on_session_up)(void *), void *arg);
void traps_free(struct traps *t);
/* Sends the events with their varbinds, read from s (the snapshot they were decided on). */
void traps_send(const struct notify_event *ev, size_t n, const struct cvp_snapshot *s);
/* Sends the remote hosts' events (host_state.h) with their varbinds, read from h. */
void traps_send_hosts(const struct host_states *h, const struct host_event *ev, size_t n);

#endif
