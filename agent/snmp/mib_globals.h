/* cvpPortGlobals: the scalars. */
#ifndef MIB_GLOBALS_H
#define MIB_GLOBALS_H

#include "mib_table.h"

/* Returns the registration (to unregister), or NULL. */
netsnmp_handler_registration *mib_globals_register(const struct mib_context *ctx)
    __attribute__((warn_unused_result));

#endif
