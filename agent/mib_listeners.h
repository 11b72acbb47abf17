/* cvpListenerTable: every live listener, indexed as TCP-MIB's tcpListenerTable is. */
#ifndef MIB_LISTENERS_H
#define MIB_LISTENERS_H

#include "mib_table.h"

int mib_listeners_register(struct mib_table *t, const struct mib_context *ctx)
    __attribute__((warn_unused_result));

#endif
