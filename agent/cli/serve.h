/* `cvpportd [-f] [-x ADDRESS] [-p FILE] ...`: the subagent itself. It forks the attribution
 * helper while it has one thread, drops every capability, starts the application (app.h) and
 * serves AgentX until SIGTERM; SIGHUP reloads the configuration. */
#ifndef SERVE_H
#define SERVE_H

#include "options.h"

/* Returns the process's exit status. */
int serve_run(const struct options *o);

#endif
