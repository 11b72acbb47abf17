/* `cvpportd --doctor`: every link an operator depends on, checked in order, one line each
 * (OK, WARN or FAIL, and for the last two the usual fix). */
#ifndef DOCTOR_H
#define DOCTOR_H

#include "snapshot.h"

#include <stdio.h>

/* config_errors: cvpportd's own configuration (already checked, errors logged); snap: one scan
 * (NULL when none could be made); argc/argv: SNMP options and the agent, as snmpget takes them
 * (argv[0] is the program name). Returns an exit code as --check: 0 all OK, 1 a warning, 2 a
 * failure, 3 the arguments were wrong. */
int doctor_run(FILE *out, unsigned config_errors, const struct cvp_snapshot *snap, int argc,
               char **argv);
/* `cvpportd --doctor [SNMP OPTIONS] [AGENT]`: the configuration checked and one scan made as
 * --check makes it, then doctor_run on stdout. Returns its exit code. */
int doctor_command(int argc, char **argv);

#endif
