/* Prints CVP_PORT_MIB_OID from include/cvp_oid.h in snmptranslate -On form. */
#include <stdio.h>

#include "cvp_oid.h"

int main(void)
{
	static const unsigned long root[] = {CVP_PORT_MIB_OID};
	for (size_t i = 0; i < sizeof(root) / sizeof(root[0]); i++)
		printf(".%lu", root[i]);
	printf("\n");
	return 0;
}
