/* libFuzzer target: a capture's bytes (netstat, PowerShell CSV or JSON, ss, netsh), in every
 * format, as another host's agent or a share would hand them over. */
#include "capture.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char err[256];
	if (size > CAPTURE_FILE_MAX)
		return 0;
	for (int f = CAPTURE_AUTO; f <= CAPTURE_POWERSHELL; f++) {
		struct capture c = {0};
		(void)capture_read(data, size, (enum capture_format)f, &c, err, sizeof(err));
		capture_free(&c);
	}
	return 0;
}
