/* A file read whole, bounded (fileread.h). */
#include "fileread.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

char *fileread_all(int fd, size_t max, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode))
		return errno = EINVAL, NULL;
	if ((uintmax_t)st.st_size > max)
		return errno = EFBIG, NULL;
	size_t got = 0, want = (size_t)st.st_size + 1;
	char *text = malloc(want + 1);
	while (text && got < want) {
		ssize_t n = pread(fd, text + got, want - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(text);
			return errno = e, NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (text && got > (size_t)st.st_size) {
		free(text);
		return errno = ESTALE, NULL;
	}
	if (text) {
		text[got] = '\0';
		*len = got;
	}
	return text; /* (NULL: malloc set ENOMEM) */
}
