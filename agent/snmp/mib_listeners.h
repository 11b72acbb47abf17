/* cvpListenerTable: every live listener, indexed as TCP-MIB's tcpListenerTable is. */
#ifndef MIB_LISTENERS_H
#define MIB_LISTENERS_H

#include "mib_table.h"

/* The index of a listener (protocol, address type, address length, octets, port); returns its
 * length (at most MIB_TABLE_MAX_INDEX). */
size_t mib_listeners_index(const struct cvp_listener *l, oid *out);

/* Sets the value of cvpListenerEntry column col of l. Returns 0, or -1 for no such column. */
int mib_listeners_value(netsnmp_variable_list *vb, const struct cvp_listener *l, unsigned col);

int mib_listeners_register(struct mib_table *t, const struct mib_context *ctx)
    __attribute__((warn_unused_result));

#endif
