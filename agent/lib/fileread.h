/* A file read whole, bounded: the configuration, the index map, a capture, the state text the
 * agent hands the monitor. */
#ifndef FILEREAD_H
#define FILEREAD_H

#include <stddef.h>

/* The regular file at fd, from its start (its offset is not used), at most max bytes; one byte
 * more than fstat said is asked for, so that a file that grows meanwhile is caught. Returns the
 * bytes, NUL-terminated (*len: how many), or NULL with errno: EINVAL not a regular file, EFBIG
 * larger than max, ESTALE changed while it was read, ENOMEM, or what fstat or pread said. */
char *fileread_all(int fd, size_t max, size_t *len);

#endif
