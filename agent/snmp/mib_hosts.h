/* The remote hosts' tables: cvpHostTable (one row a cvpHost), cvpHostPortTable (a host's
 * verdict of each catalogue row, INDEX cvpHostIndex, cvpPortIndex) and cvpHostFindingTable (a
 * host's findings, as cvpFindingTable's, after cvpHostIndex). Served from ctx->hosts. */
#ifndef MIB_HOSTS_H
#define MIB_HOSTS_H

#include "host_state.h"
#include "mib_table.h"

int mib_hosts_register(struct mib_table *hosts, struct mib_table *ports, struct mib_table *findings,
                       const struct mib_context *ctx) __attribute__((warn_unused_result));

/* A host row's field as cvpHostPortEntry's column col (COL_HOST_PORT_*) would give it. Returns
 * 0, or -1 when there is none. */
int mib_hosts_port_value(const struct host_state *h, size_t row, unsigned col,
                         struct row_value *out);
/* cvpHostSource's value for enum cvp_source (0: never answered). */
long mib_hosts_source(int source);

#endif
