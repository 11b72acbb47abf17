/* libFuzzer target: one line of /proc/net/{tcp,udp}[6] as the procfs scanner parses it. */
#include <stdlib.h>
#include <string.h>

#include "scan_procfs.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cvp_socket s;
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	scan_procfs_parse_line(line, CVP_TCP, &s);
	scan_procfs_parse_line(line, CVP_UDP, &s);
	free(line);
	return 0;
}
