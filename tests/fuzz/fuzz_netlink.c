/* libFuzzer target: one received buffer of a sock_diag dump, for TCP and for UDP. */
#include <stdlib.h>
#include <string.h>

#include "scan_netlink.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cvp_socket_list l = {0};
	struct cvp_scan_stats st = {0};
	int interrupted = 0;
	/* The kernel hands over aligned buffers; so does the scanner. */
	void *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (int proto = CVP_TCP; proto <= CVP_UDP; proto++) {
		/* sequence numbers of the recorded dumps, and another */
		for (uint32_t seq = 1; seq <= 2; seq++)
			scan_netlink_parse_buffer(buf, size, seq, proto, &l, &st, &interrupted);
		sock_list_clear(&l);
	}
	sock_list_free(&l);
	free(buf);
	return 0;
}
