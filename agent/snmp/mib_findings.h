/* cvpFindingTable: what an operator must act on, indexed as cvpListenerTable. */
#ifndef MIB_FINDINGS_H
#define MIB_FINDINGS_H

#include "mib_table.h"

int mib_findings_register(struct mib_table *t, const struct mib_context *ctx)
    __attribute__((warn_unused_result));

#endif
