/* The one place in C where the CVP-PORT-MIB root OID stands.
 * It must equal cvpPortMIB in mib/CVP-PORT-MIB.txt (the mib_root_oid test, tests/mib_root.sh,
 * checks it). netSnmpPlaypen is for experiments: move the module under your own enterprise number
 * before production, here and in the MIB. */
#ifndef CVP_OID_H
#define CVP_OID_H

#define CVP_PORT_MIB_OID 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 7161

#endif
