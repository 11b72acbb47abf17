/* cvpPortTable: one row per catalogue row, indexed by catalogue position. */
#ifndef MIB_PORTS_H
#define MIB_PORTS_H

#include "mib_table.h"

int mib_ports_register(struct mib_table *t, const struct mib_context *ctx)
    __attribute__((warn_unused_result));

#endif
